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

/// Asserts, for each `(op, values, expected)`, that `{op: {key: values}}` holds for `ctx`
/// exactly when `expected`.
fn check(ctx: &Context, key: &str, cases: &[(&str, Value, bool)]) {
    for (op, values, expected) in cases {
        assert_eq!(
            holds(op, key, values.clone(), ctx),
            *expected,
            "{op} {{{key}: {values}}}"
        );
    }
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
    check(
        &c,
        "aws:PrincipalAccount",
        &[
            ("StringEquals", json!("111122223333"), true),
            ("StringEquals", json!(["1", "111122223333"]), true),
            ("StringEquals", json!("1111*"), false),
            ("StringNotEquals", json!(["1", "2"]), true),
            ("StringNotEquals", json!(["1", "111122223333"]), false),
            ("StringLike", json!("1111*"), true),
            ("StringLike", json!("11112222333?"), true),
            ("StringNotLike", json!(["9*", "1*"]), false),
            ("StringNotLike", json!(["9*", "8*"]), true),
        ],
    );
    let c = ctx(&[("aws:PrincipalTag/Team", "Platform")]);
    check(
        &c,
        "aws:PrincipalTag/Team",
        &[
            ("StringEquals", json!("platform"), false),
            ("StringEqualsIgnoreCase", json!("PLATFORM"), true),
            ("StringNotEqualsIgnoreCase", json!("platform"), false),
            ("StringNotEqualsIgnoreCase", json!("data"), true),
        ],
    );
}

#[test]
fn numeric_operators() {
    let c = ctx(&[("s3:max-keys", "10")]);
    check(
        &c,
        "s3:max-keys",
        &[
            ("NumericEquals", json!("10"), true),
            ("NumericEquals", json!(10), true),
            ("NumericEquals", json!("10.0"), true),
            ("NumericNotEquals", json!("11"), true),
            ("NumericLessThan", json!("11"), true),
            ("NumericLessThan", json!("10"), false),
            ("NumericLessThanEquals", json!("10"), true),
            ("NumericGreaterThan", json!("9.5"), true),
            ("NumericGreaterThanEquals", json!("10"), true),
            ("NumericGreaterThanEquals", json!("10.5"), false),
        ],
    );
    // A request value that is not a number satisfies neither the operator nor its negation.
    let c = ctx(&[("s3:max-keys", "ten")]);
    check(
        &c,
        "s3:max-keys",
        &[
            ("NumericEquals", json!("10"), false),
            ("NumericNotEquals", json!("10"), false),
        ],
    );
}

#[test]
fn date_operators_iso_and_epoch() {
    let c = ctx(&[("aws:CurrentTime", "2024-06-01T12:00:00Z")]);
    check(
        &c,
        "aws:CurrentTime",
        &[
            ("DateGreaterThan", json!("2024-01-01T00:00:00Z"), true),
            ("DateLessThan", json!("2025-01-01"), true),
            ("DateEquals", json!("2024-06-01T14:00:00+02:00"), true),
            ("DateNotEquals", json!("2024-06-01"), true),
            ("DateLessThanEquals", json!("2024-06-01T12:00:00Z"), true),
            ("DateGreaterThanEquals", json!(1717243200), true),
        ],
    );
    let c = ctx(&[("aws:EpochTime", "1717243200")]);
    check(
        &c,
        "aws:EpochTime",
        &[
            ("DateEquals", json!("2024-06-01T12:00:00Z"), true),
            ("DateLessThan", json!("1717243201"), true),
        ],
    );
}

#[test]
fn bool_binary_and_null() {
    let c = ctx(&[("aws:SecureTransport", "true")]);
    check(
        &c,
        "aws:SecureTransport",
        &[
            ("Bool", json!("true"), true),
            ("Bool", json!(true), true),
            ("Bool", json!("false"), false),
        ],
    );
    check(&c, "aws:securetransport", &[("Bool", json!("TRUE"), true)]);
    let c = ctx(&[("k", "QmluYXJ5")]);
    check(
        &c,
        "k",
        &[
            ("BinaryEquals", json!("QmluYXJ5"), true),
            ("BinaryEquals", json!("QmluYXJ6"), false),
        ],
    );
    let c = ctx(&[("aws:MultiFactorAuthAge", "30")]);
    check(
        &c,
        "aws:MultiFactorAuthAge",
        &[
            ("Null", json!("false"), true),
            ("Null", json!("true"), false),
        ],
    );
    check(
        &c,
        "aws:TokenIssueTime",
        &[
            ("Null", json!("true"), true),
            ("Null", json!(["false", "true"]), true),
        ],
    );
}

