//! `kiro-org apply [ESTATE] OPS [--out FILE | --in-place] [--format json]`: apply an operations
//! file as the control plane would, all or nothing, and say what each operation did (one line
//! each; in JSON, each operation's typed output under `results`).
//!
//! The resulting estate is written from the model, so the comments and layout of a hand-written
//! file cannot survive it. That is why `apply` never overwrites ESTATE unless asked to with
//! `--in-place`: by default the result goes to `--out FILE` or to standard output.

use std::path::PathBuf;

use anyhow::Context as _;
use kiro_engine::{Engine, ops_file};
use kiro_estate::words::count;
use kiro_estate::{Estate, Format};
use serde_json::json;

use super::ReportFormat;

/// Arguments of `apply`.
#[derive(clap::Args)]
pub struct Args {
    /// `[ESTATE] OPS`: the estate to start from (default: an empty estate) and the operations
    /// file (YAML, or JSON by extension).
    #[arg(required = true, num_args = 1..=2, value_names = ["ESTATE", "OPS"])]
    files: Vec<PathBuf>,
    /// Where to write the resulting estate (default: standard output). Nothing is written when
    /// an operation fails.
    #[arg(long, short, conflicts_with = "in_place")]
    out: Option<PathBuf>,
    /// Write the resulting estate back to ESTATE. It is written from the model: comments and
    /// hand-made layout of ESTATE are not kept (hence never the default).
    #[arg(long)]
    in_place: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    /// The time of operations that have no `at` (RFC 3339 or a date; default: now), for
    /// reproducible rehearsals.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

/// Runs `apply`.
pub fn run(args: Args) -> super::CliResult {
    let (estate_path, ops_path) = match args.files.as_slice() {
        [ops] => (None, ops.clone()),
        [estate, ops] => (Some(estate.clone()), ops.clone()),
        _ => {
            return Err(super::CliError::bad_input(
                "give the operations file, optionally preceded by an estate file",
            ));
        }
    };
    if args.in_place && estate_path.is_none() {
        return Err(super::CliError::bad_input(
            "`--in-place` needs an ESTATE to write back to\nhelp: give the estate before the operations file, or use `--out FILE`",
        ));
    }
    let now = match &args.now {
        Some(text) => ops_file::parse_at(text)
            .with_context(|| format!("`--now {text}` is not a timestamp or a date"))?,
        None => jiff::Timestamp::now(),
    };
    let estate = match &estate_path {
        Some(path) => super::load_estate(path)?,
        None => Estate::empty(),
    };
    let text = kiro_estate::io::read_text(&ops_path)?;
    let items = match ops_file::parse(&text, Format::of(&ops_path)) {
        Ok(items) => items,
        Err(diags) => return Err(report_malformed(diags, &ops_path, args.format)),
    };
    let since = estate.events.last().map(|e| e.at);
    if let Err(diags) = ops_file::check_order(&items, &text, now, since) {
        return Err(report_malformed(diags, &ops_path, args.format));
    }
    let mut engine = Engine::new(estate);
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match engine.apply(&item.op, item.at.unwrap_or(now)) {
            Ok(result) => results.push((item.op.name(), result)),
            Err(err) => {
                match args.format {
                    ReportFormat::Json => super::print_json(&json!({
                        "ok": false,
                        "index": index,
                        "op": item.op.name(),
                        "error": err.name(),
                        "message": err.message,
                    }))?,
                    ReportFormat::Human => eprintln!(
                        "error: operation {index} (`{}`) failed with {}: {}\nnothing was written",
                        item.op.name(),
                        err.name(),
                        err.message
                    ),
                }
                return Err(super::CliError::Refused(super::Report::Shown));
            }
        }
    }
    let estate = engine.into_estate();
    let estate_given = estate_path.is_some();
    let destination = if args.in_place { estate_path } else { args.out };
    if let Some(path) = &destination {
        estate.save(path).map_err(anyhow::Error::msg)?;
    }
    match args.format {
        ReportFormat::Json => {
            let results: Vec<serde_json::Value> = results
                .iter()
                .enumerate()
                .map(|(index, (op, result))| json!({"index": index, "op": op, "result": result}))
                .collect();
            let mut out = json!({
                "ok": true,
                "applied": results.len(),
                "results": results,
                "out": destination.as_ref().map(|p| p.display().to_string()),
            });
            if destination.is_none() {
                out["estate"] = serde_json::to_value(&estate)?;
            }
            super::print_json(&out)?;
        }
        ReportFormat::Human => match &destination {
            Some(path) => {
                let mut text = String::new();
                for (index, (op, result)) in results.iter().enumerate() {
                    text.push_str(&format!("{index:>3}  {op}: {result}\n"));
                }
                text.push_str(&format!(
                    "applied {}; wrote {}",
                    count(results.len(), "operation", "operations"),
                    path.display()
                ));
                super::print(&text)?
            }
            // The estate goes to standard output, so the summary goes to standard error.
            None => {
                for (index, (op, result)) in results.iter().enumerate() {
                    eprintln!("{index:>3}  {op}: {result}");
                }
                eprintln!(
                    "applied {}; the estate is on standard output\nhelp: `--out FILE` writes it to a file{}",
                    count(results.len(), "operation", "operations"),
                    if estate_given {
                        ", `--in-place` back to ESTATE (without its comments)"
                    } else {
                        ""
                    }
                );
                super::print(&estate.to_text(Format::Yaml).map_err(anyhow::Error::msg)?)?
            }
        },
    }
    Ok(())
}

/// Reports an operations file that could not be read. A file that is not a list of operations
/// is bad input (exit 2). An operation that is malformed (unknown name, unknown or missing
/// parameter, wrong type) is refused the way AWS refuses a malformed request: a
/// `ValidationException` at its index (exit 1), after every problem was listed with its line
/// and column. Either way nothing is applied or written.
fn report_malformed(
    diags: kiro_estate::Diagnostics,
    path: &std::path::Path,
    format: ReportFormat,
) -> super::CliError {
    let first_index = diags.0.first().and_then(|d| match d.path.0.first() {
        Some(kiro_estate::diagnostic::Segment::Index(i)) => Some(*i),
        _ => None,
    });
    let first_message = diags
        .0
        .first()
        .map(|d| d.message.clone())
        .unwrap_or_default();
    eprintln!("{}", diags.in_file(path));
    let Some(index) = first_index else {
        return super::CliError::BadInput(super::Report::Shown);
    };
    if format == ReportFormat::Json
        && let Err(err) = super::print_json(&json!({
            "ok": false,
            "index": index,
            "error": "ValidationException",
            "message": first_message,
        }))
    {
        return err.into();
    }
    super::CliError::Refused(super::Report::Shown)
}
