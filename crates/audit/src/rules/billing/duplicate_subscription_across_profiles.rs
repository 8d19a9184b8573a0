#![doc = include_str!("duplicate_subscription_across_profiles.md")]

use serde_json::json;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
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

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let bill = cx.bill();
    for d in &bill.duplicates {
        if d.avoidable.is_zero() {
            continue;
        }
        let seats: Vec<String> = d
            .seats
            .iter()
            .map(|s| format!("{} {}", s.profile, s.plan.display_name()))
            .collect();
        let mut help = Vec::new();
        if let Some(k) = d.kept() {
            help.push(format!("keep the seat in profile {}", k.profile));
        }
        for s in d.seats.iter().filter(|s| !s.keep) {
            help.extend(s.remove());
        }
        out.push(
            Finding::new(
                &RULE,
                Severity::Warning,
                d.email.to_lowercase(),
                format!(
                    "`{}` is charged in {} profiles ({}): {} {} a month, {} avoidable",
                    d.email,
                    d.seats.len(),
                    seats.join(", "),
                    d.total,
                    bill.currency,
                    d.avoidable
                ),
            )
            .help(help.join("; "))
            .money(d.avoidable)
            .details(json!({
                "profiles": d.seats.iter().map(|s| json!({
                    "account": s.profile.account.as_str(),
                    "region": s.profile.region,
                    "user-name": s.user_name,
                    "plan": s.plan.as_str(),
                    "charge": s.charge.to_json(),
                    "keep": s.keep,
                })).collect::<Vec<_>>(),
                "total": d.total.to_json(),
            })),
        );
    }
}
