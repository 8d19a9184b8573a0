//! One test per rule of SPEC.md: the operation fails with AWS's error name and the estate is
//! left exactly as it was.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "helpers of tests fail loudly"
)]

use kiro_engine::{Engine, ErrorKind, Op};
use kiro_estate::{Estate, Format};

fn t(s: &str) -> jiff::Timestamp {
    kiro_engine::ops_file::parse_at(s).unwrap()
}

/// Applies a YAML operations list to an empty estate, panicking on any failure.
fn build(ops: &str) -> Estate {
    let mut engine = Engine::new(Estate::empty());
    for item in kiro_engine::ops_file::parse(ops, Format::Yaml).unwrap() {
        engine
            .apply(&item.op, item.at.unwrap_or_else(|| t("2026-01-05")))
            .unwrap_or_else(|e| panic!("{}: {e}", item.op.name()));
    }
    engine.into_estate()
}

fn op(yaml: &str) -> Op {
    let items = kiro_engine::ops_file::parse(yaml, Format::Yaml).unwrap();
    items.into_iter().next().unwrap().op
}

/// Asserts that `yaml` (one operation) fails on `estate` with `kind`, changing nothing.
fn refused(estate: &Estate, yaml: &str, kind: ErrorKind) -> String {
    let mut engine = Engine::new(estate.clone());
    let err = engine
        .apply(&op(yaml), t("2026-02-01"))
        .expect_err("the operation should fail");
    assert_eq!(err.kind, kind, "{}", err.message);
    assert_eq!(
        engine.estate(),
        estate,
        "a failed operation changed the estate"
    );
    err.message
}

fn applied(estate: &Estate, yaml: &str) -> Estate {
    let mut engine = Engine::new(estate.clone());
    engine.apply(&op(yaml), t("2026-02-01")).unwrap();
    engine.into_estate()
}

const ORG: &str = r#"
- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
- {op: create-ou, organization: "123456789012", name: eng, parent: root}
- {op: create-account, id: "210987654321", name: team}
- {op: invite-account, organization: "123456789012", account: "210987654321", parent: eng}
- {op: create-account, id: "333333333333", name: lone}
"#;

/// SPEC's guard-rail example up to the refused sign-up: an SCP at the root denies
/// `codewhisperer:CreateProfile`.
fn guard_railed() -> Estate {
    build(
        r#"
- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
- {op: create-account, id: "210987654321", name: team}
- {op: invite-account, organization: "123456789012", account: "210987654321"}
- {op: enable-identity-center, account: "123456789012", region: us-east-1, created: 2024-04-02}
- op: create-policy
  organization: "123456789012"
  name: deny-kiro-profiles
  document: |
    {"Version": "2012-10-17",
     "Statement": [{"Sid": "NoMemberProfiles", "Effect": "Deny",
                    "Action": "codewhisperer:CreateProfile", "Resource": "*"}]}
- {op: attach-policy, organization: "123456789012", policy: deny-kiro-profiles, target: root}
"#,
    )
}

fn org() -> Estate {
    build(ORG)
}

fn org_with_instance(created: &str) -> Estate {
    let mut e = org();
    e = applied(
        &e,
        &format!(
            r#"- {{op: enable-identity-center, account: "123456789012", region: us-east-1, created: {created}}}"#
        ),
    );
    e
}

fn rollout() -> Estate {
    let e = org_with_instance("2024-04-02");
    let mut engine = Engine::new(e);
    for item in kiro_engine::ops_file::parse(
        r#"
- {op: create-user, instance: "123456789012", user-name: hanako, email: hanako@example.com}
- {op: create-group, instance: "123456789012", name: devs}
- {op: add-member, instance: "123456789012", group: devs, user-name: hanako}
- {op: create-profile, account: "210987654321", region: us-east-1}
"#,
        Format::Yaml,
    )
    .unwrap()
    {
        engine.apply(&item.op, t("2026-01-10")).unwrap();
    }
    engine.into_estate()
}

#[test]
fn unknown_account_is_not_found() {
    refused(
        &org(),
        r#"- {op: create-organization, management: "999999999999"}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &org(),
        r#"- {op: invite-account, organization: "123456789012", account: "999999999999"}"#,
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn unknown_ou_policy_instance_user_group_profile_are_not_found() {
    let e = rollout();
    refused(
        &e,
        r#"- {op: move-account, account: "210987654321", parent: nowhere}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: nope, target: root}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        r#"- {op: create-user, instance: "333333333333", user-name: x, email: x@example.com}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        r#"- {op: add-member, instance: "123456789012", group: devs, user-name: nobody}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        r#"- {op: add-member, instance: "123456789012", group: nogroup, user-name: hanako}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        r#"- {op: delete-profile, account: "123456789012", region: us-east-1}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        r#"- {op: unsubscribe, account: "210987654321", region: us-east-1, user-name: hanako}"#,
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn signing_up_without_an_instance_is_not_found() {
    refused(
        &org(),
        r#"- {op: create-profile, account: "210987654321", region: us-east-1}"#,
        ErrorKind::ResourceNotFound,
    );
    let e = org_with_instance("2024-04-02");
    refused(
        &e,
        r#"- {op: create-profile, account: "210987654321", region: us-east-1, identity-source: account}"#,
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn existing_ids_and_names_conflict() {
    let e = rollout();
    refused(
        &e,
        r#"- {op: create-account, id: "123456789012", name: again}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: create-ou, organization: "123456789012", name: eng, parent: root}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: create-user, instance: "123456789012", user-name: hanako, email: h@example.com}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: create-group, instance: "123456789012", name: devs}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: create-organization, management: "123456789012"}"#,
        ErrorKind::Conflict,
    );
}

#[test]
fn second_profile_in_account_and_region_conflicts() {
    refused(
        &rollout(),
        r#"- {op: create-profile, account: "210987654321", region: us-east-1}"#,
        ErrorKind::Conflict,
    );
}

#[test]
fn second_instance_in_one_account_conflicts() {
    let e = org_with_instance("2024-04-02");
    refused(
        &e,
        r#"- {op: enable-identity-center, account: "123456789012", region: eu-west-1}"#,
        ErrorKind::Conflict,
    );
}

#[test]
fn eleventh_profile_on_an_organization_instance_exceeds_the_quota() {
    let mut e = org_with_instance("2024-04-02");
    for i in 0..10 {
        let id = format!("5000000000{i:02}");
        e = applied(
            &e,
            &format!(r#"- {{op: create-account, id: "{id}", name: p{i}}}"#),
        );
        e = applied(
            &e,
            &format!(r#"- {{op: invite-account, organization: "123456789012", account: "{id}"}}"#),
        );
        e = applied(
            &e,
            &format!(r#"- {{op: create-profile, account: "{id}", region: us-east-1}}"#),
        );
    }
    let e = applied(
        &e,
        r#"- {op: create-account, id: "500000000099", name: eleventh}"#,
    );
    let e = applied(
        &e,
        r#"- {op: invite-account, organization: "123456789012", account: "500000000099"}"#,
    );
    refused(
        &e,
        r#"- {op: create-profile, account: "500000000099", region: us-east-1}"#,
        ErrorKind::ServiceQuotaExceeded,
    );
    // Another region has its own quota, and account instances do not count.
    applied(
        &e,
        r#"- {op: create-profile, account: "500000000099", region: eu-central-1}"#,
    );
    let e = applied(
        &e,
        r#"- {op: enable-identity-center, account: "500000000099", region: us-east-1}"#,
    );
    applied(
        &e,
        r#"- {op: create-profile, account: "500000000099", region: us-east-1, identity-source: account}"#,
    );
}

#[test]
fn quota_is_a_parameter() {
    let mut e = rollout();
    e.simulator.profile_quota = 1;
    let e = applied(
        &e,
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    refused(
        &e,
        r#"- {op: create-profile, account: "123456789012", region: us-east-1}"#,
        ErrorKind::ServiceQuotaExceeded,
    );
}

#[test]
fn scp_denying_create_profile_is_access_denied_naming_the_statement() {
    let e = guard_railed();
    let message = refused(
        &e,
        r#"- {op: create-profile, account: "210987654321", region: us-east-1}"#,
        ErrorKind::AccessDenied,
    );
    assert!(message.contains("NoMemberProfiles"), "{message}");
    assert!(message.contains("deny-kiro-profiles"), "{message}");
    // The management account is never restricted by SCPs.
    applied(
        &e,
        r#"- {op: create-profile, account: "123456789012", region: us-east-1}"#,
    );
}

#[test]
fn scp_denying_create_instance_is_access_denied() {
    let e = applied(
        &org(),
        r#"- {op: create-policy, organization: "123456789012", name: no-instances, document: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "sso:CreateInstance", Resource: "*"}]}}"#,
    );
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: no-instances, target: eng}"#,
    );
    refused(
        &e,
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
        ErrorKind::AccessDenied,
    );
}

#[test]
fn missing_allow_at_a_level_is_access_denied() {
    let e = applied(
        &org(),
        r#"- {op: create-policy, organization: "123456789012", name: only-s3, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}}"#,
    );
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: only-s3, target: eng}"#,
    );
    let e = applied(
        &e,
        r#"- {op: detach-policy, organization: "123456789012", policy: FullAWSAccess, target: eng}"#,
    );
    let message = refused(
        &e,
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
        ErrorKind::AccessDenied,
    );
    assert!(message.contains("OU eng"), "{message}");
}

#[test]
fn authorization_comes_before_other_rules() {
    let e = guard_railed();
    // A region where Kiro does not run would be a ValidationException, but the SCP speaks first.
    refused(
        &e,
        r#"- {op: create-profile, account: "210987654321", region: ap-south-1}"#,
        ErrorKind::AccessDenied,
    );
}

#[test]
fn scp_conditions_see_the_request_context() {
    let e = applied(
        &org(),
        r#"- {op: create-policy, organization: "123456789012", name: allowed-only, document: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "sso:CreateInstance", Resource: "*", Condition: {StringNotEquals: {"aws:PrincipalAccount": ["999999999999"]}}}]}}"#,
    );
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: allowed-only, target: root}"#,
    );
    refused(
        &e,
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
        ErrorKind::AccessDenied,
    );
    let e = applied(
        &org(),
        r#"- {op: create-policy, organization: "123456789012", name: region-lock, document: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "*", Resource: "*", Condition: {StringNotEquals: {"aws:RequestedRegion": ["eu-central-1"]}}}]}}"#,
    );
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: region-lock, target: eng}"#,
    );
    refused(
        &e,
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
        ErrorKind::AccessDenied,
    );
    applied(
        &e,
        r#"- {op: enable-identity-center, account: "210987654321", region: eu-central-1}"#,
    );
}

#[test]
fn account_instance_in_the_management_account_is_invalid() {
    refused(
        &org(),
        r#"- {op: enable-identity-center, account: "123456789012", region: us-east-1, kind: account}"#,
        ErrorKind::Validation,
    );
}

#[test]
fn organization_instance_outside_a_management_account_is_invalid() {
    refused(
        &org(),
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1, kind: organization}"#,
        ErrorKind::Validation,
    );
    refused(
        &org(),
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1, kind: organization}"#,
        ErrorKind::Validation,
    );
}

