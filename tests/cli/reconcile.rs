//! `kiro-org reconcile` end to end: small CURs written from the documented Kiro lines, in
//! every format AWS exports (CSV, CSV.gz, Parquet), against a small estate; and the exports
//! `generate --cur` writes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use serde_json::Value;

use crate::support::{json, kiro, text, write};

/// An organization with two member accounts' profiles on its instance, and a standalone
/// account whose own instance has alice again under another user id.
const ESTATE: &str = r#"
version: 1
accounts:
  - {id: "123456789012", name: management}
  - {id: "666666666666", name: web, organization: "123456789012"}
  - {id: "444444444444", name: data, organization: "123456789012"}
  - {id: "777777777777", name: sandbox, organization: "123456789012"}
  - {id: "999999999999", name: solo}
organizations:
  - management: "123456789012"
instances:
  - account: "123456789012"
    kind: organization
    region: us-east-1
    created: 2024-04-02
    users:
      - {user-name: alice, id: u-alice, email: alice@example.com}
      - {user-name: bob, id: u-bob, email: bob@example.com}
      - {user-name: carol, id: u-carol, email: carol@example.com}
      - {user-name: dave, id: u-dave, email: dave@example.com}
      - {user-name: erin, id: u-erin, email: erin@example.com}
      - {user-name: gina, id: u-gina, email: gina@example.com}
  - account: "999999999999"
    kind: account
    region: us-east-1
    created: 2024-04-02
    users:
      - {user-name: alice2, id: u-alice2, email: ALICE@example.com}
profiles:
  - account: "666666666666"
    region: us-east-1
    instance: "123456789012"
    subscriptions:
      - {user-name: alice, plan: pro}
      - {user-name: bob, plan: pro}
      - {user-name: carol, plan: pro, status: pending}
  - account: "444444444444"
    region: us-east-1
    instance: "123456789012"
    subscriptions:
      - {user-name: alice, plan: pro}
      - {user-name: erin, plan: pro-plus}
      - {user-name: gina, plan: pro}
  - account: "999999999999"
    region: us-east-1
    instance: "999999999999"
    subscriptions:
      - {user-name: alice2, plan: pro}
"#;

const HEADER: &str = "identity_line_item_id,bill_payer_account_id,bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_product_code,line_item_usage_type,line_item_operation,line_item_resource_id,line_item_usage_amount,line_item_unblended_cost,pricing_unit,product";

/// One CUR line of March 2026 (another month when `period` says so).
fn line(
    period: &str,
    account: &str,
    item: &str,
    [product, usage, op]: [&str; 3],
    user: &str,
    cost: &str,
) -> String {
    let payer = if account == "999999999999" {
        account
    } else {
        "123456789012"
    };
    let resource = if user.is_empty() {
        String::new()
    } else {
        format!("arn:aws:identitystore:::user/{user}")
    };
    let unit = if op == "Credits" { "Credits" } else { "Users" };
    format!(
        "id,{payer},{period}T00:00:00.000Z,{account},{item},{product},{usage},{op},{resource},1,{cost},{unit},\"{{\"\"region\"\":\"\"us-east-1\"\"}}\""
    )
}

fn seat(account: &str, tier: &str, user: &str, cost: &str) -> String {
    line(
        "2026-03-01",
        account,
        "FlatRateSubscription",
        [
            "Kiro",
            &format!("USE1-KiroEnterprise-{tier}"),
            "monthly-subscription",
        ],
        user,
        cost,
    )
}

fn credits(account: &str, user: &str, cost: &str) -> String {
    line(
        "2026-03-01",
        account,
        "Usage",
        ["Kiro", "USE1-KiroEnterprise-Credits", "Credits"],
        user,
        cost,
    )
}

/// A CUR with one seat for each reason a bill and a model can differ.
fn cur() -> String {
    let lines = [
        line(
            "2026-03-01",
            "666666666666",
            "Usage",
            ["AmazonEC2", "USE1-BoxUsage:m5.large", "RunInstances"],
            "",
            "12.3456",
        ),
        seat("666666666666", "Pro", "u-alice", "20.0000000000"),
        credits("666666666666", "u-alice", "4.0000000000"),
        seat("666666666666", "ProPlus", "u-bob", "40.0000000000"),
        credits("666666666666", "u-bob", "0"),
        seat("666666666666", "Pro", "u-carol", "20"),
        credits("666666666666", "u-carol", "0"),
        seat("666666666666", "Pro", "u-dave", "20"),
        credits("666666666666", "u-dave", "0"),
        seat("666666666666", "Pro", "u-ghost", "20"),
        credits("666666666666", "u-ghost", "0"),
        seat("444444444444", "Pro", "u-alice", "20"),
        seat("444444444444", "Pro", "u-erin", "20"),
        seat("444444444444", "ProPlus", "u-erin", "40"),
        credits("444444444444", "u-erin", "0"),
        seat("777777777777", "Pro", "u-bob", "20"),
        seat("999999999999", "Pro", "u-alice2", "20"),
        line(
            "2026-03-01",
            "666666666666",
            "EdpDiscount",
            ["Kiro", "USE1-KiroEnterprise-Pro", "monthly-subscription"],
            "",
            "-6.00",
        ),
        line(
            "2026-03-01",
            "444444444444",
            "Usage",
            ["AmazonS3", "USE1-TimedStorage-ByteHrs", "StandardStorage"],
            "",
            "3.1",
        ),
        // Another month and another product's snapshot lines are not March's Kiro bill.
        seat_of("2026-02-01", "666666666666", "Power", "u-alice", "200"),
        line(
            "2026-03-01",
            "666666666666",
            "Usage",
            ["AmazonQ", "USE1-Q-Snapshot", "q-developer-snapshot"],
            "u-alice",
            "1",
        ),
    ];
    format!("{HEADER}\n{}\n", lines.join("\n"))
}

