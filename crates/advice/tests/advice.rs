//! The recommender and the guard-rail SCPs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kiro_advice::guardrails::generate;
use kiro_advice::patterns::{classify_all, organization_pattern};
use kiro_advice::recommend::{self, Recommendation, Requirements, infer};
use kiro_estate::AccountId;
use kiro_policy::{Context, Level, Policy, Request, decide_scps};

/// The recommendation for `req` without named departments or an estate.
fn recommend(req: &Requirements) -> Recommendation {
    recommend::recommend(req, &[], None).unwrap()
}

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
    assert!(none.guard_rails.rails.is_empty());
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
    let names: Vec<&str> = central
        .guard_rails
        .rails
        .iter()
        .map(|s| s.name.as_str())
        .collect();
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
        )
        .rails;
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

/// One estate with a profile of each pattern: members `222222222222` and `333333333333` on
/// the organization instance, member `555555555555` on its own account instance, the
/// management account, and standalone `444444444444` on its own instance.
fn every_pattern() -> kiro_estate::Estate {
    common::yaml(
        r#"
version: 1
accounts:
  - {id: "111111111111", name: management}
  - {id: "222222222222", name: dev, organization: "111111111111"}
  - {id: "333333333333", name: data, organization: "111111111111"}
  - {id: "444444444444", name: solo}
  - {id: "555555555555", name: own, organization: "111111111111"}
organizations:
  - management: "111111111111"
instances:
  - {account: "111111111111", kind: organization, region: us-east-1, created: 2026-01-02}
  - {account: "444444444444", kind: account, region: us-east-1, created: 2026-01-02}
  - {account: "555555555555", kind: account, region: eu-central-1, created: 2026-01-03}
profiles:
  - {account: "222222222222", region: us-east-1, instance: "111111111111"}
  - {account: "333333333333", region: us-east-1, instance: "111111111111"}
  - {account: "111111111111", region: eu-central-1, instance: "111111111111"}
  - {account: "444444444444", region: us-east-1, instance: "444444444444"}
  - {account: "555555555555", region: us-east-1, instance: "555555555555"}
"#,
    )
}

#[test]
fn patterns_classify_every_profile() {
    let e = every_pattern();
    let classes = classify_all(&e);
    let pattern = |a: &str| {
        classes
            .iter()
            .find(|c| c.account.as_str() == a)
            .unwrap()
            .pattern
    };
    assert_eq!(pattern("222222222222"), Some(2));
    assert_eq!(pattern("111111111111"), Some(4));
    assert_eq!(pattern("444444444444"), Some(1));
    assert_eq!(pattern("555555555555"), Some(3));
    let mut broken = e.clone();
    broken.profiles.iter_mut().for_each(|p| {
        if p.account.as_str() == "333333333333" {
            p.instance = AccountId::new("444444444444");
        }
    });
    let c = classify_all(&broken);
    let data = c
        .iter()
        .find(|c| c.account.as_str() == "333333333333")
        .unwrap();
    assert_eq!(data.pattern, None);
    assert!(data.reason.contains("neither"), "{}", data.reason);
    assert_eq!(data.to_json()["pattern"], serde_json::Value::Null);
}

#[test]
fn an_organization_shows_its_pattern_and_departments() {
    let e = every_pattern();
    let org = e.organizations.iter().next().unwrap();
    let (pattern, departments) = organization_pattern(&e, org);
    assert_eq!(pattern, 3);
    let ids: Vec<&str> = departments.iter().map(AccountId::as_str).collect();
    assert_eq!(ids, ["222222222222", "333333333333", "555555555555"]);
    let p2 = common::example("pattern-2-member-org-instance.yaml");
    let (pattern, departments) = organization_pattern(&p2, p2.organizations.iter().next().unwrap());
    assert_eq!(pattern, 2);
    assert!(!departments.is_empty());
    let p4 = common::example("pattern-4-management.yaml");
    assert_eq!(
        organization_pattern(&p4, p4.organizations.iter().next().unwrap()),
        (4, Vec::new())
    );
}

#[test]
fn guard_rails_are_rehearsed_and_a_dropped_exception_is_caught() {
    use kiro_advice::guardrails::{AdviceError, advise, rehearse};
    let department = AccountId::new("200000000000");
    for pattern in 1..=4u8 {
        for allow in [Vec::new(), vec![department.clone()]] {
            let rails = advise(pattern, &allow, None, None).unwrap();
            assert_eq!(rails.template, matches!(pattern, 2 | 3) && allow.is_empty());
        }
    }
    // On the user's estate: the departments it shows keep their profiles.
    let p2 = common::example("pattern-2-member-org-instance.yaml");
    let org = p2.organizations.iter().next().unwrap();
    let (_, departments) = organization_pattern(&p2, org);
    advise(2, &departments, None, Some(&p2)).unwrap();
    let stranger = advise(2, &[AccountId::new("999999999999")], None, Some(&p2));
    assert!(
        matches!(stranger, Err(AdviceError::Estate(_))),
        "{stranger:?}"
    );
    // The old pattern-2 rail: a root deny without the department's exception.
    let mut broken = generate(2, std::slice::from_ref(&department), None);
    broken.rails[0].document["Statement"][0]
        .as_object_mut()
        .unwrap()
        .remove("Condition");
    let err = rehearse(&broken, None, None).unwrap_err();
    assert!(
        matches!(&err, AdviceError::Rehearsal { account, .. } if *account == department),
        "{err}"
    );
}

#[test]
fn the_seat_rail_is_rehearsed_and_gives_seats_only_to_approved_groups() {
    use kiro_advice::guardrails::{
        AdviceError, DENY_SEATS, advise_with_seats, rehearse, seat_rail,
    };
    let department = AccountId::new("444444444444");
    let groups = ["g-approved".to_owned()];
    for pattern in [2, 3] {
        let rails = advise_with_seats(
            pattern,
            std::slice::from_ref(&department),
            None,
            None,
            &groups,
        )
        .unwrap();
        let seats = rails.rail(DENY_SEATS).expect("the seat rail");
        assert_eq!(
            seats.document["Statement"][0]["Condition"]["StringNotEquals"]["identitystore:GroupId"],
            serde_json::json!(["g-approved"])
        );
    }
    // Pattern 4 gives seats in the management account, which no SCP restricts.
    assert!(matches!(
        advise_with_seats(4, &[], None, None, &groups),
        Err(AdviceError::Estate(_))
    ));
    // A seat rail whose condition key has a typo denies the approved group too: its rehearsal
    // fails, so it is never given.
    let mut broken = generate(2, std::slice::from_ref(&department), None);
    let mut rail = seat_rail(&groups);
    let condition = rail.document["Statement"][0]["Condition"]["StringNotEquals"]
        .as_object_mut()
        .unwrap();
    let ids = condition.remove("identitystore:GroupId").unwrap();
    condition.insert("identitystore:GroupID2".to_owned(), ids);
    broken.rails.push(rail);
    let err = rehearse(&broken, None, None).unwrap_err();
    assert!(
        matches!(&err, AdviceError::Rehearsal { journey, .. } if *journey == "giving a seat to an approved group"),
        "{err}"
    );
}
