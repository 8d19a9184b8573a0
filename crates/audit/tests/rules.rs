//! Every rule: its documentation, its place in the registry, a fixture that triggers it and
//! one that does not; snapshots of the reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{codes, example, org_with_profiles, run, run_with};
use kiro_audit::registry::{self, RULES};
use kiro_audit::{Config, Severity, render};
use kiro_estate::{AccountId, Estate, Principal, ProfileKey, Subscription};

#[test]
fn codes_are_unique_sorted_and_names_kebab_case() {
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        codes, sorted,
        "the registry is sorted by code and codes are unique"
    );
    let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    names.sort_unstable();
    let n = names.len();
    names.dedup();
    assert_eq!(n, names.len(), "names are unique");
    for r in RULES {
        assert!(
            r.code.len() == 5
                && r.code.starts_with("KO")
                && r.code[2..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            r.code
        );
        assert!(
            r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}",
            r.name
        );
        assert_eq!(registry::find(r.code).map(|x| x.name), Some(r.name));
        assert_eq!(registry::find(r.name).map(|x| x.code), Some(r.code));
    }
}

#[test]
fn every_rule_has_its_doc_sections_in_order() {
    for r in RULES {
        let mut last = 0;
        for section in ["What it does", "Why is this bad?", "Example", "Remediation"] {
            let heading = format!("## {section}\n");
            let at = r
                .doc
                .find(&heading)
                .unwrap_or_else(|| panic!("{} lacks `{heading}`", r.code));
            assert!(at >= last, "{}: sections out of order", r.code);
            last = at;
            assert!(
                !registry::section(r.doc, section).unwrap().is_empty(),
                "{}: empty `{section}`",
                r.code
            );
        }
        assert!(!r.summary().is_empty());
        assert!(render::rule_doc(r).contains(r.doc.trim_end()));
    }
}

fn with_profile(
    mut e: Estate,
    account: &str,
    region: &str,
    f: impl FnOnce(&mut kiro_estate::Profile),
) -> Estate {
    f(e.profiles
        .get_mut(&ProfileKey::new(&AccountId::new(account), region))
        .unwrap());
    e
}

/// `e` with an SCP (attached nowhere) whose one statement is `statement`.
fn with_scp(mut e: Estate, statement: serde_json::Value) -> Estate {
    let org = e.organizations.iter_mut().next().unwrap();
    let _ = org.policies.insert(kiro_estate::Scp {
        name: "typo".into(),
        id: String::new(),
        description: None,
        aws_managed: false,
        document: serde_json::json!({"Version": "2012-10-17", "Statement": [statement]}),
    });
    e
}

