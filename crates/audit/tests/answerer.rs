//! The engine's authorization is the one SCP answerer: `Engine::apply`, `Engine::decide` and
//! the audit's governance rules give the same answer, with the same structured decision.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(unused_imports, reason = "this test uses only the audit runner")]
mod common;

use common::run;
use kiro_engine::{Decision, Engine, ErrorKind, Question};
use kiro_estate::{AccountId, Estate, Format};

const A: &str = "210987654321";
const B: &str = "222222222222";
const ACTION: &str = "codewhisperer:CreateProfile";

/// When the operations happen (a macro: the timestamp type belongs to the engine's API).
macro_rules! at {
    () => {
        kiro_engine::ops_file::parse_at("2026-02-01").unwrap()
    };
}

/// An organization with members A and B under OU `eng`, the organization instance in
/// us-east-1, and an SCP at the root denying `codewhisperer:CreateProfile` under `condition`.
fn guarded(condition: &str) -> Engine {
    let ops = format!(
        r#"
- {{op: create-account, id: "123456789012", name: management}}
- {{op: create-organization, management: "123456789012"}}
- {{op: create-ou, organization: "123456789012", name: eng, parent: root}}
- {{op: create-account, id: "{A}", name: allowed}}
- {{op: invite-account, organization: "123456789012", account: "{A}", parent: eng}}
- {{op: create-account, id: "{B}", name: other}}
- {{op: invite-account, organization: "123456789012", account: "{B}", parent: eng}}
- {{op: enable-identity-center, account: "123456789012", region: us-east-1, created: 2024-04-02}}
- op: create-policy
  organization: "123456789012"
  name: deny-kiro-profiles
  document: {{Version: "2012-10-17", Statement: [{{Sid: NoMemberProfiles, Effect: Deny, Action: "{ACTION}", Resource: "*", Condition: {condition}}}]}}
- {{op: attach-policy, organization: "123456789012", policy: deny-kiro-profiles, target: root}}
"#
    );
    let mut engine = Engine::new(Estate::empty());
    for item in kiro_engine::ops_file::parse(&ops, Format::Yaml).unwrap() {
        engine
            .apply(&item.op, at!())
            .unwrap_or_else(|e| panic!("{}: {e}", item.op.name()));
    }
    engine
}

fn create_profile(account: &str) -> kiro_engine::Op {
    let yaml = format!(r#"- {{op: create-profile, account: "{account}", region: us-east-1}}"#);
    kiro_engine::ops_file::parse(&yaml, Format::Yaml)
        .unwrap()
        .remove(0)
        .op
}

/// The accounts KO301 reports as able to sign up in us-east-1.
fn audit_allows(estate: &Estate) -> Vec<String> {
    run(estate)
        .findings
        .iter()
        .filter(|f| f.code == "KO301")
        .flat_map(|f| {
            f.details.as_ref().unwrap().value()["examples"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|e| {
            e["regions"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r == "us-east-1"))
        })
        .map(|e| e["account"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Asserts that A may create a profile and B may not, through every door.
fn only_a_allowed(condition: &str) {
    let engine = guarded(condition);
    let estate = engine.estate().clone();

    // The audit's governance view.
    assert_eq!(audit_allows(&estate), [A], "{condition}");

    // `Engine::decide`, the advice's question.
    let mut asking = Engine::new(estate.clone());
    let ask = |engine: &mut Engine, account: &str| {
        engine
            .decide(&Question {
                account: &AccountId::new(account),
                action: ACTION,
                resource: "arn:aws:codewhisperer:us-east-1:{account}:profile/*",
                region: "us-east-1",
                context: &[],
            })
            .unwrap()
    };
    assert_eq!(ask(&mut asking, A), Decision::Allowed, "{condition}");
    let denial = ask(&mut asking, B);

    // `Engine::apply`: B is refused with the same decision, A signs up.
    let mut applying = Engine::new(estate);
    let err = applying.apply(&create_profile(B), at!()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::AccessDenied, "{}", err.message);
    assert!(err.message.contains("NoMemberProfiles"), "{}", err.message);
    let decision = *err.decision.expect("a denial carries its decision");
    assert_eq!(decision, denial);
    match &decision {
        Decision::ExplicitlyDenied {
            action,
            level,
            policy,
            statement,
        } => {
            assert_eq!(action, ACTION);
            assert!(level.starts_with("root r-"), "{level}");
            assert_eq!(policy, "deny-kiro-profiles");
            assert_eq!(statement, "NoMemberProfiles");
        }
        other => panic!("{other:?}"),
    }
    applying
        .apply(&create_profile(A), at!())
        .unwrap_or_else(|e| panic!("{condition}: {e}"));
}

#[test]
fn an_account_exempted_by_principal_account_is_allowed() {
    only_a_allowed(&format!(
        r#"{{StringNotEquals: {{"aws:PrincipalAccount": ["{A}"]}}}}"#
    ));
}

#[test]
fn an_account_exempted_by_principal_arn_is_allowed() {
    only_a_allowed(&format!(
        r#"{{ArnNotLike: {{"aws:PrincipalArn": ["arn:aws:iam::{A}:*"]}}}}"#
    ));
}

#[test]
fn the_simulated_caller_is_the_account_root_not_a_role() {
    // An exception for an admin role spares no account: the simulated caller is the
    // account's root user.
    let engine =
        guarded(r#"{ArnNotLike: {"aws:PrincipalArn": ["arn:aws:iam::*:role/platform-admin"]}}"#);
    assert!(audit_allows(engine.estate()).is_empty());
    let ctx = kiro_engine::authz::context(engine.estate(), &AccountId::new(A), "us-east-1");
    let arn = ctx.get("aws:PrincipalArn").map(|v| v.values().to_vec());
    assert_eq!(arn, Some(vec![format!("arn:aws:iam::{A}:root")]));
    for key in [
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalAccount",
        "aws:RequestedRegion",
    ] {
        assert!(ctx.get(key).is_some(), "{key}");
    }
}

#[test]
fn governance_findings_carry_the_denying_decision() {
    // A region lock denies eu-central-1 to every member: KO301's examples say by what.
    let engine = guarded(
        r#"{StringNotEquals: {"aws:PrincipalAccount": ["000000000000"]}, StringEquals: {"aws:RequestedRegion": ["eu-central-1"]}}"#,
    );
    let report = run(engine.estate());
    let example = report
        .findings
        .iter()
        .filter(|f| f.code == "KO301")
        .flat_map(|f| {
            f.details.as_ref().unwrap().value()["examples"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .next()
        .expect("members can sign up in us-east-1");
    let denied = &example["denied"][0];
    assert_eq!(denied["region"], "eu-central-1", "{example}");
    assert_eq!(denied["decision"]["decision"], "ExplicitlyDenied");
    assert_eq!(denied["decision"]["action"], ACTION);
    assert_eq!(denied["decision"]["policy"], "deny-kiro-profiles");
    assert_eq!(denied["decision"]["statement"], "NoMemberProfiles");
}
