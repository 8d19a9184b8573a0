//! Billing rules on estates built through the control plane, with timed events.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use kiro_billing::usage::{Effective, Usage};
use kiro_billing::{Bill, BillOptions, Money, Month, PriceBook, bill_current, bill_month};
use kiro_engine::{Engine, Op};
use kiro_estate::{Estate, Plan};
use serde_json::{Value, json};

const MGMT: &str = "111111111111";
const DEV: &str = "222222222222";
const DATA: &str = "333333333333";
const SOLO: &str = "444444444444";

/// The Identity Center user id of `user_name`.
fn id_of(e: &Estate, user_name: &str) -> String {
    e.instances
        .iter()
        .flat_map(|i| &i.users)
        .find(|u| u.user_name == user_name)
        .map(|u| u.id.to_string())
        .unwrap()
}

/// Applies `ops`, each at its time, from `estate`.
fn apply_from(estate: Estate, ops: &[(&str, Value)]) -> Estate {
    let mut engine = Engine::new(estate);
    for (i, (at, op)) in ops.iter().enumerate() {
        let parsed: Op =
            serde_json::from_value(op.clone()).unwrap_or_else(|e| panic!("op {i} {op}: {e}"));
        let at = if at.len() == 10 {
            format!("{at}T12:00:00Z")
        } else {
            (*at).to_owned()
        };
        engine
            .apply(&parsed, at.parse().unwrap())
            .unwrap_or_else(|e| panic!("op {i} {op}: {e}"));
    }
    engine.into_estate()
}

/// An organization (management + two members, the members under OU `engineering`) with the
/// organization instance, a standalone account with its own instance, one profile each.
fn base() -> Vec<(&'static str, Value)> {
    let d = "2026-01-02";
    vec![
        (
            d,
            json!({"op": "create-account", "id": MGMT, "name": "management"}),
        ),
        (d, json!({"op": "create-organization", "management": MGMT})),
        (
            d,
            json!({"op": "create-ou", "organization": MGMT, "name": "engineering", "parent": "root"}),
        ),
        (
            d,
            json!({"op": "create-ou", "organization": MGMT, "name": "platform", "parent": "engineering"}),
        ),
        (d, json!({"op": "create-account", "id": DEV, "name": "dev"})),
        (
            d,
            json!({"op": "invite-account", "organization": MGMT, "account": DEV, "parent": "platform"}),
        ),
        (
            d,
            json!({"op": "create-account", "id": DATA, "name": "data"}),
        ),
        (
            d,
            json!({"op": "invite-account", "organization": MGMT, "account": DATA, "parent": "engineering"}),
        ),
        (
            d,
            json!({"op": "create-account", "id": SOLO, "name": "solo"}),
        ),
        (
            d,
            json!({"op": "enable-identity-center", "account": MGMT, "region": "us-east-1"}),
        ),
        (
            d,
            json!({"op": "enable-identity-center", "account": SOLO, "region": "us-east-1"}),
        ),
        (
            d,
            json!({"op": "create-user", "instance": MGMT, "user-name": "alice", "email": "alice@example.com"}),
        ),
        (
            d,
            json!({"op": "create-user", "instance": MGMT, "user-name": "bob", "email": "bob@example.com"}),
        ),
        (
            d,
            json!({"op": "create-user", "instance": MGMT, "user-name": "carol", "email": "carol@example.com"}),
        ),
        (
            d,
            json!({"op": "create-user", "instance": SOLO, "user-name": "alice", "email": "Alice@Example.COM"}),
        ),
        (
            d,
            json!({"op": "create-user", "instance": SOLO, "user-name": "bob", "email": "robert@other.example"}),
        ),
        (
            d,
            json!({"op": "create-group", "instance": MGMT, "name": "devs"}),
        ),
        (
            d,
            json!({"op": "create-group", "instance": MGMT, "name": "leads"}),
        ),
        (
            d,
            json!({"op": "create-group", "instance": MGMT, "name": "nobody"}),
        ),
        (
            d,
            json!({"op": "add-member", "instance": MGMT, "group": "devs", "user-name": "alice"}),
        ),
        (
            d,
            json!({"op": "add-member", "instance": MGMT, "group": "devs", "user-name": "bob"}),
        ),
        (
            d,
            json!({"op": "add-member", "instance": MGMT, "group": "leads", "user-name": "alice"}),
        ),
        (
            d,
            json!({"op": "create-profile", "account": DEV, "region": "us-east-1"}),
        ),
        (
            d,
            json!({"op": "create-profile", "account": DATA, "region": "us-east-1"}),
        ),
        (
            d,
            json!({"op": "create-profile", "account": MGMT, "region": "eu-central-1"}),
        ),
        (
            d,
            json!({"op": "create-profile", "account": SOLO, "region": "us-east-1"}),
        ),
    ]
}

