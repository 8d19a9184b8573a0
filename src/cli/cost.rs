//! `kiro-org cost ESTATE`: the monthly Kiro bill, its allocation to profiles, accounts, OUs
//! and payers, duplicate charges, pending seats, overage and right-sizing.
//!
//! Without `--month`, the bill of the estate as it stands (one month of every active seat).
//! With `--month YYYY-MM`, the bill of that calendar month reconstructed from the event log
//! with Kiro's month-boundary rules. Money comes from the price book (`--prices FILE`, or the
//! built-in `prices/default.yaml`); JSON money is a number exact to the cent.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::table::{csv_record, right, table};
use kiro_billing::chargeback::Chargeback;
use kiro_billing::{Bill, BillOptions, Money, Month};
use kiro_estate::words::count;

/// Arguments of `cost`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: super::PricedEstate,
    /// Bill this calendar month (`YYYY-MM`) from the event log, with the month-boundary rules.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    /// Adds the credits used: overage where the profile allows it, and right-sizing
    /// suggestions.
    #[command(flatten)]
    usage: super::UsageArg,
    /// How to break the bill down (tables and CSV). JSON always has every breakdown, and its
    /// per-person `charges` list only with `--by user` (on a large estate it is most of the
    /// output).
    /// `attribute:KEY` charges back by an Identity Center user attribute the estate's users
    /// hold (`attribute:costCenter`): one row per value and an `unallocated` row, adding up
    /// to the bill; its JSON is that breakdown alone.
    #[arg(long, default_value = "profile", value_parser = By::parse, value_name = "profile|account|ou|user|attribute:KEY")]
    by: By,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::BillFormat::Human)]
    format: super::BillFormat,
}

#[derive(Clone, PartialEq, Eq)]
enum By {
    /// One row per profile (account and region).
    Profile,
    /// One row per account that owns a profile.
    Account,
    /// One row per OU, rolled up through the OU tree.
    Ou,
    /// One row per person and profile.
    User,
    /// One row per value of a user attribute.
    Attribute(String),
}

impl By {
    fn parse(value: &str) -> Result<By, String> {
        Ok(match value {
            "profile" => By::Profile,
            "account" => By::Account,
            "ou" => By::Ou,
            "user" => By::User,
            other => By::Attribute(
                super::attribute_key(other)
                    .ok_or_else(|| {
                        format!("expected `profile`, `account`, `ou`, `user` or `attribute:KEY` (e.g. `attribute:costCenter`), found `{other}`")
                    })?
                    .to_owned(),
            ),
        })
    }
}

/// Runs `cost`.
pub fn run(args: Args) -> super::CliResult {
    let estate = super::load_estate_warning(&args.input.estate)?;
    let book = args.input.prices.load()?;
    let month = args
        .month
        .as_deref()
        .map(Month::parse)
        .transpose()
        .map_err(super::CliError::bad_input)?;
    if args.format == super::BillFormat::Focus && month.is_none() {
        return Err(super::CliError::bad_input(
            "`--format focus` writes a billing period: give `--month YYYY-MM`".to_owned(),
        ));
    }
    let usage = args.usage.load()?;
    let options = BillOptions {
        usage: usage.as_ref(),
    };
    let bill = match month {
        None => kiro_billing::bill_current(&estate, &book, options),
        Some(m) => match kiro_billing::bill_month(&estate, &book, m, options) {
            Ok(b) => b,
            Err(err) => return Err(super::CliError::bad_input(err.to_string())),
        },
    };
    let chargeback = match &args.by {
        By::Attribute(key) => Some(Chargeback::of_bill(&bill, &estate, key)),
        _ => None,
    };
    let Some(format) = args.format.table() else {
        if let Some(m) = month {
            let out = super::stdout_buffer();
            kiro_billing::focus::write(&bill, &estate, &book, m, out)
                .map_err(|e| anyhow::anyhow!("cannot write the FOCUS dataset: {e}"))?;
        }
        return Ok(());
    };
    match format {
        super::TableFormat::Json if chargeback.is_some() => {
            if let Some(cb) = &chargeback {
                let mut v = cb.to_json();
                v["currency"] = bill.currency.clone().into();
                super::print_json(&v)?;
            }
        }
        super::TableFormat::Json => {
            // Streamed: a large estate's duplicates are never held as one JSON tree.
            use std::io::Write;
            let mut out = super::stdout_buffer();
            bill.write_json(&mut out, args.by == By::User)?;
            out.flush()?;
        }
        super::TableFormat::Csv => super::print(&csv(&bill, &args.by, chargeback.as_ref()))?,
        super::TableFormat::Human => {
            super::print_prose(&human(&bill, &args.by, chargeback.as_ref()))?;
        }
    }
    // The output is written and the process ends next. A large estate and its bill are
    // millions of small allocations, and freeing them one by one is a sizeable part of the
    // command's CPU time for nothing: the operating system takes the memory back at exit.
    std::mem::forget(bill);
    std::mem::forget(estate);
    Ok(())
}