#[test]
fn member_account_instance_needs_permission_before_the_cutover() {
    let old = org_with_instance("2023-11-14");
    refused(
        &old,
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
        ErrorKind::Validation,
    );
    let allowed = applied(
        &old,
        r#"- {op: allow-member-account-instances, organization: "123456789012"}"#,
    );
    applied(
        &allowed,
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
    );
    // On or after 2023-11-15 member accounts may by default; with no organization instance too.
    applied(
        &org_with_instance("2023-11-15"),
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
    );
    applied(
        &org(),
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
    );
}

#[test]
fn identity_enhanced_sessions_need_an_organization_instance() {
    let e = applied(
        &org(),
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    refused(
        &e,
        r#"- {op: enable-identity-enhanced-sessions, instance: "333333333333"}"#,
        ErrorKind::Validation,
    );
    let e = org_with_instance("2024-01-01");
    let e = applied(
        &e,
        r#"- {op: enable-identity-enhanced-sessions, instance: "123456789012"}"#,
    );
    assert!(
        e.instances
            .get("123456789012")
            .unwrap()
            .identity_enhanced_sessions
    );
}

#[test]
fn subscription_principal_must_be_in_the_profiles_identity_store() {
    let e = rollout();
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, user-name: nobody, plan: pro}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: nogroup, plan: pro}"#,
        ErrorKind::Validation,
    );
    // A user that exists in another store is still missing from this one.
    let e = applied(
        &e,
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    let e = applied(
        &e,
        r#"- {op: create-user, instance: "333333333333", user-name: solo, email: solo@example.com}"#,
    );
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, user-name: solo, plan: pro}"#,
        ErrorKind::Validation,
    );
}

#[test]
fn profile_outside_kiro_regions_is_invalid() {
    refused(
        &rollout(),
        r#"- {op: create-profile, account: "123456789012", region: ap-south-1}"#,
        ErrorKind::Validation,
    );
}

#[test]
fn unknown_plan_and_out_of_range_values_are_invalid() {
    let e = rollout();
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: enterprise}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro, status: gone}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: set-kiro-session-duration, instance: "123456789012", days: 91}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: set-kiro-session-duration, instance: "123456789012", days: 0}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: create-account, id: "12345", name: short}"#,
        ErrorKind::Validation,
    );
    applied(
        &e,
        r#"- {op: set-kiro-session-duration, instance: "123456789012", days: 90}"#,
    );
}

#[test]
fn ambiguous_identity_source_is_invalid_unless_the_user_decides() {
    let e = org_with_instance("2024-04-02");
    let e = applied(
        &e,
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
    );
    refused(
        &e,
        r#"- {op: create-profile, account: "210987654321", region: us-east-1}"#,
        ErrorKind::Validation,
    );
    let e = applied(
        &e,
        r#"- {op: create-user, instance: "210987654321", user-name: local, email: local@example.com}"#,
    );
    let chosen = applied(
        &e,
        r#"- {op: create-profile, account: "210987654321", region: us-east-1, as: local}"#,
    );
    let p = chosen.profiles.iter().next().unwrap();
    assert_eq!(p.instance.as_str(), "210987654321");
    let e = applied(
        &e,
        r#"- {op: create-user, instance: "123456789012", user-name: local, email: local@example.com}"#,
    );
    refused(
        &e,
        r#"- {op: create-profile, account: "210987654321", region: us-east-1, as: local}"#,
        ErrorKind::Validation,
    );
    let chosen = applied(
        &e,
        r#"- {op: create-profile, account: "210987654321", region: us-east-1, identity-source: organization}"#,
    );
    assert_eq!(
        chosen.profiles.iter().next().unwrap().instance.as_str(),
        "123456789012"
    );
}

#[test]
fn joining_an_organization_while_in_one_violates_a_constraint() {
    let e = org();
    refused(
        &e,
        r#"- {op: invite-account, organization: "123456789012", account: "210987654321"}"#,
        ErrorKind::ConstraintViolation,
    );
    let e = applied(
        &e,
        r#"- {op: create-organization, management: "333333333333"}"#,
    );
    refused(
        &e,
        r#"- {op: invite-account, organization: "333333333333", account: "210987654321"}"#,
        ErrorKind::ConstraintViolation,
    );
}

#[test]
fn detaching_the_last_scp_violates_a_constraint() {
    refused(
        &org(),
        r#"- {op: detach-policy, organization: "123456789012", policy: FullAWSAccess, target: root}"#,
        ErrorKind::ConstraintViolation,
    );
}

#[test]
fn a_sixth_scp_on_one_target_violates_a_constraint() {
    let mut e = org();
    for i in 0..4 {
        e = applied(
            &e,
            &format!(
                r#"- {{op: create-policy, organization: "123456789012", name: p{i}, document: {{Version: "2012-10-17", Statement: [{{Effect: Deny, Action: "ec2:Op{i}", Resource: "*"}}]}}}}"#
            ),
        );
        e = applied(
            &e,
            &format!(
                r#"- {{op: attach-policy, organization: "123456789012", policy: p{i}, target: root}}"#
            ),
        );
    }
    let e = applied(
        &e,
        r#"- {op: create-policy, organization: "123456789012", name: p5, document: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "ec2:X", Resource: "*"}]}}"#,
    );
    refused(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: p5, target: root}"#,
        ErrorKind::ConstraintViolation,
    );
}

#[test]
fn scp_over_5120_characters_violates_a_constraint() {
    let actions: Vec<String> = (0..400)
        .map(|i| format!("\"ec2:LongActionName{i}\""))
        .collect();
    let doc = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": [{}], "Resource": "*"}}]}}"#,
        actions.join(",")
    );
    let yaml = format!(
        "- op: create-policy\n  organization: \"123456789012\"\n  name: huge\n  document: '{doc}'\n"
    );
    refused(&org(), &yaml, ErrorKind::ConstraintViolation);
}

#[test]
fn ous_nested_deeper_than_five_levels_violate_a_constraint() {
    let mut e = org();
    let mut parent = "eng".to_owned();
    for level in 2..=5 {
        let name = format!("l{level}");
        e = applied(
            &e,
            &format!(
                r#"- {{op: create-ou, organization: "123456789012", name: {name}, parent: {parent}}}"#
            ),
        );
        parent = name;
    }
    refused(
        &e,
        r#"- {op: create-ou, organization: "123456789012", name: l6, parent: l5}"#,
        ErrorKind::ConstraintViolation,
    );
}

#[test]
fn invalid_scp_documents_are_malformed() {
    refused(
        &org(),
        r#"- {op: create-policy, organization: "123456789012", name: bad, document: "{not json"}"#,
        ErrorKind::MalformedPolicyDocument,
    );
    refused(
        &org(),
        r#"- {op: create-policy, organization: "123456789012", name: bad, document: {Version: "2012-10-17", Statement: [{Effect: Deny, Principal: "*", Action: "*", Resource: "*"}]}}"#,
        ErrorKind::MalformedPolicyDocument,
    );
}

#[test]
fn new_organizations_ous_and_accounts_get_full_aws_access() {
    let e = org();
    let o = e.organizations.iter().next().unwrap();
    for target in ["root", "eng", "210987654321"] {
        assert!(
            o.attachments
                .iter()
                .any(|a| a.target == target && a.policy == "FullAWSAccess"),
            "{target}"
        );
    }
    assert!(e.validate().is_empty(), "{:?}", e.validate());
}

#[test]
fn applied_operations_are_logged_with_time_and_parameters() {
    let e = rollout();
    let n = e.events.len();
    let e = applied(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro-plus}"#,
    );
    assert_eq!(e.events.len(), n + 1);
    let last = e.events.last().unwrap();
    // The log holds the typed operation, written as in an operations file.
    let logged = serde_json::to_value(&last.op).unwrap();
    assert_eq!(logged["op"], "subscribe");
    assert_eq!(logged["plan"], "pro-plus");
    assert_eq!(last.at, t("2026-02-01"));
    // The logged operation parses back to the same operation.
    let back: Op = serde_json::from_value(logged).unwrap();
    assert_eq!(back.name(), "subscribe");
    assert_eq!(back, last.op);
}

