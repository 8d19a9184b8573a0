//! The embedded IAM catalog: it is what the pinned generator writes, and parsing reports
//! actions and condition keys AWS does not know.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::process::Command;

use kiro_policy::Policy;

#[test]
fn the_committed_catalog_is_the_generators_output() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = std::env::temp_dir().join(format!("kiro-iam-catalog-{}.tsv", std::process::id()));
    let status = Command::new("bash")
        .arg(format!("{root}/scripts/iam-catalog.sh"))
        .arg(&out)
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run scripts/iam-catalog.sh: {e} (node and npm are required)")
        });
    assert!(
        status.success(),
        "scripts/iam-catalog.sh failed (node and npm are required)"
    );
    let generated = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/catalog/iam.tsv"))
            .unwrap();
    assert!(
        generated == committed,
        "run `bash scripts/iam-catalog.sh` and commit the result"
    );
}

#[test]
fn typos_in_actions_and_keys_are_located_warnings_with_a_did_you_mean() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
  "Action": ["codewhisperer:CreatProfile", "codewhisperr:CreateProfile", "codewhisperer:Zz*", "codewhisperer:Create*"],
  "Resource": "*",
  "Condition": {"StringNotEquals": {"aws:PrincipalAcount": "111122223333", "identitystore:GroupId": "g"}}}]}"#;
    let p = Policy::parse(text).unwrap();
    let w: Vec<String> = p.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(w.len(), 5, "{w:#?}");
    assert!(
        w[0].starts_with("2:14: [UNKNOWN_ACTION]")
            && w[0].contains("did you mean `codewhisperer:CreateProfile`?"),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("[UNKNOWN_SERVICE]")
            && w[1].contains("did you mean `codewhisperer:CreateProfile`?"),
        "{}",
        w[1]
    );
    assert!(w[2].contains("[NO_MATCHING_ACTION]"), "{}", w[2]);
    assert!(
        w[3].contains("[UNKNOWN_CONDITION_KEY]")
            && w[3].contains("did you mean `aws:PrincipalAccount`?"),
        "{}",
        w[3]
    );
    assert!(w[4].contains("identitystore:GroupId"), "{}", w[4]);

    let seats = r#"{"Statement": {"Effect": "Deny", "Action": "q:CreateAssignment", "Resource": "*",
      "Condition": {"StringNotEquals": {"identitystore:GroupId": "g", "aws:PrincipalAccount": "1"}}}}"#;
    assert!(Policy::parse(seats).unwrap().warnings().is_empty());
}

#[test]
fn a_real_key_that_none_of_the_actions_supports_is_reported_only_when_every_action_is_known() {
    let policy = |actions: &str| {
        let text = format!(
            r#"{{"Statement": {{"Effect": "Deny", "Action": {actions}, "Resource": "*",
  "Condition": {{"StringEquals": {{"sso:ApplicationAccount": "x"}}}}}}}}"#
        );
        let p = Policy::parse(&text).unwrap();
        p.warnings()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    let w = policy(r#"["codewhisperer:CreateProfile", "codewhisperer:Delete*"]"#);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].contains("[UNSUPPORTED_CONDITION_KEY]") && w[0].contains("sso:ApplicationAccount"),
        "{}",
        w[0]
    );
    // A wildcard service covers actions that may support it: nothing to say.
    assert!(policy(r#"["codewhisperer:CreateProfile", "*:Create*"]"#).is_empty());
    // An action that supports it.
    assert!(policy(r#"["codewhisperer:CreateProfile", "sso:DeleteApplication"]"#).is_empty());
}