#[test]
fn ip_addresses_v4_and_v6() {
    let c = ctx(&[("aws:SourceIp", "203.0.113.7")]);
    check(
        &c,
        "aws:SourceIp",
        &[
            ("IpAddress", json!("203.0.113.0/24"), true),
            ("IpAddress", json!(["10.0.0.0/8", "203.0.113.7"]), true),
            ("IpAddress", json!("203.0.114.0/24"), false),
            ("NotIpAddress", json!(["10.0.0.0/8", "2001:db8::/32"]), true),
            ("NotIpAddress", json!(["10.0.0.0/8", "203.0.0.0/16"]), false),
            ("IpAddress", json!("0.0.0.0/0"), true),
        ],
    );
    let c = ctx(&[("aws:SourceIp", "2001:db8:1::5")]);
    check(
        &c,
        "aws:SourceIp",
        &[
            ("IpAddress", json!("2001:db8::/32"), true),
            ("IpAddress", json!("2001:db9::/32"), false),
            ("IpAddress", json!("0.0.0.0/0"), false),
        ],
    );
}

#[test]
fn arn_operators() {
    let c = ctx(&[(
        "aws:PrincipalArn",
        "arn:aws:iam::111122223333:role/admin/Break-Glass",
    )]);
    for op in ["ArnEquals", "ArnLike"] {
        check(
            &c,
            "aws:PrincipalArn",
            &[
                (op, json!("arn:aws:iam::*:role/admin/*"), true),
                (
                    op,
                    json!("arn:aws:iam::111122223333:role/admin/Break-Glass"),
                    true,
                ),
                (op, json!("arn:aws:iam::*:role/Admin/*"), false),
                // A wildcard stays within its ARN part: `*` in the account does not reach the
                // resource.
                (op, json!("arn:aws:iam::*"), false),
            ],
        );
    }
    for op in ["ArnNotEquals", "ArnNotLike"] {
        check(
            &c,
            "aws:PrincipalArn",
            &[
                (op, json!("arn:aws:iam::*:role/admin/*"), false),
                (
                    op,
                    json!(["arn:aws:iam::*:role/dev/*", "arn:aws:iam::*:user/*"]),
                    true,
                ),
            ],
        );
    }
    check(
        &c,
        "aws:SourceArn",
        &[("ArnNotLike", json!("arn:aws:iam::*:role/x"), true)],
    );
}

#[test]
fn missing_keys() {
    let empty = Context::new();
    check(
        &empty,
        "aws:PrincipalOrgID",
        &[
            ("StringEquals", json!("o-1"), false),
            ("StringNotEquals", json!("o-1"), true),
            ("StringNotLike", json!("o-*"), true),
        ],
    );
    check(
        &empty,
        "aws:SourceIp",
        &[("NotIpAddress", json!("10.0.0.0/8"), true)],
    );
    check(
        &empty,
        "aws:PrincipalArn",
        &[("ArnNotLike", json!("arn:aws:iam::*:role/x"), true)],
    );
    check(&empty, "n", &[("NumericLessThan", json!("1"), false)]);
    check(
        &empty,
        "aws:TagKeys",
        &[
            ("ForAllValues:StringEquals", json!("a"), true),
            ("ForAnyValue:StringEquals", json!("a"), false),
        ],
    );
}

#[test]
fn if_exists() {
    let empty = Context::new();
    check(
        &empty,
        "ec2:InstanceType",
        &[("StringEqualsIfExists", json!("t3.micro"), true)],
    );
    check(
        &empty,
        "n",
        &[("NumericLessThanIfExists", json!("1"), true)],
    );
    check(
        &empty,
        "aws:TagKeys",
        &[("ForAnyValue:StringEqualsIfExists", json!("a"), true)],
    );
    let c = ctx(&[("ec2:InstanceType", "m5.large")]);
    check(
        &c,
        "ec2:InstanceType",
        &[
            ("StringEqualsIfExists", json!("t3.micro"), false),
            ("StringNotEqualsIfExists", json!("t3.micro"), true),
        ],
    );
    check(
        &c,
        "EC2:instancetype",
        &[("stringequalsifexists", json!("m5.large"), true)],
    );
}

