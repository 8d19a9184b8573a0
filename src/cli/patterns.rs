//! `kiro-org patterns ESTATE`: the deployment pattern (1–4) of every profile, with a reason;
//! `--format mermaid` draws them on the estate's tree, as the report does.

use std::path::PathBuf;

use comfy_table::Cell;
use kiro_advice::patterns::classify_all;

use super::DiagramFormat;

/// Arguments of `patterns`.
#[derive(clap::Args)]
pub struct Args {
    /// The estate file (YAML, or JSON by extension).
    estate: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiagramFormat::Human)]
    format: DiagramFormat,
}

/// Runs `patterns`.
pub fn run(args: Args) -> super::CliResult {
    let estate = super::load_estate_warning(&args.estate)?;
    let classes = classify_all(&estate);
    match args.format {
        DiagramFormat::Mermaid => super::print(&kiro_report::mermaid::flowchart(
            &kiro_report::map::layout(&estate, &classes),
        ))?,
        DiagramFormat::Json => {
            super::print_json(&classes.iter().map(|c| c.to_json()).collect::<Vec<_>>())?
        }
        DiagramFormat::Human => {
            if classes.is_empty() {
                super::print("no Kiro profiles")?;
                return Ok(());
            }
            let mut t = super::table::table(&["account", "region", "pattern", "reason"]);
            for c in &classes {
                t.add_row(vec![
                    Cell::new(c.account.as_str()),
                    Cell::new(&c.region),
                    Cell::new(
                        c.pattern
                            .map_or_else(|| "none".to_owned(), |p| p.to_string()),
                    ),
                    Cell::new(&c.reason),
                ]);
            }
            super::print(&t.to_string())?;
        }
    }
    Ok(())
}
