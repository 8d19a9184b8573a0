//! `kiro-org export`: the live state of a server's data directory as an estate file.
//!
//! Safe while the server runs: it reads the last committed state. Application assignments are
//! not part of an estate and are not exported.

use std::path::PathBuf;

use anyhow::Context as _;
use kiro_estate::Format;

/// Arguments of `export`.
#[derive(clap::Args)]
pub struct Args {
    /// The server's data directory.
    #[arg(long, default_value = ".kiro-org")]
    data: PathBuf,
    /// Where to write the estate (YAML, or JSON by extension); stdout (YAML) when absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Runs `export`.
pub fn run(args: Args) -> super::CliResult {
    let estate = kiro_server::store::read_estate(&args.data)
        .with_context(|| format!("cannot read the state in `{}`", args.data.display()))?;
    match &args.out {
        Some(path) => estate
            .save(path)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("cannot export to `{}`", path.display()))
            .map(|()| {
                eprintln!(
                    "exported the state of `{}` to `{}`; check it with `kiro-org check {}`",
                    args.data.display(),
                    path.display(),
                    path.display()
                );
            })?,
        None => super::print(&estate.to_text(Format::Yaml).map_err(anyhow::Error::msg)?)?,
    }
    Ok(())
}
