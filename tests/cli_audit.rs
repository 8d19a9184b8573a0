//! `kiro-org audit`, `rule`, `recommend`, `scp generate` and `plan` end to end, through the
//! binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn kiro() -> Command {
    Command::cargo_bin("kiro-org").unwrap()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(output)))
}

fn text(output: &[u8]) -> String {
    String::from_utf8_lossy(output).into_owned()
}

fn findings(v: &Value) -> &Vec<Value> {
    v.as_array().expect("a list of findings")
}

fn codes(v: &Value) -> Vec<String> {
    let mut c: Vec<String> = findings(v)
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn audit_json_has_the_documented_fields_and_every_seed_warning() {
    let assert = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .args(["--format", "json", "--fail-on", "never"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert!(!findings(&v).is_empty());
    for f in findings(&v) {
        for field in ["code", "rule", "severity", "subject", "message"] {
            assert!(f[field].is_string(), "`{field}` missing in {f}");
        }
        assert!(
            ["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()),
            "{f}"
        );
    }
    let found = codes(&v);
    for code in [
        "KO101", "KO202", "KO203", "KO301", "KO302", "KO303", "KO401", "KO402", "KO403", "KO404",
    ] {
        assert!(found.iter().any(|c| c == code), "{code} missing: {found:?}");
    }
    let taro = findings(&v)
        .iter()
        .find(|f| f["code"] == "KO101" && f["subject"] == "taro@acme.example.com")
        .expect("taro's duplicate");
    assert_eq!(taro["rule"], "duplicate-subscription-across-profiles");
    assert_eq!(taro["money"], 20.0);
    assert!(taro["details"]["profiles"].as_array().unwrap().len() >= 2);
    // KO301 names the OU where the SCP belongs, with the affected accounts in details.
    let projects = findings(&v)
        .iter()
        .find(|f| f["code"] == "KO301" && f["subject"] == "projects")
        .expect("KO301 on the projects OU");
    assert_eq!(projects["details"]["scope"], "ou");
    assert_eq!(projects["details"]["accounts"], 8);
    // The human report's summary line counts the same findings.
    let human = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .assert()
        .code(1);
    let summary = text(&human.get_output().stdout);
    assert!(
        summary.contains(&format!("{} findings", findings(&v).len())),
        "{summary}"
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let enterprise = repo("examples/enterprise.yaml");
    let pattern2 = repo("examples/pattern-2-member-org-instance.yaml");
    // Errors in the enterprise: 1 by default, 0 with `never`.
    kiro().arg("audit").arg(&enterprise).assert().code(1);
    kiro()
        .arg("audit")
        .arg(&enterprise)
        .args(["--fail-on", "never"])
        .assert()
        .success();
    // Pattern 2: warnings and info, no error.
    kiro()
        .arg("audit")
        .arg(&pattern2)
        .args(["--fail-on", "error"])
        .assert()
        .success();
    kiro()
        .arg("audit")
        .arg(&pattern2)
        .args(["--fail-on", "low"])
        .assert()
        .code(1);
    // Bad input: 2.
    let bad = kiro()
        .arg("audit")
        .arg(&pattern2)
        .args(["--fail-on", "bogus"])
        .assert()
        .code(2);
    assert!(text(&bad.get_output().stderr).contains("`bogus` is not a severity"));
    kiro()
        .arg("audit")
        .arg(repo("examples/does-not-exist.yaml"))
        .assert()
        .code(2);
}

#[test]
fn config_overrides_severities_and_reports_unused_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("audit.yaml");
    std::fs::write(
        &config,
        "severity:\n  KO301: warning\n  member-can-create-account-instance: info\n  KO101: off\nignore:\n  - {code: KO402, subject: yuki@acme.example.com}\n  - {code: KO401, subject: \"999999999999\"}\n",
    )
    .unwrap();
    let assert = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .arg("--config")
        .arg(&config)
        .args(["--format", "json"])
        .assert()
        // No error is left once KO301 and KO302 are downgraded.
        .success();
    let v = json(&assert.get_output().stdout);
    let all = findings(&v);
    assert!(all.iter().all(|f| f["code"] != "KO101"), "KO101 is off");
    assert!(all.iter().all(|f| f["code"] != "KO402"), "KO402 suppressed");
    assert!(
        all.iter()
            .filter(|f| f["code"] == "KO301")
            .all(|f| f["severity"] == "warning")
    );
    assert!(
        all.iter()
            .filter(|f| f["code"] == "KO302")
            .all(|f| f["severity"] == "info")
    );
    let unused: Vec<&Value> = all.iter().filter(|f| f["code"] == "KO901").collect();
    assert_eq!(unused.len(), 1, "{unused:?}");
    assert_eq!(unused[0]["rule"], "unused-suppression");
    assert_eq!(unused[0]["subject"], "ignore[1]");
    assert!(unused[0]["message"].as_str().unwrap().contains("KO401"));
    let human = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .arg("--config")
        .arg(&config)
        .assert()
        .success();
    assert!(
        text(&human.get_output().stdout).contains("1 suppressed"),
        "{}",
        text(&human.get_output().stdout)
    );

    // A configuration with an unknown code is bad input, with a suggestion.
    std::fs::write(&config, "severity:\n  KO10: info\n").unwrap();
    let bad = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .arg("--config")
        .arg(&config)
        .assert()
        .code(2);
    assert!(text(&bad.get_output().stderr).contains("KO10"));
}

#[test]
fn sarif_is_json_with_a_run_per_audit() {
    let assert = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .args(["--format", "sarif", "--fail-on", "never"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r["ruleId"].is_string()
        && r["message"]["text"].is_string()
        && r["locations"][0]["logicalLocations"][0]["name"].is_string()));
    assert!(
        !runs[0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn human_and_markdown_reports_are_grouped_by_severity() {
    let assert = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .assert()
        .code(1);
    let out = text(&assert.get_output().stdout);
    let errors = out.find("errors (").unwrap();
    let warnings = out.find("warnings (").unwrap();
    assert!(errors < warnings, "{out}");
    assert!(out.contains("error[KO301] member-can-create-profile: projects"));
    assert!(out.trim_end().lines().last().unwrap().contains("findings:"));
    let md = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .args(["--format", "markdown", "--fail-on", "never"])
        .assert()
        .success();
    let md = text(&md.get_output().stdout);
    assert!(md.starts_with("# Kiro audit:"), "{md}");
    assert!(md.contains("| code | rule | subject | finding | help |"));
}

#[test]
fn rule_prints_its_sections_by_code_or_name() {
    for word in ["KO101", "ko101", "duplicate-subscription-across-profiles"] {
        let assert = kiro().args(["rule", word]).assert().success();
        let out = text(&assert.get_output().stdout);
        assert!(
            out.starts_with("# KO101 duplicate-subscription-across-profiles"),
            "{out}"
        );
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Remediation",
        ] {
            assert!(out.contains(section), "{word}: {section} missing");
        }
    }
    let bad = kiro().args(["rule", "KO10"]).assert().code(2);
    let err = text(&bad.get_output().stderr);
    assert!(err.contains("unknown rule `KO10`"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
    let bad = kiro()
        .args(["rule", "duplicate-subscription-acros"])
        .assert()
        .code(2);
    assert!(
        text(&bad.get_output().stderr)
            .contains("did you mean `duplicate-subscription-across-profiles`")
    );
}

#[test]
fn recommend_picks_each_canonical_pattern() {
    let cases: [(&[&str], u64); 4] = [
        (&["--organizations", "no"], 1),
        (
            &[
                "--organizations",
                "yes",
                "--split-cost",
                "yes",
                "--departments",
                "3",
            ],
            2,
        ),
        (
            &[
                "--organizations",
                "yes",
                "--split-cost",
                "yes",
                "--departments",
                "25",
            ],
            3,
        ),
        (
            &[
                "--organizations",
                "yes",
                "--split-cost",
                "no",
                "--per-department-settings",
                "no",
                "--central-governance",
                "yes",
            ],
            4,
        ),
    ];
    for (flags, pattern) in cases {
        let assert = kiro()
            .arg("recommend")
            .args(flags)
            .args(["--no-input", "--format", "json"])
            .assert()
            .success();
        let v = json(&assert.get_output().stdout);
        assert_eq!(v["pattern"], pattern, "{flags:?}: {v}");
        assert!(!v["reasons"].as_array().unwrap().is_empty(), "{v}");
        assert!(v["caveats"].is_array() && v["scps"].is_array(), "{v}");
    }
}

#[test]
fn generated_pattern_4_policies_pass_validation() {
    let assert = kiro()
        .args(["scp", "generate", "--pattern", "4", "--format", "json"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["pattern"], 4);
    let scps = v["scps"].as_array().unwrap();
    assert!(!scps.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for scp in scps {
        let name = scp["name"].as_str().unwrap();
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&scp["document"]).unwrap(),
        )
        .unwrap();
        files.push(path);
    }
    let actions: Vec<&str> = scps
        .iter()
        .flat_map(|s| s["document"]["Statement"].as_array().unwrap())
        .filter_map(|st| st["Action"].as_str())
        .collect();
    assert!(
        actions.contains(&"codewhisperer:CreateProfile"),
        "{actions:?}"
    );
    assert!(actions.contains(&"sso:CreateInstance"), "{actions:?}");
    kiro()
        .args(["scp", "validate"])
        .args(&files)
        .assert()
        .success();
}

/// `principal plan status` per profile, sorted: what a plan must reproduce.
fn subscriptions(path: &Path) -> Vec<(String, Vec<String>)> {
    let estate = kiro_estate::Estate::load(path).unwrap_or_else(|e| panic!("{e}"));
    let mut out: Vec<(String, Vec<String>)> = estate
        .profiles
        .iter()
        .map(|p| {
            let mut subs: Vec<String> = p
                .subscriptions
                .iter()
                .map(|s| format!("{} {} {:?}", s.principal(), s.plan.as_str(), s.status))
                .collect();
            subs.sort();
            (format!("{}/{}", p.account, p.region), subs)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn plan_writes_operations_that_apply_turns_into_the_desired_estate() {
    let dir = tempfile::tempdir().unwrap();
    let current = repo("examples/pattern-2-member-org-instance.yaml");
    let original = std::fs::read_to_string(&current).unwrap();
    let modified = original
        .replace(
            "      - {group: data-team, plan: power}",
            "      - {group: data-team, plan: pro-plus}\n      - {user-name: bob, plan: pro}",
        )
        .replace(
            "{group: group-b, plan: pro-plus}",
            "{group: group-b, plan: power}",
        );
    assert_ne!(original, modified, "the example changed: update the edit");
    let desired = dir.path().join("desired.yaml");
    std::fs::write(&desired, modified).unwrap();
    let ops = dir.path().join("plan.ops.yaml");
    let assert = kiro()
        .arg("plan")
        .arg(&current)
        .arg(&desired)
        .arg("--out")
        .arg(&ops)
        .args(["--format", "json"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert!(v.is_object(), "{v}");
    assert!(ops.exists(), "no operations file");

    let result = dir.path().join("result.yaml");
    kiro()
        .arg("apply")
        .arg(&current)
        .arg(&ops)
        .arg("--out")
        .arg(&result)
        .args(["--now", "2026-01-15T00:00:00Z"])
        .assert()
        .success();
    kiro().arg("check").arg(&result).assert().success();
    assert_eq!(subscriptions(&result), subscriptions(&desired));
    assert_ne!(subscriptions(&result), subscriptions(&current));
}

#[test]
fn scp_simulate_asks_the_engine_about_an_account_of_an_estate() {
    let enterprise = repo("examples/enterprise.yaml");
    let assert = kiro()
        .args(["scp", "simulate", "--estate"])
        .arg(&enterprise)
        .args([
            "--account",
            "666666666666",
            "--action",
            "sso:CreateInstance",
        ])
        .args(["--region", "us-east-1", "--format", "json"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["decision"], "Allowed", "{v}");
    assert!(
        v["reasons"][0]
            .as_str()
            .unwrap()
            .contains("allows it through statement"),
        "{v}"
    );
    kiro()
        .args(["scp", "simulate", "--estate"])
        .arg(&enterprise)
        .args([
            "--account",
            "999999999999",
            "--action",
            "sso:CreateInstance",
        ])
        .args(["--region", "us-east-1"])
        .assert()
        .code(2);
}
