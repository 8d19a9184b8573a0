//! `kiro-org cost` and `kiro-org patterns` end to end.

use crate::support::{kiro, write};
use assert_cmd::Command;
use serde_json::{Value, json};

const ESTATE: &str = r#"
version: 1
accounts:
  - {id: "123456789012", name: management}
  - {id: "666666666666", name: web, organization: "123456789012", parent: projects}
  - {id: "444444444444", name: data, organization: "123456789012", parent: projects}
  - {id: "999999999999", name: solo}
organizations:
  - management: "123456789012"
    ous:
      - {name: projects, parent: root}
instances:
  - account: "123456789012"
    kind: organization
    region: us-east-1
    created: 2024-04-02
    users:
      - {user-name: alice, email: alice@example.com}
      - {user-name: bob, email: bob@example.com}
      - {user-name: emi, email: emi@example.com}
    groups:
      - {name: group-a, members: [alice, bob]}
      - {name: group-b, members: [alice]}
      - {name: empty, members: []}
  - account: "999999999999"
    kind: account
    region: us-east-1
    created: 2024-04-02
    users:
      - {user-name: alice2, email: ALICE@example.com}
      - {user-name: bob, email: bob@elsewhere.example}
profiles:
  - account: "666666666666"
    region: us-east-1
    instance: "123456789012"
    settings: {overage: true}
    subscriptions:
      - {group: group-a, plan: pro}
      - {group: group-b, plan: pro-plus}
      - {group: empty, plan: power}
      - {user-name: emi, plan: power, status: pending}
  - account: "444444444444"
    region: us-east-1
    instance: "123456789012"
    subscriptions:
      - {user-name: alice, plan: pro}
  - account: "999999999999"
    region: us-east-1
    instance: "999999999999"
    subscriptions:
      - {user-name: alice2, plan: pro}
      - {user-name: bob, plan: pro}
"#;

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn cost_json_has_the_contract_fields_and_exact_sums() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let v = json_of(kiro().arg("cost").arg(&estate).args(["--format", "json"]));
    assert_eq!(v["currency"], "USD");
    // web: alice Pro+ (40) + bob Pro (20); data: alice Pro (20); solo: alice2 + bob (20 + 20).
    assert_eq!(v["total"].as_f64(), Some(120.0));
    let accounts = v["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    let by_account = |a: &str| {
        accounts.iter().find(|x| x["account"] == a).unwrap()["total"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(by_account("666666666666"), 60.0);
    assert_eq!(by_account("444444444444"), 20.0);
    assert_eq!(by_account("999999999999"), 40.0);
    let profiles = v["profiles"].as_array().unwrap();
    let web = profiles
        .iter()
        .find(|p| p["account"] == "666666666666")
        .unwrap();
    assert_eq!(
        (
            web["region"].as_str(),
            web["users"].as_u64(),
            web["pending"].as_u64()
        ),
        (Some("us-east-1"), Some(2), Some(1))
    );
    let dups = v["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{dups:?}");
    assert_eq!(dups[0]["profiles"].as_array().unwrap().len(), 3);
    assert_eq!(dups[0]["avoidable"].as_f64(), Some(40.0));
    // The seat to keep needs nothing removed; each other seat names the paths to cut.
    let remove: Vec<(&str, &Value)> = dups[0]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["account"].as_str().unwrap(), &p["remove"]))
        .collect();
    assert_eq!(
        remove,
        [
            ("666666666666", &json!([])),
            ("444444444444", &json!([{"user": "alice"}])),
            ("999999999999", &json!([{"user": "alice2"}])),
        ]
    );
    assert_eq!(v["rule"], "charged-in-each");
    assert_eq!(v["pending"][0]["user-name"], "emi");
    assert_eq!(v["ous"][0]["total"].as_f64(), Some(80.0));
    assert_eq!(v["organizations"][0]["total"].as_f64(), Some(80.0));
    assert_eq!(v["standalone"][0]["total"].as_f64(), Some(40.0));
}

