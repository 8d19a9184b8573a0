//! `kiro-org plan CURRENT DESIRED`: the ordered operations that turn one estate into the
//! other, rehearsed on the simulator before anything is done, with the monthly cost before,
//! after and the difference.
//!
//! `--out OPS` writes the operations file that `kiro-org apply CURRENT OPS` accepts — only
//! when every step passes. Exit codes: 0 the plan is clean, 1 a step is blocked (with AWS's
//! error) or a difference is impossible, 2 bad input.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::ReportFormat;

/// Arguments of `plan`.
#[derive(clap::Args)]
pub struct Args {
    /// The estate as it is.
    current: PathBuf,
    /// The estate as it should be.
    desired: PathBuf,
    /// Write the operations file (YAML, or JSON by extension) here.
    #[arg(long, value_name = "OPS")]
    out: Option<PathBuf>,
    #[command(flatten)]
    prices: super::PricesArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

/// Runs `plan`.
pub fn run(args: Args) -> super::CliResult {
    let current = super::load_estate(&args.current)?;
    let desired = super::load_estate(&args.desired)?;
    let book = args.prices.load()?;
    let plan = kiro_advice::plan::plan(&current, &desired, &book, jiff::Timestamp::now());
    if let (Some(out), true) = (&args.out, plan.is_clean()) {
        let text = if out.extension().is_some_and(|e| e == "json") {
            serde_json::to_string_pretty(&plan.items())?
        } else {
            plan.ops_yaml()
                .map_err(|e| anyhow::anyhow!("cannot write the operations: {e}"))?
        };
        std::fs::write(out, text)
            .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", out.display()))?;
    }
    if args.format == ReportFormat::Json {
        super::print_json(&plan.to_json())?;
    } else {
        let mut text = String::new();
        let items = plan.items();
        for (i, (step, item)) in plan.steps.iter().zip(&items).enumerate() {
            let line = serde_json::to_string(item)?;
            match &step.blocked {
                None => {
                    let _ = writeln!(text, "{i:>4}. {line}");
                }
                Some(b) => {
                    let _ = writeln!(
                        text,
                        "{i:>4}. {line}\n      BLOCKED: {}: {}",
                        b.error, b.message
                    );
                }
            }
        }
        if plan.steps.is_empty() {
            text.push_str("nothing to do: the estates match\n");
        }
        for imp in &plan.impossible {
            let _ = writeln!(text, "IMPOSSIBLE: {}: {}", imp.subject, imp.reason);
        }
        let delta = plan.cost_after - plan.cost_before;
        let sign = if delta.cents() > 0 { "+" } else { "" };
        let _ = writeln!(
            text,
            "\nmonthly cost: {} → {} {} ({sign}{delta})",
            plan.cost_before, plan.cost_after, plan.currency
        );
        let blocked = plan.steps.iter().filter(|s| s.blocked.is_some()).count();
        if plan.is_clean() {
            let _ = writeln!(
                text,
                "{} operations, all accepted by the simulator{}",
                plan.steps.len(),
                match &args.out {
                    Some(o) => format!("; written to {}", o.display()),
                    None => String::new(),
                }
            );
        } else {
            let _ = writeln!(
                text,
                "{} operations, {blocked} blocked, {} impossible changes: nothing written",
                plan.steps.len(),
                plan.impossible.len()
            );
        }
        super::print(&text)?;
    }
    if plan.is_clean() {
        Ok(())
    } else {
        Err(super::CliError::ImpossiblePlan)
    }
}