#[test]
fn resubscribing_changes_the_plan_and_unsubscribing_removes_it() {
    let e = rollout();
    let e = applied(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro}"#,
    );
    let e = applied(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: power}"#,
    );
    let p = e.profiles.iter().next().unwrap();
    assert_eq!(p.subscriptions.len(), 1);
    assert_eq!(
        p.subscriptions.iter().next().unwrap().plan,
        kiro_estate::Plan::Power
    );
    let e = applied(
        &e,
        r#"- {op: unsubscribe, account: "210987654321", region: us-east-1, group: devs}"#,
    );
    assert!(e.profiles.iter().next().unwrap().subscriptions.is_empty());
}

#[test]
fn subscribe_expecting_new_or_existing_refuses_the_other_case_with_its_own_action() {
    let e = applied(
        &rollout(),
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro}"#,
    );
    let m = refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: power, expect: new}"#,
        ErrorKind::Conflict,
    );
    assert!(m.contains("devs"), "{m}");
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, user-name: hanako, plan: pro, expect: existing}"#,
        ErrorKind::ResourceNotFound,
    );
    let e = applied(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: power, expect: existing}"#,
    );
    // Changing plans is q:UpdateAssignment, whatever the subscription: an SCP denying it
    // refuses `expect: existing` first, and leaves `expect: new` to its own rule.
    let e = applied(
        &e,
        r#"
- op: create-policy
  organization: "123456789012"
  name: no-plan-changes
  document: {Version: "2012-10-17", Statement: [{Sid: NoUpdates, Effect: Deny, Action: "q:UpdateAssignment", Resource: "*"}]}
"#,
    );
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: no-plan-changes, target: root}"#,
    );
    let m = refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, user-name: hanako, plan: pro, expect: existing}"#,
        ErrorKind::AccessDenied,
    );
    assert!(m.contains("NoUpdates"), "{m}");
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro, expect: new}"#,
        ErrorKind::Conflict,
    );
}

