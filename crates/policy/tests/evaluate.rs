//! Behaviour of single statements: operators, wildcards, variables, missing keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use kiro_policy::{Context, Policy, Request};
use serde_json::{Value, json};

fn policy(statement: Value) -> Policy {
    Policy::from_value(&json!({"Version": "2012-10-17", "Statement": [statement]})).unwrap()
}

/// Whether `{op: {key: values}}` holds for `ctx`.
fn holds(op: &str, key: &str, values: Value, ctx: &Context) -> bool {
    let p = policy(json!({"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {op: {key: values}}}));
    p.statements()[0].matches(&Request {
        action: "s3:GetObject",
        resource: "*",
        context: ctx,
    })
}

fn ctx(pairs: &[(&str, &str)]) -> Context {
    let mut c = Context::new();
    for (k, v) in pairs {
        c.insert(k, *v);
    }
    c
}

fn multi(key: &str, values: &[&str]) -> Context {
    let mut c = Context::new();
    c.insert_many(key, values.iter().copied());
    c
}

#[test]
fn string_operators() {
    let c = ctx(&[("aws:PrincipalAccount", "111122223333")]);
    assert!(holds(
        "StringEquals",
        "aws:PrincipalAccount",
        json!("111122223333"),
        &c
    ));
    assert!(holds(
        "StringEquals",
        "aws:PrincipalAccount",
        json!(["1", "111122223333"]),
        &c
    ));
    assert!(!holds(
        "StringEquals",
        "aws:PrincipalAccount",
        json!("1111*"),
        &c
    ));
    assert!(holds(
        "StringNotEquals",
        "aws:PrincipalAccount",
        json!(["1", "2"]),
        &c
    ));
    assert!(!holds(
        "StringNotEquals",
        "aws:PrincipalAccount",
        json!(["1", "111122223333"]),
        &c
    ));
    assert!(holds(
        "StringLike",
        "aws:PrincipalAccount",
        json!("1111*"),
        &c
    ));
    assert!(holds(
        "StringLike",
        "aws:PrincipalAccount",
        json!("11112222333?"),
        &c
    ));
    assert!(!holds(
        "StringNotLike",
        "aws:PrincipalAccount",
        json!(["9*", "1*"]),
        &c
    ));
    assert!(holds(
        "StringNotLike",
        "aws:PrincipalAccount",
        json!(["9*", "8*"]),
        &c
    ));
    let c = ctx(&[("aws:PrincipalTag/Team", "Platform")]);
    assert!(!holds(
        "StringEquals",
        "aws:PrincipalTag/Team",
        json!("platform"),
        &c
    ));
    assert!(holds(
        "StringEqualsIgnoreCase",
        "aws:PrincipalTag/Team",
        json!("PLATFORM"),
        &c
    ));
    assert!(!holds(
        "StringNotEqualsIgnoreCase",
        "aws:PrincipalTag/Team",
        json!("platform"),
        &c
    ));
    assert!(holds(
        "StringNotEqualsIgnoreCase",
        "aws:PrincipalTag/Team",
        json!("data"),
        &c
    ));
}

#[test]
fn numeric_operators() {
    let c = ctx(&[("s3:max-keys", "10")]);
    assert!(holds("NumericEquals", "s3:max-keys", json!("10"), &c));
    assert!(holds("NumericEquals", "s3:max-keys", json!(10), &c));
    assert!(holds("NumericEquals", "s3:max-keys", json!("10.0"), &c));
    assert!(holds("NumericNotEquals", "s3:max-keys", json!("11"), &c));
    assert!(holds("NumericLessThan", "s3:max-keys", json!("11"), &c));
    assert!(!holds("NumericLessThan", "s3:max-keys", json!("10"), &c));
    assert!(holds(
        "NumericLessThanEquals",
        "s3:max-keys",
        json!("10"),
        &c
    ));
    assert!(holds("NumericGreaterThan", "s3:max-keys", json!("9.5"), &c));
    assert!(holds(
        "NumericGreaterThanEquals",
        "s3:max-keys",
        json!("10"),
        &c
    ));
    assert!(!holds(
        "NumericGreaterThanEquals",
        "s3:max-keys",
        json!("10.5"),
        &c
    ));
    // A request value that is not a number satisfies neither the operator nor its negation.
    let c = ctx(&[("s3:max-keys", "ten")]);
    assert!(!holds("NumericEquals", "s3:max-keys", json!("10"), &c));
    assert!(!holds("NumericNotEquals", "s3:max-keys", json!("10"), &c));
}

#[test]
fn date_operators_iso_and_epoch() {
    let c = ctx(&[("aws:CurrentTime", "2024-06-01T12:00:00Z")]);
    assert!(holds(
        "DateGreaterThan",
        "aws:CurrentTime",
        json!("2024-01-01T00:00:00Z"),
        &c
    ));
    assert!(holds(
        "DateLessThan",
        "aws:CurrentTime",
        json!("2025-01-01"),
        &c
    ));
    assert!(holds(
        "DateEquals",
        "aws:CurrentTime",
        json!("2024-06-01T14:00:00+02:00"),
        &c
    ));
    assert!(holds(
        "DateNotEquals",
        "aws:CurrentTime",
        json!("2024-06-01"),
        &c
    ));
    assert!(holds(
        "DateLessThanEquals",
        "aws:CurrentTime",
        json!("2024-06-01T12:00:00Z"),
        &c
    ));
    assert!(holds(
        "DateGreaterThanEquals",
        "aws:CurrentTime",
        json!(1717243200),
        &c
    ));
    let c = ctx(&[("aws:EpochTime", "1717243200")]);
    assert!(holds(
        "DateEquals",
        "aws:EpochTime",
        json!("2024-06-01T12:00:00Z"),
        &c
    ));
    assert!(holds(
        "DateLessThan",
        "aws:EpochTime",
        json!("1717243201"),
        &c
    ));
}

#[test]
fn bool_binary_and_null() {
    let c = ctx(&[("aws:SecureTransport", "true")]);
    assert!(holds("Bool", "aws:SecureTransport", json!("true"), &c));
    assert!(holds("Bool", "aws:SecureTransport", json!(true), &c));
    assert!(!holds("Bool", "aws:SecureTransport", json!("false"), &c));
    assert!(holds("Bool", "aws:securetransport", json!("TRUE"), &c));
    let c = ctx(&[("k", "QmluYXJ5")]);
    assert!(holds("BinaryEquals", "k", json!("QmluYXJ5"), &c));
    assert!(!holds("BinaryEquals", "k", json!("QmluYXJ6"), &c));
    let c = ctx(&[("aws:MultiFactorAuthAge", "30")]);
    assert!(holds("Null", "aws:MultiFactorAuthAge", json!("false"), &c));
    assert!(!holds("Null", "aws:MultiFactorAuthAge", json!("true"), &c));
    assert!(holds("Null", "aws:TokenIssueTime", json!("true"), &c));
    assert!(holds(
        "Null",
        "aws:TokenIssueTime",
        json!(["false", "true"]),
        &c
    ));
}

#[test]
fn ip_addresses_v4_and_v6() {
    let c = ctx(&[("aws:SourceIp", "203.0.113.7")]);
    assert!(holds(
        "IpAddress",
        "aws:SourceIp",
        json!("203.0.113.0/24"),
        &c
    ));
    assert!(holds(
        "IpAddress",
        "aws:SourceIp",
        json!(["10.0.0.0/8", "203.0.113.7"]),
        &c
    ));
    assert!(!holds(
        "IpAddress",
        "aws:SourceIp",
        json!("203.0.114.0/24"),
        &c
    ));
    assert!(holds(
        "NotIpAddress",
        "aws:SourceIp",
        json!(["10.0.0.0/8", "2001:db8::/32"]),
        &c
    ));
    assert!(!holds(
        "NotIpAddress",
        "aws:SourceIp",
        json!(["10.0.0.0/8", "203.0.0.0/16"]),
        &c
    ));
    assert!(holds("IpAddress", "aws:SourceIp", json!("0.0.0.0/0"), &c));
    let c = ctx(&[("aws:SourceIp", "2001:db8:1::5")]);
    assert!(holds(
        "IpAddress",
        "aws:SourceIp",
        json!("2001:db8::/32"),
        &c
    ));
    assert!(!holds(
        "IpAddress",
        "aws:SourceIp",
        json!("2001:db9::/32"),
        &c
    ));
    assert!(!holds("IpAddress", "aws:SourceIp", json!("0.0.0.0/0"), &c));
}

#[test]
fn arn_operators() {
    let c = ctx(&[(
        "aws:PrincipalArn",
        "arn:aws:iam::111122223333:role/admin/Break-Glass",
    )]);
    for op in ["ArnEquals", "ArnLike"] {
        assert!(holds(
            op,
            "aws:PrincipalArn",
            json!("arn:aws:iam::*:role/admin/*"),
            &c
        ));
        assert!(holds(
            op,
            "aws:PrincipalArn",
            json!("arn:aws:iam::111122223333:role/admin/Break-Glass"),
            &c
        ));
        assert!(!holds(
            op,
            "aws:PrincipalArn",
            json!("arn:aws:iam::*:role/Admin/*"),
            &c
        ));
        // A wildcard stays within its ARN part: `*` in the account does not reach the resource.
        assert!(!holds(op, "aws:PrincipalArn", json!("arn:aws:iam::*"), &c));
    }
    for op in ["ArnNotEquals", "ArnNotLike"] {
        assert!(!holds(
            op,
            "aws:PrincipalArn",
            json!("arn:aws:iam::*:role/admin/*"),
            &c
        ));
        assert!(holds(
            op,
            "aws:PrincipalArn",
            json!(["arn:aws:iam::*:role/dev/*", "arn:aws:iam::*:user/*"]),
            &c
        ));
    }
    assert!(holds(
        "ArnNotLike",
        "aws:SourceArn",
        json!("arn:aws:iam::*:role/x"),
        &c
    ));
}

#[test]
fn missing_keys() {
    let empty = Context::new();
    assert!(!holds(
        "StringEquals",
        "aws:PrincipalOrgID",
        json!("o-1"),
        &empty
    ));
    assert!(holds(
        "StringNotEquals",
        "aws:PrincipalOrgID",
        json!("o-1"),
        &empty
    ));
    assert!(holds(
        "StringNotLike",
        "aws:PrincipalOrgID",
        json!("o-*"),
        &empty
    ));
    assert!(holds(
        "NotIpAddress",
        "aws:SourceIp",
        json!("10.0.0.0/8"),
        &empty
    ));
    assert!(holds(
        "ArnNotLike",
        "aws:PrincipalArn",
        json!("arn:aws:iam::*:role/x"),
        &empty
    ));
    assert!(!holds("NumericLessThan", "n", json!("1"), &empty));
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        json!("a"),
        &empty
    ));
    assert!(!holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        json!("a"),
        &empty
    ));
}