fn seat_of(period: &str, account: &str, tier: &str, user: &str, cost: &str) -> String {
    line(
        period,
        account,
        "FlatRateSubscription",
        [
            "Kiro",
            &format!("USE1-KiroEnterprise-{tier}"),
            "monthly-subscription",
        ],
        user,
        cost,
    )
}

/// `cur` as Parquet, as AWS types it: text, a double cost, a timestamp billing period.
fn parquet_of(csv_text: &str) -> Vec<u8> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let values = records.iter().map(|r| r.get(i).unwrap_or(""));
        match h.as_str() {
            "line_item_unblended_cost"
            | "line_item_usage_amount"
            | "BilledCost"
            | "EffectiveCost"
            | "ListCost"
            | "ContractedCost"
            | "ListUnitPrice"
            | "ContractedUnitPrice"
            | "ConsumedQuantity"
            | "PricingQuantity" => {
                fields.push(Field::new(h, DataType::Float64, true));
                columns.push(Arc::new(
                    values
                        .map(|v| v.parse::<f64>().ok())
                        .collect::<Float64Array>(),
                ));
            }
            "bill_billing_period_start_date"
            | "BillingPeriodStart"
            | "BillingPeriodEnd"
            | "ChargePeriodStart"
            | "ChargePeriodEnd" => {
                fields.push(Field::new(
                    h,
                    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
                    true,
                ));
                let ms = values.map(|v| {
                    (!v.is_empty()).then(|| v.parse::<jiff::Timestamp>().unwrap().as_millisecond())
                });
                columns.push(Arc::new(
                    ms.collect::<TimestampMillisecondArray>()
                        .with_timezone("UTC"),
                ));
            }
            // A map column, as AWS's Parquet exports type `resource_tags` (FOCUS: `Tags`).
            "resource_tags" | "Tags" => {
                use arrow_array::Array as _;
                use arrow_array::builder::{MapBuilder, StringBuilder};
                let mut b = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
                for v in values {
                    let map: serde_json::Map<String, Value> =
                        serde_json::from_str(v).unwrap_or_default();
                    for (k, v) in map {
                        b.keys().append_value(k);
                        b.values().append_value(v.as_str().unwrap());
                    }
                    b.append(true).unwrap();
                }
                let array = b.finish();
                fields.push(Field::new(h, array.data_type().clone(), true));
                columns.push(Arc::new(array));
            }
            _ => {
                fields.push(Field::new(h, DataType::Utf8, true));
                columns.push(Arc::new(values.map(Some).collect::<StringArray>()));
            }
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let mut out = Vec::new();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, schema, Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn reconcile(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (i32, Value) {
    let out = kiro()
        .arg("reconcile")
        .args(args.iter().map(|a| a.as_ref()))
        .args(["--month", "2026-03", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "{}", text(&out.stderr));
    (out.status.code().unwrap(), json(&out.stdout))
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let cur = write(dir.path(), "cur.csv", cur());
    (dir, estate, cur)
}

fn money(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not money: {v}"))
}

/// Differences as (account, user, code, billed, modelled).
fn differences(v: &Value) -> BTreeSet<(String, String, String, String, String)> {
    v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["account"].as_str().unwrap().to_owned(),
                d["user"].as_str().unwrap_or("").to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["billed"].to_string(),
                d["modelled"].to_string(),
            )
        })
        .collect()
}

