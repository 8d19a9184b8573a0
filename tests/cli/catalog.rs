//! What the IAM catalog says of SCPs, wherever an SCP is read: `scp validate`, `check` and
//! the audit. AWS accepts these policies, so the estate stays valid.

use crate::support::{json, kiro, repo, text, write};

/// The enterprise example with typos in its profile guard rail, written as a mapping, and a
/// second one written as a JSON string.
fn typo_estate(dir: &std::path::Path) -> std::path::PathBuf {
    let source = std::fs::read_to_string(repo("examples/enterprise.yaml")).unwrap();
    let good = r#"Action: "codewhisperer:CreateProfile", Resource: "*"}"#;
    assert!(source.contains(good), "the example changed");
    let estate = source.replacen(
        good,
        r#"Action: "codewhisperer:CreatProfile", Resource: "*", Condition: {StringNotEquals: {"aws:PrincipalAcount": "111111111111"}}}"#,
        1,
    );
    let estate = estate.replacen(
        "      - name: deny-account-instances\n",
        "      - name: text-guard\n        document: '{\"Statement\": {\"Effect\": \"Deny\", \"Action\": \"sso:CreatInstance\", \"Resource\": \"*\"}}'\n      - name: deny-account-instances\n",
        1,
    );
    write(dir, "typo.yaml", estate)
}

#[test]
fn check_warns_of_typos_in_guard_rails_located_with_a_did_you_mean_and_the_estate_stays_valid() {
    let dir = tempfile::tempdir().unwrap();
    let estate = typo_estate(dir.path());
    let assert = kiro().arg("check").arg(&estate).assert().success();
    let out = text(&assert.get_output().stdout);
    let line = |code: &str| {
        out.lines()
            .find(|l| l.contains(code))
            .unwrap_or_else(|| panic!("no {code} in:\n{out}"))
            .to_owned()
    };
    let action = line("[UNKNOWN_ACTION] SCP `deny-kiro-profiles`");
    assert!(
        action.starts_with(&format!("warning: {}:47:53: ", estate.display())),
        "{action}"
    );
    assert!(
        out.contains("help: did you mean `codewhisperer:CreateProfile`?"),
        "{out}"
    );
    assert!(line("[DENIES_NOTHING]").contains(":47:15:"), "{out}");
    assert!(
        line("[UNKNOWN_CONDITION_KEY]").contains(":47:136:"),
        "{out}"
    );
    assert!(
        out.contains("help: did you mean `aws:PrincipalAccount`?"),
        "{out}"
    );
    // In a document written as a JSON string: the string, and where in it.
    let text_guard = line("SCP `text-guard`");
    assert!(
        text_guard.contains(":49:9: ")
            && text_guard.contains("line 1, column 44 of the document: `Statement.Action`"),
        "{text_guard}"
    );
    assert!(out.contains("did you mean `sso:CreateInstance`?"), "{out}");
    assert!(out.trim_end().ends_with("5 warnings)"), "{out}");

    let v = json(
        &kiro()
            .arg("check")
            .arg(&estate)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(v["valid"], true);
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 5, "{v:#}");
    assert!(problems.iter().all(|p| p["severity"] == "warning"), "{v:#}");
    assert_eq!(problems[0]["code"], "UNKNOWN_ACTION");
    assert_eq!(problems[0]["line"], 47);
    assert_eq!(
        problems[0]["path"],
        "organizations[0].policies[1].document.Statement[0].Action"
    );
}

