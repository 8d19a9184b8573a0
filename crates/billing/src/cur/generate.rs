//! A synthetic CUR 2.0 export of a bill, for tests and benchmarks: what AWS would bill for a
//! generated estate's month, among the lines of other services.
//!
//! Each seat of the bill becomes a `FlatRateSubscription` line at its charge, and most users
//! a `Credits` line (at no cost: within the plan); every tenth user has none, so their seats
//! are idle. One seat above Pro is upgraded mid-month: a Pro line, a line at its plan and a
//! `Refund` of the Pro line, which the month rule (the higher plan for the month) explains.
//! Each account gets an `EdpDiscount` line of 5%. People the bill charges in several profiles
//! are billed in each, as AWS does. The rest of the lines (about 99 of 100 by default) are
//! other services of the same accounts. A generated export therefore reconciles with its
//! estate: only the discount differs.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use kiro_estate::Plan;
use kiro_estate::generate::Rng;
use kiro_estate::prices::Money;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::charges::Bill;
use crate::cur::usage_type_prefix;
use crate::month::Month;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The billed month.
    pub month: Month,
    /// Lines in all; at least the Kiro lines. None: 100 lines per Kiro line (Kiro is about
    /// 1% of a CUR).
    pub lines: Option<u64>,
    /// The seed.
    pub seed: u64,
}

/// The columns written: a realistic part of CUR 2.0's, so line sizes are too.
const COLUMNS: [&str; 24] = [
    "identity_line_item_id",
    "identity_time_interval",
    "bill_invoice_id",
    "bill_billing_entity",
    "bill_bill_type",
    "bill_payer_account_id",
    "bill_billing_period_start_date",
    "bill_billing_period_end_date",
    "line_item_usage_account_id",
    "line_item_line_item_type",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_product_code",
    "line_item_usage_type",
    "line_item_operation",
    "line_item_resource_id",
    "line_item_usage_amount",
    "line_item_currency_code",
    "line_item_unblended_cost",
    "line_item_line_item_description",
    "pricing_unit",
    "product_region_code",
    "product",
    "resource_tags",
];

/// One generated line, before it is written.
struct Row {
    payer: String,
    account: String,
    item_type: &'static str,
    product: &'static str,
    usage_type: String,
    operation: &'static str,
    resource: String,
    amount: f64,
    cost: Money,
    description: String,
    unit: &'static str,
    region: String,
}

/// Other services: product, usage type, operation, unit, and a cost ceiling in cents.
const OTHERS: [(&str, &str, &str, &str, u64); 6] = [
    ("AmazonEC2", "BoxUsage:m5.large", "RunInstances", "Hrs", 960),
    (
        "AmazonS3",
        "TimedStorage-ByteHrs",
        "StandardStorage",
        "GB-Mo",
        230,
    ),
    ("AWSLambda", "Request", "Invoke", "Requests", 40),
    (
        "AmazonRDS",
        "InstanceUsage:db.r6g.large",
        "CreateDBInstance",
        "Hrs",
        2600,
    ),
    (
        "AmazonCloudWatch",
        "CW:MetricMonitorUsage",
        "MetricStorage",
        "Metrics",
        30,
    ),
    (
        "AWSDataTransfer",
        "DataTransfer-Out-Bytes",
        "PublicIP-Out",
        "GB",
        90,
    ),
];