#[test]
fn every_reason_a_bill_and_the_model_differ_is_named() {
    let (_dir, estate, cur) = setup();
    let (code, v) = reconcile(&[&estate, &"--cur", &cur]);
    assert_eq!(code, 1, "unexplained differences fail the pipeline: {v:#}");
    let s = |a: &str, u: &str, c: &str, b: &str, m: &str| {
        (
            a.to_owned(),
            u.to_owned(),
            c.to_owned(),
            b.to_owned(),
            m.to_owned(),
        )
    };
    let want: BTreeSet<_> = [
        s("666666666666", "u-bob", "plan-differs", "40.0", "20.0"),
        s("666666666666", "u-carol", "pending", "20.0", "0.0"),
        s("666666666666", "u-dave", "not-subscribed", "20.0", "0.0"),
        s("666666666666", "u-ghost", "unknown-user", "20.0", "0.0"),
        s("444444444444", "u-erin", "mid-month-change", "60.0", "40.0"),
        s("444444444444", "u-gina", "not-billed", "0.0", "20.0"),
        s("777777777777", "u-bob", "no-profile", "20.0", "0.0"),
        s("666666666666", "u-alice", "overage", "4.0", "0.0"),
        s("666666666666", "", "discount", "-6.0", "0.0"),
    ]
    .into_iter()
    .collect();
    assert_eq!(differences(&v), want);
    for d in v["differences"].as_array().unwrap() {
        let why = d["reason"].as_str().unwrap();
        assert!(why.len() > 20, "a reason a person understands: {why}");
        assert_eq!(d["explained"], d["code"] == "discount");
    }
    assert_eq!(v["unexplained"], 8);
    let dave = v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["user"] == "u-dave")
        .unwrap();
    assert_eq!(
        (&dave["user-name"], &dave["email"], &dave["instance"]),
        (
            &"dave".into(),
            &"dave@example.com".into(),
            &"123456789012".into()
        )
    );
    // Gross list charges: seats and credits of March, not February's, not the discount.
    assert_eq!(money(&v["billed"]["total"]), 244.0);
    let accounts: Vec<(&str, f64)> = v["billed"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["account"].as_str().unwrap(), money(&a["total"])))
        .collect();
    assert_eq!(
        accounts,
        [
            ("444444444444", 80.0),
            ("666666666666", 124.0),
            ("777777777777", 20.0),
            ("999999999999", 20.0)
        ]
    );
    // The model: web alice + bob, data alice + erin (Pro+) + gina, solo alice2.
    assert_eq!(money(&v["modelled"]["total"]), 140.0);
    assert_eq!(v["adjustments"][0]["type"], "EdpDiscount");
    assert_eq!(money(&v["adjusted"]), -6.0);
    assert_eq!(v["read"]["other-months"], serde_json::json!(["2026-02"]));
    assert_eq!(v["month"], "2026-03");
    assert_eq!(v["currency"], "USD");
}

#[test]
fn csv_gzip_and_parquet_exports_reconcile_alike() {
    let (dir, estate, cur_csv) = setup();
    let csv_text = std::fs::read_to_string(&cur_csv).unwrap();
    let gz = write(dir.path(), "cur.csv.gz", gzip(csv_text.as_bytes()));
    let pq = write(dir.path(), "cur.parquet", parquet_of(&csv_text));
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("read");
        v
    };
    let (_, from_csv) = reconcile(&[&estate, &"--cur", &cur_csv]);
    let (code_gz, from_gz) = reconcile(&[&estate, &"--cur", &gz]);
    let (code_pq, from_pq) = reconcile(&[&estate, &"--cur", &pq]);
    assert_eq!((code_gz, code_pq), (1, 1));
    assert_eq!(strip(from_gz), strip(from_csv.clone()));
    assert_eq!(strip(from_pq.clone()), strip(from_csv));
    assert_eq!(from_pq["read"]["kiro-lines"], 17);
}

#[test]
fn a_data_exports_folder_is_read_for_its_month_only() {
    let (dir, estate, cur_csv) = setup();
    let root = dir.path().join("export/data");
    let march = root.join("BILLING_PERIOD=2026-03");
    let feb = root.join("BILLING_PERIOD=2026-02");
    std::fs::create_dir_all(&march).unwrap();
    std::fs::create_dir_all(&feb).unwrap();
    let text = std::fs::read_to_string(&cur_csv).unwrap();
    let (head, rest) = text.split_once('\n').unwrap();
    let lines: Vec<&str> = rest.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 2);
    write(
        &march,
        "kiro-00001.csv.gz",
        gzip(format!("{head}\n{}\n", a.join("\n")).as_bytes()),
    );
    write(
        &march,
        "kiro-00002.parquet",
        parquet_of(&format!("{head}\n{}\n", b.join("\n"))),
    );
    // A broken file of another month is never opened.
    write(&feb, "kiro-00001.csv.gz", b"not gzip");
    write(&root, "Manifest.json", "{}");
    let (_, whole) = reconcile(&[&estate, &"--cur", &cur_csv]);
    let (code, split) = reconcile(&[&estate, &"--cur", &dir.path().join("export")]);
    assert_eq!(code, 1);
    assert_eq!(split["read"]["files"].as_array().unwrap().len(), 2);
    assert_eq!(split["differences"], whole["differences"]);
    assert_eq!(split["billed"], whole["billed"]);
}

