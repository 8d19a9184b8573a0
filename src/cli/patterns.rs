//! `kiro-org patterns ESTATE`: the deployment pattern (1–4) of every profile, with a reason,
//! a count per pattern and the legend; `--format csv|markdown` gives the same rows for a
//! spreadsheet or a pull-request comment, and `--format mermaid` draws them on the estate's
//! tree, as the report does.

use std::fmt::Write as _;
use std::path::PathBuf;

use comfy_table::Cell;
use kiro_advice::patterns::{Classification, LEGEND, classify_all};

/// `--format` of `patterns`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PatternsFormat {
    /// Text and tables for people.
    #[value(alias = "text")]
    Human,
    /// Stable JSON for programs.
    Json,
    /// One CSV record per profile, with a header.
    Csv,
    /// A Markdown table, the counts and the legend, for an issue or a pull request.
    Markdown,
    /// A Mermaid flowchart of the estate, for a Markdown README, issue or comment.
    Mermaid,
}

/// Arguments of `patterns`.
#[derive(clap::Args)]
pub struct Args {
    /// The estate file (YAML, or JSON by extension).
    estate: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PatternsFormat::Human)]
    format: PatternsFormat,
}

/// The columns of every tabular format.
const HEADER: [&str; 4] = ["account", "region", "pattern", "reason"];

/// A classification's cells, in [`HEADER`]'s order.
fn cells(c: &Classification) -> [String; 4] {
    [
        c.account.to_string(),
        c.region.clone(),
        c.pattern
            .map_or_else(|| "none".to_owned(), |p| p.to_string()),
        c.reason.clone(),
    ]
}

/// How many profiles have each pattern, and none: `11 profiles: pattern 2: 9, pattern 3: 1, …`.
fn summary(classes: &[Classification]) -> String {
    let count = |p: Option<u8>| classes.iter().filter(|c| c.pattern == p).count();
    let mut parts: Vec<String> = LEGEND
        .iter()
        .map(|(p, _)| (*p, count(Some(*p))))
        .filter(|(_, n)| *n > 0)
        .map(|(p, n)| format!("pattern {p}: {n}"))
        .collect();
    let none = count(None);
    if none > 0 {
        parts.push(format!("no pattern: {none}"));
    }
    format!(
        "{}: {}",
        kiro_estate::words::count(classes.len(), "profile", "profiles"),
        parts.join(", ")
    )
}

/// Runs `patterns`.
pub fn run(args: Args) -> super::CliResult {
    let estate = super::load_estate_warning(&args.estate)?;
    let classes = classify_all(&estate);
    match args.format {
        PatternsFormat::Mermaid => super::print(&kiro_report::mermaid::flowchart(
            &kiro_report::map::layout(&estate, &classes),
        ))?,
        PatternsFormat::Json => {
            super::print_json(&classes.iter().map(|c| c.to_json()).collect::<Vec<_>>())?
        }
        PatternsFormat::Csv => {
            let mut out = super::table::csv_record(HEADER);
            for c in &classes {
                out.push_str(&super::table::csv_record(
                    cells(c).iter().map(String::as_str),
                ));
            }
            super::print(&out)?;
        }
        PatternsFormat::Markdown => {
            let mut out = format!("| {} |\n|---|---|---|---|\n", HEADER.join(" | "));
            for c in &classes {
                let row = cells(c).map(|cell| cell.replace('|', "\\|"));
                let _ = writeln!(out, "| {} |", row.join(" | "));
            }
            let _ = writeln!(out, "\n{}\n", summary(&classes));
            for (p, what) in LEGEND {
                let _ = writeln!(out, "- **{p}**: {what}");
            }
            super::print(&out)?;
        }
        PatternsFormat::Human => {
            if classes.is_empty() {
                super::print("no Kiro profiles")?;
                return Ok(());
            }
            let mut t = super::table::table(&HEADER);
            for c in &classes {
                t.add_row(cells(c).map(Cell::new).to_vec());
            }
            let mut out = format!("{t}\n{}\n", summary(&classes));
            for (p, what) in LEGEND {
                let _ = writeln!(out, "  {p}: {what}");
            }
            super::print_prose(&out)?;
        }
    }
    Ok(())
}
