//! `kiro-org serve`: the simulated control plane over AWS's wire protocols, on loopback.
//!
//! The first line on stdout is the listening address (`http://127.0.0.1:PORT`), so scripts and
//! tests that start the server with `--port 0` can read where it listens. What a person needs
//! next goes to stderr: the data directory, each Identity Center instance's ARN and a
//! ready-to-paste AWS CLI command.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// Arguments of `serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The estate an empty data directory starts from (ignored, with a warning, when the data
    /// directory has state already: add `--reset` to start afresh).
    #[arg(long)]
    estate: Option<PathBuf>,
    /// Forget the state kept in the data directory and start from `--estate` (or empty).
    #[arg(long)]
    reset: bool,
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
    if args.reset {
        reset(&args.data)?;
    }
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let data = args.data.clone();
    kiro_server::serve_blocking(config, addr, |addr, seed_ignored| {
        let _ = super::print(&format!("http://{addr}"));
        if seed_ignored {
            eprintln!(
                "warning: `{}` has state already; --estate was ignored (add --reset to start from it afresh, or use another --data directory)",
                data.display()
            );
        }
        eprintln!("{}", banner(addr, &data));
    })
    .context("cannot serve")?;
    Ok(())
}

/// Removes the database of `data` (and SQLite's journal files beside it), nothing else.
fn reset(data: &Path) -> anyhow::Result<()> {
    let db = kiro_server::store::DB_FILE;
    for file in [db.to_owned(), format!("{db}-wal"), format!("{db}-shm")] {
        match std::fs::remove_file(data.join(&file)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot reset `{}`", data.display()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// What a person needs to start: where the server listens, its instances, a command to paste.
fn banner(addr: SocketAddr, data: &Path) -> String {
    let mut out = format!(
        "kiro-org serve: listening on http://{addr}, data in `{}`",
        data.display()
    );
    let Ok(estate) = kiro_server::store::read_estate(data) else {
        return out;
    };
    for inst in estate.instances.iter() {
        out.push_str(&format!(
            "\n  {} of {} ({}): {}",
            inst.kind,
            inst.account,
            inst.region,
            kiro_estate::ids::arn::instance(inst.partition(), &inst.id)
        ));
    }
    // The caller is the instance's owner (the access key id names the calling account).
    if let Some(inst) = estate.instances.iter().next() {
        out.push_str(&format!(
            "\ntry:\n  export AWS_ACCESS_KEY_ID={owner} AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION={region}\n  aws --endpoint-url http://{addr} sso-admin list-applications --instance-arn {arn} --output table",
            owner = inst.account,
            region = inst.region,
            arn = kiro_estate::ids::arn::instance(inst.partition(), &inst.id),
        ));
    }
    out
}