fn money(bill: &Bill, m: Money) -> String {
    super::table::money(&bill.currency, m)
}

/// The columns of the by-profile breakdown: the table and the CSV (which adds `currency`)
/// show the same ones, in the same order; so do the by-account and by-OU breakdowns.
const PROFILE_COLUMNS: &[&str] = &[
    "account",
    "region",
    "instance",
    "users",
    "pending",
    "subscriptions",
    "overage",
    "total",
];
/// The columns of the by-account breakdown (see [`PROFILE_COLUMNS`]).
const ACCOUNT_COLUMNS: &[&str] = &[
    "account",
    "name",
    "organization",
    "parent",
    "profiles",
    "subscriptions",
    "overage",
    "total",
];
/// The columns of the by-OU breakdown (see [`PROFILE_COLUMNS`]): `accounts` and `total` are
/// each row's own, so the rows add up to the bill; the rolled-up figures (every OU below
/// included) come last.
const OU_COLUMNS: &[&str] = &[
    "organization",
    "ou",
    "path",
    "accounts",
    "total",
    "rolled_up_accounts",
    "rolled_up_total",
];

/// One row of the by-OU breakdown.
struct OuRow<'b> {
    organization: &'b str,
    ou: &'b str,
    path: &'b str,
    accounts: usize,
    total: Money,
    rolled_up_accounts: usize,
    rolled_up_total: Money,
}

/// The by-OU breakdown as rows that add up to the bill: each organization's root (the
/// accounts directly under it) and OUs with what is directly in each, then each standalone
/// account.
fn ou_rows(bill: &Bill) -> Vec<OuRow<'_>> {
    let mut rows = Vec::new();
    for root in &bill.roots {
        for o in std::iter::once(root).chain(
            bill.ous
                .iter()
                .filter(|o| o.organization == root.organization),
        ) {
            rows.push(OuRow {
                organization: o.organization.as_str(),
                ou: &o.name,
                path: &o.path,
                accounts: o.own_accounts,
                total: o.own,
                rolled_up_accounts: o.accounts,
                rolled_up_total: o.total,
            });
        }
    }
    for s in &bill.standalone {
        rows.push(OuRow {
            organization: "standalone",
            ou: "",
            path: s.payer.as_str(),
            accounts: 1,
            total: s.total,
            rolled_up_accounts: 1,
            rolled_up_total: s.total,
        });
    }
    rows
}