#[test]
fn if_exists() {
    let empty = Context::new();
    assert!(holds(
        "StringEqualsIfExists",
        "ec2:InstanceType",
        json!("t3.micro"),
        &empty
    ));
    assert!(holds("NumericLessThanIfExists", "n", json!("1"), &empty));
    assert!(holds(
        "ForAnyValue:StringEqualsIfExists",
        "aws:TagKeys",
        json!("a"),
        &empty
    ));
    let c = ctx(&[("ec2:InstanceType", "m5.large")]);
    assert!(!holds(
        "StringEqualsIfExists",
        "ec2:InstanceType",
        json!("t3.micro"),
        &c
    ));
    assert!(holds(
        "StringNotEqualsIfExists",
        "ec2:InstanceType",
        json!("t3.micro"),
        &c
    ));
    assert!(holds(
        "stringequalsifexists",
        "EC2:instancetype",
        json!("m5.large"),
        &c
    ));
}

#[test]
fn set_operators() {
    let c = multi("aws:TagKeys", &["team", "cost-center"]);
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        json!(["team", "cost-center", "env"]),
        &c
    ));
    assert!(!holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        json!(["team"]),
        &c
    ));
    assert!(holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        json!(["team"]),
        &c
    ));
    assert!(!holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        json!(["env"]),
        &c
    ));
    assert!(holds(
        "ForAnyValue:StringNotEquals",
        "aws:TagKeys",
        json!(["team"]),
        &c
    ));
    assert!(!holds(
        "ForAllValues:StringNotEquals",
        "aws:TagKeys",
        json!(["team"]),
        &c
    ));
    assert!(holds(
        "ForAllValues:StringNotEquals",
        "aws:TagKeys",
        json!(["env"]),
        &c
    ));
    assert!(holds(
        "ForAnyValue:StringLike",
        "aws:TagKeys",
        json!("cost-*"),
        &c
    ));
    // An empty set: every value (none) matches, no value matches.
    let c = multi("aws:TagKeys", &[]);
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        json!("a"),
        &c
    ));
    assert!(!holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        json!("a"),
        &c
    ));
    // A single-valued operator never matches a multivalued key, plain or negated.
    let c = multi("aws:TagKeys", &["team"]);
    assert!(!holds("StringEquals", "aws:TagKeys", json!("team"), &c));
    assert!(!holds("StringNotEquals", "aws:TagKeys", json!("x"), &c));
    // A single value is a one-element set for the set operators.
    let c = ctx(&[("aws:TagKeys", "team")]);
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        json!("team"),
        &c
    ));
}

