//! `kiro-org check`, `apply` and `generate` end to end, through the binary.

use crate::support::{json, kiro, repo, shared_example, text, write};
use serde_json::Value;

#[test]
fn every_example_estate_is_valid() {
    for entry in std::fs::read_dir(repo("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml")
            && !path.to_string_lossy().contains(".ops.")
        {
            kiro().arg("check").arg(&path).assert().success();
        }
    }
}

#[test]
fn guard_rail_example_is_refused_at_index_seven_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("estate.yaml");
    let assert = kiro()
        .args(["apply"])
        .arg(shared_example("guard-rail-blocks-signup.ops.yaml"))
        .arg("--out")
        .arg(&out)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["ok"], false);
    assert_eq!(v["index"], 7);
    assert_eq!(v["error"], "AccessDeniedException");
    let message = v["message"].as_str().unwrap();
    assert!(
        message.contains("deny-kiro-profiles") && message.contains("NoMemberProfiles"),
        "{message}"
    );
    assert!(!out.exists(), "a failed apply wrote the estate");
}

#[test]
fn pattern_two_rollout_succeeds_and_its_estate_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("estate.yaml");
    let assert = kiro()
        .arg("apply")
        .arg(shared_example("pattern-2-rollout.ops.yaml"))
        .arg("--out")
        .arg(&out)
        .args(["--format", "json"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["ok"], true);
    assert_eq!(v["applied"], 13);
    kiro().arg("check").arg(&out).assert().success();
    // The event log keeps every operation with its time, and `at` is honoured.
    let estate: Value = serde_json::to_value(
        serde_saphyr::from_str::<Value>(&std::fs::read_to_string(&out).unwrap()).unwrap(),
    )
    .unwrap();
    let events = estate["events"].as_array().unwrap();
    assert_eq!(events.len(), 13);
    assert_eq!(events[0]["op"]["op"], "create-account");
    assert!(
        events[0]["at"]
            .as_str()
            .unwrap()
            .starts_with("2026-01-05T09:00:00")
    );
}

#[test]
fn apply_continues_from_an_estate_and_a_failure_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let estate = dir.path().join("estate.json");
    std::fs::copy(
        repo("examples/pattern-2-member-org-instance.yaml"),
        dir.path().join("seed.yaml"),
    )
    .unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        "- {op: subscribe, account: \"444444444444\", region: us-east-1, user-name: bob, plan: pro-max}\n",
    );
    kiro()
        .arg("apply")
        .arg(dir.path().join("seed.yaml"))
        .arg(&ops)
        .arg("--out")
        .arg(&estate)
        .assert()
        .success();
    let before = std::fs::read(&estate).unwrap();
    std::fs::write(&ops, "- {op: subscribe, account: \"444444444444\", region: us-east-1, user-name: bob, plan: gold}\n").unwrap();
    let assert = kiro()
        .arg("apply")
        .arg(&estate)
        .arg(&ops)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["error"], "ValidationException");
    assert_eq!(v["index"], 0);
    assert_eq!(
        std::fs::read(&estate).unwrap(),
        before,
        "a failed apply changed the estate file"
    );
}

#[test]
fn malformed_operations_are_located_and_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        "- {op: create-account, id: \"123456789012\", name: m}\n- {op: create-acount, id: \"1\", name: x}\n- {op: create-account, id: \"123456789013\", nme: x}\n",
    );
    let assert = kiro()
        .arg("apply")
        .arg(&ops)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["index"], 1);
    assert_eq!(v["error"], "ValidationException");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("ops.yaml:2:4"), "{stderr}");
    assert!(
        stderr.contains("did you mean `create-account`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ops.yaml:3:") && stderr.contains("did you mean `name`?"),
        "{stderr}"
    );
    std::fs::write(&ops, "op: not-a-list\n").unwrap();
    kiro().arg("apply").arg(&ops).assert().code(2);
}

#[test]
fn check_reports_every_problem_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.yaml",
        r#"version: 1
accounts:
  - {id: "12345", name: a, emial: x@example.com}
  - {id: "123456789012", name: m}
  - {id: "210987654321", name: t, organization: "123456789012", parent: engneering}
