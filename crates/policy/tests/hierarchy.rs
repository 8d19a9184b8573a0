//! The SCP hierarchy: every level must allow, any deny wins, with reasons.
#![allow(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly")]

use kiro_policy::{Context, Decision, Level, Policy, Request, decide_scps, explain_scps};

fn p(text: &str) -> Policy {
    Policy::parse(text).unwrap()
}

fn full() -> Policy {
    p(
        r#"{"Statement": {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}}"#,
    )
}

#[test]
fn allowed_when_every_level_allows() {
    let (a, b) = (
        full(),
        p(r#"{"Statement": {"Effect": "Allow", "Action": "sso:*", "Resource": "*"}}"#),
    );
    let levels = [
        Level {
            name: "root r-ab12".into(),
            policies: vec![("FullAWSAccess", &a)],
        },
        Level {
            name: "account 210987654321".into(),
            policies: vec![("sso-only", &b)],
        },
    ];
    let ctx = Context::new();
    let (d, reasons) = explain_scps(
        &levels,
        &Request {
            action: "sso:CreateInstance",
            resource: "*",
            context: &ctx,
        },
    );
    assert!(d.is_allowed());
    assert_eq!(reasons.len(), 3, "{d:?}");
    assert!(
        reasons[1].contains(
            "account 210987654321 allows it through statement `Statement[0]` of SCP `sso-only`"
        ),
        "{d:?}"
    );
    let (d, reasons) = explain_scps(
        &levels,
        &Request {
            action: "s3:GetObject",
            resource: "*",
            context: &ctx,
        },
    );
    match &d {
        Decision::ImplicitlyDenied { level, .. } => {
            assert_eq!(level, "account 210987654321");
            assert!(reasons.iter().any(|r| r.contains("no statement of the SCPs at account 210987654321 (`sso-only`) allows `s3:GetObject`")), "{reasons:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_explicit_deny_anywhere_wins_and_is_named() {
    let a = full();
    let guard = p(
        r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "codewhisperer:CreateProfile", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111111111111"}}}]}"#,
    );
    // The deny sits at the account level, below a level without any allow: still explicit.
    let levels = [
        Level {
            name: "root".into(),
            policies: vec![("FullAWSAccess", &a)],
        },
        Level {
            name: "OU engineering (ou-ab12-11111111)".into(),
            policies: vec![],
        },
        Level {
            name: "account 210987654321".into(),
            policies: vec![("guard", &guard)],
        },
    ];
    let mut ctx = Context::new();
    ctx.insert("aws:PrincipalAccount", "210987654321");
    let request = Request {
        action: "codewhisperer:CreateProfile",
        resource: "*",
        context: &ctx,
    };
    match explain_scps(&levels, &request) {
        (
            Decision::ExplicitlyDenied {
                level,
                policy,
                statement,
                ..
            },
            reasons,
        ) => {
            assert_eq!(
                (level.as_ref(), policy.as_ref(), statement.as_ref()),
                ("account 210987654321", "guard", "Statement[1]")
            );
            assert!(
                reasons[1].contains("StringNotEquals `aws:PrincipalAccount` [`111111111111`]"),
                "{reasons:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Without the deny's condition holding, the OU without SCPs denies implicitly.
    ctx.insert("aws:PrincipalAccount", "111111111111");
    let request = Request {
        action: "codewhisperer:CreateProfile",
        resource: "*",
        context: &ctx,
    };
    let (d, reasons) = explain_scps(&levels, &request);
    assert_eq!(d.kind(), "ImplicitlyDenied");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("no SCP is attached at OU engineering")),
        "{d:?}"
    );
    assert_eq!(decide_scps(&levels, &request).kind(), "ImplicitlyDenied");
}

#[test]
fn no_levels_means_no_restriction() {
    let ctx = Context::new();
    let (d, reasons) = explain_scps(
        &[],
        &Request {
            action: "iam:CreateUser",
            resource: "*",
            context: &ctx,
        },
    );
    assert!(d.is_allowed());
    assert_eq!(reasons, ["no SCP applies to the request"]);
}

#[test]
fn the_reasons_name_the_wildcard_that_decided() {
    let (a, deny) = (
        full(),
        p(
            r#"{"Statement": {"Sid": "NoSignUp", "Effect": "Deny", "Action": ["sso:CreateInstance", "codewhisperer:Create*"], "Resource": "*"}}"#,
        ),
    );
    let levels = [Level {
        name: "root r-ab12".into(),
        policies: vec![("FullAWSAccess", &a), ("no-sign-up", &deny)],
    }];
    let ctx = Context::new();
    let request = |action| Request {
        action,
        resource: "*",
        context: &ctx,
    };
    let (d, reasons) = explain_scps(&levels, &request("codewhisperer:CreateProfile"));
    assert!(!d.is_allowed());
    assert!(
        reasons.iter().any(|r| r.contains(
            "`codewhisperer:CreateProfile` matches Action `codewhisperer:Create*` (the statement also lists `sso:CreateInstance`)"
        )),
        "{reasons:?}"
    );
    let (d, reasons) = explain_scps(&levels, &request("s3:GetObject"));
    assert!(d.is_allowed());
    assert!(
        reasons[0].contains(
            "through statement `FullAWSAccess` of SCP `FullAWSAccess` (`s3:GetObject` matches `*`)"
        ),
        "{reasons:?}"
    );
}