#[test]
fn keys_and_operators_are_anded_values_ored() {
    let p = policy(
        json!({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {
        "StringNotEquals": {"aws:PrincipalAccount": ["1", "2"], "aws:RequestedRegion": "us-east-1"},
        "Bool": {"aws:SecureTransport": "true"}}}),
    );
    let s = &p.statements()[0];
    let check = |c: &Context| {
        s.matches(&Request {
            action: "a:b",
            resource: "*",
            context: c,
        })
    };
    assert!(check(&ctx(&[
        ("aws:PrincipalAccount", "3"),
        ("aws:RequestedRegion", "eu-west-1"),
        ("aws:SecureTransport", "true")
    ])));
    assert!(!check(&ctx(&[
        ("aws:PrincipalAccount", "2"),
        ("aws:RequestedRegion", "eu-west-1"),
        ("aws:SecureTransport", "true")
    ])));
    assert!(!check(&ctx(&[
        ("aws:PrincipalAccount", "3"),
        ("aws:RequestedRegion", "us-east-1"),
        ("aws:SecureTransport", "true")
    ])));
    assert!(!check(&ctx(&[
        ("aws:PrincipalAccount", "3"),
        ("aws:RequestedRegion", "eu-west-1"),
        ("aws:SecureTransport", "false")
    ])));
}

