//! `kiro-org audit ESTATE`: every audit rule over an estate.
//!
//! Output: findings grouped by severity (default), `--format json` (the list of findings, each
//! with `code`, `rule`, `severity`, `subject`, `message` and when present `help`, `money`,
//! `details`), `sarif` (2.1.0) or `markdown` (with the estate as a Mermaid flowchart).
//! `--config FILE` (YAML) overrides severities per code and suppresses findings; an unused
//! suppression is itself a finding (`KO901`). An estate that can be read but breaks domain
//! rules is audited: each rule break is a finding (`KO104` for a subscription whose principal
//! is missing, `KO001 estate-rule-broken` for the others). Exit codes: 0 when no finding is at or above
//! `--fail-on` (default `error`; `never` to always exit 0), 1 when one is, 2 on bad input.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use kiro_audit::{Config, Severity, render};

/// Arguments of `audit`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when a finding is at or above this severity: `error`, `warning`, `info` (or
    /// `high`, `medium`, `low`), or `never`.
    #[arg(long, value_name = "SEVERITY", default_value = "error")]
    fail_on: String,
    /// Severity overrides and suppressions (YAML: `severity: {KO101: info}`,
    /// `ignore: [{code: KO401, subject: "400000000001"}]`).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    // Last, so that `--prices` keeps its place in `--help`.
    #[command(flatten)]
    input: super::PricedEstate,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Markdown,
}

/// Writes JSON straight to a buffered stdout (a large estate's report is never held as one
/// string), then a newline.
fn write_streamed(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    write(&mut out)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Runs `audit`.
pub fn run(args: Args) -> super::CliResult {
    let threshold = match args.fail_on.to_ascii_lowercase().as_str() {
        "never" | "none" | "off" => None,
        other => match Severity::parse(other) {
            Some(s) => Some(s),
            None => {
                return Err(super::CliError::bad_input(format!(
                    "`{}` is not a severity\nhelp: use `error`, `warning`, `info`, or `never`",
                    args.fail_on
                )));
            }
        },
    };
    let config = args
        .config
        .as_deref()
        .map(Config::load)
        .transpose()?
        .unwrap_or_default();
    // A readable estate that breaks domain rules is audited: the rule breaks are findings.
    let (read, book) = args.input.load()?;
    let report = kiro_audit::audit_readable(&read.estate, &read.rule_breaks.0, &book, &config);
    let name = args.input.estate.display().to_string();
    match args.format {
        Format::Human => super::print(&render::human(&report))?,
        Format::Json => write_streamed(|out| render::write_json(&report, out))?,
        Format::Sarif => write_streamed(|out| render::write_sarif(&report, &name, out))?,
        Format::Markdown => super::print(&render::markdown(
            &report,
            &name,
            Some(&kiro_report::diagram(&read.estate)),
        ))?,
    }
    match threshold {
        Some(t) if report.fails(t) => Err(super::CliError::Findings),
        _ => Ok(()),
    }
}