/// The Kiro lines of `bill` (see the module).
fn kiro_rows(bill: &Bill) -> Vec<Row> {
    let payer_of = |account: &str| {
        bill.accounts
            .iter()
            .find(|a| a.account.as_str() == account)
            .and_then(|a| a.organization.as_ref())
            .map_or_else(|| account.to_owned(), ToString::to_string)
    };
    let mut rows = Vec::new();
    let mut upgraded = false;
    let mut per_account: std::collections::BTreeMap<String, Money> = Default::default();
    for line in &bill.lines {
        if line.charge.is_zero() {
            continue;
        }
        let key = bill.profile(line.profile);
        let user = bill.user(line.user);
        let account = key.account.to_string();
        let payer = payer_of(&account);
        let prefix = usage_type_prefix(&key.region);
        // The user's partition is its profile's region's, the estate's.
        let partition = kiro_estate::ids::partition(&key.region);
        let resource = kiro_estate::ids::arn::identity(partition, "user", &user.user_id);
        let seat = |plan: Plan, cost: Money, item_type: &'static str| Row {
            payer: payer.clone(),
            account: account.clone(),
            item_type,
            product: "Kiro",
            usage_type: super::seat_usage_type(prefix, plan),
            operation: super::SEAT_OPERATION,
            resource: resource.clone(),
            amount: 1.0,
            cost,
            description: format!("Kiro Enterprise {} subscription", plan.display_name()),
            unit: "Users",
            region: key.region.clone(),
        };
        if !upgraded && line.plan > Plan::Pro && line.charge == line.list_price {
            upgraded = true;
            let pro = Money::from_cents(line.list_price.cents() / plan_ratio(line.plan));
            rows.push(seat(Plan::Pro, pro, "FlatRateSubscription"));
            rows.push(seat(Plan::Pro, Money::ZERO - pro, "Refund"));
        }
        rows.push(seat(line.plan, line.charge, "FlatRateSubscription"));
        *per_account.entry(account.clone()).or_default() += line.charge;
        let idle = user.user_id.bytes().map(u64::from).sum::<u64>() % 10 == 0;
        if !idle {
            rows.push(Row {
                item_type: "Usage",
                usage_type: super::credits_usage_type(prefix),
                operation: super::CREDITS_OPERATION,
                amount: 1.0 + f64::from(u32::try_from(user.user_id.len() * 37 % 900).unwrap_or(0)),
                cost: Money::ZERO,
                description: "Kiro credits".to_owned(),
                unit: "Credits",
                ..seat(line.plan, Money::ZERO, "Usage")
            });
        }
    }
    for (account, total) in per_account {
        rows.push(Row {
            payer: payer_of(&account),
            account,
            item_type: "EdpDiscount",
            product: "Kiro",
            usage_type: "USE1-KiroEnterprise-Pro".to_owned(),
            operation: super::SEAT_OPERATION,
            resource: String::new(),
            amount: 0.0,
            cost: Money::ZERO - Money::from_cents(total.cents() / 20),
            description: "Enterprise Discount Program discount".to_owned(),
            unit: "",
            region: "us-east-1".to_owned(),
        });
    }
    rows
}

/// The usage type's tier of a plan.
/// How many Pro seats a plan's list price is (Pro+ 2, Pro Max 5, Power 10 at list prices):
/// what the upgraded seat's Pro line costs.
fn plan_ratio(plan: Plan) -> i64 {
    match plan {
        Plan::Pro => 1,
        Plan::ProPlus => 2,
        Plan::ProMax => 5,
        Plan::Power => 10,
    }
}

/// Every line, Kiro's spread among the others, in the order written.
fn rows<'b>(bill: &'b Bill, spec: &Spec) -> impl Iterator<Item = Row> + 'b {
    let kiro = kiro_rows(bill);
    let total = spec
        .lines
        .unwrap_or(kiro.len() as u64 * 100)
        .max(kiro.len() as u64);
    let others = total - kiro.len() as u64;
    let every = if kiro.is_empty() {
        u64::MAX
    } else {
        (total / kiro.len() as u64).max(1)
    };
    let accounts: Vec<(String, String)> = bill
        .accounts
        .iter()
        .map(|a| {
            let payer = a.organization.as_ref().unwrap_or(&a.account).to_string();
            (payer, a.account.to_string())
        })
        .collect();
    let mut rng = Rng::new(spec.seed);
    let mut kiro = kiro.into_iter();
    let mut written_others = 0u64;
    (0..total).filter_map(move |i| {
        if (i % every == every - 1 || written_others >= others)
            && let Some(row) = kiro.next()
        {
            return Some(row);
        }
        if written_others >= others {
            return None;
        }
        written_others += 1;
        let (product, usage, operation, unit, ceiling) = OTHERS[rng.below(OTHERS.len())];
        let (payer, account) = accounts
            .get(rng.below(accounts.len()))
            .cloned()
            .unwrap_or_else(|| ("100000000000".to_owned(), "100000000000".to_owned()));
        let cents = i64::try_from(rng.next_u64() % ceiling.max(1)).unwrap_or(0);
        Some(Row {
            payer,
            account,
            item_type: "Usage",
            product,
            usage_type: format!("USE1-{usage}"),
            operation,
            resource: format!(
                "arn:aws:{}:us-east-1:resource/{:016x}",
                product.to_ascii_lowercase(),
                rng.next_u64()
            ),
            #[expect(clippy::cast_precision_loss, reason = "a synthetic quantity")]
            amount: (rng.next_u64() % 10_000) as f64 / 100.0,
            cost: Money::from_cents(cents),
            description: format!("{product} {usage}"),
            unit,
            region: "us-east-1".to_owned(),
        })
    })
}

/// The month's bounds as CUR writes them.
fn bounds(month: Month) -> (String, String) {
    let fmt = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string();
    (fmt(month.start()), fmt(month.end()))
}

/// Writes the export to `path`: Parquet for `.parquet`, gzip-compressed CSV for `.gz`, CSV
/// otherwise. Returns how many lines were written.
pub fn write(path: &Path, bill: &Bill, spec: &Spec) -> std::io::Result<u64> {
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".parquet") {
        write_parquet(file, bill, spec)
    } else if name.ends_with(".gz") {
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let (n, gz) = write_csv(gz, bill, spec)?;
        gz.finish()?.flush()?;
        Ok(n)
    } else {
        let (n, mut file) = write_csv(file, bill, spec)?;
        file.flush()?;
        Ok(n)
    }
}

