//! `kiro-org check ESTATE`: exit 0 when valid, 2 with every problem when not.

use std::path::PathBuf;
use std::process::ExitCode;

use kiro_estate::Estate;

use super::ReportFormat;

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
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match (Estate::load(&args.estate), args.format) {
        (Ok(estate), ReportFormat::Human) => {
            super::print(&format!(
                "{}: valid ({} accounts, {} organizations, {} instances, {} profiles)",
                args.estate.display(),
                estate.accounts.len(),
                estate.organizations.len(),
                estate.instances.len(),
                estate.profiles.len()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        (Ok(_), ReportFormat::Json) => {
            super::print_json(&serde_json::json!({"valid": true, "problems": []}))?;
            Ok(ExitCode::SUCCESS)
        }
        (Err(err), ReportFormat::Human) => {
            super::report_load_error(&err);
            Ok(ExitCode::from(super::INVALID))
        }
        (Err(err), ReportFormat::Json) => {
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
            Ok(ExitCode::from(super::INVALID))
        }
    }
}
