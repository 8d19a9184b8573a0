//! `kiro-org reconcile [ESTATE] --cur FILE_OR_DIR… --month YYYY-MM`: what AWS billed for Kiro
//! (the Cost and Usage Report) against the model's bill of the same month.
//!
//! Exit 0 when every difference is accounted for (discounts), 1 when some remain, 2 for bad
//! input. Without ESTATE only the billed side is reported, with duplicates by user id and
//! idle seats.

use std::fmt::Write as _;
use std::path::PathBuf;

use comfy_table::Cell;
use kiro_billing::cur;
use kiro_billing::reconcile::{Billed, Reconciliation, Reported, reconcile};
use kiro_billing::{BillOptions, Month};

use kiro_estate::words::count;

use super::CliError;
use super::table::{csv_record, money, right, table};

/// Arguments of `reconcile`.
#[derive(clap::Args)]
pub struct Args {
    /// The estate to compare with (YAML, or JSON by extension); without it, the billed side
    /// alone.
    estate: Option<PathBuf>,
    /// The CUR 2.0 export: CSV, CSV.gz or Parquet files, or directories of them.
    #[arg(
        long,
        value_name = "FILE_OR_DIR",
        num_args = 1..,
        required_unless_present = "athena_sql"
    )]
    cur: Vec<PathBuf>,
    /// Prints the Athena (Trino) query that extracts the month's Kiro lines from the CUR 2.0
    /// table `--table`, to run where the CUR is and give its result to `--cur`.
    #[arg(long, requires = "table", conflicts_with_all = ["cur", "estate", "usage", "by"])]
    athena_sql: bool,
    /// The CUR 2.0 table of `--athena-sql` (`TABLE` or `DATABASE.TABLE`).
    #[arg(long, value_name = "TABLE", requires = "athena_sql")]
    table: Option<String>,
    /// Checks the overage billed against Kiro's user reports, and shows each idle seat's
    /// days of use in them.
    #[command(flatten)]
    usage: super::UsageArg,
    /// `attribute:KEY`: what was billed by an Identity Center user attribute, from the CUR's
    /// `userAttribute/KEY` tags (else the estate's users), discounts spread in proportion.
    #[arg(long, value_name = "attribute:KEY", value_parser = by_attribute)]
    by: Option<String>,
    /// The month to reconcile (`YYYY-MM`).
    #[arg(long, value_name = "YYYY-MM")]
    month: String,
    #[command(flatten)]
    prices: super::PricesArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::TableFormat::Human)]
    format: super::TableFormat,
}

/// Runs `reconcile`.
pub fn run(args: Args) -> super::CliResult {
    let month = Month::parse(&args.month).map_err(CliError::bad_input)?;
    if let Some(table) = args.table.as_deref().filter(|_| args.athena_sql) {
        let sql = cur::athena::query(month, table).map_err(CliError::bad_input)?;
        super::print(&sql)?;
        return Ok(());
    }
    let book = args.prices.load()?;
    let estate = args
        .estate
        .as_deref()
        .map(super::load_estate_warning)
        .transpose()?;
    let usage = args.usage.load()?;
    let bill = match &estate {
        Some(e) => Some(
            kiro_billing::bill_month(
                e,
                &book,
                month,
                BillOptions {
                    usage: usage.as_ref(),
                },
            )
            .map_err(|err| CliError::bad_input(err.to_string()))?,
        ),
        None => None,
    };
    let model = estate.as_ref().zip(bill.as_ref());
    let reported = usage.as_ref().map(|usage| Reported { usage, book: &book });
    let (rec, summary) = read_and_reconcile(
        &args.cur,
        month,
        &book.currency,
        model,
        reported,
        args.by.as_deref(),
    )?;
    match args.format {
        super::TableFormat::Json => {
            let mut json = rec.to_json();
            json["read"] = serde_json::json!({
                "files": summary.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                "bytes": summary.bytes,
                "lines": summary.rows,
                "kiro-lines": summary.kiro_rows,
                "other-months": summary.other_months.iter().map(ToString::to_string).collect::<Vec<_>>(),
            });
            if let Some(u) = &usage {
                json["read"]["usage"] = serde_json::json!({
                    "files": u.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                    "replaced": u.replaced.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                    "rows": u.rows,
                    "days": u.days.iter().filter(|d| d.month() == month).count(),
                });
            }
            super::print_json(&json)?;
        }
        super::TableFormat::Csv => super::print(&csv(&rec))?,
        super::TableFormat::Human => super::print_prose(&human(&rec, &summary))?,
    }
    if rec.unexplained() > 0 {
        return Err(CliError::Findings);
    }
    Ok(())
}