#[test]
fn authorizing_alone_answers_as_apply_and_changes_nothing() {
    let e = guard_railed();
    let signup = op(r#"- {op: create-profile, account: "210987654321", region: us-east-1}"#);
    let mut engine = Engine::new(e.clone());
    let denied = engine.authorize(&signup).expect_err("the SCP denies it");
    assert_eq!(
        Some(denied),
        engine.apply(&signup, t("2026-02-01")).err(),
        "authorize and apply refuse alike"
    );
    assert_eq!(engine.estate(), &e);
    let management = op(r#"- {op: create-profile, account: "123456789012", region: us-east-1}"#);
    engine.authorize(&management).unwrap();
    assert_eq!(engine.estate(), &e);
}

#[test]
fn an_account_instance_stays_one_after_joining() {
    let e = applied(
        &org(),
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    let e = applied(
        &e,
        r#"- {op: invite-account, organization: "123456789012", account: "333333333333"}"#,
    );
    assert_eq!(
        e.instances.get("333333333333").unwrap().kind,
        kiro_estate::InstanceKind::Account
    );
    // and the organization's own instance can still be enabled beside it
    let e = applied(
        &e,
        r#"- {op: enable-identity-center, account: "123456789012", region: us-east-1}"#,
    );
    assert!(e.validate().is_empty(), "{:?}", e.validate());
}

#[test]
fn an_account_with_an_account_instance_cannot_become_a_management_account() {
    let e = applied(
        &org(),
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    refused(
        &e,
        r#"- {op: create-organization, management: "333333333333"}"#,
        ErrorKind::Validation,
    );
}

/// An organization instance from 2022; `333333333333` is standalone (see [`ORG`]).
fn org_with_2022_instance() -> Estate {
    org_with_instance("2022-01-01")
}

#[test]
fn an_instance_made_before_joining_stays_valid_after_the_cutover_rule() {
    // The contradiction `apply` used to write and `check` refuse: the account makes its
    // account instance while standalone, then joins an organization whose instance predates
    // 2023-11-15 and never allowed member account instances.
    let e = build(
        r#"
- {op: create-account, id: "123456789012", name: management, at: 2022-01-01}
- {op: create-organization, management: "123456789012", at: 2022-01-01}
- {op: enable-identity-center, account: "123456789012", region: us-east-1, at: 2022-01-01}
- {op: create-account, id: "333333333333", name: lone, at: 2024-05-01}
- {op: enable-identity-center, account: "333333333333", region: us-east-1, at: 2024-05-01}
- {op: invite-account, organization: "123456789012", account: "333333333333", at: 2025-02-01}
"#,
    );
    let joined = e
        .account(&"333333333333".into())
        .unwrap()
        .joined
        .clone()
        .unwrap();
    assert_eq!(joined.at, t("2025-02-01"));
    assert_eq!(joined.method, kiro_estate::JoinedMethod::Invited);
    assert!(e.validate().is_empty(), "{:?}", e.validate());
    // Joining on the day the instance was made counts as after it, as `check` reads days.
    let same_day = applied(
        &applied(
            &org_with_2022_instance(),
            r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
        ),
        r#"- {op: invite-account, organization: "123456789012", account: "333333333333"}"#,
    );
    assert!(same_day.validate().is_empty(), "{:?}", same_day.validate());
    // Without the joining date (a hand-written file), the instance reads as a member's.
    let mut unknown = e.clone();
    unknown.accounts.get_mut("333333333333").unwrap().joined = None;
    assert_eq!(unknown.validate().len(), 1, "{:?}", unknown.validate());
}

#[test]
fn apply_refuses_what_check_would_refuse_about_the_cutover() {
    // An instance dated after the account joins would read as a member's.
    let e = applied(
        &org_with_2022_instance(),
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1, created: 2026-06-01}"#,
    );
    let message = refused(
        &e,
        r#"- {op: invite-account, organization: "123456789012", account: "333333333333"}"#,
        ErrorKind::Validation,
    );
    assert!(message.contains("2026-06-01"), "{message}");
    // An organization instance backdated before a member's account instance (made after it
    // joined) would make that instance break the rule.
    let e = applied(
        &org(),
        r#"- {op: enable-identity-center, account: "210987654321", region: us-east-1}"#,
    );
    let message = refused(
        &e,
        r#"- {op: enable-identity-center, account: "123456789012", region: us-east-1, created: 2022-01-01}"#,
        ErrorKind::Validation,
    );
    assert!(message.contains("210987654321"), "{message}");
    // Dated on or after it, or with member instances allowed, it is accepted and checks.
    for ok in [
        applied(
            &e,
            r#"- {op: enable-identity-center, account: "123456789012", region: us-east-1}"#,
        ),
        applied(
            &applied(
                &e,
                r#"- {op: allow-member-account-instances, organization: "123456789012"}"#,
            ),
            r#"- {op: enable-identity-center, account: "123456789012", region: us-east-1, created: 2022-01-01}"#,
        ),
    ] {
        assert!(ok.validate().is_empty(), "{:?}", ok.validate());
    }
    // A member creating an instance on the day it joined is a member creating it.
    let joined_today = applied(
        &org_with_2022_instance(),
        r#"- {op: invite-account, organization: "123456789012", account: "333333333333"}"#,
    );
    refused(
        &joined_today,
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
        ErrorKind::Validation,
    );
}

#[test]
fn create_account_in_an_organization_makes_a_member() {
    let e = applied(
        &org(),
        r#"- {op: create-account, id: "444444444444", name: new, email: new@example.com, organization: "123456789012", parent: eng}"#,
    );
    let a = e.account(&"444444444444".into()).unwrap();
    assert_eq!(a.organization, Some("123456789012".into()));
    assert_eq!(a.parent.as_deref(), Some("eng"));
    let joined = a.joined.clone().unwrap();
    assert_eq!(joined.method, kiro_estate::JoinedMethod::Created);
    assert_eq!(joined.at, t("2026-02-01"));
    let organization = e.organizations.get("123456789012").unwrap();
    assert!(
        organization
            .attachments
            .iter()
            .any(|x| x.target == "444444444444" && x.policy == "FullAWSAccess")
    );
    assert!(e.validate().is_empty(), "{:?}", e.validate());
    // The output names the account, its organization and ARN.
    let out = Engine::new(org())
        .apply(
            &op(r#"- {op: create-account, id: "444444444444", name: new, organization: "123456789012"}"#),
            t("2026-02-01"),
        )
        .unwrap();
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["account"], "444444444444");
    assert_eq!(json["organization"], "123456789012");
    assert_eq!(json["parent"], "root");
    assert!(
        json["arn"].as_str().unwrap().ends_with("/444444444444"),
        "{json}"
    );
    // The same rules as for invited accounts.
    refused(
        &org(),
        r#"- {op: create-account, id: "444444444444", name: new, organization: "999999999999"}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &org(),
        r#"- {op: create-account, id: "444444444444", name: new, organization: "123456789012", parent: nope}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &org(),
        r#"- {op: create-account, id: "444444444444", name: new, parent: eng}"#,
        ErrorKind::Validation,
    );
    refused(
        &org(),
        r#"- {op: create-account, id: "210987654321", name: again, organization: "123456789012"}"#,
        ErrorKind::Conflict,
    );
}

#[test]
fn emails_are_checked_in_one_place() {
    let e = applied(
        &org(),
        r#"- {op: create-account, id: "444444444444", name: a, email: Dup@Example.com}"#,
    );
    // Account root emails are unique, compared case-insensitively.
    refused(
        &e,
        r#"- {op: create-account, id: "555555555555", name: b, email: dup@example.com}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &e,
        r#"- {op: create-account, id: "555555555555", name: b, email: not-an-email}"#,
        ErrorKind::Validation,
    );
    // A user's email is optional; when given it must be one.
    let e = org_with_instance("2024-04-02");
    let e = applied(
        &e,
        r#"- {op: create-user, instance: "123456789012", user-name: nomail}"#,
    );
    let user = e
        .instances
        .get("123456789012")
        .unwrap()
        .users
        .get("nomail")
        .unwrap();
    assert_eq!(user.email, None);
    refused(
        &e,
        r#"- {op: create-user, instance: "123456789012", user-name: bad, email: "a b@c"}"#,
        ErrorKind::Validation,
    );
    // Two users may share an email (the same person), in one store or several.
    applied(
        &e,
        r#"- {op: create-user, instance: "123456789012", user-name: twin, email: x@example.com}"#,
    );
}

#[test]
fn renaming_an_ou_keeps_its_id_accounts_and_policies() {
    let before = org();
    let id = before
        .organizations
        .iter()
        .next()
        .unwrap()
        .ous
        .get("eng")
        .unwrap()
        .id
        .clone();
    let e = applied(
        &before,
        r#"- {op: update-ou, organization: "123456789012", ou: eng, name: engineering}"#,
    );
    let o = e.organizations.iter().next().unwrap();
    assert!(!o.ous.contains("eng"));
    assert_eq!(o.ous.get("engineering").unwrap().id, id);
    assert_eq!(o.attached_to("engineering").len(), 1);
    assert!(o.attached_to("eng").is_empty());
    let team = e.account(&"210987654321".into()).unwrap();
    assert_eq!(team.parent.as_deref(), Some("engineering"));
    let with_other = applied(
        &org(),
        r#"- {op: create-ou, organization: "123456789012", name: ops, parent: root}"#,
    );
    refused(
        &with_other,
        r#"- {op: update-ou, organization: "123456789012", ou: eng, name: ops}"#,
        ErrorKind::Conflict,
    );
    refused(
        &org(),
        r#"- {op: update-ou, organization: "123456789012", ou: nope, name: x}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &org(),
        r#"- {op: update-ou, organization: "123456789012", ou: eng, name: root}"#,
        ErrorKind::Validation,
    );
}

#[test]
fn only_an_empty_ou_is_deleted_and_its_attachments_go_with_it() {
    refused(
        &org(),
        r#"- {op: delete-ou, organization: "123456789012", ou: eng}"#,
        ErrorKind::ConstraintViolation,
    );
    let moved = applied(
        &org(),
        r#"- {op: move-account, account: "210987654321", parent: root}"#,
    );
    let e = applied(
        &moved,
        r#"- {op: delete-ou, organization: "123456789012", ou: eng}"#,
    );
    let o = e.organizations.iter().next().unwrap();
    assert!(o.ous.is_empty());
    assert!(o.attachments.iter().all(|a| a.target != "eng"));
    let nested = applied(
        &moved,
        r#"- {op: create-ou, organization: "123456789012", name: web, parent: eng}"#,
    );
    refused(
        &nested,
        r#"- {op: delete-ou, organization: "123456789012", ou: eng}"#,
        ErrorKind::ConstraintViolation,
    );
}

#[test]
fn an_organization_is_deleted_only_without_members_or_its_instance() {
    refused(
        &org(),
        r#"- {op: delete-organization, organization: "123456789012"}"#,
        ErrorKind::ConstraintViolation,
    );
    let alone = build(
        r#"
- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
"#,
    );
    let e = applied(
        &alone,
        r#"- {op: delete-organization, organization: "123456789012"}"#,
    );
    assert!(e.organizations.is_empty());
    let m = e.account(&"123456789012".into()).unwrap();
    assert_eq!(
        (
            m.organization.as_ref(),
            m.parent.as_ref(),
            m.joined.as_ref()
        ),
        (None, None, None)
    );
    let with_instance = applied(
        &alone,
        r#"- {op: enable-identity-center, account: "123456789012", region: us-east-1}"#,
    );
    refused(
        &with_instance,
        r#"- {op: delete-organization, organization: "123456789012"}"#,
        ErrorKind::Validation,
    );
}

const DENY_LEAVE: &str = r#"- op: create-policy
  organization: "123456789012"
  name: deny-leave
  document: {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}
"#;

#[test]
fn updating_a_policy_keeps_its_id_and_attachments() {
    let e = applied(&org(), DENY_LEAVE);
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: deny-leave, target: eng}"#,
    );
    let id = e
        .organizations
        .iter()
        .next()
        .unwrap()
        .policies
        .get("deny-leave")
        .unwrap()
        .id
        .clone();
    let e2 = applied(
        &e,
        r#"- {op: update-policy, organization: "123456789012", policy: deny-leave, name: no-leaving, description: stay, document: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:*", "Resource": "*"}]}'}"#,
    );
    let o = e2.organizations.iter().next().unwrap();
    let p = o.policies.get("no-leaving").unwrap();
    assert_eq!(p.id, id);
    assert_eq!(p.description.as_deref(), Some("stay"));
    assert!(
        p.document.to_string().contains("organizations:*"),
        "{}",
        p.document
    );
    assert!(o.attached_to("eng").iter().any(|p| p.name == "no-leaving"));
    refused(
        &e,
        r#"- {op: update-policy, organization: "123456789012", policy: deny-leave, name: FullAWSAccess}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: update-policy, organization: "123456789012", policy: deny-leave, document: '{"Statement": ['}"#,
        ErrorKind::MalformedPolicyDocument,
    );
    refused(
        &e,
        r#"- {op: update-policy, organization: "123456789012", policy: FullAWSAccess, description: x}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: update-policy, organization: "123456789012", policy: nope, description: x}"#,
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn only_a_detached_customer_policy_is_deleted() {
    let e = applied(&org(), DENY_LEAVE);
    let attached = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: deny-leave, target: eng}"#,
    );
    refused(
        &attached,
        r#"- {op: delete-policy, organization: "123456789012", policy: deny-leave}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &e,
        r#"- {op: delete-policy, organization: "123456789012", policy: FullAWSAccess}"#,
        ErrorKind::Validation,
    );
    let gone = applied(
        &e,
        r#"- {op: delete-policy, organization: "123456789012", policy: deny-leave}"#,
    );
    assert!(
        !gone
            .organizations
            .iter()
            .next()
            .unwrap()
            .policies
            .contains("deny-leave")
    );
}

#[test]
fn scps_disabled_attach_nothing_and_deny_nothing_until_enabled_again() {
    let e = guard_railed();
    let sign_up = r#"- {op: create-profile, account: "210987654321", region: us-east-1}"#;
    refused(&e, sign_up, ErrorKind::AccessDenied);
    let off = applied(
        &e,
        r#"- {op: disable-policy-type, organization: "123456789012", policy-type: SERVICE_CONTROL_POLICY}"#,
    );
    let org = off.organizations.iter().next().unwrap();
    assert!(org.scps_disabled && org.attachments.is_empty());
    assert!(org.policies.contains("deny-kiro-profiles"));
    applied(&off, sign_up);
    refused(
        &off,
        r#"- {op: attach-policy, organization: "123456789012", policy: deny-kiro-profiles, target: root}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &off,
        r#"- {op: disable-policy-type, organization: "123456789012", policy-type: SERVICE_CONTROL_POLICY}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &off,
        r#"- {op: enable-policy-type, organization: "123456789012", policy-type: NOT_A_POLICY}"#,
        ErrorKind::Validation,
    );
    // A new OU gets no SCP while they are off; enabling attaches FullAWSAccess everywhere.
    let off = applied(
        &off,
        r#"- {op: create-ou, organization: "123456789012", name: eng, parent: root}"#,
    );
    assert!(
        off.organizations
            .iter()
            .next()
            .unwrap()
            .attachments
            .is_empty()
    );
    let on = applied(
        &off,
        r#"- {op: enable-policy-type, organization: "123456789012", policy-type: SERVICE_CONTROL_POLICY}"#,
    );
    let org = on.organizations.iter().next().unwrap();
    assert!(!org.scps_disabled);
    let mut targets: Vec<&str> = org.attachments.iter().map(|a| a.target.as_str()).collect();
    targets.sort_unstable();
    assert_eq!(targets, ["123456789012", "210987654321", "eng", "root"]);
    assert!(org.attachments.iter().all(|a| a.policy == "FullAWSAccess"));
    refused(
        &on,
        r#"- {op: enable-policy-type, organization: "123456789012", policy-type: SERVICE_CONTROL_POLICY}"#,
        ErrorKind::Conflict,
    );
    let on = applied(
        &on,
        r#"- {op: attach-policy, organization: "123456789012", policy: deny-kiro-profiles, target: root}"#,
    );
    refused(&on, sign_up, ErrorKind::AccessDenied);
}

#[test]
fn an_organization_can_start_without_scps() {
    let e = build(
        r#"
- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012", scps-enabled: false}
- {op: create-account, id: "210987654321", name: team}
- {op: invite-account, organization: "123456789012", account: "210987654321"}
"#,
    );
    let org = e.organizations.iter().next().unwrap();
    assert!(org.scps_disabled);
    assert!(org.attachments.is_empty());
    let problems = e.validate();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn tags_go_on_ids_that_exist_within_aws_limits() {
    let e = org();
    let o = e.organizations.iter().next().unwrap().clone();
    let ou = o.ous.get("eng").unwrap().id.clone();
    let e = applied(
        &e,
        &format!(
            r#"- {{op: tag-resource, organization: "123456789012", resource: {ou}, tags: {{team: eng, cost: "42"}}}}"#
        ),
    );
    let e = applied(
        &e,
        r#"- {op: tag-resource, organization: "123456789012", resource: "210987654321", tags: {team: kiro}}"#,
    );
    let tags = &e.organizations.iter().next().unwrap().tags;
    assert_eq!(tags[&ou]["cost"], "42");
    assert_eq!(tags["210987654321"]["team"], "kiro");
    // The OU keeps its tags through a rename: they hang on its id.
    let e = applied(
        &e,
        r#"- {op: update-ou, organization: "123456789012", ou: eng, name: engineering}"#,
    );
    assert_eq!(
        e.organizations.iter().next().unwrap().tags[&ou]["team"],
        "eng"
    );
    refused(
        &e,
        r#"- {op: tag-resource, organization: "123456789012", resource: "333333333333", tags: {a: b}}"#,
        ErrorKind::ResourceNotFound,
    );
    let long = "k".repeat(129);
    refused(
        &e,
        &format!(
            r#"- {{op: tag-resource, organization: "123456789012", resource: "210987654321", tags: {{{long}: v}}}}"#
        ),
        ErrorKind::Validation,
    );
    let many: Vec<String> = (0..50).map(|i| format!("k{i}: v")).collect();
    refused(
        &e,
        &format!(
            r#"- {{op: tag-resource, organization: "123456789012", resource: "210987654321", tags: {{{}}}}}"#,
            many.join(", ")
        ),
        ErrorKind::ConstraintViolation,
    );
    let e = applied(
        &e,
        r#"- {op: untag-resource, organization: "123456789012", resource: "210987654321", keys: [team, absent]}"#,
    );
    assert!(
        !e.organizations
            .iter()
            .next()
            .unwrap()
            .tags
            .contains_key("210987654321")
    );
    assert!(e.validate().is_empty());
}

#[test]
fn an_invitation_is_a_handshake_the_account_answers() {
    let e = org();
    let sent = applied(
        &e,
        r#"- {op: send-invitation, organization: "123456789012", account: "333333333333", notes: welcome}"#,
    );
    let h = sent.organizations.iter().next().unwrap().handshakes[0].clone();
    assert!(h.id.starts_with("h-") && h.id.len() == 14, "{}", h.id);
    assert_eq!(
        sent.account(&"333333333333".into()).unwrap().organization,
        None
    );
    refused(
        &sent,
        r#"- {op: send-invitation, organization: "123456789012", account: "333333333333"}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &sent,
        r#"- {op: send-invitation, organization: "123456789012", account: "210987654321"}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &sent,
        &format!(
            r#"- {{op: accept-handshake, account: "210987654321", handshake: {}}}"#,
            h.id
        ),
        ErrorKind::ResourceNotFound,
    );
    let joined = applied(
        &sent,
        &format!(
            r#"- {{op: accept-handshake, account: "333333333333", handshake: {}}}"#,
            h.id
        ),
    );
    let a = joined.account(&"333333333333".into()).unwrap();
    assert_eq!(
        a.organization.as_ref().map(|o| o.as_str()),
        Some("123456789012")
    );
    assert_eq!(
        a.joined.as_ref().unwrap().method,
        kiro_estate::JoinedMethod::Invited
    );
    assert!(joined.validate().is_empty());
    refused(
        &joined,
        &format!(
            r#"- {{op: decline-handshake, account: "333333333333", handshake: {}}}"#,
            h.id
        ),
        ErrorKind::Validation,
    );
    let declined = applied(
        &sent,
        &format!(
            r#"- {{op: decline-handshake, account: "333333333333", handshake: {}}}"#,
            h.id
        ),
    );
    assert_eq!(
        declined
            .account(&"333333333333".into())
            .unwrap()
            .organization,
        None
    );
    let canceled = applied(
        &sent,
        &format!(
            r#"- {{op: cancel-handshake, organization: "123456789012", handshake: {}}}"#,
            h.id
        ),
    );
    assert_eq!(
        canceled.organizations.iter().next().unwrap().handshakes[0].state,
        kiro_estate::HandshakeState::Canceled
    );
}

#[test]
fn leaving_is_an_scp_decision_and_removing_is_the_management_accounts() {
    let e = applied(
        &org(),
        r#"- op: create-policy
  organization: "123456789012"
  name: stay
  document: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}'"#,
    );
    let guarded = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: stay, target: root}"#,
    );
    refused(
        &guarded,
        r#"- {op: leave-organization, account: "210987654321"}"#,
        ErrorKind::AccessDenied,
    );
    let left = applied(&e, r#"- {op: leave-organization, account: "210987654321"}"#);
    assert_eq!(
        left.account(&"210987654321".into()).unwrap().organization,
        None
    );
    assert!(left.validate().is_empty());
    let removed = applied(
        &guarded,
        r#"- {op: remove-account, organization: "123456789012", account: "210987654321"}"#,
    );
    assert!(
        removed
            .organizations
            .iter()
            .next()
            .unwrap()
            .attachments
            .iter()
            .all(|a| a.target != "210987654321")
    );
    assert!(removed.validate().is_empty());
    refused(
        &e,
        r#"- {op: remove-account, organization: "123456789012", account: "123456789012"}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &e,
        r#"- {op: remove-account, organization: "123456789012", account: "333333333333"}"#,
        ErrorKind::ResourceNotFound,
    );
    let closed = applied(
        &e,
        r#"- {op: close-account, organization: "123456789012", account: "210987654321"}"#,
    );
    assert!(
        closed
            .account(&"210987654321".into())
            .unwrap()
            .closed
            .is_some()
    );
    refused(
        &closed,
        r#"- {op: close-account, organization: "123456789012", account: "210987654321"}"#,
        ErrorKind::ConstraintViolation,
    );
}