fn action_matches(pattern: Value, action: &str) -> bool {
    let p = policy(json!({"Effect": "Allow", "Action": pattern, "Resource": "*"}));
    p.statements()[0].matches(&Request {
        action,
        resource: "*",
        context: &Context::new(),
    })
}

#[test]
fn action_wildcards_ignore_case() {
    assert!(action_matches(json!("*"), "sso:CreateInstance"));
    assert!(action_matches(json!("sso:*"), "sso:CreateInstance"));
    assert!(action_matches(json!("SSO:create*"), "sso:CreateInstance"));
    assert!(action_matches(
        json!("sso:Create?nstance"),
        "sso:CreateInstance"
    ));
    assert!(!action_matches(
        json!("sso:Create?Instance"),
        "sso:CreateInstance"
    ));
    assert!(!action_matches(json!("s3:*"), "sso:CreateInstance"));
    assert!(action_matches(
        json!(["s3:*", "codewhisperer:CreateProfile"]),
        "CodeWhisperer:createprofile"
    ));
    let p = policy(
        json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}),
    );
    let m = |a| {
        p.statements()[0].matches(&Request {
            action: a,
            resource: "*",
            context: &Context::new(),
        })
    };
    assert!(m("s3:GetObject"));
    assert!(!m("iam:CreateUser"));
}

fn resource_matches(pattern: Value, resource: &str, ctx: &Context) -> bool {
    let p = policy(json!({"Effect": "Allow", "Action": "*", "Resource": pattern}));
    p.statements()[0].matches(&Request {
        action: "s3:GetObject",
        resource,
        context: ctx,
    })
}

#[test]
fn resource_arns_by_segment() {
    let e = Context::new();
    assert!(resource_matches(json!("*"), "arn:aws:s3:::bucket/key", &e));
    assert!(resource_matches(
        json!("arn:aws:s3:::bucket/*"),
        "arn:aws:s3:::bucket/a/b",
        &e
    ));
    assert!(!resource_matches(
        json!("arn:aws:s3:::bucket/*"),
        "arn:aws:s3:::bucket2/a",
        &e
    ));
    assert!(resource_matches(
        json!("arn:aws:iam::*:role/*"),
        "arn:aws:iam::111122223333:role/x",
        &e
    ));
    assert!(resource_matches(
        json!("arn:*:iam::*:role/*"),
        "arn:aws-us-gov:iam::111122223333:role/x",
        &e
    ));
    // `*` stays within its part: it does not swallow the colon into the next one.
    assert!(!resource_matches(
        json!("arn:*:iam::1:role/x"),
        "arn:aws:extra:iam::1:role/x",
        &e
    ));
    assert!(!resource_matches(
        json!("arn:aws:iam::1:role"),
        "arn:aws:iam::1:role/x",
        &e
    ));
    // A trailing wildcard on a short ARN covers the rest.
    assert!(resource_matches(
        json!("arn:aws:iam:*"),
        "arn:aws:iam::1:role/x",
        &e
    ));
    assert!(resource_matches(
        json!("arn:aws:ec2:us-east-1:1:instance/i-??"),
        "arn:aws:ec2:us-east-1:1:instance/i-12",
        &e
    ));
    assert!(!resource_matches(
        json!("arn:aws:s3:::Bucket/*"),
        "arn:aws:s3:::bucket/a",
        &e
    ));
    // Resources with colons in the resource part.
    assert!(resource_matches(
        json!("arn:aws:logs:*:*:log-group:/aws/*:*"),
        "arn:aws:logs:us-east-1:1:log-group:/aws/x:log-stream:y",
        &e
    ));
}

