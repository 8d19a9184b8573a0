//! `kiro-org audit`, `rule`, `recommend`, `scp generate` and `plan` end to end, through the
//! binary.

use std::path::Path;

use crate::support::{json, kiro, repo, text, write};
use serde_json::Value;

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
    let config = write(
        dir.path(),
        "audit.yaml",
        "severity:\n  KO301: warning\n  member-can-create-account-instance: info\n  KO305: warning\n  KO101: off\nignore:\n  - {code: KO402, subject: yuki@acme.example.com}\n  - {code: KO401, subject: \"999999999999\"}\n",
    );
    let assert = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .arg("--config")
        .arg(&config)
        .args(["--format", "json"])
        .assert()
        // No error is left once KO301, KO302 and KO305 are downgraded.
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
    // Every result has a region, on the line of its subject's entry in the estate file.
    let estate = std::fs::read_to_string(repo("examples/enterprise.yaml")).unwrap();
    let lines: Vec<&str> = estate.lines().collect();
    for r in results {
        let location = &r["locations"][0];
        let line = location["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap_or_else(|| panic!("no region: {r:#}"));
        let subject = location["logicalLocations"][0]["name"].as_str().unwrap();
        // The root's findings stand on its organization's entry.
        let written = match subject {
            "root" => "management",
            _ => subject.split('/').next().unwrap(),
        };
        let at = lines[usize::try_from(line).unwrap() - 1];
        assert!(at.contains(written), "{subject} at line {line}: {at}");
    }
    // Governance rules rank as security results on GitHub.
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ko301 = rules.iter().find(|r| r["id"] == "KO301").unwrap();
    assert_eq!(ko301["properties"]["security-severity"], "8.0");
    let ko101 = rules.iter().find(|r| r["id"] == "KO101").unwrap();
    assert!(ko101["properties"].get("security-severity").is_none());
}

#[test]
fn csv_has_a_row_per_finding() {
    let all = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    let csv = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .args(["--format", "csv", "--fail-on", "never"])
        .output()
        .unwrap();
    let mut rows = csv::Reader::from_reader(csv.stdout.as_slice());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "severity", "code", "rule", "subject", "message", "help", "money"
        ]
    );
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let findings = findings(&json(&all.stdout)).clone();
    assert_eq!(rows.len(), findings.len());
    for (row, f) in rows.iter().zip(&findings) {
        assert_eq!(&row[1], f["code"].as_str().unwrap());
        assert_eq!(&row[3], f["subject"].as_str().unwrap());
        assert_eq!(&row[4], f["message"].as_str().unwrap());
    }
}