#[test]
fn trusted_access_comes_before_a_delegated_administrator() {
    let e = org();
    refused(
        &e,
        r#"- {op: enable-service-access, organization: "123456789012", service-principal: nothing.amazonaws.com}"#,
        ErrorKind::Validation,
    );
    let delegate = r#"- {op: register-delegated-administrator, organization: "123456789012", account: "210987654321", service-principal: sso.amazonaws.com}"#;
    refused(&e, delegate, ErrorKind::ConstraintViolation);
    let e = applied(
        &e,
        r#"- {op: enable-service-access, organization: "123456789012", service-principal: sso.amazonaws.com}"#,
    );
    let e = applied(&e, delegate);
    refused(&e, delegate, ErrorKind::Conflict);
    refused(
        &e,
        r#"- {op: register-delegated-administrator, organization: "123456789012", account: "123456789012", service-principal: sso.amazonaws.com}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &e,
        r#"- {op: disable-service-access, organization: "123456789012", service-principal: sso.amazonaws.com}"#,
        ErrorKind::ConstraintViolation,
    );
    refused(
        &e,
        r#"- {op: leave-organization, account: "210987654321"}"#,
        ErrorKind::ConstraintViolation,
    );
    let e = applied(
        &e,
        r#"- {op: deregister-delegated-administrator, organization: "123456789012", account: "210987654321", service-principal: sso.amazonaws.com}"#,
    );
    refused(
        &e,
        r#"- {op: deregister-delegated-administrator, organization: "123456789012", account: "210987654321", service-principal: sso.amazonaws.com}"#,
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn consolidated_billing_has_no_policies_until_all_features() {
    let e = build(
        r#"
- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012", feature-set: consolidated-billing}
"#,
    );
    assert!(e.organizations.iter().next().unwrap().scps_disabled);
    let enable = r#"- {op: enable-policy-type, organization: "123456789012", policy-type: SERVICE_CONTROL_POLICY}"#;
    refused(&e, enable, ErrorKind::Validation);
    refused(
        &e,
        r#"- {op: enable-service-access, organization: "123456789012", service-principal: sso.amazonaws.com}"#,
        ErrorKind::ConstraintViolation,
    );
    let all = applied(
        &e,
        r#"- {op: enable-all-features, organization: "123456789012"}"#,
    );
    assert_eq!(
        all.organizations.iter().next().unwrap().feature_set,
        kiro_estate::FeatureSet::All
    );
    refused(
        &all,
        r#"- {op: enable-all-features, organization: "123456789012"}"#,
        ErrorKind::ConstraintViolation,
    );
    applied(&all, enable);
}

#[test]
fn policies_of_other_types_are_stored_and_attached_but_never_decide() {
    let e = org();
    let create = r#"- {op: create-policy, organization: "123456789012", name: tags, policy-type: TAG_POLICY, document: '{"tags": {"team": {"tag_key": {"@@assign": "team"}}}}'}"#;
    refused(&e, create, ErrorKind::ConstraintViolation);
    let e = applied(
        &e,
        r#"- {op: enable-policy-type, organization: "123456789012", policy-type: TAG_POLICY}"#,
    );
    refused(
        &e,
        r#"- {op: create-policy, organization: "123456789012", name: bad, policy-type: TAG_POLICY, document: 'not json'}"#,
        ErrorKind::MalformedPolicyDocument,
    );
    let e = applied(&e, create);
    refused(
        &e,
        r#"- {op: create-policy, organization: "123456789012", name: tags, document: '{"Version": "2012-10-17", "Statement": []}'}"#,
        ErrorKind::Conflict,
    );
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: tags, target: eng}"#,
    );
    let org = e.organizations.iter().next().unwrap();
    assert_eq!(org.typed_policies.get("tags").unwrap().targets, ["eng"]);
    assert_eq!(
        org.attached_to("eng").len(),
        1,
        "only FullAWSAccess is an SCP of eng"
    );
    assert!(e.validate().is_empty());
    refused(
        &e,
        r#"- {op: delete-policy, organization: "123456789012", policy: tags}"#,
        ErrorKind::ConstraintViolation,
    );
    let e = applied(
        &e,
        r#"- {op: disable-policy-type, organization: "123456789012", policy-type: TAG_POLICY}"#,
    );
    let e = applied(
        &e,
        r#"- {op: delete-policy, organization: "123456789012", policy: tags}"#,
    );
    assert!(
        e.organizations
            .iter()
            .next()
            .unwrap()
            .typed_policies
            .is_empty()
    );
}

