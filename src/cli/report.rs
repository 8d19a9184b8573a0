//! `kiro-org report ESTATE --out report.html`: one self-contained HTML report of an estate —
//! its tree with each profile's pattern, quota gauges, the bill, the governance matrix and
//! the audit findings — rendered by `kiro-report` from the answers `patterns`, `cost` and
//! `audit` give, and with `--cur … --month M` what AWS billed against the model, as
//! `reconcile`. The file is written atomically; nothing is written on bad input.

use std::path::PathBuf;

/// Arguments of `report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: super::PricedEstate,
    /// Adds overage and right-sizing, as `cost --usage`.
    #[command(flatten)]
    usage: super::UsageArg,
    /// What AWS billed (CUR 2.0 export: CSV, CSV.gz or Parquet files, or directories of
    /// them): adds the month's billed against modelled, as `reconcile`.
    #[arg(long, value_name = "FILE_OR_DIR", num_args = 1.., requires = "month")]
    cur: Vec<PathBuf>,
    /// The month the CUR bills (`YYYY-MM`).
    #[arg(long, value_name = "YYYY-MM", requires = "cur")]
    month: Option<String>,
    /// Where to write the HTML report.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Runs `report`.
pub fn run(args: Args) -> super::CliResult {
    // A readable estate that breaks domain rules is reported: the audit lists the breaks.
    let (read, book) = args.input.load()?;
    let usage = args.usage.load()?;
    let reconciliation = match &args.month {
        None => None,
        Some(month) => {
            let month = kiro_billing::Month::parse(month).map_err(super::CliError::bad_input)?;
            let bill = kiro_billing::bill_month(
                &read.estate,
                &book,
                month,
                kiro_billing::BillOptions {
                    usage: usage.as_ref(),
                },
            )
            .map_err(|err| super::CliError::bad_input(err.to_string()))?;
            let model = Some((&read.estate, &bill));
            let reported = usage
                .as_ref()
                .map(|usage| kiro_billing::reconcile::Reported { usage, book: &book });
            let (rec, _) = super::reconcile::read_and_reconcile(
                &args.cur,
                month,
                &book.currency,
                model,
                reported,
                None,
            )?;
            Some(rec)
        }
    };
    let title = args.input.estate.display().to_string();
    let html = kiro_report::render(&kiro_report::Input {
        estate: &read.estate,
        rule_breaks: &read.rule_breaks.0,
        warnings: &read.warnings.0,
        book: &book,
        usage: usage.as_ref(),
        cur: reconciliation.as_ref(),
        title: &title,
        live: None,
    })
    .map_err(anyhow::Error::from)?;
    kiro_estate::io::write_atomic(&args.out, &html)
        .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} KB of self-contained HTML)\nhelp: open it in a browser, or attach it to a mail: it needs no network",
        args.out.display(),
        html.len().div_ceil(1024)
    );
    Ok(())
}
