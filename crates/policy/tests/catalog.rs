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

#[path = "support/corpus.rs"]
mod corpus;

/// Every catalog warning on the public SCPs, by file (relative to the corpus) and code: each
/// one is a real mistake of the published policy, named here.
const CORPUS_WARNINGS: &[(&str, &str, &str)] = &[
    // Legacy private-marketplace actions that AWS's service authorization reference no longer
    // lists (Access Analyzer flags them too): the statement still denies the other actions.
    (
        MARKETPLACE,
        "UNKNOWN_ACTION",
        "unknown action `aws-marketplace:CreatePrivateMarketplace`: service `aws-marketplace` has no such action",
    ),
    (
        MARKETPLACE,
        "UNKNOWN_ACTION",
        "unknown action `aws-marketplace:UpdatePrivateMarketplaceSettings`: service `aws-marketplace` has no such action",
    ),
];

const MARKETPLACE: &str = "service-control-policy-examples/Protect-cloud-platform-resource/Deny-unwanted-cancellation-or-changes-to-AWS-Marketplace-product-subscription.json";

#[test]
fn the_catalog_reports_only_real_mistakes_on_the_public_scps() {
    let dir = corpus::corpus_dir();
    let mut found = Vec::new();
    for (file, policy) in corpus::documents() {
        let Ok(policy) = policy else { continue };
        let name = file.strip_prefix(&dir).unwrap().display().to_string();
        for w in policy.warnings() {
            if let Some(code) = w.code {
                found.push((name.clone(), code, w.message.clone()));
            }
        }
    }
    let found: Vec<_> = found
        .iter()
        .map(|(f, c, m)| format!("{f} {c} {m}"))
        .collect();
    let expected: Vec<_> = CORPUS_WARNINGS
        .iter()
        .map(|(f, c, m)| format!("{f} {c} {m}"))
        .collect();
    assert_eq!(found, expected, "{found:#?}");
}

fn codes(text: &str) -> Vec<&'static str> {
    Policy::parse(text)
        .unwrap()
        .warnings()
        .iter()
        .filter_map(|w| w.code)
        .collect()
}

#[test]
fn a_guard_rail_whose_only_actions_are_typos_denies_nothing() {
    let text = r#"{"Statement": [{"Sid": "DenyProfiles", "Effect": "Deny", "Action": "codewhisperer:CreatProfile", "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:PrincipalAcount": "111122223333"}}}]}"#;
    let p = Policy::parse(text).unwrap();
    let w: Vec<String> = p.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        codes(text),
        ["UNKNOWN_ACTION", "DENIES_NOTHING", "UNKNOWN_CONDITION_KEY"],
        "{w:#?}"
    );
    assert!(
        w[0].contains("did you mean `codewhisperer:CreateProfile`?"),
        "{}",
        w[0]
    );
    assert!(
        w[1].starts_with("1:16: [DENIES_NOTHING] Statement[0]:"),
        "{}",
        w[1]
    );
    assert!(
        w[2].contains("did you mean `aws:PrincipalAccount`?"),
        "{}",
        w[2]
    );
    assert_eq!(
        kiro_policy::grade("DENIES_NOTHING"),
        Some(kiro_policy::Grade::Error)
    );
    // One real action is enough for the guard rail to deny something; an `Allow` is no guard rail.
    assert_eq!(
        codes(
            r#"{"Statement": {"Effect": "Deny", "Action": ["codewhisperer:CreatProfile", "sso:CreateInstance"], "Resource": "*"}}"#
        ),
        ["UNKNOWN_ACTION"]
    );
    assert_eq!(
        codes(
            r#"{"Statement": {"Effect": "Allow", "Action": "codewhisperer:CreatProfile", "Resource": "*"}}"#
        ),
        ["UNKNOWN_ACTION"]
    );
}

