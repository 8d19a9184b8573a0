#![doc = include_str!("profile_without_subscriptions.md")]

use kiro_estate::{HasKey, InstanceKind};

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO106`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO106",
    name: "profile-without-subscriptions",
    area: "billing",
    severity: Severity::Info,
    doc: include_str!("profile_without_subscriptions.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for profile in &cx.estate.profiles {
        if !profile.subscriptions.is_empty() {
            continue;
        }
        let on_org = cx
            .estate
            .instances
            .get(&profile.instance)
            .is_some_and(|i| i.kind == InstanceKind::Organization);
        let quota = if on_org {
            format!(
                "; it spends one of the {} profiles allowed on the organization instance in {}",
                cx.estate.simulator.profile_quota, profile.region
            )
        } else {
            String::new()
        };
        let key = profile.key();
        out.push(
            Finding::of(
                &RULE,
                key.to_string(),
                format!("profile {key} has no subscriptions{quota}"),
            )
            .help("subscribe the intended users or groups, or delete the profile"),
        );
    }
}