/// (code, an estate that triggers it, an estate that does not).
fn fixtures() -> Vec<(&'static str, Estate, Estate)> {
    let p1 = example("pattern-1-standalone.yaml");
    let p2 = example("pattern-2-member-org-instance.yaml");
    let p3 = example("pattern-3-member-account-instance.yaml");
    let p4 = example("pattern-4-management.yaml");
    let ent = example("enterprise.yaml");
    let ghost = with_profile(p2.clone(), "444444444444", "us-east-1", |p| {
        let _ = p.subscriptions.insert(Subscription {
            user_name: Some("ghost".into()),
            group: None,
            plan: kiro_estate::Plan::Pro,
            status: kiro_estate::Status::Active,
        });
    });
    let mut empty_group = p2.clone();
    empty_group
        .instances
        .get_mut(&AccountId::new("123456789012"))
        .unwrap()
        .groups
        .get_mut("data-team")
        .unwrap()
        .members = Default::default();
    let no_subs = with_profile(p2.clone(), "444444444444", "us-east-1", |p| {
        p.subscriptions
            .remove(&Principal::Group("data-team".into()));
    });
    let mut undeclared = p2.clone();
    undeclared
        .organizations
        .iter_mut()
        .for_each(|o| o.governance = None);
    let mut broken = p2.clone();
    broken.accounts.iter_mut().for_each(|a| {
        if a.organization.is_some() {
            a.parent = Some("nowhere".into());
        }
    });
    let scp = |statement: serde_json::Value| with_scp(p2.clone(), statement);
    let deny = |action: &str, condition: serde_json::Value| {
        scp(
            serde_json::json!({"Effect": "Deny", "Action": action, "Resource": "*", "Condition": condition}),
        )
    };
    let clean = deny(
        "codewhisperer:CreateProfile",
        serde_json::json!({"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}}),
    );
    let typo = scp(
        serde_json::json!({"Effect": "Deny", "Action": ["codewhisperer:CreatProfile", "sso:CreateInstance"], "Resource": "*"}),
    );
    vec![
        ("KO001", broken, p2.clone()),
        ("KO501", typo, clean.clone()),
        (
            "KO502",
            deny("codewhisperer:CreatProfile", serde_json::json!({})),
            clean.clone(),
        ),
        (
            "KO503",
            deny(
                "codewhisperer:CreateProfile",
                serde_json::json!({"StringNotEquals": {"aws:PrincipalAcount": "123456789012"}}),
            ),
            clean.clone(),
        ),
        (
            "KO504",
            deny(
                "codewhisperer:CreateProfile",
                serde_json::json!({"DateGreaterThan": {"aws:PrincipalAccount": "2026-01-01"}}),
            ),
            clean.clone(),
        ),
        (
            "KO505",
            deny(
                "codewhisperer:CreateProfile",
                serde_json::json!({"StringEquals": {"sso:ApplicationAccount": "123456789012"}}),
            ),
            clean.clone(),
        ),
        (
            "KO506",
            deny(
                "codewhisperer:CreateProfile",
                serde_json::json!({"ForAllValues:StringNotEquals": {"aws:PrincipalAccount": "123456789012"}}),
            ),
            clean.clone(),
        ),
        (
            "KO507",
            deny(
                "codewhisperer:CreateProfile",
                serde_json::json!({"StringNotEqualsIfExists": {"aws:PrincipalAccount": "123456789012"}}),
            ),
            clean,
        ),
        ("KO101", ent.clone(), p4.clone()),
        ("KO102", p2.clone(), p3.clone()),
        ("KO103", p1.clone(), p2.clone()),
        ("KO104", ghost, p2.clone()),
        ("KO105", empty_group, p2.clone()),
        ("KO106", no_subs, p2.clone()),
        ("KO201", org_with_profiles(10), org_with_profiles(9)),
        ("KO202", org_with_profiles(9), org_with_profiles(7)),
        ("KO203", ent.clone(), p2.clone()),
        ("KO301", ent.clone(), p4.clone()),
        ("KO302", ent.clone(), p4.clone()),
        ("KO303", ent.clone(), p2.clone()),
        ("KO304", undeclared, p2.clone()),
        ("KO305", ent.clone(), p2.clone()),
        ("KO401", p1.clone(), p2.clone()),
        ("KO402", ent.clone(), p2.clone()),
        ("KO403", ent.clone(), p2.clone()),
        ("KO404", ent, p2.clone()),
        ("KO405", p3, p2),
    ]
}

#[test]
fn every_rule_has_a_triggering_and_a_clean_fixture() {
    let fixtures = fixtures();
    for r in RULES.iter().filter(|r| r.code != "KO901") {
        let (_, bad, good) = fixtures
            .iter()
            .find(|(c, _, _)| *c == r.code)
            .unwrap_or_else(|| panic!("no fixture for {}", r.code));
        assert!(
            codes(&run(bad)).contains(&r.code),
            "{} does not fire on its fixture",
            r.code
        );
        assert!(
            !codes(&run(good)).contains(&r.code),
            "{} fires on its clean fixture",
            r.code
        );
    }
}

#[test]
fn unused_suppression_is_reported_and_used_one_is_not() {
    let p1 = example("pattern-1-standalone.yaml");
    let config = Config::parse("ignore:\n  - {code: KO401, subject: \"111111111111\"}\n  - {code: account-instance-migration-trap, subject: \"999999999999\"}\n").unwrap();
    let report = run_with(&p1, &config);
    assert_eq!(report.suppressed, 1);
    let unused: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "KO901")
        .collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0].subject, "ignore[1]");
    assert!(!codes(&report).contains(&"KO401"));
    assert!(!codes(&run(&p1)).contains(&"KO901"));
}

#[test]
fn severity_overrides_and_off() {
    let p1 = example("pattern-1-standalone.yaml");
    let config = Config::parse("severity:\n  KO401: error\n  pending-subscription: off\n").unwrap();
    let report = run_with(&p1, &config);
    assert_eq!(
        report
            .findings
            .iter()
            .find(|f| f.code == "KO401")
            .unwrap()
            .severity,
        Severity::Error
    );
    assert!(!codes(&report).contains(&"KO103"));
    assert!(report.fails(Severity::Error));
}

#[test]
fn config_rejects_unknown_keys_and_codes_with_suggestions() {
    let problems: Vec<String> = Config::parse(
        "severty: {}\nseverity: {KO1O1: info, KO401: loud}\nignore: [{code: KO401, subjct: x}]\n",
    )
    .unwrap_err()
    .0
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`severty`") && p.contains("did you mean `severity`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`KO1O1`") && p.contains("did you mean")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("`loud`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`subjct`") && p.contains("did you mean `subject`")),
        "{problems:?}"
    );
}

#[test]
fn governance_grades_member_findings() {
    let central = run(&example("enterprise.yaml"));
    assert!(
        central
            .findings
            .iter()
            .filter(|f| f.code == "KO301")
            .all(|f| f.severity == Severity::Error)
    );
    let delegated = run(&example("pattern-2-member-org-instance.yaml"));
    let ko301: Vec<_> = delegated
        .findings
        .iter()
        .filter(|f| f.code == "KO301")
        .collect();
    // Both member accounts (all in `projects`, the only OU) can sign up: one finding, on the
    // root, where one SCP closes the gap.
    assert_eq!(ko301.len(), 1);
    assert_eq!(ko301[0].subject, "root");
    assert_eq!(
        ko301[0].details.as_ref().unwrap().value()["accounts"],
        serde_json::json!(2)
    );
    assert!(ko301.iter().all(|f| f.severity == Severity::Info));
}