#[test]
fn set_operators() {
    let c = multi("aws:TagKeys", &["team", "cost-center"]);
    check(
        &c,
        "aws:TagKeys",
        &[
            (
                "ForAllValues:StringEquals",
                json!(["team", "cost-center", "env"]),
                true,
            ),
            ("ForAllValues:StringEquals", json!(["team"]), false),
            ("ForAnyValue:StringEquals", json!(["team"]), true),
            ("ForAnyValue:StringEquals", json!(["env"]), false),
            ("ForAnyValue:StringNotEquals", json!(["team"]), true),
            ("ForAllValues:StringNotEquals", json!(["team"]), false),
            ("ForAllValues:StringNotEquals", json!(["env"]), true),
            ("ForAnyValue:StringLike", json!("cost-*"), true),
        ],
    );
    // An empty set: every value (none) matches, no value matches.
    let c = multi("aws:TagKeys", &[]);
    check(
        &c,
        "aws:TagKeys",
        &[
            ("ForAllValues:StringEquals", json!("a"), true),
            ("ForAnyValue:StringEquals", json!("a"), false),
        ],
    );
    // A single-valued operator never matches a multivalued key, plain or negated.
    let c = multi("aws:TagKeys", &["team"]);
    check(
        &c,
        "aws:TagKeys",
        &[
            ("StringEquals", json!("team"), false),
            ("StringNotEquals", json!("x"), false),
        ],
    );
    // A single value is a one-element set for the set operators.
    let c = ctx(&[("aws:TagKeys", "team")]);
    check(
        &c,
        "aws:TagKeys",
        &[("ForAllValues:StringEquals", json!("team"), true)],
    );
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
    for (account, region, secure, expected) in [
        ("3", "eu-west-1", "true", true),
        ("2", "eu-west-1", "true", false),
        ("3", "us-east-1", "true", false),
        ("3", "eu-west-1", "false", false),
    ] {
        let c = ctx(&[
            ("aws:PrincipalAccount", account),
            ("aws:RequestedRegion", region),
            ("aws:SecureTransport", secure),
        ]);
        assert_eq!(check(&c), expected, "{account} {region} {secure}");
    }
}

fn action_matches(pattern: Value, action: &str) -> bool {
    let p = policy(json!({"Effect": "Allow", "Action": pattern, "Resource": "*"}));
    p.statements()[0].matches(&Request {
        action,
        resource: "*",
        context: &Context::new(),
    })
}

/// Asserts, for each `(pattern, action, expected)`, that `pattern` matches `action` exactly when
/// `expected`.
fn check_actions(cases: &[(Value, &str, bool)]) {
    for (pattern, action, expected) in cases {
        assert_eq!(
            action_matches(pattern.clone(), action),
            *expected,
            "{pattern} ~ {action}"
        );
    }
}

