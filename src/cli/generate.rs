//! `kiro-org generate`: a deterministic synthetic estate, sized by flags, for tests and
//! benchmarks.

use std::path::PathBuf;

use kiro_estate::Format;
use kiro_estate::generate::{Spec, generate};

/// Arguments of `generate`.
#[derive(clap::Args)]
pub struct Args {
    /// Start from the largest organization the benchmarks model (10,000 accounts, 100,000
    /// users, 10,000 groups, 1,000,000 memberships, 200 profiles, 300,000 subscriptions);
    /// other flags override its sizes.
    #[arg(long)]
    largest: bool,
    /// Accounts, the management account included.
    #[arg(long)]
    accounts: Option<usize>,
    /// Organizational units.
    #[arg(long)]
    ous: Option<usize>,
    /// Users of the organization instance.
    #[arg(long)]
    users: Option<usize>,
    /// Groups of the organization instance.
    #[arg(long)]
    groups: Option<usize>,
    /// Group memberships in all.
    #[arg(long)]
    memberships: Option<usize>,
    /// Kiro profiles.
    #[arg(long)]
    profiles: Option<usize>,
    /// Subscriptions in all.
    #[arg(long)]
    subscriptions: Option<usize>,
    /// The seed; the same flags and seed always give the same estate.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write it (YAML, or JSON by extension); standard output as YAML by default.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Also write what AWS would bill for the estate's `--month` as a CUR 2.0 export: CSV,
    /// gzip-compressed for `.gz`, Parquet for `.parquet` (for `kiro-org reconcile`).
    #[arg(long, value_name = "FILE", requires = "month")]
    cur: Option<PathBuf>,
    /// The month the CUR bills (`YYYY-MM`).
    #[arg(long, value_name = "YYYY-MM", requires = "cur")]
    month: Option<String>,
    /// Lines of the CUR in all, other services included (default: 100 per Kiro line).
    #[arg(long, value_name = "N", requires = "cur")]
    cur_lines: Option<u64>,
}

/// Runs `generate`.
pub fn run(args: Args) -> super::CliResult {
    let base = if args.largest {
        Spec::largest()
    } else {
        Spec::default()
    };
    let spec = Spec {
        accounts: args.accounts.unwrap_or(base.accounts),
        ous: args.ous.unwrap_or(base.ous),
        users: args.users.unwrap_or(base.users),
        groups: args.groups.unwrap_or(base.groups),
        memberships: args.memberships.unwrap_or(base.memberships),
        profiles: args.profiles.unwrap_or(base.profiles),
        subscriptions: args.subscriptions.unwrap_or(base.subscriptions),
        seed: args.seed,
    };
    let (spec, lowered) = spec.bounded();
    for note in &lowered {
        eprintln!("note: {note}");
    }
    let estate = generate(&spec);
    if let (Some(path), Some(month)) = (&args.cur, &args.month) {
        let month = kiro_billing::Month::parse(month).map_err(super::CliError::bad_input)?;
        let book = super::load_prices(None)?;
        let bill = kiro_billing::bill_month(&estate, &book, month, Default::default())
            .map_err(|e| super::CliError::bad_input(e.to_string()))?;
        let cur_spec = kiro_billing::cur::generate::Spec {
            month,
            lines: args.cur_lines,
            seed: args.seed,
        };
        let lines = kiro_billing::cur::generate::write(path, &bill, &cur_spec)
            .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", path.display()))?;
        eprintln!("wrote {}: {lines} lines of {month}", path.display());
    }
    match &args.out {
        Some(path) => {
            estate.save(path).map_err(anyhow::Error::msg)?;
            eprintln!(
                "wrote {}: {} accounts, {} profiles, {} subscriptions",
                path.display(),
                estate.accounts.len(),
                estate.profiles.len(),
                estate
                    .profiles
                    .iter()
                    .map(|p| p.subscriptions.len())
                    .sum::<usize>()
            );
        }
        None => super::print(&estate.to_text(Format::Yaml).map_err(anyhow::Error::msg)?)?,
    }
    Ok(())
}
