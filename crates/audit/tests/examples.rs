//! The example estates: the enterprise shows every pitfall of the seed, the patterns none of
//! the errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{codes, example, run};
use kiro_audit::Severity;

#[test]
fn enterprise_produces_every_seed_warning() {
    let report = run(&example("enterprise.yaml"));
    let found = codes(&report);
    for (code, what) in [
        ("KO101", "duplicate across profiles"),
        ("KO202", "9 of 10 profiles"),
        (
            "KO301",
            "members can create profiles under central governance",
        ),
        ("KO302", "members can create account instances"),
        ("KO303", "member instances allowed irreversibly"),
        ("KO402", "person in two instances"),
        ("KO401", "standalone account instance migration trap"),
        ("KO403", "session not extended"),
        ("KO404", "identity-enhanced sessions disabled"),
        ("KO203", "settings drift"),
    ] {
        assert!(
            found.contains(&code),
            "enterprise lacks {code} ({what}): {found:?}"
        );
    }
    let taro = report
        .findings
        .iter()
        .find(|f| f.code == "KO101" && f.subject == "taro@acme.example.com")
        .unwrap();
    assert_eq!(taro.money.map(|m| m.cents()), Some(2000));
    let near = report.findings.iter().find(|f| f.code == "KO202").unwrap();
    assert!(near.message.contains("9 of 10"), "{}", near.message);
    let yuki = report.findings.iter().find(|f| f.code == "KO402").unwrap();
    assert_eq!(yuki.subject, "yuki@acme.example.com");
    // taro@subsidiary is another person: not in two instances.
    assert_eq!(
        report.findings.iter().filter(|f| f.code == "KO402").count(),
        1
    );
    // the workloads OU has the guard rails: its account is not reported.
    assert!(!report.findings.iter().any(|f| f.subject == "300000000002"));
}

#[test]
fn pattern_examples_produce_no_errors() {
    for name in [
        "pattern-1-standalone.yaml",
        "pattern-2-member-org-instance.yaml",
        "pattern-3-member-account-instance.yaml",
        "pattern-4-management.yaml",
    ] {
        let report = run(&example(name));
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.code, f.subject.clone()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}