/// Writes the CSV to `out`, and gives it back to be finished.
fn write_csv<W: Write>(out: W, bill: &Bill, spec: &Spec) -> std::io::Result<(u64, W)> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    let (start, end) = bounds(spec.month);
    let mut n = 0u64;
    for row in rows(bill, spec) {
        n += 1;
        let product = format!(
            "{{\"region\":\"{}\",\"servicecode\":\"{}\"}}",
            row.region, row.product
        );
        w.write_record([
            format!("{n:x}").as_str(),
            &format!("{start}/{end}"),
            "EUINGB26-000001",
            "AWS",
            "Anniversary",
            &row.payer,
            &start,
            &end,
            &row.account,
            row.item_type,
            &start,
            &end,
            row.product,
            &row.usage_type,
            row.operation,
            &row.resource,
            &row.amount.to_string(),
            "USD",
            &format!("{}00000000", row.cost),
            &row.description,
            row.unit,
            &row.region,
            &product,
            "{}",
        ])?;
    }
    let out = w.into_inner().map_err(|e| e.into_error())?;
    Ok((n, out))
}

fn write_parquet<W: Write + Send>(out: W, bill: &Bill, spec: &Spec) -> std::io::Result<u64> {
    let utc: Arc<str> = Arc::from("UTC");
    let stamp = DataType::Timestamp(TimeUnit::Millisecond, Some(utc.clone()));
    let fields: Vec<Field> = COLUMNS
        .iter()
        .map(|&c| {
            let t = match c {
                "line_item_usage_amount" | "line_item_unblended_cost" => DataType::Float64,
                c if c.ends_with("_date") => stamp.clone(),
                _ => DataType::Utf8,
            };
            Field::new(c, t, true)
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(128 * 1024))
        .build();
    let io = |e: parquet::errors::ParquetError| std::io::Error::other(e.to_string());
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(io)?;
    let (start, end) = bounds(spec.month);
    let (start_ms, end_ms) = (
        spec.month.start().as_millisecond(),
        spec.month.end().as_millisecond(),
    );
    let mut n = 0u64;
    let mut rows = rows(bill, spec).peekable();
    while rows.peek().is_some() {
        let mut text: Vec<StringBuilder> =
            (0..COLUMNS.len()).map(|_| StringBuilder::new()).collect();
        let mut amount = Float64Builder::new();
        let mut cost = Float64Builder::new();
        let mut dates: Vec<TimestampMillisecondBuilder> = (0..4)
            .map(|_| TimestampMillisecondBuilder::new().with_timezone(utc.clone()))
            .collect();
        for row in rows.by_ref().take(64 * 1024) {
            n += 1;
            let values: [Option<String>; 24] = [
                Some(format!("{n:x}")),
                Some(format!("{start}/{end}")),
                Some("EUINGB26-000001".to_owned()),
                Some("AWS".to_owned()),
                Some("Anniversary".to_owned()),
                Some(row.payer),
                None,
                None,
                Some(row.account),
                Some(row.item_type.to_owned()),
                None,
                None,
                Some(row.product.to_owned()),
                Some(row.usage_type),
                Some(row.operation.to_owned()),
                Some(row.resource),
                None,
                Some("USD".to_owned()),
                None,
                Some(row.description),
                Some(row.unit.to_owned()),
                Some(row.region.clone()),
                Some(format!(
                    "{{\"region\":\"{}\",\"servicecode\":\"{}\"}}",
                    row.region, row.product
                )),
                Some("{}".to_owned()),
            ];
            for (b, v) in text.iter_mut().zip(values) {
                b.append_option(v);
            }
            amount.append_value(row.amount);
            #[expect(clippy::cast_precision_loss, reason = "cents of a synthetic amount")]
            cost.append_value(row.cost.cents() as f64 / 100.0);
            for (i, d) in dates.iter_mut().enumerate() {
                d.append_value(if i % 2 == 0 { start_ms } else { end_ms });
            }
        }
        let mut dates = dates.into_iter();
        let columns: Vec<ArrayRef> = COLUMNS
            .iter()
            .zip(text.iter_mut())
            .map(|(&c, t)| -> ArrayRef {
                match c {
                    "line_item_usage_amount" => Arc::new(amount.finish()),
                    "line_item_unblended_cost" => Arc::new(cost.finish()),
                    c if c.ends_with("_date") => match dates.next() {
                        Some(mut d) => Arc::new(d.finish()),
                        None => Arc::new(t.finish()),
                    },
                    _ => Arc::new(t.finish()),
                }
            })
            .collect();
        let batch = RecordBatch::try_new(schema.clone(), columns)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        writer.write(&batch).map_err(io)?;
    }
    writer.close().map_err(io)?;
    Ok(n)
}