#[test]
fn the_audit_grades_catalog_warnings_as_findings_and_a_typo_guard_rail_denies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let estate = typo_estate(dir.path());
    let v = json(
        &kiro()
            .arg("audit")
            .arg(&estate)
            .args(["--format", "json", "--fail-on", "never"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let of = |code: &str| -> Vec<&serde_json::Value> {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .collect()
    };
    let unknown = of("KO501");
    assert_eq!(unknown.len(), 2, "{v:#}");
    assert_eq!(unknown[0]["rule"], "scp-unknown-action");
    assert_eq!(unknown[0]["severity"], "error");
    assert_eq!(unknown[0]["details"]["code"], "UNKNOWN_ACTION");
    assert_eq!(unknown[0]["details"]["line"], 47);
    assert_eq!(
        unknown[0]["help"],
        "did you mean `codewhisperer:CreateProfile`?"
    );
    let empty = of("KO502");
    assert_eq!(empty.len(), 2, "both guard rails deny nothing: {v:#}");
    assert!(empty.iter().all(|f| f["severity"] == "error"));
    assert_eq!(of("KO503").len(), 1);
    // The typo leaves members free to create profiles, and the governance rules see it.
    assert!(!of("KO301").is_empty());
    // The rules are documented like the others.
    let doc = kiro().args(["rule", "KO502"]).assert().success();
    assert!(text(&doc.get_output().stdout).contains("denies nothing"));
}

#[test]
fn scp_validate_names_the_code_of_each_catalog_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "guard.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyProfiles", "Effect": "Deny",
  "Action": "codewhisperer:CreatProfile", "Resource": "*",
  "Condition": {"DateGreaterThan": {"aws:PrincipalAccount": "2026-01-01"}}}]}"#,
    );
    let assert = kiro()
        .args(["scp", "validate"])
        .arg(&file)
        .assert()
        .success();
    let out = text(&assert.get_output().stdout);
    assert!(
        out.contains(&format!(
            "{}:2:13: warning: [UNKNOWN_ACTION] Statement[0].Action:",
            file.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("warning: [DENIES_NOTHING] Statement[0]:"),
        "{out}"
    );
    assert!(
        out.contains("warning: [OPERATOR_KEY_TYPE_MISMATCH]"),
        "{out}"
    );
    assert!(out.contains(": valid ("), "{out}");
}

#[test]
fn scp_simulate_explain_names_the_wildcard_and_what_it_covers() {
    let dir = tempfile::tempdir().unwrap();
    let case = write(
        dir.path(),
        "case.json",
        r#"{"action": "codewhisperer:CreateProfile", "resource": "*",
            "scps": [[{"Statement": [
              {"Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Sid": "NoSignUp", "Effect": "Deny", "Action": ["sso:CreateInstance", "codewhisperer:Create*"], "Resource": "*"}]}]]}"#,
    );
    let out = kiro()
        .args(["scp", "simulate", "--explain", "--format", "json"])
        .arg(&case)
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["decision"], "ExplicitlyDenied", "{v}");
    let reasons = v["reasons"].to_string();
    assert!(
        reasons.contains(
            "matches Action `codewhisperer:Create*` (the statement also lists `sso:CreateInstance`)"
        ),
        "{reasons}"
    );
    let deny = &v["statements"][1];
    assert_eq!(deny["statement"], "NoSignUp", "{v}");
    let wildcard = &deny["actions"][1];
    assert_eq!(wildcard["entry"], "codewhisperer:Create*");
    let covered: Vec<&str> = wildcard["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        covered.contains(&"codewhisperer:CreateProfile"),
        "{covered:?}"
    );
    assert!(
        covered
            .iter()
            .all(|a| a.starts_with("codewhisperer:Create")),
        "{covered:?}"
    );
    assert_eq!(
        wildcard["guarded"],
        serde_json::json!(["codewhisperer:CreateProfile"])
    );
    // `*` covers the whole catalog, the three guarded actions among it.
    let all = &v["statements"][0]["actions"][0];
    assert!(all["covers"].as_u64().unwrap() > 10_000, "{all}");
    assert_eq!(all["guarded"].as_array().unwrap().len(), 3, "{all}");

    let human = kiro()
        .args(["scp", "simulate", "--explain"])
        .arg(&case)
        .env("COLUMNS", "200")
        .assert()
        .success();
    let shown = text(&human.get_output().stdout);
    assert!(
        shown.contains("`codewhisperer:Create*`: 2 catalog actions (codewhisperer:CreateCustomization, codewhisperer:CreateProfile); among them the guarded codewhisperer:CreateProfile"),
        "{shown}"
    );
}