#[test]
fn duplicates_are_found_by_user_id_and_by_email_across_identity_stores() {
    let (_dir, estate, cur) = setup();
    let (_, with_estate) = reconcile(&[&estate, &"--cur", &cur]);
    let dups = with_estate["duplicates"].as_array().unwrap();
    let alice = dups
        .iter()
        .find(|d| d["email"] == "alice@example.com")
        .unwrap();
    assert_eq!(
        alice["user-ids"],
        serde_json::json!(["u-alice", "u-alice2"])
    );
    assert_eq!(
        alice["accounts"],
        serde_json::json!([
            "444444444444/us-east-1",
            "666666666666/us-east-1",
            "999999999999/us-east-1"
        ])
    );
    assert_eq!(money(&alice["avoidable"]), 40.0);
    let bob = dups.iter().find(|d| d["user"] == "u-bob").unwrap();
    assert_eq!(money(&bob["avoidable"]), 20.0, "bob keeps his Pro+ seat");

    // Without the estate nobody's email is known: the same user id only.
    let (code, alone) = reconcile(&[&"--cur", &cur]);
    assert_eq!(code, 0, "no model, nothing to differ from");
    let users: BTreeSet<&str> = alone["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, BTreeSet::from(["u-alice", "u-bob"]));
}

#[test]
fn idle_seats_have_a_seat_line_and_no_credits_line() {
    let (_dir, estate, cur) = setup();
    let (_, v) = reconcile(&[&estate, &"--cur", &cur]);
    let idle: Vec<(&str, &str, &str, f64)> = v["idle"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["user"].as_str().unwrap(),
                i["account"].as_str().unwrap(),
                i["plan"].as_str().unwrap(),
                money(&i["cost"]),
            )
        })
        .collect();
    // alice has credits in web, so her data seat is not idle (CUDOS counts users).
    assert_eq!(idle, [("u-alice2", "999999999999", "pro", 20.0)]);
    assert_eq!(v["idle"][0]["email"], "ALICE@example.com");
}

#[test]
fn without_an_estate_the_billed_side_is_reported() {
    let (_dir, _estate, cur) = setup();
    let (code, v) = reconcile(&[&"--cur", &cur]);
    assert_eq!(code, 0);
    assert_eq!(v["modelled"], Value::Null);
    assert_eq!(v["differences"], serde_json::json!([]));
    assert_eq!(money(&v["billed"]["total"]), 244.0);
    assert_eq!(
        v["payers"],
        serde_json::json!(["123456789012", "999999999999"])
    );
    let human = kiro()
        .args(["reconcile", "--cur"])
        .arg(&cur)
        .args(["--month", "2026-03"])
        .output()
        .unwrap();
    let out = text(&human.stdout);
    assert!(out.contains("USD 244.00"), "{out}");
    assert!(out.contains("no estate"), "{out}");
    assert!(out.contains("idle: 1 seats"), "{out}");
}

#[test]
fn a_matching_bill_passes() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let lines = [
        seat("666666666666", "Pro", "u-alice", "20"),
        seat("666666666666", "Pro", "u-bob", "20"),
        seat("444444444444", "Pro", "u-alice", "20"),
        seat("444444444444", "ProPlus", "u-erin", "40"),
        seat("444444444444", "Pro", "u-gina", "20"),
        seat("999999999999", "Pro", "u-alice2", "20"),
        line(
            "2026-03-01",
            "444444444444",
            "EdpDiscount",
            ["Kiro", "USE1-KiroEnterprise-Pro", "monthly-subscription"],
            "",
            "-2",
        ),
    ];
    let cur = write(
        dir.path(),
        "cur.csv",
        format!("{HEADER}\n{}\n", lines.join("\n")),
    );
    let (code, v) = reconcile(&[&estate, &"--cur", &cur]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["billed"]["total"], v["modelled"]["total"]);
    assert_eq!(v["unexplained"], 0);
    assert_eq!(
        v["differences"].as_array().unwrap().len(),
        1,
        "the discount, reported apart"
    );
}

fn fails(args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
    let out = kiro()
        .arg("reconcile")
        .args(args.iter().map(|a| a.as_ref()))
        .args(["--month", "2026-03"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());
    text(&out.stderr)
}

#[test]
fn a_file_that_is_not_a_cur_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "usage.csv",
        "Date,UserId,Credits_Used\n2026-03-01,u-1,3\n",
    );
    let err = fails(&[&"--cur", &f]);
    assert!(
        err.contains("usage.csv:1:1") && err.contains("not a Cost and Usage Report"),
        "{err}"
    );
    assert!(err.contains("line_item_product_code"), "{err}");
    let pq = write(
        dir.path(),
        "usage.parquet",
        parquet_of("Date,UserId\n2026-03-01T00:00:00Z,u-1\n"),
    );
    let err = fails(&[&"--cur", &pq]);
    assert!(
        err.contains("usage.parquet") && err.contains("not a Cost and Usage Report"),
        "{err}"
    );
}

