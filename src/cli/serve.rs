//! `kiro-org serve`: the simulated control plane over AWS's wire protocols, on loopback.
//!
//! The first line on stdout is the listening address (`http://127.0.0.1:PORT`), so scripts and
//! tests that start the server with `--port 0` can read where it listens.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context as _;

/// Arguments of `serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The estate an empty data directory starts from (ignored, with a warning, when the data
    /// directory has state already).
    #[arg(long)]
    estate: Option<PathBuf>,
    /// The data directory holding the SQLite database.
    #[arg(long, default_value = ".kiro-org")]
    data: PathBuf,
    /// The port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 4566)]
    port: u16,
    /// Check SigV4 signatures: every access key's secret is `--secret-access-key`.
    #[arg(long)]
    verify_signatures: bool,
    /// The secret access key of every access key when signatures are checked.
    #[arg(long, default_value = kiro_server::sigv4::DEFAULT_SECRET)]
    secret_access_key: String,
}

/// Runs `serve` until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> super::CliResult {
    let seed = match &args.estate {
        Some(path) => Some(super::load_estate(path)?),
        None => None,
    };
    let mut config = kiro_server::Config::new(&args.data);
    config.seed = seed;
    config.verify_signatures = args.verify_signatures;
    config.secret_access_key = args.secret_access_key;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let data = args.data.clone();
    kiro_server::serve_blocking(config, addr, |addr, seed_ignored| {
        let _ = super::print(&format!("http://{addr}"));
        if seed_ignored {
            eprintln!(
                "warning: `{}` has state already; --estate was ignored",
                data.display()
            );
        }
        eprintln!(
            "kiro-org serve: listening on http://{addr}, data in `{}`",
            data.display()
        );
    })
    .context("cannot serve")?;
    Ok(())
}