#[test]
fn an_account_instance_holds_no_permission_set_and_no_customer_application() {
    let e = org_with_instance("2024-04-02");
    let e = applied(
        &e,
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    refused(
        &e,
        r#"- {op: create-permission-set, instance: "333333333333", name: Admins}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: create-application, instance: "333333333333", name: wiki, provider: "arn:aws:sso::aws:applicationProvider/custom"}"#,
        ErrorKind::Validation,
    );
    let e = applied(
        &e,
        r#"- {op: create-permission-set, instance: "123456789012", name: Developers, session-duration: PT2H}"#,
    );
    refused(
        &e,
        r#"- {op: create-permission-set, instance: "123456789012", name: Developers}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: update-permission-set, instance: "123456789012", permission-set: Developers, session-duration: PT30M}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: update-permission-set, instance: "123456789012", permission-set: Developers, attach-managed-policy: "arn:aws:iam::123456789012:policy/mine"}"#,
        ErrorKind::Validation,
    );
    let e = applied(
        &e,
        r#"- {op: update-permission-set, instance: "123456789012", permission-set: Developers, attach-managed-policy: "arn:aws:iam::aws:policy/ReadOnlyAccess", }"#,
    );
    let inst = e.instances.get("123456789012").unwrap();
    assert_eq!(
        inst.permission_sets
            .get("Developers")
            .unwrap()
            .managed_policies,
        ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    );
    assert!(e.validate().is_empty());
    // An AWS managed policy is in the instance's partition.
    refused(
        &e,
        r#"- {op: update-permission-set, instance: "123456789012", permission-set: Developers, attach-managed-policy: "arn:aws-cn:iam::aws:policy/ViewOnlyAccess"}"#,
        ErrorKind::Validation,
    );
}

#[test]
fn an_instance_in_china_takes_the_managed_policies_of_its_partition() {
    let e = build(
        r#"
- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
- {op: enable-identity-center, account: "123456789012", region: cn-north-1, created: 2024-04-02}
- {op: create-permission-set, instance: "123456789012", name: Developers}
"#,
    );
    refused(
        &e,
        r#"- {op: update-permission-set, instance: "123456789012", permission-set: Developers, attach-managed-policy: "arn:aws:iam::aws:policy/ReadOnlyAccess"}"#,
        ErrorKind::Validation,
    );
    applied(
        &e,
        r#"- {op: update-permission-set, instance: "123456789012", permission-set: Developers, attach-managed-policy: "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"}"#,
    );
    // A profile in another partition is refused before anything changes.
    let message = refused(
        &e,
        r#"- {op: create-profile, account: "123456789012", region: us-east-1}"#,
        ErrorKind::Validation,
    );
    assert!(
        message.contains("`us-east-1` is in partition `aws`, but the estate is in `aws-cn`"),
        "{message}"
    );
}

#[test]
fn customer_managed_policies_share_the_managed_limit_and_a_boundary_is_one_policy() {
    let ps = r#"instance: "123456789012", permission-set: Developers"#;
    let update = |rest: &str| format!("- {{op: update-permission-set, {ps}, {rest}}}");
    let mut e = applied(
        &org_with_instance("2024-04-02"),
        r#"- {op: create-permission-set, instance: "123456789012", name: Developers}"#,
    );
    for i in 0..10 {
        e = applied(
            &e,
            &update(&format!(
                "attach-managed-policy: arn:aws:iam::aws:policy/P{i}"
            )),
        );
        e = applied(
            &e,
            &update(&format!(
                "attach-customer-managed-policy: {{name: C{i}, path: /team/}}"
            )),
        );
    }
    // Twenty together: a twenty-first of either kind is over AWS's quota.
    refused(
        &e,
        &update("attach-customer-managed-policy: {name: C10}"),
        ErrorKind::ServiceQuotaExceeded,
    );
    refused(
        &e,
        &update("attach-managed-policy: arn:aws:iam::aws:policy/P10"),
        ErrorKind::ServiceQuotaExceeded,
    );
    refused(
        &e,
        &update("attach-customer-managed-policy: {name: C0, path: /team/}"),
        ErrorKind::Conflict,
    );
    refused(
        &e,
        &update("detach-customer-managed-policy: {name: C0}"),
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        &update("attach-customer-managed-policy: {name: C0, path: team}"),
        ErrorKind::Validation,
    );
    let e = applied(
        &e,
        &update("detach-customer-managed-policy: {name: C0, path: /team/}"),
    );
    let e = applied(
        &e,
        &update("attach-customer-managed-policy: {name: Boundary}"),
    );
    refused(
        &e,
        &update(
            "permissions-boundary: {managed-policy: arn:aws:iam::aws:policy/PowerUserAccess, customer-managed: {name: Boundary}}",
        ),
        ErrorKind::Validation,
    );
    refused(
        &e,
        &update("permissions-boundary: {}"),
        ErrorKind::Validation,
    );
    refused(
        &e,
        &update("delete-permissions-boundary: true"),
        ErrorKind::ResourceNotFound,
    );
    let e = applied(
        &e,
        &update("permissions-boundary: {customer-managed: {name: Boundary}}"),
    );
    let set = e
        .instances
        .get("123456789012")
        .unwrap()
        .permission_sets
        .get("Developers")
        .unwrap();
    assert_eq!(set.customer_managed_policies.len(), 10);
    assert_eq!(
        set.permissions_boundary,
        Some(kiro_estate::PermissionsBoundary::CustomerManaged(
            kiro_estate::PolicyReference {
                name: "Boundary".to_owned(),
                path: "/".to_owned(),
            }
        ))
    );
    assert!(e.validate().is_empty());
    let e = applied(&e, &update("delete-permissions-boundary: true"));
    let set = e
        .instances
        .get("123456789012")
        .unwrap()
        .permission_sets
        .get("Developers")
        .unwrap();
    assert_eq!(set.permissions_boundary, None);
}

#[test]
fn users_and_groups_kiro_charges_for_cannot_be_deleted() {
    let mut e = rollout();
    for op in [
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro}"#,
        r#"- {op: create-user, instance: "123456789012", user-name: taro}"#,
        r#"- {op: add-member, instance: "123456789012", group: devs, user-name: taro}"#,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, user-name: hanako, plan: power}"#,
    ] {
        e = applied(&e, op);
    }
    refused(
        &e,
        r#"- {op: delete-group, instance: "123456789012", group: devs}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: delete-user, instance: "123456789012", user-name: hanako}"#,
        ErrorKind::Conflict,
    );
    // Charged through its group only, a user may go: the group's subscription stays.
    let gone = applied(
        &e,
        r#"- {op: delete-user, instance: "123456789012", user-name: taro}"#,
    );
    let inst = gone.instances.get("123456789012").unwrap();
    assert!(!inst.users.contains("taro"));
    assert!(inst.groups.iter().all(|g| !g.members.contains("taro")));
    assert!(gone.validate().is_empty());
    let e = applied(
        &e,
        r#"- {op: update-user, instance: "123456789012", user-name: taro, email: taro@example.com, display-name: Taro}"#,
    );
    let taro = e
        .instances
        .get("123456789012")
        .unwrap()
        .users
        .get("taro")
        .unwrap()
        .clone();
    assert_eq!(
        (taro.email.as_deref(), taro.display_name.as_deref()),
        (Some("taro@example.com"), Some("Taro"))
    );
    refused(
        &e,
        r#"- {op: update-user, instance: "123456789012", user-name: taro, email: not-an-email}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: delete-identity-center, instance: "123456789012"}"#,
        ErrorKind::Conflict,
    );
}

#[test]
fn account_assignments_reach_members_only_and_hold_what_they_name() {
    let mut e = rollout();
    for op in [
        r#"- {op: create-permission-set, instance: "123456789012", name: Developers}"#,
        r#"- {op: assign-account, instance: "123456789012", account: "210987654321", permission-set: Developers, group: devs}"#,
    ] {
        e = applied(&e, op);
    }
    let assign = r#"- {op: assign-account, instance: "123456789012", account: "210987654321", permission-set: Developers, group: devs}"#;
    refused(&e, assign, ErrorKind::Conflict);
    refused(
        &e,
        r#"- {op: assign-account, instance: "123456789012", account: "333333333333", permission-set: Developers, group: devs}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        r#"- {op: assign-account, instance: "123456789012", account: "210987654321", permission-set: Developers, group: devs, user-name: hanako}"#,
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: delete-permission-set, instance: "123456789012", permission-set: Developers}"#,
        ErrorKind::Conflict,
    );
    refused(
        &e,
        r#"- {op: delete-group, instance: "123456789012", group: devs}"#,
        ErrorKind::Conflict,
    );
    assert!(e.validate().is_empty());
    let unprofiled = applied(
        &e,
        r#"- {op: delete-profile, account: "210987654321", region: us-east-1}"#,
    );
    let left = applied(
        &unprofiled,
        r#"- {op: leave-organization, account: "210987654321"}"#,
    );
    assert!(
        left.instances
            .get("123456789012")
            .unwrap()
            .account_assignments
            .is_empty()
    );
    let e = applied(
        &e,
        r#"- {op: unassign-account, instance: "123456789012", account: "210987654321", permission-set: Developers, group: devs}"#,
    );
    refused(
        &e,
        r#"- {op: unassign-account, instance: "123456789012", account: "210987654321", permission-set: Developers, group: devs}"#,
        ErrorKind::ResourceNotFound,
    );
    applied(
        &e,
        r#"- {op: delete-permission-set, instance: "123456789012", permission-set: Developers}"#,
    );
}

#[test]
fn a_changed_permission_set_is_behind_its_accounts_until_provisioned() {
    let mut e = rollout();
    for op in [
        r#"- {op: create-permission-set, instance: "123456789012", name: Developers}"#,
        r#"- {op: assign-account, instance: "123456789012", account: "210987654321", permission-set: Developers, group: devs}"#,
        r#"- {op: update-permission-set, instance: "123456789012", permission-set: Developers, description: ship}"#,
    ] {
        e = applied(&e, op);
    }
    let outdated = |e: &Estate| {
        e.instances
            .get("123456789012")
            .unwrap()
            .permission_sets
            .get("Developers")
            .unwrap()
            .outdated
    };
    assert!(outdated(&e));
    refused(
        &e,
        r#"- {op: provision-permission-set, instance: "123456789012", permission-set: Developers, account: "123456789012"}"#,
        ErrorKind::ResourceNotFound,
    );
    let e = applied(
        &e,
        r#"- {op: provision-permission-set, instance: "123456789012", permission-set: Developers, account: "210987654321"}"#,
    );
    assert!(!outdated(&e));
}