organizations:
  - management: "123456789012"
    ous: [{name: engineering, parent: root}]
profiles:
  - {account: "210987654321", region: ap-south-1, instance: "210987654321"}
"#,
    );
    // An unknown key stops typed loading: every unknown key is listed at once.
    let assert = kiro().arg("check").arg(&path).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("bad.yaml:3:28") && stderr.contains("did you mean `email`?"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(", emial: x@example.com", "");
    std::fs::write(&path, text).unwrap();
    let assert = kiro()
        .arg("check")
        .arg(&path)
        .args(["--format", "json"])
        .assert()
        .code(2);
    let v = json(&assert.get_output().stdout);
    let problems = v["problems"].as_array().unwrap();
    let paths: Vec<&str> = problems
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"accounts[0].id"), "{paths:?}");
    assert!(paths.contains(&"accounts[2].parent"), "{paths:?}");
    assert!(paths.contains(&"profiles[0].region"), "{paths:?}");
    let parent = problems
        .iter()
        .find(|p| p["path"] == "accounts[2].parent")
        .unwrap();
    assert_eq!(parent["line"], 5);
    assert_eq!(parent["help"], "did you mean `engineering`?");
}

#[test]
fn generated_estates_are_deterministic_and_valid() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    for out in [&a, &b] {
        kiro()
            .args([
                "generate",
                "--accounts",
                "300",
                "--users",
                "2000",
                "--profiles",
                "40",
                "--subscriptions",
                "3000",
                "--seed",
                "7",
                "--out",
            ])
            .arg(out)
            .assert()
            .success();
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    kiro().arg("check").arg(&a).assert().success();
}

#[test]
fn an_account_instance_made_before_joining_checks_after_apply() {
    // An organization instance from 2022; a standalone account makes its account instance in
    // 2024 and joins in 2025: the instance stays an account instance, and the estate `apply`
    // writes is one `check` (and the analyses) accept.
    let dir = tempfile::tempdir().unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        r#"- {op: create-account, id: "123456789012", name: management, at: 2022-01-01}
- {op: create-organization, management: "123456789012", at: 2022-01-01}
- {op: enable-identity-center, account: "123456789012", region: us-east-1, at: 2022-01-01}
- {op: create-account, id: "333333333333", name: lone, at: 2024-05-01}
- {op: enable-identity-center, account: "333333333333", region: us-east-1, at: 2024-05-01}
- {op: invite-account, organization: "123456789012", account: "333333333333", at: 2025-03-01}
"#,
    );
    let out = dir.path().join("estate.yaml");
    let assert = kiro()
        .arg("apply")
        .arg(&ops)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // `apply` says what each operation did.
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("account 333333333333 joined the organization of 123456789012")
            && stdout.contains("enabled an account instance")
            && stdout.contains("applied 6 operations"),
        "{stdout}"
    );
    kiro().arg("check").arg(&out).assert().success();
    kiro()
        .args(["cost", "--format", "json"])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn apply_reports_each_operations_output_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        r#"- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
- {op: create-account, id: "444444444444", name: member, organization: "123456789012"}
"#,
    );
    let out = dir.path().join("estate.yaml");
    let assert = kiro()
        .arg("apply")
        .arg(&ops)
        .arg("--out")
        .arg(&out)
        .args(["--format", "json", "--now", "2026-01-05"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["ok"], true);
    assert_eq!(v["applied"], 3);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results[1]["op"], "create-organization");
    assert!(
        results[1]["result"]["organization"]
            .as_str()
            .unwrap()
            .starts_with("o-")
    );
    assert_eq!(results[2]["result"]["account"], "444444444444");
    assert_eq!(results[2]["result"]["organization"], "123456789012");
    kiro().arg("check").arg(&out).assert().success();
}

