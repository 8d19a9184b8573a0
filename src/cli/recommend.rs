//! `kiro-org recommend`: which deployment pattern (1–4) fits the requirements, with reasons,
//! caveats and the SCPs to attach.
//!
//! Requirements come from flags; with `--estate` the missing ones are inferred from an
//! existing estate; when stdin is a terminal, the ones still missing are asked for.
//! Otherwise defaults apply: Organizations, central governance, one department, one region.
//!
//! The SCPs come rehearsed (`kiro_advice::guardrails`): for patterns 2 and 3 they exempt the
//! `--allow` accounts, else the department accounts the estate shows, else placeholders of a
//! template, which the output says.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use kiro_advice::recommend::{self, Requirements};

/// Arguments of `recommend`.
#[derive(clap::Args)]
pub struct Args {
    /// Whether AWS Organizations is used.
    #[arg(long, value_enum, value_name = "yes|no")]
    organizations: Option<YesNo>,
    /// Cost must be split per department.
    #[arg(long, value_enum, value_name = "yes|no", num_args = 0..=1, default_missing_value = "yes")]
    split_cost: Option<YesNo>,
    /// Departments need their own settings (prompt logging, overage).
    #[arg(long, value_enum, value_name = "yes|no", num_args = 0..=1, default_missing_value = "yes")]
    per_department_settings: Option<YesNo>,
    /// Kiro must be governed centrally.
    #[arg(long, value_enum, value_name = "yes|no", num_args = 0..=1, default_missing_value = "yes")]
    central_governance: Option<YesNo>,
    /// How many departments (would-be profiles) per region.
    #[arg(long, value_name = "N")]
    departments: Option<u32>,
    /// How many Kiro regions.
    #[arg(long, value_name = "N")]
    regions: Option<u32>,
    /// Organizations may be adopted later.
    #[arg(long, value_enum, value_name = "yes|no", num_args = 0..=1, default_missing_value = "yes")]
    adopt_organizations_later: Option<YesNo>,
    /// A department account meant to hold a profile (patterns 2 and 3), exempt from the guard
    /// rails; repeatable.
    #[arg(long, value_name = "ACCOUNT")]
    allow: Vec<String>,
    /// Infer the current facts from an estate.
    #[arg(long, value_name = "ESTATE")]
    estate: Option<PathBuf>,
    /// Never ask, even on a terminal.
    #[arg(long)]
    no_input: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::ReportFormat::Human)]
    format: super::ReportFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum YesNo {
    Yes,
    No,
}

impl YesNo {
    fn get(self) -> bool {
        self == YesNo::Yes
    }
}

fn ask(question: &str, default: &str) -> anyhow::Result<String> {
    let mut err = std::io::stderr();
    write!(err, "{question} [{default}]: ")?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim();
    Ok(if line.is_empty() {
        default.to_owned()
    } else {
        line.to_owned()
    })
}

fn ask_bool(question: &str, default: bool) -> anyhow::Result<bool> {
    loop {
        let answer = ask(question, if default { "yes" } else { "no" })?;
        match answer.to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" => return Ok(true),
            "n" | "no" | "false" => return Ok(false),
            _ => eprintln!("please answer yes or no"),
        }
    }
}

fn ask_number(question: &str, default: u32) -> anyhow::Result<u32> {
    loop {
        match ask(question, &default.to_string())?.parse::<u32>() {
            Ok(n) if n > 0 => return Ok(n),
            _ => eprintln!("please answer with a positive number"),
        }
    }
}

/// Runs `recommend`.
pub fn run(args: Args) -> super::CliResult {
    let allow = super::scp_generate::accounts(&args.allow)?;
    let estate = match &args.estate {
        Some(path) => Some(super::load_estate(path)?),
        None => None,
    };
    let mut req = estate
        .as_ref()
        .map_or_else(Requirements::default, recommend::infer);
    let interactive = !args.no_input && args.estate.is_none() && std::io::stdin().is_terminal();
    macro_rules! fill_bool {
        ($field:ident, $question:expr) => {
            match args.$field {
                Some(v) => req.$field = v.get(),
                None if interactive => req.$field = ask_bool($question, req.$field)?,
                None => {}
            }
        };
    }
    fill_bool!(
        organizations,
        "Do you use (or will you now adopt) AWS Organizations?"
    );
    if req.organizations {
        fill_bool!(
            split_cost,
            "Must Kiro's cost be split per department (account)?"
        );
        fill_bool!(
            per_department_settings,
            "Do departments need their own settings (prompt logging, overage)?"
        );
        fill_bool!(central_governance, "Must Kiro be governed centrally?");
    } else {
        fill_bool!(
            adopt_organizations_later,
            "Might you adopt AWS Organizations later?"
        );
        fill_bool!(split_cost, "Must Kiro's cost be split per department?");
    }
    match args.departments {
        Some(n) => req.departments = n.max(1),
        None if interactive => {
            req.departments = ask_number("How many departments per region?", req.departments)?
        }
        None => {}
    }
    match args.regions {
        Some(n) => req.regions = n.max(1),
        None if interactive => req.regions = ask_number("How many Kiro regions?", req.regions)?,
        None => {}
    }
    if let Some(v) = args.adopt_organizations_later {
        req.adopt_organizations_later = v.get();
    }
    let rec = recommend::recommend(&req, &allow, estate.as_ref())
        .map_err(|e| super::scp_generate::refused(&e))?;
    if let Some(notice) = rec.guard_rails.notice() {
        eprintln!("note: this is a template: {notice}");
    }
    if args.format == super::ReportFormat::Json {
        super::print_json(&rec.to_json())?;
        return Ok(());
    }
    let mut out = format!("Pattern {}\n\nWhy:\n", rec.pattern);
    for r in &rec.reasons {
        let _ = writeln!(out, "  - {r}");
    }
    if !rec.caveats.is_empty() {
        out.push_str("\nCaveats:\n");
        for c in &rec.caveats {
            let _ = writeln!(out, "  - {c}");
        }
    }
    let rails = &rec.guard_rails;
    if rails.rails.is_empty() {
        out.push_str("\nSCPs: none — pattern 1 needs no organization SCPs\n");
    } else {
        let _ = writeln!(
            out,
            "\nSCPs to attach, rehearsed on the simulator (`{}` prints them in full):",
            rails.command(None)
        );
        if let Some(notice) = rails.notice() {
            let _ = writeln!(out, "  TEMPLATE: this is a template: {notice}");
        }
        for s in &rails.rails {
            let _ = writeln!(
                out,
                "  - {} → {}: {}",
                s.name,
                s.attach_to.join(", "),
                s.description
            );
        }
    }
    super::print_prose(&out)?;
    Ok(())
}
