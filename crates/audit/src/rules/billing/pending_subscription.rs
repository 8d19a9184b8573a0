#![doc = include_str!("pending_subscription.md")]

use std::collections::BTreeMap;

use kiro_billing::seats::PendingSeat;
use kiro_billing::{Bill, Money};
use kiro_estate::Plan;
use serde::Serialize;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO103`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO103",
    name: "pending-subscription",
    area: "billing",
    severity: Severity::Info,
    doc: include_str!("pending_subscription.md"),
    check,
};

/// How many pending users the details show as examples.
const EXAMPLES: usize = 5;

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Example<'a> {
    user_name: &'a str,
    email: &'a str,
    plan: &'static str,
    via: String,
    charged_plan: Option<&'static str>,
}

#[derive(Serialize)]
struct Details<'a> {
    users: usize,
    plans: BTreeMap<&'static str, usize>,
    upgrades: usize,
    currency: &'a str,
    examples: Vec<Example<'a>>,
}

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let bill = cx.bill();
    // Pending seats come profile by profile: one finding per run of a profile.
    let pending = &bill.pending[..];
    let mut start = 0;
    while start < pending.len() {
        let first = &pending[start];
        let len = pending[start..]
            .iter()
            .take_while(|p| p.profile == first.profile)
            .count();
        profile(bill, &pending[start..start + len], out);
        start += len;
    }
}

fn profile(bill: &Bill, seats: &[PendingSeat], out: &mut Vec<Finding>) {
    let currency = bill.currency.as_str();
    let Some(first) = seats.first() else { return };
    let mut plans: BTreeMap<Plan, usize> = BTreeMap::new();
    let mut upgrades = 0;
    let mut money = Money::ZERO;
    for p in seats {
        *plans.entry(p.plan).or_default() += 1;
        upgrades += usize::from(p.charged_plan.is_some());
        money += p.would_cost;
    }
    let key = bill.profile(first.profile);
    let by_plan = plans
        .iter()
        .map(|(plan, n)| format!("{n} {}", plan.display_name()))
        .collect::<Vec<_>>()
        .join(", ");
    let who = if seats.len() == 1 {
        format!(
            "user `{}` has a pending subscription",
            bill.user(first.user).user_name
        )
    } else {
        format!("{} users have pending subscriptions", seats.len())
    };
    let upgrade = match upgrades {
        0 => String::new(),
        1 if seats.len() == 1 => " (charged at a lower plan until then)".to_owned(),
        n => format!(" ({n} of them charged at a lower plan until then)"),
    };
    out.push(
        Finding::of(
            &RULE,
            key.to_string(),
            format!(
                "{who} in profile {key} ({by_plan}): not charged until first sign-in{upgrade}, then {money} {currency} a month"
            ),
        )
        .help("ask the users to sign in, or unsubscribe those who do not need Kiro")
        .money(money)
        .details(&Details {
            users: seats.len(),
            plans: plans.iter().map(|(p, n)| (p.as_str(), *n)).collect(),
            upgrades,
            currency,
            examples: seats
                .iter()
                .take(EXAMPLES)
                .map(|p| Example {
                    user_name: &bill.user(p.user).user_name,
                    email: &bill.user(p.user).email,
                    plan: p.plan.as_str(),
                    via: p.via.to_string(),
                    charged_plan: p.charged_plan.map(Plan::as_str),
                })
                .collect(),
        }),
    );
}
