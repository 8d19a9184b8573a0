#![doc = include_str!("duplicate_subscription_across_profiles.md")]

use std::fmt::Write as _;

use kiro_billing::duplicates::SeatJson;
use serde::Serialize;

use crate::cx::Cx;
use crate::finding::{Finding, MoneyJson, Severity};
use crate::registry::RuleInfo;

/// `KO101`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO101",
    name: "duplicate-subscription-across-profiles",
    area: "billing",
    severity: Severity::Warning,
    doc: include_str!("duplicate_subscription_across_profiles.md"),
    check,
};

#[derive(Serialize)]
struct Details<'a> {
    profiles: Vec<SeatJson<'a>>,
    total: MoneyJson,
}

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let bill = cx.bill();
    out.reserve(bill.duplicates.len());
    for d in &bill.duplicates {
        if d.avoidable.is_zero() {
            continue;
        }
        let mut seats = String::new();
        for (i, s) in d.seats.iter().enumerate() {
            if i > 0 {
                seats.push_str(", ");
            }
            let _ = write!(
                seats,
                "{} {}",
                bill.profile(s.profile),
                s.plan.display_name()
            );
        }
        let mut help = Vec::new();
        if let Some(k) = d.kept() {
            help.push(format!(
                "keep the seat in profile {}",
                bill.profile(k.profile)
            ));
        }
        for s in d.seats.iter().filter(|s| !s.keep) {
            help.extend(s.remove(bill));
        }
        out.push(
            Finding::of(
                &RULE,
                d.email(bill).to_lowercase(),
                format!(
                    "`{}` is charged in {} profiles ({seats}): {} {} a month, {} avoidable",
                    d.email(bill),
                    d.seats.len(),
                    d.total,
                    bill.currency,
                    d.avoidable
                ),
            )
            .help(help.join("; "))
            .money(d.avoidable)
            .details(&Details {
                profiles: d.seats.iter().map(|s| s.json(bill, false)).collect(),
                total: MoneyJson(d.total),
            }),
        );
    }
}
