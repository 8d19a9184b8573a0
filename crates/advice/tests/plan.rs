//! `plan`: applying its operations to CURRENT yields DESIRED; blocked and impossible steps
//! are reported with AWS's errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{example, org_with_profiles};
use kiro_advice::plan::{comparable, plan};
use kiro_billing::PriceBook;
use kiro_engine::{Engine, ops_file};
use kiro_estate::{AccountId, Estate, Format};
use proptest::prelude::*;

fn now() -> jiff::Timestamp {
    "2026-01-15T00:00:00Z".parse().unwrap()
}

/// Plans CURRENT → DESIRED, checks the plan is clean, then applies the written operations
/// file to CURRENT with a fresh engine and compares with DESIRED.
/// `result` with the creation dates DESIRED leaves open (the simulator records the day of the
/// operation) cleared, so both compare.
fn like(result: &Estate, desired: &Estate) -> Estate {
    let mut r = comparable(result);
    for p in r.profiles.iter_mut() {
        if desired
            .profiles
            .get(&kiro_estate::HasKey::key(p))
            .is_some_and(|d| d.created.is_none())
        {
            p.created = None;
        }
    }
    // When an account joined is recorded by the operations, like a profile's creation date.
    for a in r.accounts.iter_mut() {
        if desired
            .accounts
            .get(&a.id)
            .is_some_and(|d| d.joined.is_none())
        {
            a.joined = None;
        }
    }
    r
}

fn diff(a: &serde_json::Value, b: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                diff(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    &format!("{path}.{k}"),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(p, q, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} != {b}")),
        _ => {}
    }
}

fn assert_same(result: &Estate, desired: &Estate, what: &str) {
    let l = like(result, desired);
    let r = comparable(desired);
    if l != r {
        let mut out = Vec::new();
        diff(
            &serde_json::to_value(&l).unwrap(),
            &serde_json::to_value(&r).unwrap(),
            "",
            &mut out,
        );
        out.dedup();
        panic!("{what} differs:\n{}", out.join("\n"));
    }
}

fn round_trip(current: &Estate, desired: &Estate) {
    let book = PriceBook::builtin().unwrap();
    let p = plan(current, desired, &book, now());
    assert!(
        p.is_clean(),
        "blocked: {:?}\nimpossible: {:?}",
        p.steps
            .iter()
            .filter(|s| s.blocked.is_some())
            .collect::<Vec<_>>(),
        p.impossible
    );
    assert_same(&p.result, desired, "simulated result");
    let yaml = p.ops_yaml().unwrap();
    let items = ops_file::parse(&yaml, Format::Yaml).unwrap();
    let mut engine = Engine::new(current.clone());
    for (i, item) in items.iter().enumerate() {
        engine
            .apply(&item.op, item.at.unwrap_or_else(now))
            .unwrap_or_else(|e| panic!("op {i}: {e:?}\n{yaml}"));
    }
    assert_same(engine.estate(), desired, "applied result");
    let again = plan(engine.estate(), desired, &book, now());
    assert!(
        again.steps.is_empty(),
        "a second plan is not empty: {:?}",
        again.steps
    );
}

#[test]
fn from_empty_to_each_example() {
    for name in [
        "enterprise.yaml",
        "pattern-1-standalone.yaml",
        "pattern-2-member-org-instance.yaml",
        "pattern-3-member-account-instance.yaml",
        "pattern-4-management.yaml",
    ] {
        round_trip(&Estate::empty(), &example(name));
    }
}

#[test]
fn pattern_2_grows_and_gets_guard_rails() {
    let current = example("pattern-2-member-org-instance.yaml");
    let mut text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/pattern-2-member-org-instance.yaml"),
    )
    .unwrap();
    text = text.replace(
        "organizations:",
        "  - {id: \"777777777777\", name: mobile, organization: \"123456789012\", parent: projects}\norganizations:",
    );
    text = text.replace("      - {name: data-team, members: [dave]}", "      - {name: data-team, members: [dave, bob]}\n      - {name: mobile-team, members: [alice]}");
    text.push_str("  - account: \"777777777777\"\n    region: us-east-1\n    instance: \"123456789012\"\n    created: 2026-01-02\n    settings: {prompt-logging: true, overage: true}\n    subscriptions:\n      - {group: mobile-team, plan: pro}\n");
    text = text.replace("      - {group: group-b, plan: pro-plus}\n", "");
    let desired = common::yaml(&text);
    round_trip(&current, &desired);
    let p = plan(&current, &desired, &PriceBook::builtin().unwrap(), now());
    assert!(p.cost_after != p.cost_before);
}