#[test]
fn scp_exceptions_by_principal_account_are_honoured() {
    let mut e = example("enterprise.yaml");
    let org = e
        .organizations
        .get_mut(&AccountId::new("100000000000"))
        .unwrap();
    let _ = org.policies.insert(kiro_estate::Scp {
        name: "guard".into(),
        id: String::new(),
        description: None,
        aws_managed: false,
        document: kiro_advice::guardrails::generate(2, &[AccountId::new("666666666666")], None)
            .rails[0]
            .document
            .clone(),
    });
    org.attachments.push(kiro_estate::Attachment {
        policy: "guard".into(),
        target: "root".into(),
    });
    let report = run(&e);
    let subjects: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.code == "KO301")
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(subjects, vec!["666666666666"]);
}

#[test]
fn snapshot_enterprise_human() {
    insta::assert_snapshot!(render::human(&run(&example("enterprise.yaml"))));
}

#[test]
fn snapshot_enterprise_json() {
    insta::assert_snapshot!(
        serde_json::to_string_pretty(&render::json(&run(&example("enterprise.yaml")))).unwrap()
    );
}

#[test]
fn snapshot_pattern_2_human_and_markdown() {
    let report = run(&example("pattern-2-member-org-instance.yaml"));
    insta::assert_snapshot!(format!(
        "{}\n---\n{}",
        render::human(&report),
        render::markdown(&report, "pattern-2", None)
    ));
}

#[test]
fn snapshot_rule_list() {
    insta::assert_snapshot!(render::rule_list());
}

#[test]
fn sarif_has_every_rule_and_result() {
    let report = run(&example("enterprise.yaml"));
    let sarif = render::sarif(&report, "enterprise.yaml", &[]);
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        RULES.len()
    );
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        report.findings.len()
    );
}

#[test]
fn informational_billing_findings_are_one_per_profile() {
    // Every profile of the organization: the org-instance profile subscribes `u` directly
    // and through a group, pending.
    let mut e = org_with_profiles(3);
    let inst = e
        .instances
        .get_mut(&AccountId::new("100000000000"))
        .unwrap();
    for name in ["v", "w"] {
        let _ = inst.users.insert(kiro_estate::User {
            user_name: name.into(),
            id: format!("id-{name}").into(),
            email: Some(format!("{name}@example.com").into()),
            display_name: None,
            attributes: Default::default(),
        });
    }
    // `v` and `w` pending in the first profile, `v` in the second, nobody in the third.
    for (i, p) in e.profiles.iter_mut().enumerate() {
        for (name, pending) in [("v", i < 2), ("w", i == 0)] {
            let _ = p.subscriptions.insert(Subscription {
                user_name: Some(name.into()),
                group: None,
                plan: kiro_estate::Plan::ProPlus,
                status: if pending {
                    kiro_estate::Status::Pending
                } else {
                    kiro_estate::Status::Active
                },
            });
        }
    }
    let report = run(&e);
    let pending: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "KO103")
        .collect();
    let subjects: Vec<&str> = pending.iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(
        subjects,
        vec!["200000000000/us-east-1", "200000000001/us-east-1"]
    );
    let details = pending[0].details.as_ref().unwrap().value();
    assert_eq!(details["users"], 2);
    assert_eq!(details["plans"]["pro-plus"], 2, "{details}");
    assert_eq!(details["examples"][0]["user-name"], "v");
    assert!(
        pending[0].message.contains("2 users"),
        "{}",
        pending[0].message
    );
    assert_eq!(
        pending[0].money.map(|m| m.cents()),
        pending[1].money.map(|m| m.cents() * 2)
    );
}

#[test]
fn human_report_shows_the_first_findings_of_a_rule_and_counts_the_rest() {
    let mut report = run(&example("enterprise.yaml"));
    let template = report
        .findings
        .iter()
        .find(|f| f.code == "KO101")
        .unwrap()
        .clone();
    report.findings.retain(|f| f.code != "KO101");
    for i in 0..25 {
        let mut f = template.clone();
        f.subject = format!("person{i:02}@example.com");
        report.findings.push(f);
    }
    report.findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.subject.cmp(&b.subject))
    });
    let text = render::human(&report);
    assert!(text.contains("person19@example.com"), "{text}");
    assert!(!text.contains("person20@example.com"), "{text}");
    assert!(
        text.contains("… and 5 more KO101 findings (use --format json)"),
        "{text}"
    );
    let md = render::markdown(&report, "t", None);
    assert!(md.contains("… and 5 more KO101 findings"), "{md}");
    // JSON keeps every finding.
    assert_eq!(
        render::json(&report)
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "KO101")
            .count(),
        25
    );
}