#[test]
fn a_truncated_gzip_is_an_error_never_a_zero() {
    let dir = tempfile::tempdir().unwrap();
    let mut text_cur = cur();
    for _ in 0..6 {
        text_cur.push_str(&text_cur.clone());
    }
    let whole = gzip(text_cur.as_bytes());
    let cut = write(dir.path(), "cur.csv.gz", &whole[..whole.len() / 2]);
    let err = fails(&[&"--cur", &cut]);
    assert!(
        err.contains("cur.csv.gz") && err.contains("cut short or corrupt"),
        "{err}"
    );
}

#[test]
fn a_corrupt_parquet_footer_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = parquet_of(&cur());
    let n = bytes.len();
    bytes[n - 12..n - 4].fill(0xff);
    let bad = write(dir.path(), "cur.parquet", &bytes);
    let err = fails(&[&"--cur", &bad]);
    assert!(
        err.contains("cur.parquet") && err.contains("not a readable Parquet file"),
        "{err}"
    );
    let short = write(dir.path(), "short.parquet", &parquet_of(&cur())[..100]);
    let err = fails(&[&"--cur", &short]);
    assert!(err.contains("short.parquet"), "{err}");
}

#[test]
fn bad_arguments_and_empty_folders_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(&[&"--cur", &dir.path()]);
    assert!(err.contains("no CUR file"), "{err}");
    let missing: &Path = &dir.path().join("nope.csv");
    let err = fails(&[&"--cur", &missing]);
    assert!(err.contains("nope.csv"), "{err}");
    let f = write(dir.path(), "cur.csv", cur());
    let out = kiro()
        .args(["reconcile", "--cur"])
        .arg(&f)
        .args(["--month", "2026-3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("YYYY-MM"));
}

#[test]
fn an_unknown_usage_type_is_a_warning_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        seat("666666666666", "Pro", "u-alice", "20"),
        seat("666666666666", "Ultra", "u-bob", "300"),
    ];
    let f = write(
        dir.path(),
        "cur.csv",
        format!("{HEADER}\n{}\n", lines.join("\n")),
    );
    let out = kiro()
        .args(["reconcile", "--cur"])
        .arg(&f)
        .args(["--month", "2026-03", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains("warning:")
            && err.contains("cur.csv:3:1")
            && err.contains("USE1-KiroEnterprise-Ultra"),
        "{err}"
    );
    let v = json(&out.stdout);
    assert_eq!(
        money(&v["billed"]["total"]),
        320.0,
        "still counted in the totals"
    );
    assert_eq!(v["idle"].as_array().unwrap().len(), 1, "but not as a seat");
}