fn human(bill: &Bill, by: &By, chargeback: Option<&Chargeback>) -> String {
    let mut out = String::new();
    let period = bill.month.map_or_else(
        || "one month of the current state".to_owned(),
        |m| m.to_string(),
    );
    let _ = writeln!(out, "Kiro bill: {period}, from {}", bill.basis);
    let _ = writeln!(
        out,
        "prices: {} ({}); cross-profile rule: {} ({})",
        bill.prices,
        bill.currency,
        bill.rule,
        bill.rule.describe()
    );
    out.push('\n');
    match by {
        By::Profile => {
            let mut t = table(PROFILE_COLUMNS);
            for p in &bill.profiles {
                let region = if p.deleted {
                    format!("{} (deleted)", p.key.region)
                } else {
                    p.key.region.clone()
                };
                t.add_row(vec![
                    Cell::new(p.key.account.as_str()),
                    Cell::new(region),
                    Cell::new(p.instance.as_str()),
                    right(p.users),
                    right(p.pending),
                    right(p.subscriptions),
                    right(if p.overage_allowed {
                        p.overage.to_string()
                    } else {
                        "off".to_owned()
                    }),
                    right(p.total()),
                ]);
            }
            let _ = writeln!(out, "{t}");
        }
        By::Account => {
            let mut t = table(ACCOUNT_COLUMNS);
            for a in &bill.accounts {
                t.add_row(vec![
                    Cell::new(a.account.as_str()),
                    Cell::new(a.name.clone().unwrap_or_default()),
                    Cell::new(a.organization.as_ref().map_or("standalone", |o| o.as_str())),
                    Cell::new(a.parent.clone().unwrap_or_default()),
                    right(a.profiles),
                    right(a.subscriptions),
                    right(a.overage),
                    right(a.total()),
                ]);
            }
            let _ = writeln!(out, "{t}");
        }
        By::Ou => {
            let mut t = table(&[
                "organization",
                "ou",
                "path",
                "accounts",
                "total",
                "with OUs below",
            ]);
            for o in ou_rows(bill) {
                t.add_row(vec![
                    Cell::new(o.organization),
                    Cell::new(o.ou),
                    Cell::new(o.path),
                    right(o.accounts),
                    right(o.total),
                    right(format!("{} ({})", o.rolled_up_total, o.rolled_up_accounts)),
                ]);
            }
            let _ = writeln!(out, "{t}");
        }
        By::Attribute(key) => {
            if let Some(cb) = chargeback {
                let mut t = table(&[key.as_str(), "users", "total"]);
                for r in &cb.rows {
                    t.add_row(vec![Cell::new(r.label()), right(r.users), right(r.total())]);
                }
                let _ = writeln!(out, "{t}");
            }
        }
        By::User => {
            let mut t = table(&[
                "account", "region", "user", "plan", "why", "charge", "overage", "total",
            ]);
            for l in &bill.lines {
                let why = match l.covered_by {
                    Some(k) => format!("{}; covered by {}", l.explanation(), bill.profile(k)),
                    None => l.explanation(),
                };
                let key = bill.profile(l.profile);
                t.add_row(vec![
                    Cell::new(key.account.as_str()),
                    Cell::new(&key.region),
                    Cell::new(&bill.user(l.user).user_name),
                    Cell::new(l.plan.display_name()),
                    Cell::new(why),
                    right(l.charge),
                    right(l.overage_charge),
                    right(l.total()),
                ]);
            }
            let _ = writeln!(out, "{t}");
        }
    }
    let _ = writeln!(
        out,
        "total: {} (subscriptions {}, overage {})",
        money(bill, bill.total()),
        money(bill, bill.subscriptions()),
        money(bill, bill.overage())
    );
    for o in &bill.organizations {
        let _ = writeln!(
            out,
            "  organization {} pays {} (management account {}, {} billed)",
            o.organization_id.as_deref().unwrap_or(""),
            money(bill, o.total),
            o.payer,
            count(o.accounts, "account", "accounts")
        );
    }
    for s in &bill.standalone {
        let _ = writeln!(
            out,
            "  standalone account {} pays {}",
            s.payer,
            money(bill, s.total)
        );
    }
    if !bill.usage_applied {
        let _ = writeln!(
            out,
            "  no user reports: overage not computed (--usage DIR_OR_FILE)"
        );
    }
    if !bill.duplicates.is_empty() {
        let _ = writeln!(
            out,
            "\nduplicates: {} {} charged in more than one profile, {} avoidable",
            bill.duplicates.len(),
            if bill.duplicates.len() == 1 {
                "person"
            } else {
                "people"
            },
            money(bill, bill.avoidable())
        );
        let mut t = table(&[
            "person",
            "profiles",
            "total",
            "avoidable",
            "to keep the best plan",
        ]);
        let mut worst: Vec<&kiro_billing::duplicates::Duplicate> = bill.duplicates.iter().collect();
        worst.sort_by_key(|d| std::cmp::Reverse(d.avoidable));
        for d in worst.iter().take(LIMIT) {
            let profiles: Vec<String> = d.seats.iter().map(|s| s.describe(bill)).collect();
            let remove: Vec<String> = d.seats.iter().flat_map(|s| s.remove(bill)).collect();
            t.add_row(vec![
                Cell::new(bill.roster.person(d.person)),
                Cell::new(profiles.join("\n")),
                right(d.total),
                right(d.avoidable),
                Cell::new(remove.join("\n")),
            ]);
        }
        let _ = writeln!(out, "{t}");
        more(
            &mut out,
            bill.duplicates.len(),
            "people, the largest avoidable first",
        );
    }
    if !bill.pending.is_empty() {
        let _ = writeln!(
            out,
            "\npending, not charged until first sign-in: {}",
            bill.pending.len()
        );
        let mut t = table(&["account", "region", "user", "plan", "via", "would cost"]);
        for p in bill.pending.iter().take(LIMIT) {
            let key = bill.profile(p.profile);
            t.add_row(vec![
                Cell::new(key.account.as_str()),
                Cell::new(&key.region),
                Cell::new(&bill.user(p.user).user_name),
                Cell::new(p.plan.display_name()),
                Cell::new(p.via.to_string()),
                right(p.would_cost),
            ]);
        }
        let _ = writeln!(out, "{t}");
        more(&mut out, bill.pending.len(), "pending seats");
    }
    if !bill.right_sizing.is_empty() {
        let _ = writeln!(
            out,
            "\nright-sizing: plans that serve the credits used for no more (upgrades now, downgrades from next month)"
        );
        let mut t = table(&[
            "account",
            "region",
            "user",
            "plan",
            "credits used",
            "cost",
            "plan to move to",
            "cost",
            "saving",
            "from",
        ]);
        let mut best: Vec<&kiro_billing::usage::RightSize> = bill.right_sizing.iter().collect();
        best.sort_by_key(|r| std::cmp::Reverse(r.saving()));
        for r in best.iter().take(LIMIT) {
            t.add_row(vec![
                Cell::new(r.account.as_str()),
                Cell::new(&r.region),
                Cell::new(&r.user_name),
                Cell::new(r.plan.display_name()),
                right(r.credits_used),
                right(r.current_cost),
                Cell::new(r.suggested.display_name()),
                right(r.suggested_cost),
                right(r.saving()),
                Cell::new(r.effective.as_str()),
            ]);
        }
        let _ = writeln!(out, "{t}");
        more(
            &mut out,
            bill.right_sizing.len(),
            "suggestions, the largest saving first",
        );
    }
    if !bill.notes.is_empty() {
        out.push('\n');
        for n in &bill.notes {
            let _ = writeln!(out, "note: {n}");
        }
    }
    out
}

