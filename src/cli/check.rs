//! `kiro-org check ESTATE`: exit 0 when valid, 2 with every problem when not — both what stops
//! the file from being read (syntax, types, unknown or missing keys, the version) and the
//! domain rules a readable file breaks. What the IAM catalog says of its SCPs is shown as
//! warnings, which never make it invalid. A valid estate outside the commercial partition says
//! which one its ARNs are in.

use std::path::PathBuf;

use kiro_estate::ids::Partition;
use kiro_estate::words::count;
use kiro_estate::{Diagnostic, Diagnostics, Estate, LoadError};

use super::{CliError, Report, ReportFormat};

/// Arguments of `check`.
#[derive(clap::Args)]
pub struct Args {
    /// The estate file (YAML, or JSON by extension).
    estate: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

/// Runs `check`. The SCP warnings (an action or condition key AWS does not know) are shown
/// whether or not the estate is valid, and never make it invalid: AWS accepts such policies.
pub fn run(args: Args) -> super::CliResult {
    let (err, warnings) = match Estate::read(&args.estate) {
        Ok(read) if read.rule_breaks.is_empty() => {
            let estate = read.estate;
            let warnings = read.warnings;
            return match args.format {
                ReportFormat::Human => {
                    let mut text = String::new();
                    for w in &warnings.0 {
                        text.push_str(&format!("{w}\n"));
                    }
                    text.push_str(&format!(
                        "{}: valid ({} accounts, {} organizations, {} instances, {} profiles{}{})",
                        args.estate.display(),
                        estate.accounts.len(),
                        estate.organizations.len(),
                        estate.instances.len(),
                        estate.profiles.len(),
                        match estate.partition() {
                            Partition::Aws => String::new(),
                            other => format!(", in partition {other}"),
                        },
                        if warnings.is_empty() {
                            String::new()
                        } else {
                            format!(", {}", count(warnings.len(), "warning", "warnings"))
                        }
                    ));
                    super::print(&text)
                }
                ReportFormat::Json => super::print_json(&serde_json::json!({
                    "valid": true,
                    "partition": estate.partition().as_str(),
                    "problems": warnings.0.iter().map(entry).collect::<Vec<_>>(),
                })),
            }
            .map_err(CliError::from);
        }
        Ok(read) => (LoadError::Invalid(read.rule_breaks), read.warnings),
        Err(err) => (err, Diagnostics::default()),
    };
    if args.format == ReportFormat::Human {
        return Err(match err {
            LoadError::Invalid(mut problems) => {
                problems.0.extend(warnings.0);
                problems.sort_by_location();
                LoadError::Invalid(problems)
            }
            other => other,
        }
        .into());
    }
    let mut problems: Vec<_> = err.diagnostics().iter().map(entry).collect();
    if problems.is_empty() {
        problems.push(serde_json::json!({"severity": "error", "message": err.to_string()}));
    }
    problems.extend(warnings.0.iter().map(entry));
    super::print_json(&serde_json::json!({"valid": false, "problems": problems}))?;
    Err(CliError::BadInput(Report::Shown))
}

/// A diagnostic as `check --format json` writes it.
fn entry(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "file": d.file.as_ref().map(|f| f.display().to_string()),
        "line": d.location.map(|l| l.line),
        "column": d.location.map(|l| l.column),
        "path": d.path.to_string(),
        "message": d.message,
        "help": d.help,
    })
}
