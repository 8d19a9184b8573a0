//! `kiro-org cost` and `kiro-org patterns` end to end.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// The header of Kiro's user report, as AWS writes it.
pub const REPORT_HEADER: &str = "Date,UserId,Client_Type,Chat_Conversations,Credits_Used,Overage_Cap,Overage_Credits_Used,Overage_Enabled,ProfileId,Subscription_Tier,Total_Messages,New_User,User_Email,auto_messages,claude_sonnet_4.6_messages";

/// Writes one user report where S3 puts it below `root`: `day` is the folder's day of March
/// 2026, `stamp` the export's time in its name.
pub fn user_report(
    root: &Path,
    account: &str,
    client: &str,
    day: &str,
    stamp: &str,
    text: &str,
) -> PathBuf {
    let dir = root.join(format!(
        "AWSLogs/{account}/KiroLogs/user_report/us-east-1/2026/03/{day}/00"
    ));
    std::fs::create_dir_all(&dir).unwrap();
    write(
        &dir,
        &format!("{client}_{account}_user_report_2026030{stamp}.csv"),
        text,
    )
}

/// The Identity Center user id of each (account, user name), as `cost --by user` lists them.
fn user_ids(estate: &Path) -> BTreeMap<(String, String), String> {
    let out = kiro()
        .arg("cost")
        .arg(estate)
        .args(["--by", "user", "--format", "csv"])
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            ((rec[0].to_owned(), rec[2].to_owned()), rec[3].to_owned())
        })
        .collect()
}