/// Rows shown per list in the human report; JSON and CSV have them all.
const LIMIT: usize = 25;

fn more(out: &mut String, n: usize, what: &str) {
    if n > LIMIT {
        let _ = writeln!(
            out,
            "({LIMIT} of {n} {what} shown; `--format json` has them all)"
        );
    }
}

fn csv(bill: &Bill, by: &By, chargeback: Option<&Chargeback>) -> String {
    let mut t = CsvTable {
        out: String::new(),
        currency: bill.currency.clone(),
    };
    match by {
        By::Profile => {
            t.header(PROFILE_COLUMNS);
            for p in &bill.profiles {
                t.row(vec![
                    p.key.account.to_string(),
                    p.key.region.clone(),
                    p.instance.to_string(),
                    p.users.to_string(),
                    p.pending.to_string(),
                    p.subscriptions.to_string(),
                    p.overage.to_string(),
                    p.total().to_string(),
                ]);
            }
        }
        By::Account => {
            t.header(ACCOUNT_COLUMNS);
            for a in &bill.accounts {
                t.row(vec![
                    a.account.to_string(),
                    a.name.clone().unwrap_or_default(),
                    a.organization
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    a.parent.clone().unwrap_or_default(),
                    a.profiles.to_string(),
                    a.subscriptions.to_string(),
                    a.overage.to_string(),
                    a.total().to_string(),
                ]);
            }
        }
        By::Ou => {
            t.header(OU_COLUMNS);
            for o in ou_rows(bill) {
                t.row(vec![
                    o.organization.to_owned(),
                    o.ou.to_owned(),
                    o.path.to_owned(),
                    o.accounts.to_string(),
                    o.total.to_string(),
                    o.rolled_up_accounts.to_string(),
                    o.rolled_up_total.to_string(),
                ]);
            }
        }
        By::Attribute(_) => {
            t.header(&["attribute", "value", "users", "total"]);
            if let Some(cb) = chargeback {
                for r in &cb.rows {
                    t.row(vec![
                        cb.key.clone(),
                        r.label().to_owned(),
                        r.users.to_string(),
                        r.total().to_string(),
                    ]);
                }
            }
        }
        By::User => {
            t.header(&[
                "account",
                "region",
                "user_name",
                "user_id",
                "email",
                "plan",
                "list_price",
                "charge",
                "covered_by",
                "credits_used",
                "overage_credits",
                "overage",
                "total",
            ]);
            for l in &bill.lines {
                let (key, user) = (bill.profile(l.profile), bill.user(l.user));
                t.row(vec![
                    key.account.to_string(),
                    key.region.clone(),
                    user.user_name.to_string(),
                    user.user_id.to_string(),
                    user.email.to_string(),
                    l.plan.as_str().to_owned(),
                    l.list_price.to_string(),
                    l.charge.to_string(),
                    l.covered_by
                        .map(|k| bill.profile(k).to_string())
                        .unwrap_or_default(),
                    l.credits_used.map(|c| c.to_string()).unwrap_or_default(),
                    l.overage_credits.to_string(),
                    l.overage_charge.to_string(),
                    l.total().to_string(),
                ]);
            }
        }
    }
    t.out
}

/// A CSV breakdown being written. Every breakdown ends with a `currency` column; it is added
/// here, so that each breakdown lists only its own columns and values.
struct CsvTable {
    out: String,
    /// The currency.
    currency: String,
}

impl CsvTable {
    /// Writes the header line: `names`, then `currency`.
    fn header(&mut self, names: &[&str]) {
        let record = csv_record(names.iter().copied().chain(["currency"]));
        self.out.push_str(&record);
    }

    /// Writes one line: `fields`, then the currency.
    fn row(&mut self, fields: Vec<String>) {
        let fields = fields.iter().map(String::as_str);
        let record = csv_record(fields.chain([self.currency.as_str()]));
        self.out.push_str(&record);
    }
}
