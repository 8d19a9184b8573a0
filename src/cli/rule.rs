//! `kiro-org rule CODE|NAME` prints a rule's documentation; `kiro-org rule` (or `--all`) lists
//! the rules with their codes, names, default severities and summaries.

use kiro_audit::{registry, render};

/// Arguments of `rule`.
#[derive(clap::Args)]
pub struct Args {
    /// A rule code (`KO101`) or kebab-case name (`duplicate-subscription-across-profiles`);
    /// without one, every rule is listed.
    #[arg(conflicts_with = "all")]
    rule: Option<String>,
    /// List every rule.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::ReportFormat::Human)]
    format: super::ReportFormat,
}

fn rule_json(r: &registry::RuleInfo) -> serde_json::Value {
    serde_json::json!({
        "code": r.code,
        "rule": r.name,
        "area": r.area,
        "severity": r.severity.as_str(),
        "summary": r.summary(),
        "doc": r.doc,
    })
}

/// Runs `rule`.
pub fn run(args: Args) -> super::CliResult {
    let Some(word) = args.rule.filter(|_| !args.all) else {
        if args.format == super::ReportFormat::Json {
            super::print_json(
                &registry::RULES
                    .iter()
                    .map(|r| rule_json(r))
                    .collect::<Vec<_>>(),
            )?;
        } else {
            super::print_prose(&render::rule_list())?;
        }
        return Ok(());
    };
    match registry::find(&word) {
        Some(r) if args.format == super::ReportFormat::Json => super::print_json(&rule_json(r))?,
        Some(r) => super::print_prose(&render::rule_doc(r))?,
        None => {
            return Err(super::CliError::bad_input(format!(
                "unknown rule `{word}`\nhelp: {}",
                registry::suggest(&word)
                    .unwrap_or_else(|| "run `kiro-org rule --all` for the list".to_owned())
            )));
        }
    }
    Ok(())
}
