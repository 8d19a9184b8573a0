#![doc = include_str!("pending_subscription.md")]

use serde_json::json;

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

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let bill = cx.bill();
    for p in &bill.pending {
        let upgrade = match p.charged_plan {
            Some(plan) => format!(" (charged at {} until then)", plan.display_name()),
            None => String::new(),
        };
        out.push(
            Finding::new(
                &RULE,
                Severity::Info,
                format!("{}/{}/{}", p.account, p.region, p.user_name),
                format!(
                    "user `{}` has a pending {} subscription via {} in profile {}/{}: not charged until first sign-in{upgrade}, then {} {} a month",
                    p.user_name,
                    p.plan.display_name(),
                    p.via,
                    p.account,
                    p.region,
                    p.would_cost,
                    bill.currency
                ),
            )
            .help("ask the user to sign in, or unsubscribe them if they do not need Kiro")
            .money(p.would_cost)
            .details(json!({"plan": p.plan.as_str(), "email": p.email, "currency": bill.currency})),
        );
    }
}