#[test]
fn policy_variables() {
    let mut c = Context::new();
    c.insert("aws:PrincipalAccount", "111122223333");
    c.insert("aws:PrincipalTag/team", "a*b");
    assert!(resource_matches(
        json!("arn:aws:iam::111122223333:role/${aws:PrincipalAccount}-*"),
        "arn:aws:iam::111122223333:role/111122223333-x",
        &c
    ));
    // AWS substitutes variables only in the resource part of an ARN: elsewhere they stay
    // literal text and never match, and the parser warns.
    assert!(!resource_matches(
        json!("arn:aws:iam::${aws:PrincipalAccount}:role/*"),
        "arn:aws:iam::111122223333:role/x",
        &c
    ));
    let p = policy(
        json!({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:iam::${aws:PrincipalAccount}:role/*"}),
    );
    assert!(
        p.warnings()[0]
            .message
            .contains("only after the fifth colon"),
        "{:?}",
        p.warnings()
    );
    // The substituted value is literal.
    assert!(resource_matches(
        json!("arn:aws:s3:::b/${aws:PrincipalTag/team}/*"),
        "arn:aws:s3:::b/a*b/k",
        &c
    ));
    assert!(!resource_matches(
        json!("arn:aws:s3:::b/${aws:PrincipalTag/team}/*"),
        "arn:aws:s3:::b/axxb/k",
        &c
    ));
    // A missing variable matches nothing, unless it has a default.
    assert!(!resource_matches(
        json!("arn:aws:s3:::b/${aws:username}/*"),
        "arn:aws:s3:::b/x/k",
        &c
    ));
    assert!(resource_matches(
        json!("arn:aws:s3:::b/${aws:username, 'anon'}/*"),
        "arn:aws:s3:::b/anon/k",
        &c
    ));
    // Escapes are literal characters.
    assert!(resource_matches(
        json!("arn:aws:s3:::b/${*}"),
        "arn:aws:s3:::b/*",
        &c
    ));
    assert!(!resource_matches(
        json!("arn:aws:s3:::b/${*}"),
        "arn:aws:s3:::b/x",
        &c
    ));
    assert!(resource_matches(
        json!("arn:aws:s3:::b/${$}${?}"),
        "arn:aws:s3:::b/$?",
        &c
    ));
    // In condition values.
    let c2 = ctx(&[("aws:PrincipalAccount", "1"), ("aws:ResourceAccount", "1")]);
    assert!(holds(
        "StringEquals",
        "aws:ResourceAccount",
        json!("${aws:PrincipalAccount}"),
        &c2
    ));
    assert!(!holds(
        "StringNotEquals",
        "aws:ResourceAccount",
        json!("${aws:PrincipalAccount}"),
        &c2
    ));
    // A negated operator whose variable cannot be resolved does not hold either.
    let c3 = ctx(&[("aws:ResourceAccount", "1")]);
    assert!(!holds(
        "StringNotEquals",
        "aws:ResourceAccount",
        json!("${aws:PrincipalAccount}"),
        &c3
    ));
    assert!(holds(
        "StringLike",
        "aws:ResourceAccount",
        json!("${aws:PrincipalAccount, '1'}"),
        &c3
    ));
}

#[test]
fn request_for_every_resource() {
    let e = Context::new();
    let allow = |r: Value| policy(json!({"Effect": "Allow", "Action": "*", "Resource": r}));
    let deny = |r: Value| policy(json!({"Effect": "Deny", "Action": "*", "Resource": r}));
    let req = Request {
        action: "s3:GetObject",
        resource: "*",
        context: &e,
    };
    assert!(allow(json!("arn:aws:s3:::b/*")).statements()[0].matches(&req));
    assert!(!deny(json!("arn:aws:s3:::b/*")).statements()[0].matches(&req));
    assert!(deny(json!(["arn:aws:s3:::b/*", "*"])).statements()[0].matches(&req));
}
