//! Resource control policies, answered where SCPs are: a Deny in an RCP on the path of a member
//! account refuses the services RCPs govern, never the management account's resources, never
//! Kiro's actions, and nothing while the policy type is disabled.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "helpers of tests fail loudly"
)]

use kiro_engine::authz::{Question, Scps, rcp_governed};
use kiro_engine::{Decision, Engine};
use kiro_estate::{AccountId, Estate, Format};

const MANAGEMENT: &str = "123456789012";
const MEMBER: &str = "210987654321";

/// An organization with `member` in OU `eng`, RCPs enabled, and `deny` (an RCP's statement)
/// attached to `eng`.
fn with_rcp(deny: &str) -> Estate {
    let ops = format!(
        r#"
- {{op: create-account, id: "{MANAGEMENT}", name: management}}
- {{op: create-organization, management: "{MANAGEMENT}"}}
- {{op: create-ou, organization: "{MANAGEMENT}", name: eng, parent: root}}
- {{op: create-account, id: "{MEMBER}", name: team, organization: "{MANAGEMENT}", parent: eng}}
- {{op: enable-policy-type, organization: "{MANAGEMENT}", policy-type: RESOURCE_CONTROL_POLICY}}
- op: create-policy
  organization: "{MANAGEMENT}"
  name: perimeter
  policy-type: RESOURCE_CONTROL_POLICY
  document: {{Version: "2012-10-17", Statement: [{deny}]}}
- {{op: attach-policy, organization: "{MANAGEMENT}", policy: perimeter, target: eng}}
"#
    );
    let mut engine = Engine::new(Estate::empty());
    for item in kiro_engine::ops_file::parse(&ops, Format::Yaml).unwrap() {
        let at = kiro_engine::ops_file::parse_at("2026-01-05").unwrap();
        engine
            .apply(&item.op, at)
            .unwrap_or_else(|e| panic!("{}: {e}", item.op.name()));
    }
    engine.into_estate()
}

fn ask(estate: &Estate, account: &str, action: &str) -> Decision<'static> {
    Engine::new(estate.clone())
        .decide(&Question {
            account: &AccountId::new(account),
            action,
            resource: "*",
            region: "us-east-1",
            context: &[],
        })
        .unwrap()
}

const DENY_S3: &str = r#"{Sid: NoS3, Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*"}"#;
const DENY_ALL: &str =
    r#"{Sid: Nothing, Effect: Deny, Principal: "*", Action: "*", Resource: "*"}"#;

#[test]
fn a_deny_in_an_rcp_refuses_a_member_accounts_resources() {
    let e = with_rcp(DENY_S3);
    match ask(&e, MEMBER, "s3:GetObject") {
        Decision::ExplicitlyDenied {
            policy, statement, ..
        } => assert_eq!((&*policy, &*statement), ("perimeter", "NoS3")),
        other => panic!("{other:?}"),
    }
    // Another service RCPs govern is allowed: RCPFullAWSAccess is at every level.
    assert_eq!(ask(&e, MEMBER, "kms:Decrypt"), Decision::Allowed);
    // The management account's resources are never restricted.
    assert_eq!(ask(&e, MANAGEMENT, "s3:GetObject"), Decision::Allowed);
}

#[test]
fn rcps_never_answer_kiros_actions() {
    let e = with_rcp(DENY_ALL);
    assert!(matches!(
        ask(&e, MEMBER, "sqs:SendMessage"),
        Decision::ExplicitlyDenied { .. }
    ));
    for action in [
        "codewhisperer:CreateProfile",
        "q:CreateAssignment",
        "sso:CreateInstance",
        "user-subscriptions:CreateClaim",
    ] {
        assert!(!rcp_governed(action), "{action}");
        assert_eq!(ask(&e, MEMBER, action), Decision::Allowed, "{action}");
    }
    assert!(rcp_governed("S3:GetObject"));
}

#[test]
fn a_disabled_policy_type_evaluates_no_rcp() {
    let e = with_rcp(DENY_S3);
    let mut engine = Engine::new(e);
    let off = kiro_engine::ops_file::parse(
        &format!(
            "- {{op: disable-policy-type, organization: \"{MANAGEMENT}\", policy-type: RESOURCE_CONTROL_POLICY}}\n"
        ),
        Format::Yaml,
    )
    .unwrap();
    let at = kiro_engine::ops_file::parse_at("2026-01-06").unwrap();
    engine.apply(&off[0].op, at).unwrap();
    assert_eq!(
        ask(engine.estate(), MEMBER, "s3:GetObject"),
        Decision::Allowed
    );
}

#[test]
fn the_explanation_names_the_rcp_and_an_operation_refused_by_one_says_so() {
    let e = with_rcp(DENY_S3);
    let mut scps = Scps::new(&e, kiro_engine::authz::PolicyCache::default());
    let (decision, reasons) = scps
        .explain(&Question {
            account: &AccountId::new(MEMBER),
            action: "s3:PutObject",
            resource: "*",
            region: "us-east-1",
            context: &[],
        })
        .unwrap();
    assert!(matches!(decision, Decision::ExplicitlyDenied { .. }));
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("statement `NoS3` of RCP `perimeter`")),
        "{reasons:?}"
    );
    let err = scps
        .authorize(&kiro_engine::authz::Action {
            account: &AccountId::new(MEMBER),
            actions: &["s3:PutObject"],
            resource: "*".to_owned(),
            region: "us-east-1",
            context: &[],
        })
        .unwrap_err();
    assert!(
        err.message
            .contains("of resource control policy `perimeter`"),
        "{}",
        err.message
    );
}

#[test]
fn an_updated_policy_is_answered_as_it_is_now() {
    let mut engine = Engine::new(with_rcp(DENY_S3));
    let member = AccountId::new(MEMBER);
    let question = Question {
        account: &member,
        action: "s3:GetObject",
        resource: "*",
        region: "us-east-1",
        context: &[],
    };
    assert!(matches!(
        engine.decide(&question).unwrap(),
        Decision::ExplicitlyDenied { .. }
    ));
    let update = kiro_engine::ops_file::parse(
        &format!(
            "- {{op: update-policy, organization: \"{MANAGEMENT}\", policy: perimeter, document: {{Version: \"2012-10-17\", Statement: [{DENY_ALL}]}}}}\n"
        ),
        Format::Yaml,
    )
    .unwrap();
    let at = kiro_engine::ops_file::parse_at("2026-01-06").unwrap();
    engine.apply(&update[0].op, at).unwrap();
    let kms = Question {
        action: "kms:Decrypt",
        ..question
    };
    assert!(matches!(
        engine.decide(&kms).unwrap(),
        Decision::ExplicitlyDenied { .. }
    ));
}