#[test]
fn eleventh_profile_is_blocked_with_the_quota_error() {
    let current = org_with_profiles(10);
    let mut desired = current.clone();
    let id = AccountId::new("200000000099");
    let _ = desired.accounts.insert(kiro_estate::Account {
        id: id.clone(),
        name: "eleven".into(),
        email: None,
        organization: Some(AccountId::new("100000000000")),
        parent: None,
        joined: None,
        closed: None,
    });
    desired.organizations.iter_mut().for_each(|o| {
        o.attachments.push(kiro_estate::Attachment {
            policy: "FullAWSAccess".into(),
            target: id.to_string(),
        })
    });
    let mut profile = desired.profiles.iter().next().unwrap().clone();
    profile.account = id;
    profile.id = String::new();
    let _ = desired.profiles.insert(profile);
    let p = plan(&current, &desired, &PriceBook::builtin().unwrap(), now());
    assert!(!p.is_clean());
    let blocked: Vec<_> = p.steps.iter().filter_map(|s| s.blocked.as_ref()).collect();
    assert!(
        blocked
            .iter()
            .any(|b| b.error == "ServiceQuotaExceededException"),
        "{blocked:?}"
    );
}

#[test]
fn converting_an_account_instance_is_impossible() {
    let current = example("pattern-1-standalone.yaml");
    let mut desired = current.clone();
    let id = AccountId::new("111111111111");
    let _ = desired.organizations.insert(kiro_estate::Organization {
        management: id.clone(),
        id: String::new(),
        root_id: String::new(),
        governance: None,
        member_account_instances_allowed: false,
        scps_disabled: false,
        feature_set: Default::default(),
        policy_types: Vec::new(),
        typed_policies: Default::default(),
        tags: Default::default(),
        trusted_services: Vec::new(),
        delegated_administrators: Vec::new(),
        handshakes: Vec::new(),
        transfers: Vec::new(),
        resource_policy: None,
        ous: Default::default(),
        policies: Default::default(),
        attachments: Vec::new(),
    });
    desired.instances.get_mut(&id).unwrap().kind = kiro_estate::InstanceKind::Organization;
    desired.normalize();
    let p = plan(&current, &desired, &PriceBook::builtin().unwrap(), now());
    assert!(
        p.impossible
            .iter()
            .any(|i| i.reason.contains("can never be converted")),
        "{:?}",
        p.impossible
    );
}

#[test]
fn guard_rail_that_blocks_a_step_is_attached_last() {
    // Pattern 4 attaches a CreateProfile deny at the root; a member profile in the same plan
    // must be created before it.
    let mut desired = example("pattern-4-management.yaml");
    let org = AccountId::new("123456789012");
    let member = AccountId::new("222222222222");
    let mut profile = desired.profiles.iter().next().unwrap().clone();
    profile.account = member;
    profile.id = String::new();
    profile.created = None;
    let _ = desired.profiles.insert(profile);
    desired.organizations.get_mut(&org).unwrap().governance = None;
    desired.normalize();
    round_trip(&Estate::empty(), &desired);
}