#[test]
fn action_wildcards_ignore_case() {
    check_actions(&[
        (json!("*"), "sso:CreateInstance", true),
        (json!("sso:*"), "sso:CreateInstance", true),
        (json!("SSO:create*"), "sso:CreateInstance", true),
        (json!("sso:Create?nstance"), "sso:CreateInstance", true),
        (json!("sso:Create?Instance"), "sso:CreateInstance", false),
        (json!("s3:*"), "sso:CreateInstance", false),
        (
            json!(["s3:*", "codewhisperer:CreateProfile"]),
            "CodeWhisperer:createprofile",
            true,
        ),
    ]);
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

/// Asserts, for each `(pattern, resource, expected)`, that `pattern` matches `resource` for `ctx`
/// exactly when `expected`.
fn check_resources(ctx: &Context, cases: &[(Value, &str, bool)]) {
    for (pattern, resource, expected) in cases {
        assert_eq!(
            resource_matches(pattern.clone(), resource, ctx),
            *expected,
            "{pattern} ~ {resource}"
        );
    }
}

#[test]
fn resource_arns_by_segment() {
    let e = Context::new();
    check_resources(
        &e,
        &[
            (json!("*"), "arn:aws:s3:::bucket/key", true),
            (
                json!("arn:aws:s3:::bucket/*"),
                "arn:aws:s3:::bucket/a/b",
                true,
            ),
            (
                json!("arn:aws:s3:::bucket/*"),
                "arn:aws:s3:::bucket2/a",
                false,
            ),
            (
                json!("arn:aws:iam::*:role/*"),
                "arn:aws:iam::111122223333:role/x",
                true,
            ),
            (
                json!("arn:*:iam::*:role/*"),
                "arn:aws-us-gov:iam::111122223333:role/x",
                true,
            ),
            // `*` stays within its part: it does not swallow the colon into the next one.
            (
                json!("arn:*:iam::1:role/x"),
                "arn:aws:extra:iam::1:role/x",
                false,
            ),
            (json!("arn:aws:iam::1:role"), "arn:aws:iam::1:role/x", false),
            // A trailing wildcard on a short ARN covers the rest.
            (json!("arn:aws:iam:*"), "arn:aws:iam::1:role/x", true),
            (
                json!("arn:aws:ec2:us-east-1:1:instance/i-??"),
                "arn:aws:ec2:us-east-1:1:instance/i-12",
                true,
            ),
            (
                json!("arn:aws:s3:::Bucket/*"),
                "arn:aws:s3:::bucket/a",
                false,
            ),
            // Resources with colons in the resource part.
            (
                json!("arn:aws:logs:*:*:log-group:/aws/*:*"),
                "arn:aws:logs:us-east-1:1:log-group:/aws/x:log-stream:y",
                true,
            ),
        ],
    );
}

#[test]
fn policy_variables() {
    let mut c = Context::new();
    c.insert("aws:PrincipalAccount", "111122223333");
    c.insert("aws:PrincipalTag/team", "a*b");
    check_resources(
        &c,
        &[
            (
                json!("arn:aws:iam::111122223333:role/${aws:PrincipalAccount}-*"),
                "arn:aws:iam::111122223333:role/111122223333-x",
                true,
            ),
            // AWS substitutes variables only in the resource part of an ARN: elsewhere they stay
            // literal text and never match, and the parser warns.
            (
                json!("arn:aws:iam::${aws:PrincipalAccount}:role/*"),
                "arn:aws:iam::111122223333:role/x",
                false,
            ),
        ],
    );
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
    check_resources(
        &c,
        &[
            (
                json!("arn:aws:s3:::b/${aws:PrincipalTag/team}/*"),
                "arn:aws:s3:::b/a*b/k",
                true,
            ),
            (
                json!("arn:aws:s3:::b/${aws:PrincipalTag/team}/*"),
                "arn:aws:s3:::b/axxb/k",
                false,
            ),
            // A missing variable matches nothing, unless it has a default.
            (
                json!("arn:aws:s3:::b/${aws:username}/*"),
                "arn:aws:s3:::b/x/k",
                false,
            ),
            (
                json!("arn:aws:s3:::b/${aws:username, 'anon'}/*"),
                "arn:aws:s3:::b/anon/k",
                true,
            ),
            // Escapes are literal characters.
            (json!("arn:aws:s3:::b/${*}"), "arn:aws:s3:::b/*", true),
            (json!("arn:aws:s3:::b/${*}"), "arn:aws:s3:::b/x", false),
            (json!("arn:aws:s3:::b/${$}${?}"), "arn:aws:s3:::b/$?", true),
        ],
    );
    // In condition values.
    let c2 = ctx(&[("aws:PrincipalAccount", "1"), ("aws:ResourceAccount", "1")]);
    check(
        &c2,
        "aws:ResourceAccount",
        &[
            ("StringEquals", json!("${aws:PrincipalAccount}"), true),
            ("StringNotEquals", json!("${aws:PrincipalAccount}"), false),
        ],
    );
    // A negated operator whose variable cannot be resolved does not hold either.
    let c3 = ctx(&[("aws:ResourceAccount", "1")]);
    check(
        &c3,
        "aws:ResourceAccount",
        &[
            ("StringNotEquals", json!("${aws:PrincipalAccount}"), false),
            ("StringLike", json!("${aws:PrincipalAccount, '1'}"), true),
        ],
    );
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
