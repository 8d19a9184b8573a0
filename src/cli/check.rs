//! `kiro-org check ESTATE`: exit 0 when valid, 2 with every problem when not — both what stops
//! the file from being read (syntax, types, unknown or missing keys, the version) and the
//! domain rules a readable file breaks.

use std::path::PathBuf;

use kiro_estate::{Estate, LoadError};

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

/// Runs `check`.
pub fn run(args: Args) -> super::CliResult {
    let err = match Estate::read(&args.estate) {
        Ok(read) if read.rule_breaks.is_empty() => {
            let estate = read.estate;
            return match args.format {
                ReportFormat::Human => super::print(&format!(
                    "{}: valid ({} accounts, {} organizations, {} instances, {} profiles)",
                    args.estate.display(),
                    estate.accounts.len(),
                    estate.organizations.len(),
                    estate.instances.len(),
                    estate.profiles.len()
                )),
                ReportFormat::Json => {
                    super::print_json(&serde_json::json!({"valid": true, "problems": []}))
                }
            }
            .map_err(CliError::from);
        }
        Ok(read) => LoadError::Invalid(read.rule_breaks),
        Err(err) => err,
    };
    if args.format == ReportFormat::Human {
        return Err(err.into());
    }
    let problems: Vec<_> = err
        .diagnostics()
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file.as_ref().map(|f| f.display().to_string()),
                "line": d.location.map(|l| l.line),
                "column": d.location.map(|l| l.column),
                "path": d.path.to_string(),
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let problems = if problems.is_empty() {
        vec![serde_json::json!({"message": err.to_string()})]
    } else {
        problems
    };
    super::print_json(&serde_json::json!({"valid": false, "problems": problems}))?;
    Err(CliError::BadInput(Report::Shown))
}