/// `generate --cur` writes an export of the estate's month that reconciles with it.
#[test]
fn a_generated_export_reconciles_with_its_estate() {
    let dir = tempfile::tempdir().unwrap();
    let estate = dir.path().join("estate.yaml");
    let mut results = Vec::new();
    for name in ["cur.csv.gz", "cur.parquet", "cur.csv"] {
        let cur = dir.path().join(name);
        let out = kiro()
            .args([
                "generate",
                "--users",
                "200",
                "--subscriptions",
                "300",
                "--profiles",
                "6",
                "--out",
            ])
            .arg(&estate)
            .arg("--cur")
            .arg(&cur)
            .args(["--month", "2026-03"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let (code, v) = reconcile(&[&estate, &"--cur", &cur]);
        assert_eq!(code, 0, "only discounts differ: {:#}", v["differences"]);
        results.push(v);
    }
    let v = &results[0];
    let lines = v["read"]["lines"].as_u64().unwrap();
    let kiro_lines = v["read"]["kiro-lines"].as_u64().unwrap();
    assert!(
        kiro_lines * 90 < lines && lines < kiro_lines * 110,
        "about 1% Kiro: {kiro_lines} of {lines}"
    );
    // Gross billed = the model's bill plus the upgraded seat's lower plan, which is refunded.
    let refund: f64 = v["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "Refund")
        .map(|a| money(&a["amount"]))
        .sum();
    assert!(refund < 0.0, "a mid-month upgrade: {:#}", v["adjustments"]);
    assert_eq!(
        money(&v["billed"]["total"]) + refund,
        money(&v["modelled"]["total"])
    );
    let discounts = v["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "EdpDiscount")
        .count();
    assert_eq!(discounts, v["billed"]["accounts"].as_array().unwrap().len());
    assert!(!v["duplicates"].as_array().unwrap().is_empty());
    assert!(!v["idle"].as_array().unwrap().is_empty());
    let strip = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("read");
        v
    };
    assert_eq!(strip(&results[1]), strip(&results[0]));
    assert_eq!(strip(&results[2]), strip(&results[0]));
}

#[test]
fn user_reports_explain_the_overage_billed_or_fail_the_pipeline() {
    let (dir, _estate, cur) = setup();
    // The CUR bills u-alice 4.00 of credits in 666666666666: 100 overage credits at 0.04.
    let reports = dir.path().join("reports");
    let report = |overage: &str| {
        crate::cost::user_report(
            &reports,
            "666666666666",
            "KIRO_IDE",
            "02",
            "20200",
            &format!(
                "{}\n2026-03-01,u-alice,KIRO_IDE,1,1100,0,{overage},true,,PRO,2,,,2,0\n",
                crate::cost::REPORT_HEADER
            ),
        );
        crate::cost::user_report(
            &reports,
            "999999999999",
            "KIRO_CLI",
            "02",
            "20200",
            &format!(
                "{}\n2026-03-01,u-alice2,KIRO_CLI,1,3,0,0,false,,PRO,2,,,2,0\n",
                crate::cost::REPORT_HEADER
            ),
        );
    };
    report("100");
    let (code, v) = reconcile(&[&"--cur", &cur, &"--usage", &reports]);
    assert_eq!(code, 0, "the reports explain the overage: {v:#}");
    assert_eq!(v["overage-explained"], 1);
    assert!(v["differences"].as_array().unwrap().is_empty(), "{v:#}");
    // Idle stays CUDOS's (no Credits line), with the days the reports show beside it.
    let alice2 = v["idle"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["user"] == "u-alice2")
        .unwrap();
    assert_eq!(alice2["report-days"], 1);
    assert_eq!(v["read"]["usage"]["rows"], 2);

    // A later re-export says 50: half the overage billed is unexplained.
    crate::cost::user_report(
        &reports,
        "666666666666",
        "KIRO_IDE",
        "02",
        "20530",
        &format!(
            "{}\n2026-03-01,u-alice,KIRO_IDE,1,1050,0,50,true,,PRO,2,,,2,0\n",
            crate::cost::REPORT_HEADER
        ),
    );
    let (code, v) = reconcile(&[&"--cur", &cur, &"--usage", &reports]);
    assert_eq!(code, 1, "unexplained overage fails the pipeline: {v:#}");
    assert_eq!(
        differences(&v),
        BTreeSet::from([(
            "666666666666".to_owned(),
            "u-alice".to_owned(),
            "overage".to_owned(),
            "4.0".to_owned(),
            "2.0".to_owned()
        )])
    );
    assert_eq!(v["read"]["usage"]["replaced"].as_array().unwrap().len(), 1);
}

#[test]
fn chargeback_by_a_user_attribute_tag_adds_up_to_the_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let tag = |cc: &str| {
        format!(
            ",\"{{\"\"userAttribute/costCenter\"\":\"\"{cc}\"\",\"\"user:team\"\":\"\"x\"\"}}\""
        )
    };
    let lines = [
        seat("666666666666", "Pro", "u-alice", "20") + &tag("CC-1"),
        credits("666666666666", "u-alice", "4") + &tag("CC-1"),
        seat("666666666666", "Pro", "u-bob", "20") + &tag("CC-2"),
        seat("444444444444", "ProPlus", "u-erin", "40") + ",",
        line(
            "2026-03-01",
            "666666666666",
            "EdpDiscount",
            ["Kiro", "USE1-KiroEnterprise-Pro", "monthly-subscription"],
            "",
            "-10",
        ) + ",",
    ];
    let cur = write(
        dir.path(),
        "cur.csv",
        format!("{HEADER},resource_tags\n{}\n", lines.join("\n")),
    );
    let (code, v) = reconcile(&[&"--cur", &cur, &"--by", &"attribute:costCenter"]);
    assert_eq!(code, 0, "{v:#}");
    // The same from Parquet, where `resource_tags` is a map.
    let pq = write(
        dir.path(),
        "cur.parquet",
        parquet_of(&std::fs::read_to_string(&cur).unwrap()),
    );
    let (_, from_parquet) = reconcile(&[&"--cur", &pq, &"--by", &"attribute:costCenter"]);
    assert_eq!(from_parquet["chargeback"], v["chargeback"]);
    let cb = &v["chargeback"];
    let rows: Vec<(String, f64, f64, f64)> = cb["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["value"].as_str().unwrap().to_owned(),
                money(&r["charges"]),
                money(&r["share"]),
                money(&r["total"]),
            )
        })
        .collect();
    // -10.00 over 24/20/40, toward zero per row: -2.85, -2.38, -4.76; the residue -0.01 goes
    // on the largest row.
    assert_eq!(
        rows,
        [
            ("CC-1".to_owned(), 24.0, -2.85, 21.15),
            ("CC-2".to_owned(), 20.0, -2.38, 17.62),
            ("unallocated".to_owned(), 40.0, -4.77, 35.23),
        ]
    );
    assert_eq!(money(&cb["total"]), 74.0, "the rows add up to the invoice");
    assert_eq!(cb["residue"]["row"], "unallocated");
    // The same in words, residue stated.
    let out = kiro()
        .arg("reconcile")
        .args(["--cur".as_ref(), cur.as_os_str()])
        .args(["--month", "2026-03", "--by", "attribute:costCenter"])
        .output()
        .unwrap();
    let human = text(&out.stdout);
    assert!(human.contains("billed by costCenter"), "{human}");
    assert!(
        human.contains("the residue of -0.01 is on the largest row, `unallocated`"),
        "{human}"
    );
    // With the estate, a user without the tag takes the estate's attribute.
    let estate = write(
        dir.path(),
        "estate.yaml",
        ESTATE.replace(
            "{user-name: erin, id: u-erin, email: erin@example.com}",
            "{user-name: erin, id: u-erin, email: erin@example.com, attributes: {costCenter: CC-2}}",
        ),
    );
    let (_, v) = reconcile(&[&estate, &"--cur", &cur, &"--by", &"attribute:costCenter"]);
    let values: Vec<&str> = v["chargeback"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["CC-1", "CC-2"]);
}

