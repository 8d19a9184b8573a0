//! `kiro-org audit ESTATE`: every audit rule over an estate.
//!
//! Output: findings grouped by severity (default), `--format json` (the list of findings, each
//! with `code`, `rule`, `severity`, `subject`, `message` and when present `help`, `money`,
//! `details`), `sarif` (2.1.0), `markdown` (with the estate as a Mermaid flowchart) or `csv`
//! (one row per finding). `--config FILE` (YAML; by default the nearest `.kiro-org.yaml` in
//! the working directory or its parents) overrides severities per code and suppresses
//! findings; an unused suppression is itself a finding (`KO901`). `--select`/`--ignore`
//! choose rules as ruff does. An estate that can be read but breaks domain
//! rules is audited: each rule break is a finding (`KO104` for a subscription whose principal
//! is missing, `KO001 estate-rule-broken` for the others). Exit codes: 0 when no finding is at or above
//! `--fail-on` (default `error`; `never` to always exit 0), 1 when one is, 2 on bad input.

use std::io::Write;
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
    /// `ignore: [{code: KO401, subject: "400000000001"}]`). Without it, the first
    /// `.kiro-org.yaml` in the working directory or its parents is used.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Do not look for a `.kiro-org.yaml`: every rule at its default severity.
    #[arg(long)]
    no_config: bool,
    /// Run only these rules: codes (`KO101`), code prefixes (`KO3` for an area), rule names,
    /// or `ALL`; comma-separated or repeated.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (the same words as `--select`), after `--select`.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,
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
    Csv,
}

/// Writes JSON straight to a buffered stdout (a large estate's report is never held as one
/// string), then a newline.
fn write_streamed(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = super::stdout_buffer();
    write(&mut out)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// The audit configuration's file name, looked for in the working directory and its parents.
const CONFIG_FILE: &str = ".kiro-org.yaml";

/// The nearest [`CONFIG_FILE`] from `dir` up to the filesystem's root, as ruff finds its
/// configuration: a repository's file applies in every folder below it.
fn discover(dir: &std::path::Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
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
    let found = match (&args.config, args.no_config) {
        (None, false) => discover(&std::env::current_dir()?),
        _ => None,
    };
    if let Some(path) = &found {
        eprintln!("note: audit configuration {}", path.display());
    }
    let mut config = match args.config.as_ref().or(found.as_ref()) {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    config
        .choose(&args.select, &args.ignore)
        .map_err(super::CliError::bad_input)?;
    // A readable estate that breaks domain rules is audited: the rule breaks are findings.
    let (read, book) = args.input.load()?;
    let report = kiro_audit::audit_readable(&read, &book, &config);
    let name = args.input.estate.display().to_string();
    match args.format {
        Format::Human => super::print_prose(&render::human(&report))?,
        Format::Json => write_streamed(|out| render::write_json(&report, out))?,
        Format::Sarif => {
            // Each result at its subject's line: the file is read again, only for SARIF.
            let text = kiro_estate::io::read_text(&args.input.estate)?;
            let format = kiro_estate::Format::of(&args.input.estate);
            let regions = kiro_audit::place::regions(&report, &read.estate, &text, format);
            let mut out = super::stdout_buffer();
            render::write_sarif(&report, &name, &regions, &mut out)?;
            out.flush()?;
        }
        Format::Markdown => super::print(&render::markdown(
            &report,
            &name,
            Some(&kiro_report::diagram(&read.estate)),
        ))?,
        Format::Csv => {
            let mut out = super::stdout_buffer();
            render::write_csv(&report, &mut out)?;
            out.flush()?;
        }
    }
    match threshold {
        Some(t) if report.fails(t) => Err(super::CliError::Findings),
        _ => Ok(()),
    }
}