fn estate(extra: &[(&'static str, Value)]) -> Estate {
    let mut ops = base();
    ops.extend(extra.iter().cloned());
    apply_from(Estate::empty(), &ops)
}

fn sub(account: &str, who: (&str, &str), plan: &str) -> Value {
    let mut v =
        json!({"op": "subscribe", "account": account, "region": region_of(account), "plan": plan});
    v[who.0] = json!(who.1);
    v
}

fn unsub(account: &str, who: (&str, &str)) -> Value {
    let mut v = json!({"op": "unsubscribe", "account": account, "region": region_of(account)});
    v[who.0] = json!(who.1);
    v
}

fn region_of(account: &str) -> &'static str {
    if account == MGMT {
        "eu-central-1"
    } else {
        "us-east-1"
    }
}

fn user(name: &str) -> (&'static str, &str) {
    ("user-name", name)
}

fn group(name: &str) -> (&'static str, &str) {
    ("group", name)
}

fn book() -> PriceBook {
    PriceBook::builtin().unwrap()
}

fn once_per_org() -> PriceBook {
    let mut b = book();
    b.cross_profile = kiro_billing::CrossProfile::OncePerOrganization;
    b
}

fn now(e: &Estate) -> Bill {
    bill_current(e, &book(), BillOptions::default())
}

fn month(e: &Estate, m: &str) -> Bill {
    bill_month(e, &book(), Month::parse(m).unwrap(), BillOptions::default()).unwrap()
}

fn usd(amount: i64) -> Money {
    Money::from_cents(amount * 100)
}

fn charge_of(bill: &Bill, account: &str, user: &str) -> Option<(Plan, Money)> {
    bill.lines
        .iter()
        .find(|l| {
            bill.profile(l.profile).account.as_str() == account
                && bill.user(l.user).user_name == user
        })
        .map(|l| (l.plan, l.charge))
}

#[test]
fn highest_plan_across_paths_is_charged_once_with_its_path() {
    let e = estate(&[
        ("2026-01-03", sub(DEV, user("alice"), "pro")),
        ("2026-01-03", sub(DEV, group("devs"), "pro-plus")),
        ("2026-01-03", sub(DEV, group("leads"), "pro-max")),
    ]);
    let bill = now(&e);
    assert_eq!(
        charge_of(&bill, DEV, "alice"),
        Some((Plan::ProMax, usd(100)))
    );
    assert_eq!(charge_of(&bill, DEV, "bob"), Some((Plan::ProPlus, usd(40))));
    assert_eq!(
        bill.lines
            .iter()
            .filter(|l| bill.user(l.user).user_name == "alice")
            .count(),
        1
    );
    let alice = bill
        .lines
        .iter()
        .find(|l| bill.user(l.user).user_name == "alice")
        .unwrap();
    assert!(
        alice.explanation().starts_with("Pro Max via group `leads`"),
        "{}",
        alice.explanation()
    );
    assert!(
        alice.explanation().contains("Pro via direct"),
        "{}",
        alice.explanation()
    );
    assert_eq!(bill.total(), usd(140));
}

#[test]
fn empty_groups_and_unsubscribed_users_cost_nothing() {
    let e = estate(&[("2026-01-03", sub(DEV, group("nobody"), "power"))]);
    let bill = now(&e);
    assert_eq!(bill.total(), Money::ZERO);
    assert!(bill.lines.is_empty());
    assert!(bill.profiles.iter().all(|p| p.users == 0));

    let e = estate(&[
        ("2026-01-03", sub(DEV, user("carol"), "power")),
        ("2026-01-04", unsub(DEV, user("carol"))),
    ]);
    assert_eq!(now(&e).total(), Money::ZERO);
}

#[test]
fn duplicates_across_organization_instance_profiles() {
    let e = estate(&[
        ("2026-01-03", sub(DEV, group("devs"), "pro")),
        ("2026-01-03", sub(DATA, user("alice"), "power")),
    ]);
    let bill = now(&e);
    assert_eq!(bill.total(), usd(20 + 20 + 200));
    assert_eq!(bill.duplicates.len(), 1);
    let d = &bill.duplicates[0];
    assert_eq!(bill.roster.person(d.person), "alice@example.com");
    assert_eq!(d.seats.len(), 2);
    assert_eq!(d.avoidable, usd(20));
    let kept = d.kept().unwrap();
    assert_eq!(bill.profile(kept.profile).account.as_str(), DATA);
    assert_eq!(kept.plan, Plan::Power);
    let removed = d.seats.iter().find(|s| !s.keep).unwrap();
    assert!(
        removed.remove(&bill)[0].contains("group `devs`"),
        "{:?}",
        removed.remove(&bill)
    );
}

#[test]
fn duplicates_across_instances_by_email_but_not_by_user_name() {
    let e = estate(&[
        ("2026-01-03", sub(DEV, user("alice"), "pro-plus")),
        ("2026-01-03", sub(DEV, user("bob"), "pro-plus")),
        ("2026-01-03", sub(SOLO, user("alice"), "pro")),
        ("2026-01-03", sub(SOLO, user("bob"), "pro")),
    ]);
    let bill = now(&e);
    // alice@example.com is Alice@Example.COM in the standalone account's store: one person.
    assert_eq!(bill.duplicates.len(), 1, "{:?}", bill.duplicates);
    assert_eq!(
        bill.roster.person(bill.duplicates[0].person),
        "alice@example.com"
    );
    assert_eq!(bill.duplicates[0].avoidable, usd(20));
    // bob in both stores has different emails: two people, no duplicate.
    assert!(
        bill.duplicates
            .iter()
            .map(|d| bill.roster.person(d.person))
            .all(|p| !p.contains("bob") && !p.contains("robert"))
    );
    assert_eq!(bill.total(), usd(40 + 40 + 20 + 20));
}

#[test]
fn users_without_an_email_are_kept_and_match_nobody() {
    // An e-mail is optional in AWS: two users without one in two stores are two people.
    let e = estate(&[
        (
            "2026-01-02",
            json!({"op": "create-user", "instance": MGMT, "user-name": "nomail"}),
        ),
        (
            "2026-01-02",
            json!({"op": "create-user", "instance": SOLO, "user-name": "nomail"}),
        ),
        ("2026-01-03", sub(DEV, user("nomail"), "pro")),
        ("2026-01-03", sub(SOLO, user("nomail"), "pro")),
    ]);
    let bill = now(&e);
    assert!(bill.duplicates.is_empty(), "{:?}", bill.duplicates);
    assert_eq!(bill.total(), usd(20 + 20));
}

#[test]
fn three_profiles_for_one_person() {
    let e = estate(&[
        ("2026-01-03", sub(DEV, user("alice"), "pro")),
        ("2026-01-03", sub(DATA, user("alice"), "pro-plus")),
        ("2026-01-03", sub(SOLO, user("alice"), "pro-max")),
    ]);
    let bill = now(&e);
    assert_eq!(bill.duplicates.len(), 1);
    let d = &bill.duplicates[0];
    assert_eq!(d.seats.len(), 3);
    assert_eq!(d.total, usd(160));
    assert_eq!(d.avoidable, usd(60));
    assert_eq!(
        bill.profile(d.kept().unwrap().profile).account.as_str(),
        SOLO
    );
    assert_eq!(
        d.seats
            .iter()
            .filter(|s| !s.remove(&bill).is_empty())
            .count(),
        2
    );
}

#[test]
fn allocations_sum_to_the_total_to_the_cent() {
    let govcloud = "currency: USD\noverage-per-credit: 0.04\nplans:\n  pro: {monthly: 19.99, credits: 1000}\n  pro-plus: {monthly: 39.99, credits: 2000}\n  pro-max: {monthly: 99.99, credits: 5000}\n  power: {monthly: 199.99, credits: 10000}\nregion-multipliers:\n  eu-*: 1.17\n";
    let book = PriceBook::from_text(govcloud).unwrap();
    let e = estate(&[
        ("2026-01-03", sub(DEV, group("devs"), "pro")),
        ("2026-01-03", sub(DATA, user("carol"), "pro-max")),
        ("2026-01-03", sub(MGMT, group("devs"), "pro-plus")),
        ("2026-01-03", sub(SOLO, user("bob"), "power")),
    ]);
    let bill = bill_current(&e, &book, BillOptions::default());
    let total = bill.total();
    // 2 × 19.99 + 99.99 + 2 × round(39.99 × 1.17 = 46.7883 → 46.79) + 199.99
    assert_eq!(total, Money::from_cents(2 * 1999 + 9999 + 2 * 4679 + 19999));
    assert_eq!(
        bill.profiles.iter().map(|p| p.total()).sum::<Money>(),
        total
    );
    assert_eq!(
        bill.accounts.iter().map(|a| a.total()).sum::<Money>(),
        total
    );
    let payers: Money = bill
        .organizations
        .iter()
        .chain(&bill.standalone)
        .map(|p| p.total)
        .sum();
    assert_eq!(payers, total);
    assert_eq!(bill.standalone[0].total, Money::from_cents(19999));
    // OUs roll up: platform is inside engineering.
    let ou = |name: &str| bill.ous.iter().find(|o| o.name == name).unwrap().total;
    assert_eq!(ou("platform"), Money::from_cents(2 * 1999));
    assert_eq!(ou("engineering"), Money::from_cents(2 * 1999 + 9999));
    let json = bill.to_json();
    assert_eq!(
        json["total"],
        json!(Money::from_cents(2 * 1999 + 9999 + 2 * 4679 + 19999).to_json())
    );
}

#[test]
fn pending_subscriptions_are_shown_apart_and_not_charged() {
    let mut s = sub(DEV, user("carol"), "power");
    s["status"] = json!("pending");
    let e = estate(&[
        ("2026-01-03", s),
        ("2026-01-03", sub(DEV, user("bob"), "pro")),
    ]);
    let bill = now(&e);
    assert_eq!(bill.total(), usd(20));
    assert_eq!(bill.pending.len(), 1);
    assert_eq!(bill.user(bill.pending[0].user).user_name, "carol");
    assert_eq!(bill.pending[0].would_cost, usd(200));
    assert_eq!(
        bill.profiles
            .iter()
            .find(|p| p.key.account.as_str() == DEV)
            .unwrap()
            .pending,
        1
    );
    assert_eq!(
        bill.to_json()["pending"][0]["note"],
        "pending, not charged until first sign-in"
    );
}

#[test]
fn cross_profile_switch_charges_once_per_organization() {
    let e = estate(&[
        ("2026-01-03", sub(DEV, user("alice"), "pro")),
        ("2026-01-03", sub(DATA, user("alice"), "pro-max")),
        ("2026-01-03", sub(SOLO, user("alice"), "pro-plus")),
    ]);
    let each = now(&e);
    assert_eq!(each.total(), usd(160));
    assert_eq!(each.to_json()["rule"], "charged-in-each");
    let once = bill_current(&e, &once_per_org(), BillOptions::default());
    // Within the organization alice is charged once, at Pro Max, on the data account's profile;
    // the standalone account is another payer and still charges her.
    assert_eq!(once.total(), usd(100 + 40));
    assert_eq!(
        charge_of(&once, DEV, "alice"),
        Some((Plan::Pro, Money::ZERO))
    );
    assert_eq!(
        charge_of(&once, DATA, "alice"),
        Some((Plan::ProMax, usd(100)))
    );
    let covered = once
        .lines
        .iter()
        .find(|l| once.profile(l.profile).account.as_str() == DEV)
        .unwrap();
    assert_eq!(
        once.profile(covered.covered_by.unwrap()).account.as_str(),
        DATA
    );
    assert_eq!(once.duplicates[0].avoidable, usd(40));
    assert_eq!(once.to_json()["rule"], "once-per-organization");
    assert!(
        once.notes
            .iter()
            .any(|n| n.contains("once-per-organization"))
    );
}

#[test]
fn overage_only_where_the_profile_allows_it() {
    let e = estate(&[
        ("2026-01-03", sub(DEV, user("alice"), "pro")),
        ("2026-01-03", sub(DATA, user("bob"), "pro")),
        (
            "2026-01-03",
            json!({"op": "update-profile-settings", "account": DEV, "region": "us-east-1", "overage": true}),
        ),
    ]);
    assert_eq!(now(&e).overage(), Money::ZERO, "no usage file, no overage");
    // Alice in two daily reports of the dev profile's folder, the IDE and the CLI on one day;
    // bob in a file of his own, by email only (an id the estate does not know).
    let dev = |name: &str| {
        std::path::PathBuf::from(format!(
            "AWSLogs/{DEV}/KiroLogs/user_report/us-east-1/2026/01/21/00/{name}"
        ))
    };
    let alice = id_of(&e, "alice");
    let header = "Date,UserId,Client_Type,Credits_Used,User_Email\n";
    let mut usage = Usage::parse(
        &format!("{header}2026-01-10,{alice},KIRO_IDE,700,\n"),
        &dev("KIRO_IDE_222222222222_user_report_202601110200.csv"),
    )
    .unwrap();
    for (text, name) in [
        (
            format!("{header}2026-01-20,{alice},KIRO_IDE,300.5,\n"),
            "KIRO_IDE_222222222222_user_report_202601210200.csv",
        ),
        (
            format!("{header}2026-01-20,{alice},KIRO_CLI,200,\n"),
            "KIRO_CLI_222222222222_user_report_202601210200.csv",
        ),
    ] {
        usage
            .days
            .extend(Usage::parse(&text, &dev(name)).unwrap().days);
    }
    usage.days.extend(
        Usage::parse(
            &format!("{header}2026-01-20,x-1,KIRO_IDE,1300,bob@example.com\n"),
            std::path::Path::new("bob.csv"),
        )
        .unwrap()
        .days,
    );
    let bill = bill_current(
        &e,
        &book(),
        BillOptions {
            usage: Some(&usage),
        },
    );
    let alice = bill
        .lines
        .iter()
        .find(|l| bill.user(l.user).user_name == "alice")
        .unwrap();
    assert_eq!(alice.overage_credits.to_string(), "200.5");
    assert_eq!(alice.overage_charge, Money::from_cents(802));
    let bob = bill
        .lines
        .iter()
        .find(|l| bill.user(l.user).user_name == "bob")
        .unwrap();
    assert_eq!(bob.overage_charge, Money::ZERO);
    assert_eq!(bob.uncharged_overage.to_string(), "300");
    assert_eq!(bill.total(), usd(40) + Money::from_cents(802));
}

#[test]
fn right_sizing_suggests_a_cheaper_plan_for_the_usage() {
    let e = estate(&[
        ("2026-01-03", sub(DEV, user("alice"), "power")),
        ("2026-01-03", sub(DEV, user("bob"), "pro")),
        (
            "2026-01-03",
            json!({"op": "update-profile-settings", "account": DEV, "region": "us-east-1", "overage": true}),
        ),
    ]);
    let csv = format!(
        "Date,UserId,Credits_Used\n2026-01-10,{},1500\n2026-01-10,{},3000\n",
        id_of(&e, "alice"),
        id_of(&e, "bob")
    );
    let usage = Usage::parse(&csv, std::path::Path::new("u.csv")).unwrap();
    let bill = bill_current(
        &e,
        &book(),
        BillOptions {
            usage: Some(&usage),
        },
    );
    let alice = bill
        .right_sizing
        .iter()
        .find(|r| r.user_name == "alice")
        .unwrap();
    // alice: Pro + 500 × 0.04 = 40 = Pro+; on the tie the higher plan, from next month.
    assert_eq!(alice.suggested, Plan::ProPlus);
    assert_eq!(alice.saving(), usd(160));
    assert_eq!(alice.effective, Effective::NextMonth);
    // bob: Pro + 2000 × 0.04 = 100; Pro+ + 1000 × 0.04 = 80.
    let bob = bill
        .right_sizing
        .iter()
        .find(|r| r.user_name == "bob")
        .unwrap();
    assert_eq!(
        (bob.current_cost, bob.suggested, bob.suggested_cost),
        (usd(100), Plan::ProPlus, usd(80))
    );
    assert_eq!(
        bob.effective,
        Effective::Now,
        "an upgrade pays off this month"
    );
    assert_eq!(bill.to_json()["right-sizing"].as_array().unwrap().len(), 2);
}

// Month-boundary rules, on scripted histories.

#[test]
fn cancelling_mid_month_charges_the_full_month() {
    let e = estate(&[
        ("2026-02-10", sub(DEV, user("alice"), "pro-plus")),
        ("2026-03-15", unsub(DEV, user("alice"))),
    ]);
    assert_eq!(month(&e, "2026-01").total(), Money::ZERO);
    assert_eq!(month(&e, "2026-02").total(), usd(40));
    assert_eq!(month(&e, "2026-03").total(), usd(40));
    assert_eq!(month(&e, "2026-04").total(), Money::ZERO);
}

#[test]
fn upgrading_mid_month_charges_the_higher_plan() {
    let e = estate(&[
        ("2026-02-10", sub(DEV, user("alice"), "pro")),
        ("2026-03-20", sub(DEV, user("alice"), "power")),
    ]);
    assert_eq!(month(&e, "2026-02").total(), usd(20));
    let march = month(&e, "2026-03");
    assert_eq!(march.total(), usd(200));
    assert_eq!(month(&e, "2026-04").total(), usd(200));
    assert!(march.basis.contains("event log"), "{}", march.basis);
}

#[test]
fn downgrading_mid_month_keeps_the_higher_plan_until_next_month() {
    let e = estate(&[
        ("2026-02-10", sub(DEV, group("leads"), "power")),
        ("2026-03-05", sub(DEV, group("leads"), "pro")),
    ]);
    let march = month(&e, "2026-03");
    assert_eq!(
        charge_of(&march, DEV, "alice"),
        Some((Plan::Power, usd(200)))
    );
    let line = march
        .lines
        .iter()
        .find(|l| march.user(l.user).user_name == "alice")
        .unwrap();
    assert!(
        line.explanation().contains("highest plan held"),
        "{}",
        line.explanation()
    );
    assert_eq!(month(&e, "2026-04").total(), usd(20));
}

#[test]
fn group_membership_changes_follow_the_same_rules() {
    let e = estate(&[
        ("2026-02-10", sub(DEV, group("leads"), "pro-max")),
        ("2026-02-10", sub(DEV, group("devs"), "pro")),
        (
            "2026-03-05",
            json!({"op": "remove-member", "instance": MGMT, "group": "leads", "user-name": "alice"}),
        ),
        (
            "2026-03-25",
            json!({"op": "add-member", "instance": MGMT, "group": "leads", "user-name": "bob"}),
        ),
    ]);
    let march = month(&e, "2026-03");
    assert_eq!(
        charge_of(&march, DEV, "alice"),
        Some((Plan::ProMax, usd(100)))
    );
    assert_eq!(
        charge_of(&march, DEV, "bob"),
        Some((Plan::ProMax, usd(100)))
    );
    let april = month(&e, "2026-04");
    assert_eq!(charge_of(&april, DEV, "alice"), Some((Plan::Pro, usd(20))));
}

#[test]
fn deleting_a_profile_charges_the_full_month() {
    let e = estate(&[
        ("2026-02-10", sub(DATA, group("devs"), "pro-plus")),
        (
            "2026-03-31",
            json!({"op": "delete-profile", "account": DATA, "region": "us-east-1"}),
        ),
    ]);
    let march = month(&e, "2026-03");
    assert_eq!(march.total(), usd(80));
    let p = march
        .profiles
        .iter()
        .find(|p| p.key.account.as_str() == DATA)
        .unwrap();
    assert!(p.deleted);
    assert_eq!(month(&e, "2026-04").total(), Money::ZERO);
}

#[test]
fn a_pending_subscription_activated_in_the_month_is_charged() {
    let mut pending = sub(DEV, user("carol"), "pro-max");
    pending["status"] = json!("pending");
    let e = estate(&[
        ("2026-02-10", pending),
        ("2026-03-28", sub(DEV, user("carol"), "pro-max")),
    ]);
    let feb = month(&e, "2026-02");
    assert_eq!(feb.total(), Money::ZERO);
    assert_eq!(feb.pending.len(), 1);
    let march = month(&e, "2026-03");
    assert_eq!(march.total(), usd(100));
    assert!(march.pending.is_empty());
}

#[test]
fn a_log_that_does_not_start_empty_is_said_so() {
    let start = estate(&[]);
    let mut start = start;
    start.events.clear();
    let e = apply_from(start, &[("2026-03-10", sub(DEV, user("alice"), "pro"))]);
    let err = bill_month(
        &e,
        &book(),
        Month::parse("2026-03").unwrap(),
        BillOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("does not begin from an empty estate"),
        "{err}"
    );
    let april = month(&e, "2026-04");
    assert_eq!(april.total(), usd(20));
    assert!(
        april
            .notes
            .iter()
            .any(|n| n.contains("does not begin from an empty estate")),
        "{:?}",
        april.notes
    );
}

#[test]
fn without_month_the_current_state_is_billed() {
    let e = estate(&[
        ("2026-02-10", sub(DEV, user("alice"), "power")),
        ("2026-03-05", sub(DEV, user("alice"), "pro")),
    ]);
    assert_eq!(now(&e).total(), usd(20));
}

#[test]
fn govcloud_prices_are_higher() {
    let book = book();
    assert_eq!(book.monthly(Plan::Power, "us-gov-west-1"), usd(240));
    assert_eq!(book.monthly(Plan::Power, "us-east-1"), usd(200));
}