fn small_estate() -> impl Strategy<Value = Estate> {
    (
        1usize..4,
        0usize..3,
        proptest::collection::vec((0usize..4, 0usize..4, 0usize..4, any::<bool>()), 0..6),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(0usize..5, 0..4),
    )
        .prop_map(|(members, standalone, subs, logging, guard, account_instances)| {
            let mut t = String::from("version: 1\naccounts:\n  - {id: \"100000000000\", name: m}\n");
            for i in 0..members {
                t.push_str(&format!("  - {{id: \"20000000000{i}\", name: a{i}, organization: \"100000000000\", parent: ou{}}}\n", i % 2));
            }
            for i in 0..standalone {
                t.push_str(&format!("  - {{id: \"30000000000{i}\", name: s{i}}}\n"));
            }
            t.push_str("organizations:\n  - management: \"100000000000\"\n    ous:\n      - {name: ou0, parent: root}\n      - {name: ou1, parent: ou0}\n");
            t.push_str("    policies:\n      - {name: FullAWSAccess, aws-managed: true, document: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: \"*\", Resource: \"*\"}]}}\n");
            t.push_str("      - {name: guard, document: {Statement: [{Effect: Deny, Action: \"codewhisperer:CreateProfile\", Resource: \"*\"}]}}\n");
            t.push_str("    attachments:\n      - {policy: FullAWSAccess, target: root}\n      - {policy: FullAWSAccess, target: ou0}\n      - {policy: FullAWSAccess, target: ou1}\n");
            for i in 0..members {
                t.push_str(&format!("      - {{policy: FullAWSAccess, target: \"20000000000{i}\"}}\n"));
            }
            if guard {
                t.push_str("      - {policy: guard, target: ou1}\n");
            }
            t.push_str("instances:\n  - account: \"100000000000\"\n    kind: organization\n    region: us-east-1\n    created: 2024-04-02\n    users:\n");
            for u in 0..4 {
                t.push_str(&format!("      - {{user-name: u{u}, email: u{u}@example.com}}\n"));
            }
            t.push_str("    groups:\n      - {name: g0, members: [u0, u1]}\n      - {name: g1, members: [u2]}\n");
            let mut acct_inst: Vec<usize> = account_instances.into_iter().filter(|&i| i < standalone).collect();
            acct_inst.sort_unstable();
            acct_inst.dedup();
            for i in &acct_inst {
                t.push_str(&format!("  - {{account: \"30000000000{i}\", kind: account, region: us-east-1, created: 2025-01-01, users: [{{user-name: u0, email: u0@example.com}}]}}\n"));
            }
            t.push_str("profiles:\n");
            let plans = ["pro", "pro-plus", "pro-max", "power"];
            // Profiles: management always, members in ou0 (the guard may deny ou1).
            let mut profiles: Vec<(String, Vec<String>)> = vec![("100000000000".into(), Vec::new())];
            for i in (0..members).filter(|i| i % 2 == 0 || !guard) {
                profiles.push((format!("20000000000{i}"), Vec::new()));
            }
            for (p, who, plan, group) in subs {
                let n = profiles.len();
                let entry = &mut profiles[p % n].1;
                let principal = if group { format!("group: g{}", who % 2) } else { format!("user-name: u{who}") };
                if !entry.iter().any(|e| e.starts_with(&principal)) {
                    entry.push(format!("{principal}, plan: {}", plans[plan]));
                }
            }
            for (account, subs) in profiles {
                t.push_str(&format!("  - account: \"{account}\"\n    region: us-east-1\n    instance: \"100000000000\"\n    settings: {{prompt-logging: {logging}, overage: false}}\n    subscriptions:{}\n", if subs.is_empty() { " []" } else { "" }));
                for s in subs {
                    t.push_str(&format!("      - {{{s}}}\n"));
                }
            }
            for i in &acct_inst {
                t.push_str(&format!("  - {{account: \"30000000000{i}\", region: us-east-1, instance: \"30000000000{i}\", subscriptions: [{{user-name: u0, plan: pro}}]}}\n"));
            }
            common::yaml(&t)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn plan_from_empty_reaches_any_small_estate(desired in small_estate()) {
        round_trip(&Estate::empty(), &desired);
    }

    #[test]
    fn plan_between_small_estates_reaches_desired_when_clean(a in small_estate(), b in small_estate()) {
        let book = PriceBook::builtin().unwrap();
        let p = plan(&a, &b, &book, now());
        if p.is_clean() {
            round_trip(&a, &b);
        } else {
            // Nothing is done to CURRENT, and every refusal names an AWS error.
            prop_assert!(p.steps.iter().filter_map(|s| s.blocked.as_ref()).all(|b| b.error.ends_with("Exception")));
        }
    }
}
