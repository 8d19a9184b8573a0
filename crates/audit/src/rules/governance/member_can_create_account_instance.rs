#![doc = include_str!("member_can_create_account_instance.md")]

use kiro_estate::query::Standing;
use kiro_estate::{Governance, HasKey};
use serde_json::json;

use crate::cx::{Cx, graded};
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;
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
    for account in &cx.estate.accounts {
        let id = account.key();
        if cx.estate.standing(&id) != Standing::Member || cx.estate.instances.contains(&id) {
            continue;
        }
        let Some(org) = cx.estate.organization_of(&id) else {
            continue;
        };
        let possible = match cx.estate.organization_instance(org) {
            None => true,
            Some(inst) => inst.created >= cutover || org.member_account_instances_allowed,
        };
        if !possible {
            continue;
        }
        let allowed: Vec<String> = cx
            .regions_of(&id)
            .into_iter()
            .filter(|r| cx.decide(&id, ACTION, "*", r) == Verdict::Allowed)
            .collect();
        if allowed.is_empty() {
            continue;
        }
        let severity = graded(org.governance, Severity::Error, Severity::Info);
        let intent = match org.governance {
            Some(Governance::Central) => " although governance is central",
            Some(Governance::Delegated) => " (as delegated governance allows)",
            None => "",
        };
        out.push(
            Finding::new(
                &RULE,
                severity,
                id.to_string(),
                format!(
                    "member account {} can create an account instance of IAM Identity Center in {}{intent}: no SCP denies `{ACTION}`",
                    cx.account_label(&id),
                    allowed.join(", ")
                ),
            )
            .help("attach an SCP denying `sso:CreateInstance` to the root or the account's OU (`kiro-org scp generate --pattern 4`)")
            .details(json!({"action": ACTION, "regions": allowed, "parent": account.parent.as_deref().unwrap_or("root")})),
        );
    }
}
