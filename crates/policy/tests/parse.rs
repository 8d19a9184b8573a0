//! Parsing and SCP validation, including every document of the shared SCP corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use kiro_policy::{Policy, PolicyError, SCP_SIZE_LIMIT, minified_len};
use serde_json::json;

#[path = "support/corpus.rs"]
mod corpus;
use corpus::corpus_dir;

fn problems(text: &str) -> Vec<String> {
    match Policy::parse(text) {
        Err(PolicyError::Invalid(p)) => p.iter().map(|p| p.to_string()).collect(),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn statement_object_or_list_and_strings_or_lists() {
    let one =
        Policy::parse(r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#)
            .unwrap();
    assert_eq!(one.statements().len(), 1);
    let two = Policy::parse(r#"{"Version": "2012-10-17", "Id": "x", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": ["s3:*", "ec2:*"], "Resource": ["*"]},
        {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:iam::*:role/x",
         "Condition": {"StringEquals": {"k": ["a", "b"]}, "NumericLessThan": {"n": 3}, "Bool": {"b": true}}}]}"#).unwrap();
    assert_eq!(two.statements().len(), 2);
    assert_eq!(two.statements()[0].label(), "A");
    assert_eq!(two.statements()[1].label(), "Statement[1]");
    assert_eq!(two.id(), Some("x"));
    assert_eq!(two.statements()[1].conditions().len(), 3);
    assert_eq!(two.statements()[1].conditions()[1].values, vec!["3"]);
    assert_eq!(two.to_json()["Statement"][0]["Sid"], json!("A"));
}

#[test]
fn malformed_json_has_line_and_column() {
    let err = Policy::parse("{\n  \"Statement\": [\n    // no\n  ]\n}").unwrap_err();
    match err {
        PolicyError::Malformed { line, column, .. } => assert_eq!((line, column), (3, 5)),
        other => panic!("{other:?}"),
    }
    assert!(
        Policy::parse("")
            .unwrap_err()
            .to_string()
            .starts_with("malformed policy document at line 1")
    );
}

#[test]
fn principal_is_not_allowed() {
    let p = problems(
        r#"{"Statement": {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}}"#,
    );
    assert_eq!(p.len(), 1);
    assert!(
        p[0].contains("`Principal` is not allowed in a service control policy"),
        "{p:?}"
    );
    assert!(p[0].starts_with("1:34: Statement.Principal"), "{p:?}");
    let p = problems(
        r#"{"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "x"}, "Action": "*"}]}"#,
    );
    assert!(p[0].contains("`NotPrincipal` is not allowed"), "{p:?}");
}

#[test]
fn problems_point_at_their_own_statement() {
    let text = "{\"Statement\": [\n  {\"Effect\": \"Allow\", \"Action\": \"s3GetObject\"},\n  {\"Effect\": \"Alow\", \"Action\": [\"s3:*\", \"s3GetObject\"]},\n  {\"Action\": \"*\"}\n]}";
    let p = problems(text);
    assert_eq!(p.len(), 4, "{p:?}");
    assert!(
        p[0].starts_with("2:33: Statement[0].Action: action `s3GetObject`"),
        "{p:?}"
    );
    assert!(p[1].starts_with("3:4: Statement[1].Effect:"), "{p:?}");
    assert!(
        p[2].starts_with("3:41: Statement[1].Action: action `s3GetObject`"),
        "{p:?}"
    );
    assert!(
        p[3].starts_with("4:3: Statement[2]: missing `Effect`"),
        "{p:?}"
    );
}

#[test]
fn unknown_keys_suggest() {
    let p = problems("{\"Statment\": []}");
    assert!(
        p.iter().any(
            |p| p.contains("unknown key `Statment`") && p.contains("did you mean `Statement`?")
        ),
        "{p:?}"
    );
    let p = problems(r#"{"Statement": {"Effect": "Allow", "Actions": "*", "Resource": "*"}}"#);
    assert!(
        p.iter()
            .any(|p| p.contains("unknown key `Actions`") && p.contains("did you mean `Action`?")),
        "{p:?}"
    );
    assert!(p.iter().any(|p| p.contains("missing `Action`")), "{p:?}");
}

#[test]
fn operators_effect_action() {
    let p = problems(
        r#"{"Statement": {"Effect": "Deny", "Action": "*", "Condition": {"StringEqual": {"k": "v"}}}}"#,
    );
    assert!(
        p[0].contains("unknown condition operator `StringEqual`")
            && p[0].contains("did you mean `StringEquals`?"),
        "{p:?}"
    );
    let p = problems(
        r#"{"Statement": {"Effect": "Deny", "Action": "*", "Condition": {"ForAnyValue:StringLikeIfExist": {"k": "v"}}}}"#,
    );
    assert!(
        p[0].contains("did you mean `ForAnyValue:StringLikeIfExists`?"),
        "{p:?}"
    );
    let p = problems(
        r#"{"Statement": {"Effect": "Deny", "Action": "*", "Condition": {"NullIfExists": {"k": "true"}}}}"#,
    );
    assert!(p[0].contains("`Null` takes no `IfExists`"), "{p:?}");
    let p = problems(
        r#"{"Statement": {"Effect": "Deny", "Action": "*", "Condition": {"NumericLessThan": {"k": "abc"}}}}"#,
    );
    assert!(
        p[0].contains("`abc` is not a number for `NumericLessThan`"),
        "{p:?}"
    );
    let p = problems(
        r#"{"Statement": {"Effect": "Deny", "Action": "*", "Condition": {"IpAddress": {"k": "10.0.0.0/33"}}}}"#,
    );
    assert!(p[0].contains("is not an IP address or CIDR block"), "{p:?}");
    let p = problems(r#"{"Statement": {"Effect": "allow", "Action": "*"}}"#);
    assert!(
        p[0].contains("`Effect` must be `Allow` or `Deny`, found `allow`")
            && p[0].contains("did you mean `Allow`?"),
        "{p:?}"
    );
    let p = problems(r#"{"Statement": {"Action": "*"}}"#);
    assert!(p[0].contains("missing `Effect`"), "{p:?}");
    let p = problems(r#"{"Statement": {"Effect": "Deny", "Action": "*", "NotAction": "s3:*"}}"#);
    assert!(p[0].contains("both `Action` and `NotAction`"), "{p:?}");
    let p = problems(r#"{"Statement": {"Effect": "Deny", "Action": "s3GetObject"}}"#);
    assert!(
        p[0].contains("action `s3GetObject` must be `*` or look like `service:action`"),
        "{p:?}"
    );
    let p = problems(r#"{"Statement": {"Effect": "Deny", "Action": [], "Resource": 3}}"#);
    assert_eq!(p.len(), 2, "{p:?}");
    let p =
        problems(r#"{"Version": "2019-01-01", "Statement": {"Effect": "Deny", "Action": "*"}}"#);
    assert!(
        p[0].contains("unsupported policy version `2019-01-01`"),
        "{p:?}"
    );
    let p = problems(r#"[1]"#);
    assert!(
        p[0].contains("must be a JSON object, found a list"),
        "{p:?}"
    );
}

#[test]
fn size_counts_the_minified_document() {
    let big: Vec<String> = (0..600).map(|i| format!("s3:GetObject{i:04}")).collect();
    let v = json!({"Statement": {"Effect": "Deny", "Action": big, "Resource": "*"}});
    let err = Policy::from_value(&v).unwrap_err();
    assert!(err.is_too_large());
    assert!(err.to_string().contains("the SCP limit is 5120"), "{err}");
    // Whitespace does not count.
    let small: Vec<String> = (0..200).map(|i| format!("s3:GetObject{i:04}")).collect();
    let v = json!({"Statement": {"Effect": "Deny", "Action": small, "Resource": "*"}});
    let pretty = serde_json::to_string_pretty(&v)
        .unwrap()
        .replace("  ", "          ");
    assert!(pretty.len() > SCP_SIZE_LIMIT);
    assert!(minified_len(&v) <= SCP_SIZE_LIMIT);
    Policy::parse(&pretty).unwrap();
}

#[test]
fn placeholders_are_warnings() {
    let p = Policy::parse(r#"{"Statement": {"Effect": "Deny", "NotResource": ["<third-party-resource>"], "Action": "*",
        "Condition": {"NotIpAddressIfExists": {"aws:SourceIp": ["<my-corporate-cidr>", "10.0.0.0/8"]}}}}"#).unwrap();
    let w: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w.iter()
            .any(|w| w.contains("placeholder `<my-corporate-cidr>` is not an IP address")),
        "{w:?}"
    );
}

#[test]
fn every_corpus_scp_parses_except_the_broken_one() {
    let documents = corpus::documents();
    assert!(
        documents.len() >= 90,
        "expected the whole corpus, found {} files",
        documents.len()
    );
    let mut failures = Vec::new();
    let mut broken_seen = false;
    for (file, result) in documents {
        if file.ends_with("deny-service-specific-credential-by-type.json") {
            broken_seen = true;
            match result {
                Err(PolicyError::Malformed { line, column, .. }) => {
                    assert!(line > 1 && column >= 1)
                }
                other => panic!("the broken document must be malformed, got {other:?}"),
            }
            continue;
        }
        if let Err(e) = result {
            failures.push(format!("{}: {e}", file.display()));
        }
    }
    assert!(
        broken_seen,
        "the deliberately broken document is missing from the corpus"
    );
    assert!(
        failures.is_empty(),
        "{} corpus files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_governance_scp_is_over_the_limit_as_written_but_passes() {
    let file = corpus_dir().join("data-perimeter-policy-examples/service_control_policies/data_perimeter_governance_scp.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(text.chars().count() > SCP_SIZE_LIMIT);
    let policy = Policy::parse(&text).unwrap();
    assert!(policy.minified_len() <= SCP_SIZE_LIMIT);
}