#[test]
fn select_and_ignore_choose_rules_as_ruff_does() {
    let run = |args: &[&str]| {
        let out = kiro()
            .arg("audit")
            .arg(repo("examples/enterprise.yaml"))
            .args(["--format", "json", "--fail-on", "never"])
            .args(args)
            .output()
            .unwrap();
        codes(&json(&out.stdout))
    };
    assert_eq!(run(&["--select", "KO1"]), ["KO101", "KO103"]);
    assert_eq!(
        run(&["--select", "KO1", "--ignore", "pending-subscription"]),
        ["KO101"]
    );
    assert_eq!(run(&["--select", "KO301,KO404"]), ["KO301", "KO404"]);
    assert!(
        !run(&["--ignore", "KO3"])
            .iter()
            .any(|c| c.starts_with("KO3"))
    );
    let bad = kiro()
        .arg("audit")
        .arg(repo("examples/enterprise.yaml"))
        .args(["--select", "KO10l"])
        .assert()
        .code(2);
    let err = text(&bad.get_output().stderr);
    assert!(err.contains("`KO10l` names no rule"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn the_nearest_config_file_is_found_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".kiro-org.yaml", "severity:\n  KO101: off\n");
    let below = dir.path().join("estates/team");
    std::fs::create_dir_all(&below).unwrap();
    let run = |extra: &[&str]| {
        kiro()
            .current_dir(&below)
            .arg("audit")
            .arg(repo("examples/enterprise.yaml"))
            .args(["--format", "json", "--fail-on", "never"])
            .args(extra)
            .output()
            .unwrap()
    };
    let found = run(&[]);
    assert!(!codes(&json(&found.stdout)).contains(&"KO101".to_owned()));
    assert!(
        text(&found.stderr).contains(".kiro-org.yaml"),
        "{}",
        text(&found.stderr)
    );
    let isolated = run(&["--no-config"]);
    assert!(codes(&json(&isolated.stdout)).contains(&"KO101".to_owned()));
    // A broken configuration is an error located in it, not silently skipped.
    write(dir.path(), ".kiro-org.yaml", "severity:\n  KO10l: off\n");
    let broken = run(&[]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        text(&broken.stderr).contains(".kiro-org.yaml:2:"),
        "{}",
        text(&broken.stderr)
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

/// `rule` alone lists every rule, as `rule --all` does.
#[test]
fn rule_without_a_code_lists_the_rules() {
    let bare = kiro().arg("rule").assert().success();
    let all = kiro().args(["rule", "--all"]).assert().success();
    let list = text(&bare.get_output().stdout);
    assert_eq!(list, text(&all.get_output().stdout));
    for code in ["KO101", "KO104", "KO301"] {
        assert!(list.contains(code), "{code} missing: {list}");
    }
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
    let desired = write(dir.path(), "desired.yaml", modified);
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

/// The management account, a department account and another member of the organization the
/// printed guard rails are attached to in [`printed_guard_rails_keep_the_pattern_for_its_accounts_only`].
const MGMT: &str = "100000000000";
const OTHER: &str = "300000000000";

/// An organization with `members` at the root and the organization instance (enabled after
/// 2023-11-15, so members may create account instances), then `scps` created and attached as
/// printed, then `journey`.
fn rehearsal_ops(members: &[&str], scps: &[Value], journey: &[Value]) -> Vec<Value> {
    use serde_json::json;
    let mut ops = vec![
        json!({"op": "create-account", "id": MGMT, "name": "management"}),
        json!({"op": "create-organization", "management": MGMT}),
    ];
    for (n, m) in members.iter().enumerate() {
        ops.push(json!({"op": "create-account", "id": m, "name": format!("member-{n}")}));
        ops.push(json!({"op": "invite-account", "organization": MGMT, "account": m}));
    }
    ops.push(json!({"op": "enable-identity-center", "account": MGMT, "region": "us-east-1", "created": "2025-01-01"}));
    ops.push(
        json!({"op": "create-user", "instance": MGMT, "user-name": "u", "email": "u@example.com"}),
    );
    for scp in scps {
        ops.push(json!({"op": "create-policy", "organization": MGMT, "name": scp["name"], "document": scp["document"]}));
        for target in scp["attach-to"].as_array().unwrap() {
            ops.push(json!({"op": "attach-policy", "organization": MGMT, "policy": scp["name"], "target": target}));
        }
    }
    ops.extend(journey.iter().cloned());
    ops
}

/// Signing up on the organization instance, or on an own account instance, then subscribing.
fn journey(account: &str, own_instance: bool) -> Vec<Value> {
    use serde_json::json;
    let mut ops = Vec::new();
    let source = if own_instance {
        ops.push(json!({"op": "enable-identity-center", "account": account, "region": "us-east-1", "kind": "account"}));
        ops.push(json!({"op": "create-user", "instance": account, "user-name": "u", "email": "u@example.com"}));
        "account"
    } else {
        "organization"
    };
    ops.push(json!({"op": "create-profile", "account": account, "region": "us-east-1", "identity-source": source}));
    ops.push(json!({"op": "subscribe", "account": account, "region": "us-east-1", "user-name": "u", "plan": "pro"}));
    ops
}

/// Applies `ops` with `kiro-org apply`: `None` when every step passes, else the refusal.
fn apply_ops(ops: &[Value]) -> Option<Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ops.json", serde_json::to_string(ops).unwrap());
    let out = kiro()
        .arg("apply")
        .arg(&file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = json(&out.stdout);
    (v["ok"] != true).then_some(v)
}

#[test]
fn printed_guard_rails_keep_the_pattern_for_its_accounts_only() {
    let allowed = "200000000000";
    for pattern in 1..=4u8 {
        for with_allow in [false, true] {
            let mut cmd = kiro();
            cmd.args(["scp", "generate", "--pattern", &pattern.to_string()])
                .args(["--organization", MGMT, "--format", "json"]);
            if with_allow {
                cmd.args(["--allow", allowed]);
            }
            let out = cmd.assert().success();
            let v = json(&out.get_output().stdout);
            let err = text(&out.get_output().stderr);
            let scps = v["scps"].as_array().unwrap().clone();
            let case = format!("pattern {pattern}, --allow: {with_allow}");
            if pattern == 1 {
                assert!(scps.is_empty(), "{case}: {v}");
                continue;
            }
            let template = matches!(pattern, 2 | 3) && !with_allow;
            assert_eq!(v["template"], template, "{case}: {v}");
            assert_eq!(err.contains("template"), template, "{case}: {err}");
            // The department account: the first placeholder of a template, else the allowed one.
            let department = if template {
                v["placeholders"][0].as_str().unwrap().to_owned()
            } else {
                allowed.to_owned()
            };
            let department = department.as_str();
            let members = [department, OTHER];
            let run = |account: &str, own: bool| {
                apply_ops(&rehearsal_ops(&members, &scps, &journey(account, own)))
            };
            let denied = |refusal: Option<Value>, what: &str| {
                let r = refusal.unwrap_or_else(|| panic!("{case}: {what} was not blocked"));
                assert_eq!(r["error"], "AccessDeniedException", "{case}: {what}: {r}");
            };
            // The management account is never restricted.
            assert_eq!(run(MGMT, false), None, "{case}: management signs up");
            // Every other member loses both.
            denied(run(OTHER, false), "another member signing up");
            denied(run(OTHER, true), "another member's account instance");
            let meant = matches!(pattern, 2 | 3) || with_allow;
            match pattern {
                3 => assert_eq!(
                    run(department, true),
                    None,
                    "{case}: department's own instance"
                ),
                _ if meant => {
                    assert_eq!(run(department, false), None, "{case}: department signs up");
                    denied(run(department, true), "a department's account instance");
                }
                _ => denied(run(department, false), "a member signing up"),
            }
        }
    }
}

/// A readable estate that breaks a domain rule is audited, not refused: the subscription of a
/// user the identity store does not have is KO104, and the audit fails on it (exit 1).
#[test]
fn audit_reports_a_missing_subscription_principal_as_ko104() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "estate.yaml",
        r#"version: 1
accounts:
  - {id: "123456789012", name: solo}
instances:
  - account: "123456789012"
    kind: account
    region: us-east-1
    created: 2024-05-01
    users:
      - {user-name: alice, email: alice@example.com}
profiles:
  - account: "123456789012"
    region: us-east-1
    instance: "123456789012"
    subscriptions:
      - {user-name: ghost, plan: pro}
"#,
    );
    kiro().arg("check").arg(&path).assert().code(2);
    let out = kiro()
        .arg("audit")
        .arg(&path)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let findings: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let codes: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"KO104"), "{findings:#}");
    // Reported once, by its own rule, and not again as a generic rule break.
    assert!(!codes.contains(&"KO001"), "{findings:#}");
}