#[test]
fn user_reports_add_overage_only_where_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let ids = user_ids(&estate);
    let id = |account: &str, user: &str| ids[&(account.to_owned(), user.to_owned())].clone();
    let (alice, bob) = (id("444444444444", "alice"), id("666666666666", "bob"));
    let reports = dir.path().join("s3-copy");
    // bob: the IDE and the CLI on one day, merged: 1500 credits, 500 over Pro. The IDE file
    // has a byte order mark, a quoted id, a new model column and an unknown column.
    user_report(
        &reports,
        "666666666666",
        "KIRO_IDE",
        "02",
        "20200",
        &format!(
            "\u{feff}{REPORT_HEADER},gpt_5.6_luna_messages,Shiny_Column\n2026-03-01,\"'{bob}'\",KIRO_IDE,3,1000,0,,true,arn:aws:codewhisperer:us-east-1:666666666666:profile/P,PRO,,false,,4,5,1,x\n"
        ),
    );
    user_report(
        &reports,
        "666666666666",
        "KIRO_CLI",
        "02",
        "20200",
        &format!(
            "{REPORT_HEADER},Shiny_Column\n3/1/2026,{bob},KIRO_CLI,1,500,0,,true,,PRO,2,false,bob@example.com,2,0,y\n"
        ),
    );
    // alice in the data profile: exported, then re-exported with 1500; overage is off there.
    for (stamp, credits) in [("20200", 900), ("20530", 1500)] {
        user_report(
            &reports,
            "444444444444",
            "KIRO_IDE",
            "02",
            stamp,
            &format!(
                "{REPORT_HEADER}\n2026-03-01,{alice},KIRO_IDE,1,{credits},0,,false,,PRO,2,,,2,0\n"
            ),
        );
    }
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .arg("--usage")
        .arg(&reports)
        .args(["--format", "json", "--by", "user"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.matches("unknown column `Shiny_Column`").count(),
        1,
        "one warning per unknown column: {err}"
    );
    assert!(!err.contains("gpt_5.6_luna_messages"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // bob: 500 credits over Pro where overage is allowed: 20.00; alice's 500 in the data
    // profile are not billed (overage off there), and the earlier export's 900 are gone.
    assert_eq!(v["overage"].as_f64(), Some(20.0));
    assert_eq!(v["total"].as_f64(), Some(140.0));
    let charge = |account: &str, user: &str| {
        v["charges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["account"] == account && c["user-name"] == user)
            .unwrap()
            .clone()
    };
    assert_eq!(
        charge("444444444444", "alice")["uncharged-overage-credits"].as_f64(),
        Some(500.0)
    );
    assert_eq!(
        charge("666666666666", "bob")["credits-used"].as_f64(),
        Some(1500.0)
    );
    let notes = v["notes"].to_string();
    assert!(notes.contains("replaced by a later export"), "{notes}");
    // Right-sizing: bob pays 20 + 20 on Pro; Pro+ serves 1500 credits for 40: upgrade now.
    let bob_rs = v["right-sizing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user-name"] == "bob")
        .unwrap();
    assert_eq!(bob_rs["suggested-plan"], "pro-plus");
    assert_eq!(bob_rs["effective"], "now");
}

#[test]
fn a_bad_user_report_row_is_an_error_at_its_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let report = user_report(
        dir.path(),
        "666666666666",
        "KIRO_IDE",
        "02",
        "20200",
        &format!(
            "{REPORT_HEADER}\n2026-03-01,u-1,KIRO_IDE,1,lots,0,,false,,PRO,2,,,2,0\nMarch 1,u-2,KIRO_IDE,1,5,0,,false,,PRO,2,,,2,0\n"
        ),
    );
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .arg("--usage")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let name = report.display().to_string();
    assert!(
        err.contains(&format!(
            "{name}:2:27: `lots` in column `Credits_Used` is not a number of credits"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:3:1: `March 1` in column `Date`")),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing printed on bad input");
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

#[test]
fn patterns_csv_and_markdown_list_the_same_rows_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(dir.path(), "estate.yaml", ESTATE);
    let listed = json_of(
        kiro()
            .arg("patterns")
            .arg(&estate)
            .args(["--format", "json"]),
    );
    let listed = listed.as_array().unwrap();
    let run = |format: &str| {
        let out = kiro()
            .arg("patterns")
            .arg(&estate)
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let csv = run("csv");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        ["account", "region", "pattern", "reason"]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), listed.len());
    for (record, json) in records.iter().zip(listed) {
        assert_eq!(record[0], json["account"].as_str().unwrap().to_owned());
        assert_eq!(record[2], json["pattern"].to_string());
        assert_eq!(record[3], json["reason"].as_str().unwrap().to_owned());
    }
    let markdown = run("markdown");
    assert!(markdown.starts_with("| account | region | pattern | reason |\n|---|"));
    let table_rows = markdown.lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(table_rows, listed.len() + 1, "{markdown}");
    assert!(
        markdown.contains("3 profiles: pattern 1: 1, pattern 2: 2"),
        "{markdown}"
    );
    assert!(markdown.contains("- **3**: a member account on its own account instance"));
    let human = run("human");
    assert!(
        human.contains("3 profiles: pattern 1: 1, pattern 2: 2"),
        "{human}"
    );
}

/// The `total` column of a `cost --by BY --format csv`, summed in cents.
fn csv_total_cents(estate: &Path, by: &str) -> i64 {
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

#[test]
fn reports_for_people_fit_80_columns() {
    let estate = crate::support::repo("examples/enterprise.yaml");
    let estate = estate.to_str().unwrap();
    for args in [
        vec!["cost", estate],
        vec!["cost", "--by", "account", estate],
        vec!["cost", "--by", "ou", estate],
        vec!["cost", "--by", "user", estate],
        vec!["audit", estate],
        vec!["patterns", estate],
        vec!["rule", "KO104"],
        vec!["rule"],
    ] {
        let out = kiro().env("COLUMNS", "80").args(&args).output().unwrap();
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(!shown.is_empty(), "{args:?} printed nothing");
        for line in shown.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args:?} at COLUMNS=80 runs {} wide: {line}",
                line.chars().count()
            );
            // A line ending in a hyphen is a word (a region, an id) cut at its hyphen.
            assert!(
                !line.trim_end().ends_with('-') || line.trim().chars().all(|c| c == '-'),
                "{args:?} at COLUMNS=80 cuts a word: {line}"
            );
        }
        // Wrapping happens between words: the example's ids are all still whole.
        if args[0] == "cost" {
            assert!(shown.contains("100000000000"), "{args:?}:\n{shown}");
        }
    }
}

