//! The recommender and the guard-rail SCPs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kiro_audit::guardrails::generate;
use kiro_audit::recommend::{Requirements, infer, recommend};
use kiro_estate::AccountId;
use kiro_policy::{Context, Level, Policy, Request, decide_scps};

fn req(f: impl FnOnce(&mut Requirements)) -> Requirements {
    let mut r = Requirements::default();
    f(&mut r);
    r
}

#[test]
fn recommends_each_pattern_for_its_requirements() {
    let none = recommend(&req(|r| {
        r.organizations = false;
        r.adopt_organizations_later = true;
    }));
    assert_eq!(none.pattern, 1);
    assert!(none.scps.is_empty());
    assert!(
        none.caveats
            .iter()
            .any(|c| c.contains("never be converted"))
    );
    assert_eq!(recommend(&req(|r| r.split_cost = true)).pattern, 2);
    assert_eq!(
        recommend(&req(|r| r.per_department_settings = true)).pattern,
        2
    );
    let over = recommend(&req(|r| {
        r.split_cost = true;
        r.departments = 11;
    }));
    assert_eq!(over.pattern, 3);
    assert!(over.reasons.iter().any(|x| x.contains("quota")));
    let central = recommend(&Requirements::default());
    assert_eq!(central.pattern, 4);
    let names: Vec<&str> = central.scps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["deny-kiro-profile-creation", "deny-account-instances"]
    );
    let json = central.to_json();
    for key in ["pattern", "reasons", "caveats", "scps"] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[test]
fn infers_requirements_from_the_examples() {
    assert_eq!(
        recommend(&infer(&common::example("pattern-1-standalone.yaml"))).pattern,
        1
    );
    assert_eq!(
        recommend(&infer(&common::example(
            "pattern-2-member-org-instance.yaml"
        )))
        .pattern,
        2
    );
    assert_eq!(
        recommend(&infer(&common::example("pattern-4-management.yaml"))).pattern,
        4
    );
}

fn decide(document: &serde_json::Value, account: &str, action: &str) -> bool {
    let full =
        Policy::parse(r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#)
            .unwrap();
    let guard = Policy::from_value(document).unwrap();
    let levels = [Level {
        name: "root".into(),
        policies: vec![("FullAWSAccess", &full), ("guard", &guard)],
    }];
    let mut ctx = Context::new();
    ctx.insert("aws:PrincipalAccount", account);
    decide_scps(
        &levels,
        &Request {
            action,
            resource: "*",
            context: &ctx,
        },
    )
    .is_allowed()
}

#[test]
fn guard_rails_are_valid_and_deny_all_but_the_allowed_accounts() {
    let allowed = AccountId::new("666666666666");
    for pattern in 1..=4u8 {
        let rails = generate(
            pattern,
            std::slice::from_ref(&allowed),
            Some(&AccountId::new("100000000000")),
        );
        assert_eq!(rails.is_empty(), pattern == 1);
        for r in &rails {
            let policy = Policy::from_value(&r.document).unwrap();
            assert!(policy.minified_len() <= kiro_policy::SCP_SIZE_LIMIT);
            assert_eq!(r.attach_to, ["root"]);
        }
        if pattern == 1 {
            continue;
        }
        let profile = &rails[0].document;
        assert!(!decide(
            profile,
            "444444444444",
            "codewhisperer:CreateProfile"
        ));
        assert!(decide(
            profile,
            "666666666666",
            "codewhisperer:CreateProfile"
        ));
        assert!(decide(profile, "444444444444", "s3:GetObject"));
        let instances = &rails[1].document;
        assert!(!decide(instances, "444444444444", "sso:CreateInstance"));
        assert_eq!(
            decide(instances, "666666666666", "sso:CreateInstance"),
            pattern == 3
        );
    }
}