#[test]
fn every_operator_family_fits_its_key_types_and_no_other() {
    // One key of each catalog type, and a value each operator family accepts.
    let keys = [
        ("String", "aws:PrincipalAccount"),
        ("ARN", "aws:PrincipalArn"),
        ("Bool", "aws:SecureTransport"),
        ("Numeric", "aws:MultiFactorAuthAge"),
        ("Date", "aws:CurrentTime"),
        ("IPAddress", "aws:SourceIp"),
    ];
    let operators = [
        ("StringEquals", "x", &["String", "ARN"][..]),
        ("StringEqualsIgnoreCase", "x", &["String", "ARN"]),
        ("StringNotLike", "x*", &["String", "ARN"]),
        ("ArnLike", "arn:aws:iam::*:role/x", &["ARN"]),
        ("Bool", "true", &["Bool"]),
        ("NumericLessThan", "3600", &["Numeric"]),
        ("DateGreaterThan", "2026-01-01T00:00:00Z", &["Date"]),
        ("IpAddress", "10.0.0.0/8", &["IPAddress"]),
        (
            "Null",
            "true",
            &["String", "ARN", "Bool", "Numeric", "Date", "IPAddress"],
        ),
    ];
    for (kind, key) in keys {
        for (op, value, fits) in operators {
            let text = format!(
                r#"{{"Statement": {{"Effect": "Deny", "Action": "sso:CreateInstance", "Resource": "*",
                  "Condition": {{"{op}": {{"{key}": "{value}"}}}}}}}}"#
            );
            let mismatch = codes(&text).contains(&"OPERATOR_KEY_TYPE_MISMATCH");
            assert_eq!(
                mismatch,
                !fits.contains(&kind),
                "`{op}` on `{key}` ({kind}): {:?}",
                Policy::parse(&text).unwrap().warnings()
            );
        }
    }
    let w = Policy::parse(
        r#"{"Statement": {"Effect": "Deny", "Action": "sso:CreateInstance", "Resource": "*",
      "Condition": {"DateGreaterThan": {"aws:PrincipalAccount": "2026-01-01"}}}}"#,
    )
    .unwrap();
    let w = w.warnings()[0].to_string();
    assert!(
        w.contains("`DateGreaterThan` compares dates, but `aws:PrincipalAccount` is a String key")
            && w.contains("use a `String…` operator"),
        "{w}"
    );
}

#[test]
fn set_operators_and_if_exists_that_change_nothing_are_reported() {
    let cond = |c: &str| {
        codes(&format!(
            r#"{{"Statement": {{"Effect": "Deny", "Action": "sso:CreateInstance", "Resource": "*", "Condition": {c}}}}}"#
        ))
    };
    assert_eq!(
        cond(r#"{"ForAllValues:StringEquals": {"aws:PrincipalAccount": "1"}}"#),
        ["FORALLVALUES_WITH_SINGLE_VALUED_KEY"]
    );
    assert_eq!(
        cond(r#"{"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-1"}}"#),
        ["FORANYVALUE_WITH_SINGLE_VALUED_KEY"]
    );
    assert!(cond(r#"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-1/*"}}"#).is_empty());
    assert!(cond(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": "team"}}"#).is_empty());
    assert_eq!(
        cond(r#"{"StringNotEqualsIfExists": {"aws:PrincipalAccount": "1"}}"#),
        ["REDUNDANT_IF_EXISTS"]
    );
    assert!(cond(r#"{"StringNotEqualsIfExists": {"aws:PrincipalTag/team": "x"}}"#).is_empty());
    assert_eq!(
        kiro_policy::grade("FORALLVALUES_WITH_SINGLE_VALUED_KEY"),
        Some(kiro_policy::Grade::SecurityWarning)
    );
}

#[test]
fn problem_paths_split_into_steps_with_the_condition_key_whole() {
    use kiro_policy::Step;
    let p = Policy::parse(
        r#"{"Statement": [{"Effect": "Deny", "Action": ["sso:CreateInstance", "sso:CreatInstance"], "Resource": "*",
      "Condition": {"StringEquals": {"aws:ResourceTag/a.b": "x", "sso:Nope": "y"}}}]}"#,
    )
    .unwrap();
    let steps: Vec<Vec<Step<'_>>> = p.warnings().iter().map(|w| w.steps()).collect();
    assert_eq!(
        steps[0],
        [
            Step::Key("Statement"),
            Step::Index(0),
            Step::Key("Action"),
            Step::Index(1)
        ]
    );
    assert_eq!(
        steps[1],
        [
            Step::Key("Statement"),
            Step::Index(0),
            Step::Key("Condition"),
            Step::Key("StringEquals"),
            Step::Key("sso:Nope")
        ]
    );
}