/// Reads the Kiro lines of `month` from the CUR files `cur`, warning on stderr about what it
/// skipped or did not find, and reconciles them with `model` (the estate and its bill of the
/// month), the user reports `reported` and by the attribute `by`: what `reconcile` prints and
/// `report --cur` shows.
pub fn read_and_reconcile(
    cur: &[PathBuf],
    month: Month,
    currency: &str,
    model: Option<(&kiro_estate::Estate, &kiro_billing::Bill)>,
    reported: Option<Reported<'_>>,
    by: Option<&str>,
) -> Result<(Reconciliation, cur::ReadSummary), CliError> {
    let mut billed = Billed::default();
    let summary = cur::read(cur, month, |line| billed.add(line))?;
    for w in &summary.warnings {
        eprintln!("{w}");
    }
    if summary.more_warnings > 0 {
        eprintln!("warning: {} more lines like these", summary.more_warnings);
    }
    if summary.kiro_rows == 0 {
        let others = if summary.other_months.is_empty() {
            "none of another month either".to_owned()
        } else {
            format!(
                "the files have Kiro lines of {}",
                summary
                    .other_months
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        eprintln!(
            "warning: no Kiro line of {month} in {} lines read ({others})",
            summary.rows
        );
    }
    Ok((
        reconcile(billed, month, currency, model, reported, by),
        summary,
    ))
}

fn by_attribute(value: &str) -> Result<String, String> {
    super::attribute_key(value)
        .map(str::to_owned)
        .ok_or_else(|| {
            format!("expected `attribute:KEY` (e.g. `attribute:costCenter`), found `{value}`")
        })
}

/// Rows shown per list in the human report; JSON and CSV have them all.
const LIMIT: usize = 25;

fn human(rec: &Reconciliation, summary: &cur::ReadSummary) -> String {
    let mut out = String::new();
    let m = |x| money(&rec.currency, x);
    let _ = writeln!(
        out,
        "Kiro reconciliation: {}, {} Kiro lines of {} read in {} file{}",
        rec.month,
        summary.kiro_rows,
        summary.rows,
        summary.files.len(),
        if summary.files.len() == 1 { "" } else { "s" }
    );
    if let Some(basis) = &rec.basis {
        let _ = writeln!(out, "model: {basis}");
    }
    out.push('\n');
    let mut t = table(&["account", "billed", "modelled", "difference"]);
    let modelled = |account: &str| {
        rec.modelled.as_ref().map(|t| {
            t.accounts
                .iter()
                .find(|a| a.account == account)
                .map_or(kiro_billing::Money::ZERO, |a| a.total)
        })
    };
    let mut accounts: Vec<&str> = rec
        .billed
        .accounts
        .iter()
        .map(|a| a.account.as_str())
        .collect();
    if let Some(t) = &rec.modelled {
        accounts.extend(t.accounts.iter().map(|a| a.account.as_str()));
    }
    accounts.sort_unstable();
    accounts.dedup();
    for account in accounts {
        let billed = rec
            .billed
            .accounts
            .iter()
            .find(|a| a.account == account)
            .map_or(kiro_billing::Money::ZERO, |a| a.total);
        let model = modelled(account);
        t.add_row(vec![
            Cell::new(account),
            right(billed),
            right(model.map_or("-".to_owned(), |x| x.to_string())),
            right(model.map_or("-".to_owned(), |x| (billed - x).to_string())),
        ]);
    }
    let _ = writeln!(out, "{t}");
    let _ = writeln!(out, "billed (gross list charges): {}", m(rec.billed.total));
    if let Some(t) = &rec.modelled {
        let _ = writeln!(out, "modelled: {}", m(t.total));
    }
    if !rec.adjustments.is_empty() {
        let _ = writeln!(
            out,
            "discounts and other adjustments, apart: {}",
            m(rec.adjusted())
        );
        for a in &rec.adjustments {
            let _ = writeln!(out, "  {} {}: {}", a.account, a.kind, m(a.amount));
        }
    }
    if rec.modelled.is_none() {
        let _ = writeln!(out, "\nno estate: the billed side only");
    }
    if rec.modelled.is_some() || !rec.differences.is_empty() {
        let n = rec.unexplained();
        let _ = writeln!(
            out,
            "\ndifferences: {} ({n} not explained by a discount)",
            rec.differences.len()
        );
        if !rec.differences.is_empty() {
            let mut t = table(&["account", "user", "billed", "modelled", "reason"]);
            for d in rec.differences.iter().take(LIMIT) {
                let who = match (&d.user_name, &d.user) {
                    (Some(name), _) => name.clone(),
                    (None, Some(id)) => id.clone(),
                    (None, None) => "(account)".to_owned(),
                };
                t.add_row(vec![
                    Cell::new(&d.account),
                    Cell::new(who),
                    right(d.billed),
                    right(d.modelled),
                    Cell::new(&d.why),
                ]);
            }
            let _ = writeln!(out, "{t}");
            more(&mut out, rec.differences.len(), "differences");
        }
    }
    if let Some(cb) = &rec.chargeback {
        let _ = writeln!(out, "\nbilled by {}:", cb.key);
        let mut t = table(&[cb.key.as_str(), "users", "charges", "discounts", "total"]);
        for r in &cb.rows {
            t.add_row(vec![
                Cell::new(r.label()),
                right(r.users),
                right(r.amount),
                right(r.share),
                right(r.total()),
            ]);
        }
        let _ = writeln!(out, "{t}");
        if let Some(note) = cb.residue_note() {
            let _ = writeln!(out, "{note}");
        }
    }
    if let Some(n) = rec.overage_explained {
        let _ = writeln!(
            out,
            "overage: {} explained by the user reports",
            count(n, "seat's billed credits", "seats' billed credits")
        );
    }
    if !rec.duplicates.is_empty() {
        let avoidable: kiro_billing::Money = rec.duplicates.iter().map(|d| d.avoidable).sum();
        let _ = writeln!(
            out,
            "\nduplicates: {} billed in more than one profile, {} avoidable",
            rec.duplicates.len(),
            m(avoidable)
        );
        let mut t = table(&["user", "email", "accounts", "total", "avoidable"]);
        for d in rec.duplicates.iter().take(LIMIT) {
            t.add_row(vec![
                Cell::new(d.user_ids.join("\n")),
                Cell::new(d.email.clone().unwrap_or_default()),
                Cell::new(d.accounts.join("\n")),
                right(d.total),
                right(d.avoidable),
            ]);
        }
        let _ = writeln!(out, "{t}");
        more(
            &mut out,
            rec.duplicates.len(),
            "duplicates, the largest avoidable first",
        );
    }
    if !rec.idle.is_empty() {
        let cost: kiro_billing::Money = rec.idle.iter().map(|i| i.cost).sum();
        let _ = writeln!(
            out,
            "\nidle: {} seats with no credits used in {}, {}",
            rec.idle.len(),
            rec.month,
            m(cost)
        );
        let mut t = table(&[
            "account",
            "user",
            "email",
            "plan",
            "cost",
            "days in reports",
        ]);
        for i in rec.idle.iter().take(LIMIT) {
            t.add_row(vec![
                Cell::new(&i.account),
                Cell::new(&i.user),
                Cell::new(i.email.clone().unwrap_or_default()),
                Cell::new(i.plan.display_name()),
                right(i.cost),
                right(i.report_days.map_or("-".to_owned(), |d| d.to_string())),
            ]);
        }
        let _ = writeln!(out, "{t}");
        more(&mut out, rec.idle.len(), "idle seats");
    }
    out
}

fn more(out: &mut String, n: usize, what: &str) {
    if n > LIMIT {
        let _ = writeln!(
            out,
            "({LIMIT} of {n} {what} shown; `--format json` has them all)"
        );
    }
}

/// One CSV of every row: `section` says which list it belongs to.
fn csv(rec: &Reconciliation) -> String {
    let mut out = String::from("section,account,user,email,plan,billed,modelled,reason,currency\n");
    let mut row = |fields: [&str; 8]| {
        out.push_str(&csv_record(
            fields.into_iter().chain([rec.currency.as_str()]),
        ));
    };
    for a in &rec.billed.accounts {
        row([
            "billed",
            &a.account,
            "",
            "",
            "",
            &a.total.to_string(),
            "",
            "",
        ]);
    }
    if let Some(t) = &rec.modelled {
        for a in &t.accounts {
            row([
                "modelled",
                &a.account,
                "",
                "",
                "",
                "",
                &a.total.to_string(),
                "",
            ]);
        }
    }
    for d in &rec.differences {
        row([
            "difference",
            &d.account,
            d.user.as_deref().unwrap_or(""),
            d.email.as_deref().unwrap_or(""),
            "",
            &d.billed.to_string(),
            &d.modelled.to_string(),
            &d.why,
        ]);
    }
    for d in &rec.duplicates {
        row([
            "duplicate",
            &d.accounts.join(" "),
            &d.user_ids.join(" "),
            d.email.as_deref().unwrap_or(""),
            "",
            &d.total.to_string(),
            "",
            &format!("{} avoidable", d.avoidable),
        ]);
    }
    if let Some(cb) = &rec.chargeback {
        for r in &cb.rows {
            row([
                "chargeback",
                "",
                "",
                "",
                "",
                &r.total().to_string(),
                "",
                &format!(
                    "{}={}: {} charges, {} discounts",
                    cb.key,
                    r.label(),
                    r.amount,
                    r.share
                ),
            ]);
        }
    }
    for i in &rec.idle {
        row([
            "idle",
            &i.account,
            &i.user,
            i.email.as_deref().unwrap_or(""),
            i.plan.as_str(),
            &i.cost.to_string(),
            "",
            "no credits used in the month",
        ]);
    }
    out
}