#[test]
fn cost_human_csv_and_breakdowns() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let out = kiro().arg("cost").arg(&estate).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.contains("total: USD 120.00"), "{text}");
    assert!(
        text.contains("pending, not charged until first sign-in"),
        "{text}"
    );
    assert!(text.contains("40.00 avoidable"), "{text}");
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .args(["--format", "csv", "--by", "account"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with(
            "account,name,organization,parent,profiles,subscriptions,overage,total,currency\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("666666666666,web,123456789012,projects,1,60.00,0.00,60.00,USD"),
        "{csv}"
    );
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .args(["--by", "ou"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("root/projects")
    );
}

#[test]
fn prices_file_switches_the_rule_and_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let book = "currency: EUR\nplans:\n  pro: {monthly: 10, credits: 1000}\n  pro-plus: {monthly: 30, credits: 2000}\n  pro-max: {monthly: 90, credits: 5000}\n  power: {monthly: 150, credits: 10000}\noverage-per-credit: 0.05\ncross-profile: once-per-organization\n";
    let prices = write(dir.path(), "prices.yaml", book);
    let v = json_of(
        kiro()
            .arg("cost")
            .arg(&estate)
            .arg("--prices")
            .arg(&prices)
            .args(["--format", "json"]),
    );
    assert_eq!(v["currency"], "EUR");
    assert_eq!(v["rule"], "once-per-organization");
    // alice once in the organization at Pro+ (30), bob 10; standalone alice2 10 + bob 10.
    assert_eq!(v["total"].as_f64(), Some(60.0));

    let bad = write(
        dir.path(),
        "bad.yaml",
        "currency: USD\nplans:\n  pro: {monthly: 20, credits: 1000}\noverage-per-credt: 0.04\n",
    );
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .arg("--prices")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.yaml:4:1"), "{err}");
    assert!(err.contains("did you mean `overage-per-credit`?"), "{err}");
    assert!(
        err.contains("missing plans `pro-plus`, `pro-max`, `power`"),
        "{err}"
    );
}

#[test]
fn usage_adds_overage_only_where_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let usage = write(
        dir.path(),
        "usage.csv",
        "Email,Account,Region,Month,Credits_Used\nbob@example.com,666666666666,us-east-1,2026-03,1500\nalice@example.com,444444444444,us-east-1,2026-03,1500\n",
    );
    let v = json_of(
        kiro()
            .arg("cost")
            .arg(&estate)
            .arg("--usage")
            .arg(&usage)
            .args(["--format", "json", "--by", "user"]),
    );
    // bob: 500 credits over Pro where overage is allowed: 20.00; alice's 500 in the data
    // profile are not billed (overage off there).
    assert_eq!(v["overage"].as_f64(), Some(20.0));
    assert_eq!(v["total"].as_f64(), Some(140.0));
    let alice = v["charges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["account"] == "444444444444")
        .unwrap();
    assert_eq!(alice["uncharged-overage-credits"].as_f64(), Some(500.0));
}

#[test]
fn month_bill_replays_the_log_written_by_apply() {
    let dir = tempfile::tempdir().unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        r#"
- {op: create-account, id: "123456789012", name: management, at: 2026-01-05}
- {op: create-organization, management: "123456789012", at: 2026-01-05}
- {op: create-account, id: "210987654321", name: dev, at: 2026-01-05}
- {op: invite-account, organization: "123456789012", account: "210987654321", at: 2026-01-05}
- {op: enable-identity-center, account: "123456789012", region: us-east-1, at: 2026-01-05}
- {op: create-user, instance: "123456789012", user-name: hanako, email: hanako@example.com, at: 2026-01-05}
- {op: create-profile, account: "210987654321", region: us-east-1, at: 2026-01-05}
- {op: subscribe, account: "210987654321", region: us-east-1, user-name: hanako, plan: power, at: 2026-02-03}
- {op: subscribe, account: "210987654321", region: us-east-1, user-name: hanako, plan: pro, at: 2026-03-10}
- {op: unsubscribe, account: "210987654321", region: us-east-1, user-name: hanako, at: 2026-04-20}
"#,
    );
    let estate = dir.path().join("estate.yaml");
    let out = kiro()
        .arg("apply")
        .arg(&ops)
        .arg("--out")
        .arg(&estate)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let total = |m: &str| {
        let v = json_of(
            kiro()
                .arg("cost")
                .arg(&estate)
                .args(["--month", m, "--format", "json"]),
        );
        assert_eq!(v["month"], m);
        v["total"].as_f64().unwrap()
    };
    assert_eq!(total("2026-01"), 0.0);
    assert_eq!(total("2026-02"), 200.0);
    assert_eq!(
        total("2026-03"),
        200.0,
        "a downgrade keeps the higher plan for the month"
    );
    assert_eq!(
        total("2026-04"),
        20.0,
        "cancelling mid-month charges the month"
    );
    assert_eq!(total("2026-05"), 0.0);
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .args(["--month", "2026-13"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn patterns_json_lists_every_profile() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let v = json_of(
        kiro()
            .arg("patterns")
            .arg(&estate)
            .args(["--format", "json"]),
    );
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["account"], "666666666666");
    assert_eq!(list[0]["region"], "us-east-1");
    assert_eq!(list[0]["pattern"], 2);
    assert_eq!(list[2]["pattern"], 1);
    assert!(list[2]["reason"].as_str().unwrap().contains("standalone"));
}

/// The `total` column of a `cost --by BY --format csv`, summed in cents.
fn csv_total_cents(estate: &std::path::Path, by: &str) -> i64 {
    let out = kiro()
        .arg("cost")
        .arg(estate)
        .args(["--by", by, "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{by}");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "total")
        .unwrap();
    reader
        .records()
        .map(|r| {
            let money: f64 = r.unwrap()[column].parse().unwrap();
            (money * 100.0).round() as i64
        })
        .sum()
}

#[test]
fn every_breakdown_adds_up_to_the_bill() {
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated.json");
    kiro()
        .args([
            "generate",
            "--accounts",
            "300",
            "--ous",
            "40",
            "--users",
            "400",
        ])
        .args(["--groups", "30", "--memberships", "900", "--profiles", "12"])
        .args(["--subscriptions", "300", "--out"])
        .arg(&generated)
        .assert()
        .success();
    let mut estates = vec![generated, write(dir.path(), "small.yaml", ESTATE)];
    for name in [
        "enterprise.yaml",
        "pattern-1-standalone.yaml",
        "pattern-4-management.yaml",
    ] {
        estates.push(crate::support::example(name));
    }
    for estate in &estates {
        let out = kiro()
            .arg("cost")
            .arg(estate)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let total = (v["total"].as_f64().unwrap() * 100.0).round() as i64;
        assert!(
            total > 0,
            "{}: an empty bill proves nothing",
            estate.display()
        );
        for by in ["profile", "account", "ou"] {
            assert_eq!(
                csv_total_cents(estate, by),
                total,
                "{} --by {by}",
                estate.display()
            );
        }
        // The JSON's roots and OUs partition each organization's total the same way.
        for root in v["roots"].as_array().unwrap() {
            let org = root["organization"].as_str().unwrap();
            let own: f64 = v["ous"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o["organization"] == org)
                .map(|o| o["own"].as_f64().unwrap())
                .sum::<f64>()
                + root["own"].as_f64().unwrap();
            assert_eq!(
                (own * 100.0).round(),
                (root["total"].as_f64().unwrap() * 100.0).round(),
                "{}",
                estate.display()
            );
        }
    }
}

#[test]
fn a_month_before_a_profile_was_created_does_not_bill_it() {
    let estate = crate::support::example("enterprise.yaml");
    let bill = |month: Option<&str>| -> Value {
        let mut cmd = kiro();
        cmd.arg("cost").arg(&estate).args(["--format", "json"]);
        if let Some(m) = month {
            cmd.args(["--month", m]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{month:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let now = bill(None);
    let total = |v: &Value| v["total"].as_f64().unwrap();
    let notes = |v: &Value| v["notes"].to_string();

    let before = bill(Some("2020-01"));
    assert_eq!(total(&before), 0.0);
    assert!(before["profiles"].as_array().unwrap().is_empty());
    assert!(
        notes(&before).contains("no profile existed yet in 2020-01"),
        "{}",
        notes(&before)
    );

    let early = bill(Some("2024-02"));
    assert!(
        total(&early) > 0.0 && total(&early) < total(&now),
        "{}",
        total(&early)
    );
    assert!(
        notes(&early).contains("created after 2024-02 not billed"),
        "{}",
        notes(&early)
    );

    assert_eq!(total(&bill(Some("2026-11"))), total(&now));
}

#[test]
fn tables_never_split_an_id_a_region_or_an_amount() {
    let estate = crate::support::repo("examples/enterprise.yaml");
    let text = std::fs::read_to_string(&estate).unwrap();
    let ids: Vec<String> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 12)
        .map(str::to_owned)
        .collect();
    assert!(ids.len() > 5);
    for columns in ["80", "200"] {
        for by in ["profile", "account", "ou", "user"] {
            let out = kiro()
                .env("COLUMNS", columns)
                .args(["cost", "--by", by])
                .arg(&estate)
                .output()
                .unwrap();
            let shown = String::from_utf8(out.stdout).unwrap();
            // A cut leaves a fragment in a cell: the start of an account id, or a region's
            // `us-east-` with its number on the next line.
            for line in shown.lines().filter(|l| l.contains('┆')) {
                for cell in line.split(['┆', '│']) {
                    let cell = cell.trim();
                    let cut_id = (4..12).contains(&cell.len())
                        && cell.chars().all(|c| c.is_ascii_digit())
                        && ids.iter().any(|id| id.starts_with(cell));
                    assert!(!cut_id, "an id cut at COLUMNS={columns}, --by {by}: {line}");
                    assert!(
                        !cell.ends_with('-'),
                        "a word cut at COLUMNS={columns}, --by {by}: {line}"
                    );
                }
            }
            let account_cells = shown.matches("100000000000").count();
            assert!(account_cells > 0, "--by {by} at {columns}:\n{shown}");
        }
    }
}