/// Other rule breaks are findings of `KO001 estate-rule-broken`, with where they are.
#[test]
fn audit_reports_other_rule_breaks_with_their_location() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "estate.yaml",
        "version: 1\naccounts:\n  - {id: \"123456789012\", name: solo, parent: nowhere}\n",
    );
    let out = kiro()
        .arg("audit")
        .arg(&path)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let findings: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let broken = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "KO001")
        .unwrap_or_else(|| panic!("{findings:#}"));
    assert_eq!(broken["rule"], "estate-rule-broken");
    assert_eq!(broken["subject"], "accounts[0].parent");
    assert_eq!(broken["details"]["line"], 3);
    assert_eq!(broken["details"]["column"], 38);
    assert!(
        broken["message"]
            .as_str()
            .unwrap()
            .contains("estate.yaml:3:38: standalone account `123456789012` has a parent"),
        "{broken:#}"
    );
}

/// `check` lists every unknown key and type error of a file in one run, each at line:column.
#[test]
fn check_lists_every_unknown_key_and_type_error_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.yaml",
        r#"version: 1
accounts:
  - {id: 123456789012, name: m, emial: m@example.com}
  - {id: "210987654321", name: t, organisation: "123456789012"}
instances:
  - account: "123456789012"
    kind: organisation
    region: us-east-1
    created: soon
    identity-enhanced-sessions: sometimes
