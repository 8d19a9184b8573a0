#![doc = include_str!("member_can_create_profile.md")]

use kiro_advice::guardrails::DENY_PROFILES;
use kiro_estate::query::Standing;
use kiro_estate::{Governance, ProfileKey};

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;
use crate::rules::governance::gap::{self, Evaluated};

/// `KO301`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO301",
    name: "member-can-create-profile",
    area: "governance",
    severity: Severity::Error,
    doc: include_str!("member_can_create_profile.md"),
    check,
};

/// The IAM action of signing up for Kiro.
pub const ACTION: &str = "codewhisperer:CreateProfile";

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut evaluated = Vec::new();
    for account in &cx.estate.accounts {
        let id = &account.id;
        if cx.estate.standing(id) != Standing::Member {
            continue;
        }
        let open: Vec<String> = cx
            .regions_of(id)
            .into_iter()
            .filter(|r| !cx.estate.profiles.contains(&ProfileKey::new(id, r)))
            .collect();
        if open.is_empty() {
            continue;
        }
        evaluated.push(Evaluated::ask(cx, account, ACTION, open, |region| {
            kiro_estate::ids::arn::profile(region, "{account}", "*")
        }));
    }
    gap::report(cx, &RULE, ACTION, evaluated, &WORDING, out);
}

/// How findings of this rule read.
const WORDING: gap::Wording = gap::Wording {
    can: "can sign up for Kiro",
    delegated: " (as delegated governance intends)",
    rail: DENY_PROFILES,
    help: |governance, target, rails, command| match governance {
        Some(Governance::Delegated) => format!(
            "nothing to do if these accounts are meant to run their own profiles; otherwise attach an SCP denying `{ACTION}` to {target} (`{command}`)"
        ),
        _ => format!(
            "attach an SCP denying `{ACTION}` to {target}, or the guard rail `{DENY_PROFILES}` of this organization's pattern {} to the root{} (`{command}`)",
            rails.pattern,
            gap::exempting(rails, DENY_PROFILES)
        ),
    },
};
