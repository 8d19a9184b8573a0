#![doc = include_str!("subscription_principal_missing.md")]

use kiro_estate::{HasKey, Principal};

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO104`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO104",
    name: "subscription-principal-missing",
    area: "billing",
    severity: Severity::Error,
    doc: include_str!("subscription_principal_missing.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for profile in &cx.estate.profiles {
        let key = profile.key();
        let Some(inst) = cx.estate.instances.get(&profile.instance) else {
            out.push(
                Finding::of(
                    &RULE,
                    key.to_string(),
                    format!(
                        "profile {key} uses the Identity Center instance of `{}`, which does not exist: none of its {} subscriptions can work",
                        profile.instance,
                        profile.subscriptions.len()
                    ),
                )
                .help("enable Identity Center in that account or recreate the profile on an existing instance"),
            );
            continue;
        };
        for sub in &profile.subscriptions {
            let principal = sub.principal();
            let present = match &principal {
                Principal::User(u) => inst.users.contains(u),
                Principal::Group(g) => inst.groups.contains(g),
            };
            if !present {
                let name = match &principal {
                    Principal::User(n) | Principal::Group(n) => n.clone(),
                };
                out.push(
                    Finding::of(
                        &RULE,
                        format!("{key}/{name}"),
                        format!(
                            "profile {key} subscribes {principal}, which is not in the identity store {} of `{}`",
                            inst.identity_store, inst.account
                        ),
                    )
                    .help("create the principal in that identity store and subscribe it, or remove the subscription"),
                );
            }
        }
    }
}
