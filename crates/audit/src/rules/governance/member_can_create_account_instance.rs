#![doc = include_str!("member_can_create_account_instance.md")]

use kiro_advice::guardrails::DENY_INSTANCES;
use kiro_estate::query::Standing;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;
use crate::rules::governance::gap::{self, Evaluated};
use crate::scp_eval::Verdict;

/// `KO302`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO302",
    name: "member-can-create-account-instance",
    area: "governance",
    severity: Severity::Error,
    doc: include_str!("member_can_create_account_instance.md"),
    check,
};

/// The IAM action of enabling Identity Center.
pub const ACTION: &str = "sso:CreateInstance";

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let cutover = kiro_estate::validate::account_instance_cutover();
    let mut evaluated = Vec::new();
    for account in &cx.estate.accounts {
        let id = &account.id;
        if cx.estate.standing(id) != Standing::Member || cx.estate.instances.contains(id) {
            continue;
        }
        let Some(org) = cx.estate.organization_of(id) else {
            continue;
        };
        let possible = match cx.estate.organization_instance(org) {
            None => true,
            Some(inst) => inst.created >= cutover || org.member_account_instances_allowed,
        };
        if !possible {
            continue;
        }
        let regions = cx
            .regions_of(id)
            .into_iter()
            .filter(|r| cx.decide(id, ACTION, "*", r) == Verdict::Allowed)
            .collect();
        evaluated.push(Evaluated { account, regions });
    }
    gap::report(cx, &RULE, ACTION, evaluated, &WORDING, out);
}

/// How findings of this rule read.
const WORDING: gap::Wording = gap::Wording {
    can: "can create an account instance of IAM Identity Center",
    delegated: " (as delegated governance allows)",
    rail: DENY_INSTANCES,
    help: |_, target, rails, command| {
        format!(
            "attach an SCP denying `{ACTION}` to {target}: the guard rail `{DENY_INSTANCES}` of this organization's pattern {}{} (`{command}`)",
            rails.pattern,
            gap::exempting(rails, DENY_INSTANCES)
        )
    },
};
