//! `kiro-org report ESTATE --out report.html`: one self-contained HTML report of an estate —
//! its tree with each profile's pattern, quota gauges, the bill, the governance matrix and
//! the audit findings — rendered by `kiro-report` from the answers `patterns`, `cost` and
//! `audit` give. The file is written atomically; nothing is written on bad input.

use std::path::PathBuf;

/// Arguments of `report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: super::PricedEstate,
    /// Adds overage and right-sizing, as `cost --usage`.
    #[command(flatten)]
    usage: super::UsageArg,
    /// Where to write the HTML report.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Runs `report`.
pub fn run(args: Args) -> super::CliResult {
    // A readable estate that breaks domain rules is reported: the audit lists the breaks.
    let (read, book) = args.input.load()?;
    let usage = args.usage.load()?;
    let title = args.input.estate.display().to_string();
    let html = kiro_report::render(&kiro_report::Input {
        estate: &read.estate,
        rule_breaks: &read.rule_breaks.0,
        warnings: &read.warnings.0,
        book: &book,
        usage: usage.as_ref(),
        title: &title,
    })
    .map_err(anyhow::Error::from)?;
    kiro_estate::io::write_atomic(&args.out, &html)
        .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} KB of self-contained HTML)\nhelp: open it in a browser, or attach it to a mail: it needs no network",
        args.out.display(),
        html.len().div_ceil(1024)
    );
    Ok(())
}