/// The operations examples the README quotes are in the repository and do what it says.
#[test]
fn the_readme_operations_examples_ship_and_behave_as_documented() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    for word in readme.split(|c: char| c.is_whitespace() || c == '`') {
        if word.starts_with("examples/") && !word.contains('*') {
            assert!(
                repo(word).exists(),
                "README names `{word}`, which is missing"
            );
        }
    }
    let assert = kiro()
        .arg("apply")
        .arg(repo("examples/guard-rail-blocks-signup.ops.yaml"))
        .args(["--format", "json"])
        .assert()
        .code(1);
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["index"], 7, "{v}");
    assert_eq!(v["error"], "AccessDeniedException", "{v}");
    let message = v["message"].as_str().unwrap();
    assert!(
        readme.contains(message),
        "the README quotes another message than `{message}`"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("estate.yaml");
    kiro()
        .arg("apply")
        .arg(repo("examples/pattern-2-rollout.ops.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    kiro().arg("check").arg(&out).assert().success();
}

#[test]
fn apply_never_overwrites_a_hand_written_estate_unless_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let source =
        std::fs::read_to_string(repo("examples/pattern-2-member-org-instance.yaml")).unwrap();
    let text = format!("# our estate, kept by hand\n{source}# the end\n");
    let estate = write(dir.path(), "estate.yaml", &text);
    let ops = write(
        dir.path(),
        "ops.yaml",
        "- {op: subscribe, account: \"444444444444\", region: us-east-1, user-name: bob, plan: pro-max}\n",
    );
    let assert = kiro()
        .arg("apply")
        .arg(&estate)
        .arg(&ops)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&estate).unwrap(),
        text,
        "apply rewrote the estate"
    );
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("pro-max"),
        "the result is not on stdout: {stdout}"
    );
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("--in-place"), "{stderr}");

    kiro()
        .arg("apply")
        .arg(&ops)
        .arg("--in-place")
        .assert()
        .code(2);
    kiro()
        .arg("apply")
        .arg(&estate)
        .arg(&ops)
        .arg("--in-place")
        .assert()
        .success();
    let written = std::fs::read_to_string(&estate).unwrap();
    assert!(written.contains("pro-max") && !written.contains("kept by hand"));
    kiro().arg("check").arg(&estate).assert().success();
}

#[test]
fn time_that_goes_backwards_is_located_and_nothing_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        "- op: create-account\n  id: \"123456789012\"\n  name: m\n  at: 2026-03-01\n- op: create-account\n  id: \"123456789013\"\n  name: dev\n  at: 2026-02-01\n",
    );
    let assert = kiro()
        .arg("apply")
        .arg(&ops)
        .args(["--format", "json"])
        .assert()
        .code(1);
    assert!(assert.get_output().stdout.starts_with(b"{"));
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["index"], 1);
    assert_eq!(v["error"], "ValidationException");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("ops.yaml:8:"), "{stderr}");
    assert!(stderr.contains("earlier than operation 0's"), "{stderr}");

    // In order, it applies; the next file may not start before the estate's last event.
    std::fs::write(
        &ops,
        "- {op: create-account, id: \"123456789012\", name: m, at: 2026-02-01}\n- {op: create-account, id: \"123456789013\", name: dev, at: 2026-03-01}\n",
    )
    .unwrap();
    let estate = dir.path().join("estate.yaml");
    kiro()
        .arg("apply")
        .arg(&ops)
        .arg("--out")
        .arg(&estate)
        .assert()
        .success();
    let before = std::fs::read(&estate).unwrap();
    let more = write(
        dir.path(),
        "more.yaml",
        "- {op: create-account, id: \"123456789014\", name: ops, at: 2026-01-01}\n",
    );
    let assert = kiro()
        .arg("apply")
        .arg(&estate)
        .arg(&more)
        .arg("--in-place")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("more.yaml:1:") && stderr.contains("the estate's last event"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&estate).unwrap(),
        before,
        "nothing is written"
    );
}

#[test]
fn generate_lowers_sizes_beyond_what_aws_allows_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.json");
    let assert = kiro()
        .args(["generate", "--accounts", "99999999999", "--ous", "5000"])
        .args(["--users", "20", "--groups", "3", "--memberships", "1000"])
        .args(["--profiles", "2", "--subscriptions", "5", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("accounts: 99999999999 lowered to 50000"),
        "{stderr}"
    );
    assert!(stderr.contains("ous: 5000 lowered to 2000"), "{stderr}");
    assert!(
        stderr.contains("memberships: 1000 lowered to 60"),
        "{stderr}"
    );
    let estate: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(estate["accounts"].as_array().unwrap().len(), 50_000);
    kiro().arg("check").arg(&out).assert().success();
}