"#,
    );
    let assert = kiro().arg("check").arg(&path).assert().code(2);
    let stderr = text(&assert.get_output().stderr);
    for expected in [
        "bad.yaml:3:10: at `accounts[0].id`: `123456789012` is a number, but account ids are strings",
        "account ids are strings: quote it, `\"123456789012\"`",
        "bad.yaml:3:33: at `accounts[0].emial`: unknown key `emial`",
        "did you mean `email`?",
        "bad.yaml:4:35: at `accounts[1].organisation`: unknown key `organisation`",
        "did you mean `organization`?",
        "bad.yaml:7:11: at `instances[0].kind`: unknown value `organisation`",
        "bad.yaml:9:14: at `instances[0].created`: expected a date (YYYY-MM-DD)",
        "bad.yaml:10:33: at `instances[0].identity-enhanced-sessions`: expected `true` or `false`",
        "6 problems found",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}

/// An estate without `version` cannot be read, and says what to add.
#[test]
fn check_requires_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "old.yaml", "accounts: []\n");
    let assert = kiro().arg("check").arg(&path).assert().code(2);
    let stderr = text(&assert.get_output().stderr);
    assert!(
        stderr.contains("missing `version`") && stderr.contains("add `version: 1`"),
        "{stderr}"
    );
    kiro().arg("audit").arg(&path).assert().code(2);
}

#[test]
fn scp_simulate_answers_the_rcps_of_an_estate_for_the_services_they_govern() {
    let dir = tempfile::tempdir().unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        r#"- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
- {op: create-account, id: "210987654321", name: team, organization: "123456789012"}
- {op: enable-policy-type, organization: "123456789012", policy-type: RESOURCE_CONTROL_POLICY}
- {op: create-policy, organization: "123456789012", name: perimeter, policy-type: RESOURCE_CONTROL_POLICY, document: {Version: "2012-10-17", Statement: [{Sid: Nothing, Effect: Deny, Principal: "*", Action: "*", Resource: "*"}]}}
- {op: attach-policy, organization: "123456789012", policy: perimeter, target: "210987654321"}
"#,
    );
    let estate = dir.path().join("estate.yaml");
    kiro()
        .arg("apply")
        .arg(&ops)
        .arg("--out")
        .arg(&estate)
        .assert()
        .success();
    let simulate = |action: &str| {
        let assert = kiro()
            .args(["scp", "simulate", "--estate"])
            .arg(&estate)
            .args(["--account", "210987654321", "--action", action])
            .args(["--region", "us-east-1", "--format", "json"])
            .assert()
            .success();
        json(&assert.get_output().stdout)
    };
    let v = simulate("secretsmanager:GetSecretValue");
    assert_eq!(v["decision"], "ExplicitlyDenied", "{v}");
    assert!(
        v["reasons"].as_array().unwrap().iter().any(|r| r
            .as_str()
            .unwrap()
            .contains("statement `Nothing` of RCP `perimeter`")),
        "{v}"
    );
    // Kiro's own actions are no RCP's to answer.
    assert_eq!(
        simulate("codewhisperer:CreateProfile")["decision"],
        "Allowed"
    );
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
