#![doc = include_str!("empty_group_subscribed.md")]

use kiro_estate::{HasKey, Principal};

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO105`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO105",
    name: "empty-group-subscribed",
    area: "billing",
    severity: Severity::Warning,
    doc: include_str!("empty_group_subscribed.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for profile in &cx.estate.profiles {
        let Some(inst) = cx.estate.instances.get(&profile.instance) else {
            continue;
        };
        for sub in &profile.subscriptions {
            let Principal::Group(name) = sub.principal() else {
                continue;
            };
            let Some(group) = inst.groups.get(&name) else {
                continue;
            };
            if group.members.is_empty() {
                let key = profile.key();
                out.push(
                    Finding::of(
                        &RULE,
                        format!("{key}/{name}"),
                        format!(
                            "group `{name}` is subscribed to {} in profile {key} but has no members: nobody gets a seat",
                            sub.plan.display_name()
                        ),
                    )
                    .help(format!(
                        "add members to `{name}` in the identity store of `{}`, or unsubscribe the group",
                        inst.account
                    )),
                );
            }
        }
    }
}