#[test]
fn chargeback_by_a_user_attribute_adds_up_to_the_bill() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(
        dir.path(),
        "estate.yaml",
        ESTATE
            .replace(
                "{user-name: alice, email: alice@example.com}",
                "{user-name: alice, email: alice@example.com, attributes: {costCenter: CC-1, department: r&d}}",
            )
            .replace(
                "{user-name: bob, email: bob@example.com}",
                "{user-name: bob, email: bob@example.com, attributes: {costCenter: CC-2}}",
            ),
    );
    let v = json_of(kiro().arg("cost").arg(&estate).args([
        "--by",
        "attribute:costCenter",
        "--format",
        "json",
    ]));
    let total = json_of(kiro().arg("cost").arg(&estate).args(["--format", "json"]))["total"]
        .as_f64()
        .unwrap();
    let rows: Vec<(String, f64)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["value"].as_str().unwrap().to_owned(),
                r["total"].as_f64().unwrap(),
            )
        })
        .collect();
    // alice: Pro+ in web and Pro in data; bob: Pro in web; alice2 and bob of solo: none.
    assert_eq!(
        rows,
        [
            ("CC-1".to_owned(), 60.0),
            ("CC-2".to_owned(), 20.0),
            ("unallocated".to_owned(), 40.0)
        ]
    );
    assert_eq!(rows.iter().map(|r| r.1).sum::<f64>(), total);
    assert_eq!(v["total"].as_f64(), Some(total));
    let table = kiro()
        .arg("cost")
        .arg(&estate)
        .args(["--by", "attribute:costCenter", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(table.stdout).unwrap();
    assert!(
        csv.starts_with("attribute,value,users,total,currency\ncostCenter,CC-1,1,60.00,USD\n"),
        "{csv}"
    );
    // A bad breakdown and a badly typed attribute are bad input, located.
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .args(["--by", "costCenter"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("attribute:KEY"));
    let bad = write(
        dir.path(),
        "bad.yaml",
        ESTATE.replace(
            "{user-name: bob, email: bob@example.com}",
            "{user-name: bob, email: bob@example.com, attributes: {costCenter: [1, 2]}}",
        ),
    );
    let out = kiro().arg("cost").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.yaml:") && err.contains("attributes.costCenter"),
        "{err}"
    );
}

#[test]
fn focus_output_follows_the_focus_column_rules_and_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(
        dir.path(),
        "estate.yaml",
        ESTATE.replace(
            "{user-name: bob, email: bob@example.com}",
            "{user-name: bob, email: bob@example.com, attributes: {costCenter: CC-2}}",
        ),
    );
    let bob = user_ids(&estate)[&("666666666666".to_owned(), "bob".to_owned())].clone();
    let reports = dir.path().join("reports");
    user_report(
        &reports,
        "666666666666",
        "KIRO_IDE",
        "02",
        "20200",
        &format!("{REPORT_HEADER}\n2026-03-01,{bob},KIRO_IDE,1,1500,0,500,true,,PRO,2,,,2,0\n"),
    );
    let run = |format: &str| {
        kiro()
            .arg("cost")
            .arg(&estate)
            .arg("--usage")
            .arg(&reports)
            .args(["--month", "2026-03", "--format", format])
            .output()
            .unwrap()
    };
    let out = run("focus");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let total = serde_json::from_slice::<Value>(&run("json").stdout).unwrap()["total"]
        .as_f64()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    for mandatory in [
        "BilledCost",
        "BillingAccountId",
        "BillingAccountName",
        "BillingCurrency",
        "BillingPeriodEnd",
        "BillingPeriodStart",
        "ChargeCategory",
        "ChargeClass",
        "ChargeDescription",
        "ChargeFrequency",
        "ChargePeriodEnd",
        "ChargePeriodStart",
        "ContractedCost",
        "EffectiveCost",
        "InvoiceIssuerName",
        "ListCost",
        "PricingQuantity",
        "PricingUnit",
        "ProviderName",
        "PublisherName",
        "ServiceCategory",
        "ServiceName",
        "SubAccountId",
        "x_UsageType",
        "x_Operation",
    ] {
        assert!(
            header.iter().any(|h| h == mandatory),
            "{mandatory} missing: {header:?}"
        );
    }
    let rows: Vec<BTreeMap<String, String>> = r
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    let num = |row: &BTreeMap<String, String>, c: &str| row[c].parse::<f64>().unwrap();
    let is_time = |t: &str| {
        t.len() == 20
            && t.ends_with('Z')
            && t.as_bytes()[10] == b'T'
            && t.parse::<jiff::Timestamp>().is_ok()
    };
    let mut billed = 0.0;
    let mut credit_rows = 0;
    for row in &rows {
        let (category, frequency) = (
            row["ChargeCategory"].as_str(),
            row["ChargeFrequency"].as_str(),
        );
        assert!(
            ["Usage", "Purchase", "Tax", "Credit", "Adjustment"].contains(&category),
            "{row:?}"
        );
        assert!(
            ["One-Time", "Recurring", "Usage-Based"].contains(&frequency),
            "{row:?}"
        );
        assert!(
            !(category == "Purchase" && frequency == "Usage-Based"),
            "{row:?}"
        );
        assert_eq!(
            row["ConsumedQuantity"].is_empty(),
            category != "Usage",
            "{row:?}"
        );
        assert_eq!(
            row["ConsumedUnit"].is_empty(),
            row["ConsumedQuantity"].is_empty()
        );
        assert!(!row["PricingUnit"].is_empty() && !row["PricingQuantity"].is_empty());
        for c in [
            "BillingPeriodStart",
            "BillingPeriodEnd",
            "ChargePeriodStart",
            "ChargePeriodEnd",
        ] {
            assert!(is_time(&row[c]), "{c}: {row:?}");
        }
        assert_eq!(row["BillingPeriodStart"], "2026-03-01T00:00:00Z");
        assert_eq!(row["BillingPeriodEnd"], "2026-04-01T00:00:00Z");
        let q = num(row, "PricingQuantity");
        assert!(
            (num(row, "ContractedCost") - num(row, "ContractedUnitPrice") * q).abs() < 0.005,
            "{row:?}"
        );
        assert!(
            (num(row, "ListCost") - num(row, "ListUnitPrice") * q).abs() < 0.005,
            "{row:?}"
        );
        assert_eq!(row["BillingCurrency"], "USD");
        assert!(row["ResourceId"].starts_with("arn:aws:identitystore:::user/"));
        assert!(
            row["x_UsageType"].starts_with("USE1-KiroEnterprise-"),
            "{row:?}"
        );
        assert_eq!(row["SkuId"], row["x_UsageType"]);
        if category == "Usage" {
            credit_rows += 1;
            assert_eq!(frequency, "Usage-Based");
            assert_eq!(row["PricingUnit"], "Credits");
            assert_eq!(row["x_Operation"], "Credits");
            assert_eq!(row["x_UsageType"], "USE1-KiroEnterprise-Credits");
            assert_eq!(
                (row["SubAccountId"].as_str(), num(row, "BilledCost")),
                ("666666666666", 20.0)
            );
            assert_eq!(row["Tags"], r#"{"userAttribute/costCenter":"CC-2"}"#);
        } else {
            assert_eq!((category, frequency), ("Purchase", "Recurring"));
            assert_eq!(row["x_Operation"], "monthly-subscription");
        }
        if row["SubAccountId"] == "999999999999" {
            assert_eq!(
                row["BillingAccountId"], "999999999999",
                "a standalone account pays itself"
            );
        } else {
            assert_eq!(
                row["BillingAccountId"], "123456789012",
                "the management account pays"
            );
        }
        billed += num(row, "BilledCost");
    }
    assert_eq!(credit_rows, 1);
    assert!(
        (billed - total).abs() < 0.005,
        "FOCUS adds up to the bill: {billed} vs {total}"
    );
    // Without a month there is no billing period.
    let out = kiro()
        .arg("cost")
        .arg(&estate)
        .args(["--format", "focus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