#[test]
fn the_athena_query_selects_what_the_reader_reads() {
    let out = kiro()
        .arg("reconcile")
        .args([
            "--athena-sql",
            "--month",
            "2026-03",
            "--table",
            "cur_db.cur2",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let sql = text(&out.stdout);
    assert!(sql.contains("FROM \"cur_db\".\"cur2\""), "{sql}");
    // Athena's CSV result has the selected names as its header: the reader takes it as a CUR.
    let select = sql
        .split("SELECT")
        .nth(1)
        .unwrap()
        .split("FROM")
        .next()
        .unwrap();
    let names: Vec<&str> = select
        .split(",\n")
        .map(|c| c.trim().rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(names.len(), 13, "{names:?}");
    let value = |name: &str| match name {
        "line_item_product_code" => "Kiro",
        "line_item_usage_type" => "USE1-KiroEnterprise-Pro",
        "line_item_operation" => "monthly-subscription",
        "line_item_line_item_type" => "FlatRateSubscription",
        "line_item_resource_id" => "arn:aws:identitystore:::user/u-alice",
        "line_item_usage_account_id" => "666666666666",
        "bill_payer_account_id" => "123456789012",
        "line_item_unblended_cost" => "20.0",
        "line_item_usage_amount" => "1.0",
        "line_item_usage_start_date" | "bill_billing_period_start_date" => {
            "2026-03-01 00:00:00.000"
        }
        "product_region_code" => "us-east-1",
        "resource_tags" => "\"{\"\"costCenter\"\":\"\"CC-1\"\"}\"",
        other => panic!("unexpected column {other}"),
    };
    let dir = tempfile::tempdir().unwrap();
    let cur = write(
        dir.path(),
        "athena-result.csv",
        format!(
            "{}\n{}\n",
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(","),
            names.iter().map(|n| value(n)).collect::<Vec<_>>().join(",")
        ),
    );
    let (code, v) = reconcile(&[&"--cur", &cur]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(money(&v["billed"]["total"]), 20.0);
    assert_eq!(v["idle"][0]["user"], "u-alice");
    // Not a table name: bad input; `--athena-sql` needs `--table`.
    let bad = kiro()
        .arg("reconcile")
        .args([
            "--athena-sql",
            "--month",
            "2026-03",
            "--table",
            "cur; DROP TABLE x",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let no_table = kiro()
        .arg("reconcile")
        .args(["--athena-sql", "--month", "2026-03"])
        .output()
        .unwrap();
    assert_eq!(no_table.status.code(), Some(2));
}

#[test]
fn a_focus_export_reads_as_the_cur_does_and_the_models_own_matches() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    // The model's bill as FOCUS 1.2 is what AWS would bill if the model were right.
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .args(["--month", "2026-03", "--format", "focus"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let focus = write(dir.path(), "focus.csv", &out.stdout);
    let (code, v) = reconcile(&[&estate, &"--cur", &focus]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["billed"], v["modelled"], "{v:#}");
    assert!(v["differences"].as_array().unwrap().is_empty(), "{v:#}");
    // An AWS-style FOCUS line: a discount as a `Credit` charge is reported apart.
    let mut text = String::from_utf8(out.stdout).unwrap();
    text.push_str("-5.00,123456789012,management,USD,2026-04-01T00:00:00Z,2026-03-01T00:00:00Z,Credit,,EDP discount,One-Time,2026-04-01T00:00:00Z,2026-03-01T00:00:00Z,,,-5.00,,-5.00,AWS,0,,Standard,,,AWS,AWS,us-east-1,,,,AI and Machine Learning,Kiro,Generative AI,,666666666666,web,{},Kiro,USE1-KiroEnterprise-Pro,monthly-subscription\n");
    let with_discount = write(dir.path(), "focus2.csv", &text);
    let (code, v) = reconcile(&[&estate, &"--cur", &with_discount]);
    assert_eq!(code, 0, "a discount is explained: {v:#}");
    assert_eq!(money(&v["adjusted"]), -5.0);
    // The same export as Parquet, typed as AWS types FOCUS (costs and quantities as
    // doubles, periods as timestamps, `Tags` a map), reads alike.
    let parquet = write(dir.path(), "focus.parquet", parquet_of(&text));
    let (code, from_parquet) = reconcile(&[&estate, &"--cur", &parquet]);
    assert_eq!(code, 0, "{from_parquet:#}");
    assert_eq!(from_parquet["billed"], v["billed"], "{from_parquet:#}");
    assert_eq!(from_parquet["adjusted"], v["adjusted"], "{from_parquet:#}");
    assert_eq!(from_parquet["modelled"], v["modelled"], "{from_parquet:#}");
}

#[test]
fn with_an_estate_the_model_prices_the_reports_overage() {
    let (dir, _, cur) = setup();
    let estate = write(
        dir.path(),
        "overage.yaml",
        ESTATE.replacen(
            "    instance: \"123456789012\"\n    subscriptions:\n      - {user-name: alice, plan: pro}\n      - {user-name: bob",
            "    instance: \"123456789012\"\n    settings: {overage: true}\n    subscriptions:\n      - {user-name: alice, plan: pro}\n      - {user-name: bob",
            1,
        ),
    );
    let alice_overage = |v: &Value| {
        differences(v)
            .into_iter()
            .any(|d| d.0 == "666666666666" && d.1 == "u-alice" && d.2 == "overage")
    };
    let (_, without) = reconcile(&[&estate, &"--cur", &cur]);
    assert!(alice_overage(&without), "{without:#}");
    let reports = dir.path().join("reports");
    crate::cost::user_report(
        &reports,
        "666666666666",
        "KIRO_IDE",
        "02",
        "20200",
        &format!(
            "{}\n2026-03-01,u-alice,KIRO_IDE,1,1100,0,100,true,,PRO,2,,,2,0\n",
            crate::cost::REPORT_HEADER
        ),
    );
    let (_, with) = reconcile(&[&estate, &"--cur", &cur, &"--usage", &reports]);
    assert!(!alice_overage(&with), "the reports explain it: {with:#}");
    assert_eq!(with["overage-explained"], 1);
}

#[test]
fn report_with_the_cur_shows_what_reconcile_says() {
    let (dir, estate, cur) = setup();
    let (_, v) = reconcile(&[&estate, &"--cur", &cur]);
    let out = dir.path().join("report.html");
    let run = kiro()
        .arg("report")
        .arg(&estate)
        .arg("--cur")
        .arg(&cur)
        .args(["--month", "2026-03", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let page = crate::report::parse(&std::fs::read_to_string(&out).unwrap());
    assert!(page.errors.is_empty(), "{:?}", page.errors);
    let data = |id: &str| -> f64 { page.data[id].parse().unwrap() };
    assert_eq!(data("cur-billed"), money(&v["billed"]["total"]));
    assert_eq!(data("cur-modelled"), money(&v["modelled"]["total"]));
    let n = v["differences"].as_array().unwrap().len();
    assert!(n > 0);
    assert_eq!(data("cur-differences"), n as f64);
    // Every difference, with its account, amounts and reason code.
    let rows = &page.tables["cur-differences-table"];
    for d in v["differences"].as_array().unwrap() {
        let (account, code) = (d["account"].as_str().unwrap(), d["code"].as_str().unwrap());
        let amount = |k: &str| format!("{:.2}", money(&d[k]));
        assert!(
            rows.iter().any(|r| r[0] == account
                && r[2] == amount("billed")
                && r[3] == amount("modelled")
                && r[4].ends_with(code)),
            "no row for {d}: {rows:?}"
        );
    }
    // Per account, billed against modelled.
    let accounts = &page.tables["cur-accounts"];
    for a in v["billed"]["accounts"].as_array().unwrap() {
        let total = format!("{:.2}", money(&a["total"]));
        assert!(
            accounts
                .iter()
                .any(|r| r[0] == a["account"].as_str().unwrap() && r[1] == total),
            "{a}: {accounts:?}"
        );
    }
}

#[test]
fn report_with_a_cur_needs_its_month() {
    let (dir, estate, cur) = setup();
    let out = dir.path().join("report.html");
    let run = kiro()
        .arg("report")
        .arg(&estate)
        .arg("--cur")
        .arg(&cur)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("--month"),
        "{}",
        text(&run.stderr)
    );
    assert!(!out.exists());
}