#[test]
fn seats_carry_the_group_or_user_id_so_an_scp_can_allow_seats_only_for_approved_groups() {
    let e = applied(
        &rollout(),
        r#"- {op: create-group, instance: "123456789012", name: contractors}"#,
    );
    let devs = e
        .instances
        .get(&kiro_estate::AccountId::new("123456789012"))
        .unwrap()
        .groups
        .get("devs")
        .unwrap()
        .id
        .clone();
    let e = applied(
        &e,
        &format!(
            r#"- {{op: create-policy, organization: "123456789012", name: approved-seats, document: {{Version: "2012-10-17", Statement: [{{Sid: SeatsForApprovedGroupsOnly, Effect: Deny, Action: ["q:CreateAssignment", "q:UpdateAssignment"], Resource: "*", Condition: {{StringNotEquals: {{"identitystore:GroupId": ["{devs}"]}}}}}}]}}}}"#
        ),
    );
    let e = applied(
        &e,
        r#"- {op: attach-policy, organization: "123456789012", policy: approved-seats, target: eng}"#,
    );
    let message = refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: contractors, plan: pro}"#,
        ErrorKind::AccessDenied,
    );
    assert!(
        message.contains("`q:CreateAssignment`")
            && message.contains(
                "statement `SeatsForApprovedGroupsOnly` of service control policy `approved-seats`"
            ),
        "{message}"
    );
    // A user subscription carries `identitystore:UserId`, no group: the guard rail denies it.
    refused(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, user-name: hanako, plan: pro}"#,
        ErrorKind::AccessDenied,
    );
    // The approved group gets its seat, and re-subscribing it (`UpdateAssignment`) too.
    let e = applied(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro}"#,
    );
    let e = applied(
        &e,
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro-plus}"#,
    );
    // Taking seats is not guarded by this policy.
    applied(
        &e,
        r#"- {op: unsubscribe, account: "210987654321", region: us-east-1, group: devs}"#,
    );
}

#[test]
fn each_seat_action_sees_only_the_condition_keys_aws_sends_with_it() {
    // `user-subscriptions:CreateClaim` carries `user-subscriptions:CreateForSelf` (false: an
    // administrator gives the seat) and no group id; `q:CreateAssignment` the group id and no
    // `CreateForSelf`. A Deny on the claim unless the group is approved therefore denies every
    // seat (the key is absent from the claim), and a Deny on `q:CreateAssignment` keyed on
    // `CreateForSelf` denies none.
    let with = |statement: &str| {
        let e = applied(
            &rollout(),
            &format!(
                r#"- {{op: create-policy, organization: "123456789012", name: seats, document: {{Version: "2012-10-17", Statement: [{statement}]}}}}"#
            ),
        );
        applied(
            &e,
            r#"- {op: attach-policy, organization: "123456789012", policy: seats, target: eng}"#,
        )
    };
    let seat =
        r#"- {op: subscribe, account: "210987654321", region: us-east-1, group: devs, plan: pro}"#;
    let e = with(
        r#"{Sid: NoSelfClaims, Effect: Deny, Action: "user-subscriptions:CreateClaim", Resource: "*", Condition: {Bool: {"user-subscriptions:CreateForSelf": "true"}}}"#,
    );
    applied(&e, seat);
    let e = with(
        r#"{Sid: AdminClaimsOnly, Effect: Deny, Action: "user-subscriptions:CreateClaim", Resource: "*", Condition: {Bool: {"user-subscriptions:CreateForSelf": "false"}}}"#,
    );
    let message = refused(&e, seat, ErrorKind::AccessDenied);
    assert!(
        message.contains("`user-subscriptions:CreateClaim`")
            && message.contains("`AdminClaimsOnly`"),
        "{message}"
    );
    let e = with(
        r#"{Sid: KeyOfAnotherAction, Effect: Deny, Action: "q:CreateAssignment", Resource: "*", Condition: {Bool: {"user-subscriptions:CreateForSelf": "false"}}}"#,
    );
    applied(&e, seat);
    let e = with(
        r#"{Sid: GroupOnTheClaim, Effect: Deny, Action: "user-subscriptions:CreateClaim", Resource: "*", Condition: {"Null": {"identitystore:GroupId": "true"}}}"#,
    );
    let message = refused(&e, seat, ErrorKind::AccessDenied);
    assert!(message.contains("`GroupOnTheClaim`"), "{message}");
}

#[test]
fn the_seat_context_names_the_group_or_the_user() {
    let e = rollout();
    let id = |who: kiro_estate::Principal| {
        kiro_engine::authz::seat_context(
            &e,
            &kiro_estate::AccountId::new("210987654321"),
            "us-east-1",
            &who,
        )
    };
    let instance = e
        .instances
        .get(&kiro_estate::AccountId::new("123456789012"))
        .unwrap();
    let by_admin = ("user-subscriptions:CreateForSelf", "false".to_owned());
    assert_eq!(
        id(kiro_estate::Principal::Group("devs".into())),
        [
            (
                "identitystore:GroupId",
                instance.groups.get("devs").unwrap().id.to_string()
            ),
            by_admin.clone()
        ]
    );
    assert_eq!(
        id(kiro_estate::Principal::User("hanako".into())),
        [
            (
                "identitystore:UserId",
                instance.users.get("hanako").unwrap().id.to_string()
            ),
            by_admin
        ]
    );
    assert!(id(kiro_estate::Principal::Group("nobody".into())).is_empty());
}