#[test]
fn names_are_bounded_as_aws_bounds_them() {
    let dir = tempfile::tempdir().unwrap();
    let long = "a".repeat(51);
    let ops = write(
        dir.path(),
        "ops.yaml",
        format!("- {{op: create-account, id: \"123456789012\", name: {long}}}\n"),
    );
    let assert = kiro()
        .arg("apply")
        .arg(&ops)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["error"], "ValidationException");
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("at most 50 characters"), "{message}");
    // A hand-written estate with such a name is refused at its line.
    let estate = write(
        dir.path(),
        "estate.yaml",
        format!("version: 1\naccounts:\n  - id: \"123456789012\"\n    name: {long}\n"),
    );
    let check = kiro().arg("check").arg(&estate).assert().code(2);
    let err = text(&check.get_output().stderr);
    assert!(err.contains("estate.yaml:4:"), "{err}");
    assert!(
        err.contains("an account name is at most 50 characters"),
        "{err}"
    );
}

#[test]
fn an_estate_in_china_has_aws_cn_arns_and_one_partition() {
    let dir = tempfile::tempdir().unwrap();
    let ops = write(
        dir.path(),
        "ops.yaml",
        r#"- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
- {op: enable-identity-center, account: "123456789012", region: cn-north-1}
- {op: create-account, id: "444444444444", name: member, organization: "123456789012"}
"#,
    );
    let out = dir.path().join("estate.yaml");
    let assert = kiro()
        .arg("apply")
        .arg(&ops)
        .arg("--out")
        .arg(&out)
        .args(["--format", "json", "--now", "2026-01-05"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    let results = v["results"].as_array().unwrap();
    let instance = results[2]["result"]["instance-arn"].as_str().unwrap();
    assert!(
        instance.starts_with("arn:aws-cn:sso:::instance/ssoins-"),
        "{v}"
    );
    let account = results[3]["result"]["arn"].as_str().unwrap();
    assert!(
        account.starts_with("arn:aws-cn:organizations::123456789012:account/o-"),
        "{v}"
    );
    let assert = kiro().arg("check").arg(&out).assert().success();
    assert!(
        text(&assert.get_output().stdout).contains("in partition aws-cn"),
        "{}",
        text(&assert.get_output().stdout)
    );
    let assert = kiro()
        .arg("check")
        .arg(&out)
        .args(["--format", "json"])
        .assert()
        .success();
    assert_eq!(json(&assert.get_output().stdout)["partition"], "aws-cn");

    // An instance in another partition is refused by `apply` and by `check`, located.
    let more = write(
        dir.path(),
        "more.yaml",
        "- {op: enable-identity-center, account: \"444444444444\", region: us-east-1}\n",
    );
    let assert = kiro()
        .arg("apply")
        .arg(&out)
        .arg(&more)
        .arg("--out")
        .arg(dir.path().join("mixed.yaml"))
        .assert()
        .code(1);
    let stderr = text(&assert.get_output().stderr);
    assert!(
        stderr.contains("`us-east-1` is in partition `aws`, but the estate is in `aws-cn`"),
        "{stderr}"
    );
    let mixed = std::fs::read_to_string(&out).unwrap().replacen(
        "instances:\n",
        "instances:\n- account: '444444444444'\n  kind: account\n  region: us-east-1\n  created: 2026-01-05\n",
        1,
    );
    let mixed = write(dir.path(), "mixed.yaml", mixed);
    let assert = kiro()
        .arg("check")
        .arg(&mixed)
        .args(["--format", "json"])
        .assert()
        .code(2);
    let v = json(&assert.get_output().stdout);
    let problem = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "instances[1].region")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(
        problem["message"],
        "`cn-north-1` is in partition `aws-cn`, but the estate is in `aws` (from `us-east-1`)"
    );
    assert!(problem["line"].as_u64().is_some(), "{problem}");
}