#[test]
fn an_organization_instance_is_replicated_within_its_partition() {
    let e = applied(
        &org_with_instance("2024-04-02"),
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    let add = |region: &str| {
        format!(r#"- {{op: add-region, instance: "123456789012", region: {region}}}"#)
    };
    refused(
        &e,
        r#"- {op: add-region, instance: "333333333333", region: eu-west-1}"#,
        ErrorKind::Validation,
    );
    refused(&e, &add("us-east-1"), ErrorKind::Conflict);
    refused(&e, &add("cn-north-1"), ErrorKind::Validation);
    refused(&e, &add("Europe"), ErrorKind::Validation);
    let e = applied(&e, &add("eu-west-1"));
    refused(&e, &add("eu-west-1"), ErrorKind::Conflict);
    let remove = |region: &str| {
        format!(r#"- {{op: remove-region, instance: "123456789012", region: {region}}}"#)
    };
    refused(&e, &remove("us-east-1"), ErrorKind::Validation);
    refused(&e, &remove("ap-south-1"), ErrorKind::ResourceNotFound);
    let inst = e.instances.get("123456789012").unwrap();
    assert_eq!(
        inst.replica_regions.keys().collect::<Vec<_>>(),
        ["eu-west-1"]
    );
    assert!(e.validate().is_empty());
    let e = applied(&e, &remove("eu-west-1"));
    assert!(
        e.instances
            .get("123456789012")
            .unwrap()
            .replica_regions
            .is_empty()
    );
}

#[test]
fn attributes_for_access_control_are_created_once_and_updated_after() {
    let e = applied(
        &org_with_instance("2024-04-02"),
        r#"- {op: enable-identity-center, account: "333333333333", region: us-east-1}"#,
    );
    let set = |expect: &str, attributes: &str| {
        format!(
            r#"- {{op: set-access-control-attributes, instance: "123456789012", expect: {expect}, attributes: [{attributes}]}}"#
        )
    };
    let cost = r#"{key: CostCenter, source: "${path:enterprise.costCenter}"}"#;
    refused(
        &e,
        r#"- {op: set-access-control-attributes, instance: "333333333333", attributes: []}"#,
        ErrorKind::Validation,
    );
    refused(&e, &set("existing", cost), ErrorKind::ResourceNotFound);
    refused(
        &e,
        r#"- {op: delete-access-control-attributes, instance: "123456789012"}"#,
        ErrorKind::ResourceNotFound,
    );
    refused(
        &e,
        &set("new", &format!("{cost}, {cost}")),
        ErrorKind::Validation,
    );
    refused(
        &e,
        &set("new", r#"{key: "cost{center}", source: x}"#),
        ErrorKind::Validation,
    );
    let many: Vec<String> = (0..51)
        .map(|i| format!("{{key: k{i}, source: s}}"))
        .collect();
    refused(&e, &set("new", &many.join(", ")), ErrorKind::Validation);
    let e = applied(&e, &set("new", cost));
    refused(&e, &set("new", cost), ErrorKind::Conflict);
    let e = applied(
        &e,
        &set("existing", &format!("{cost}, {{key: Team, source: team}}")),
    );
    let attributes = e
        .instances
        .get("123456789012")
        .unwrap()
        .access_control_attributes
        .clone()
        .unwrap();
    assert_eq!(attributes.len(), 2);
    let e = applied(
        &e,
        r#"- {op: delete-access-control-attributes, instance: "123456789012"}"#,
    );
    assert!(
        e.instances
            .get("123456789012")
            .unwrap()
            .access_control_attributes
            .is_none()
    );
}

#[test]
fn trusted_token_issuers_are_unique_by_name_and_url_and_limited() {
    let e = org_with_instance("2024-04-02");
    let create = |name: &str, url: &str| {
        format!(
            r#"- {{op: create-trusted-token-issuer, instance: "123456789012", name: {name}, issuer-url: "{url}", claim-attribute-path: email, identity-store-attribute-path: emails.value}}"#
        )
    };
    refused(
        &e,
        &create("bad name", "https://idp.example.com"),
        ErrorKind::Validation,
    );
    refused(
        &e,
        &create("okta", "idp.example.com"),
        ErrorKind::Validation,
    );
    refused(
        &e,
        r#"- {op: create-trusted-token-issuer, instance: "123456789012", name: okta, issuer-url: "https://idp.example.com", claim-attribute-path: "e-mail", identity-store-attribute-path: emails.value}"#,
        ErrorKind::Validation,
    );
    let mut e = applied(&e, &create("okta", "https://idp.example.com"));
    refused(
        &e,
        &create("okta", "https://other.example.com"),
        ErrorKind::Conflict,
    );
    refused(
        &e,
        &create("other", "https://idp.example.com"),
        ErrorKind::Conflict,
    );
    for i in 1..kiro_engine::ops::token_issuers::MAX_TRUSTED_TOKEN_ISSUERS {
        e = applied(
            &e,
            &create(&format!("idp{i}"), &format!("https://idp{i}.example.com")),
        );
    }
    refused(
        &e,
        &create("one-more", "https://more.example.com"),
        ErrorKind::ServiceQuotaExceeded,
    );
    let id = e
        .instances
        .get("123456789012")
        .unwrap()
        .trusted_token_issuers
        .get("okta")
        .unwrap()
        .id
        .clone();
    refused(
        &e,
        r#"- {op: update-trusted-token-issuer, instance: "123456789012", trusted-token-issuer: okta, name: idp1}"#,
        ErrorKind::Conflict,
    );
    let e = applied(
        &e,
        r#"- {op: update-trusted-token-issuer, instance: "123456789012", trusted-token-issuer: okta, name: workforce, claim-attribute-path: sub}"#,
    );
    let tti = e
        .instances
        .get("123456789012")
        .unwrap()
        .trusted_token_issuers
        .get("workforce")
        .unwrap();
    assert_eq!(
        (tti.id.as_str(), tti.claim_attribute_path.as_str()),
        (id.as_str(), "sub")
    );
    assert!(e.validate().is_empty());
    let e = applied(
        &e,
        r#"- {op: delete-trusted-token-issuer, instance: "123456789012", trusted-token-issuer: workforce}"#,
    );
    refused(
        &e,
        r#"- {op: delete-trusted-token-issuer, instance: "123456789012", trusted-token-issuer: workforce}"#,
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn an_application_takes_scopes_grants_and_an_authentication_method_within_limits() {
    let e = build(&format!(
        "{ORG}{}",
        r#"
- {op: enable-identity-center, account: "123456789012", region: us-east-1, created: 2024-04-02}
- {op: create-application, instance: "123456789012", name: wiki, provider: "arn:aws:sso::aws:applicationProvider/custom"}
- {op: create-trusted-token-issuer, instance: "123456789012", name: okta, issuer-url: "https://idp.example.com", claim-attribute-path: email, identity-store-attribute-path: emails.value}
"#
    ));
    let update = |rest: &str| {
        format!(
            r#"- {{op: update-application, instance: "123456789012", application: wiki, {rest}}}"#
        )
    };
    let mut e = e;
    for i in 0..kiro_engine::ops::application_settings::MAX_ACCESS_SCOPES {
        e = applied(
            &e,
            &update(&format!("put-access-scope: {{scope: \"app:s{i}\"}}")),
        );
    }
    refused(
        &e,
        &update("put-access-scope: {scope: \"app:bad-scope\"}"),
        ErrorKind::Validation,
    );
    refused(
        &e,
        &update("put-access-scope: {scope: \"app:more\"}"),
        ErrorKind::Validation,
    );
    // Putting one it has replaces it, within the limit.
    let e = applied(
        &e,
        &update("put-access-scope: {scope: \"app:s0\", targets: [x]}"),
    );
    refused(
        &e,
        &update("delete-access-scope: \"app:none\""),
        ErrorKind::ResourceNotFound,
    );
    let e = applied(&e, &update("delete-access-scope: \"app:s1\""));
    refused(
        &e,
        &update("put-iam-authentication: \"[1]\""),
        ErrorKind::Validation,
    );
    refused(
        &e,
        &update("delete-iam-authentication: true"),
        ErrorKind::ResourceNotFound,
    );
    let e = applied(
        &e,
        &update(r#"put-iam-authentication: '{"Version": "2012-10-17", "Statement": []}'"#),
    );
    refused(
        &e,
        &update("put-grant: {grant-type: password}"),
        ErrorKind::Validation,
    );
    refused(
        &e,
        &update(
            "put-grant: {grant-type: refresh_token, redirect-uris: [\"https://wiki.example.com/cb\"]}",
        ),
        ErrorKind::Validation,
    );
    let bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    refused(
        &e,
        &update(&format!(
            "put-grant: {{grant-type: \"{bearer}\", authorized-token-issuers: [{{trusted-token-issuer: entra}}]}}"
        )),
        ErrorKind::ResourceNotFound,
    );
    let e = applied(
        &e,
        &update(&format!(
            "put-grant: {{grant-type: \"{bearer}\", authorized-token-issuers: [{{trusted-token-issuer: okta, audiences: [wiki]}}]}}"
        )),
    );
    refused(
        &e,
        r#"- {op: delete-trusted-token-issuer, instance: "123456789012", trusted-token-issuer: okta}"#,
        ErrorKind::Conflict,
    );
    let e = applied(
        &e,
        r#"- {op: update-trusted-token-issuer, instance: "123456789012", trusted-token-issuer: okta, name: workforce}"#,
    );
    let e = applied(&e, &update("assignment-required: false"));
    let e = applied(&e, &update("user-background-sessions: true"));
    let app = e
        .instances
        .get("123456789012")
        .unwrap()
        .applications
        .get("wiki")
        .unwrap();
    assert_eq!(
        app.access_scopes.len(),
        kiro_engine::ops::application_settings::MAX_ACCESS_SCOPES - 1
    );
    assert_eq!(
        app.grants[bearer].authorized_token_issuers[0].trusted_token_issuer,
        "workforce"
    );
    assert_eq!(
        (app.assignment_required, app.user_background_sessions),
        (Some(false), true)
    );
    assert!(e.validate().is_empty());
    refused(
        &e,
        &update("delete-grant: refresh_token"),
        ErrorKind::ResourceNotFound,
    );
    let e = applied(&e, &update(&format!("delete-grant: \"{bearer}\"")));
    applied(
        &e,
        r#"- {op: delete-trusted-token-issuer, instance: "123456789012", trusted-token-issuer: workforce}"#,
    );
}

#[test]
fn a_gov_cloud_account_needs_a_pairing_no_estate_has() {
    let message = refused(
        &org(),
        r#"- {op: create-gov-cloud-account, organization: "123456789012", name: gov, email: gov@example.com}"#,
        ErrorKind::ConstraintViolation,
    );
    assert!(
        message.starts_with("MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED: "),
        "{message}"
    );
    refused(
        &org(),
        r#"- {op: create-gov-cloud-account, organization: "333333333333", name: gov, email: gov@example.com}"#,
        ErrorKind::ResourceNotFound,
    );
}

/// Two organizations; the first has invited the second's management account to transfer its
/// billing, and it accepted.
fn transferred() -> Estate {
    let e = build(
        r#"
- {op: create-account, id: "111111111111", name: group}
- {op: create-organization, management: "111111111111"}
- {op: create-account, id: "444444444444", name: subsidiary}
- {op: create-organization, management: "444444444444"}
- {op: invite-transfer, organization: "111111111111", account: "444444444444", name: billing to the group, start: "2027-01-01T00:00:00Z"}
"#,
    );
    let handshake = e.organizations.get("111111111111").unwrap().handshakes[0]
        .id
        .clone();
    applied(
        &e,
        &format!("- {{op: accept-handshake, account: \"444444444444\", handshake: {handshake}}}"),
    )
}

#[test]
fn check_reads_transfers_as_the_engine_makes_them() {
    let e = transferred();
    let t = &e.organizations.get("111111111111").unwrap().transfers[0];
    assert_eq!(t.status, kiro_estate::TransferStatus::Accepted);
    assert!(e.validate().is_empty(), "{:?}", e.validate());
    // A transfer naming no invitation of its source.
    let mut unasked = e.clone();
    unasked
        .organizations
        .get_mut("111111111111")
        .unwrap()
        .transfers[0]
        .handshake = "h-nothing".into();
    let problems = unasked.validate();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .message
            .contains("no invitation of `444444444444`")
    );
    assert_eq!(
        problems[0].path.to_string(),
        "organizations[0].transfers[0].handshake"
    );
    // The same source transferred to two organizations at once.
    let mut twice = e.clone();
    let _ = twice.accounts.insert(kiro_estate::Account {
        id: "555555555555".into(),
        ..e.accounts.get("111111111111").unwrap().clone()
    });
    let mut second = e.organizations.get("111111111111").unwrap().clone();
    second.management = "555555555555".into();
    second.handshakes[0].id = "h-second".into();
    second.transfers[0].handshake = "h-second".into();
    second.transfers[0].id = "rt-second".into();
    let _ = twice.organizations.insert(second);
    let in_force: Vec<_> = twice
        .validate()
        .into_iter()
        .filter(|d| d.message.contains("one transfer is in force at a time"))
        .collect();
    assert_eq!(in_force.len(), 1, "{in_force:?}");
    // And the engine refuses a second one as check does.
    let third = applied(
        &applied(
            &e,
            r#"- {op: create-account, id: "555555555555", name: other}"#,
        ),
        r#"- {op: create-organization, management: "555555555555"}"#,
    );
    let refusal = refused(
        &third,
        r#"- {op: invite-transfer, organization: "555555555555", account: "444444444444", name: again, start: "2027-01-01T00:00:00Z"}"#,
        ErrorKind::ConstraintViolation,
    );
    assert!(
        refusal.contains("transfers its billing to `111111111111` already"),
        "{refusal}"
    );
}
