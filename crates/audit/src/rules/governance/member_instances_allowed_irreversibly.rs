#![doc = include_str!("member_instances_allowed_irreversibly.md")]

use kiro_advice::guardrails::{self, DENY_INSTANCES};
use serde_json::json;

use crate::cx::{Cx, graded};
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;
use crate::rules::governance::gap;

/// `KO303`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO303",
    name: "member-instances-allowed-irreversibly",
    area: "governance",
    severity: Severity::Warning,
    doc: include_str!("member_instances_allowed_irreversibly.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let cutover = kiro_estate::validate::account_instance_cutover();
    for org in &cx.estate.organizations {
        if !org.member_account_instances_allowed {
            continue;
        }
        let Some(inst) = cx.estate.organization_instance(org) else {
            continue;
        };
        if inst.created >= cutover {
            continue;
        }
        let rails = guardrails::for_organization(cx.estate, org);
        let command = rails.command(Some(&org.management));
        out.push(
            Finding::new(
                &RULE,
                graded(org.governance, Severity::Warning, Severity::Info),
                org.management.to_string(),
                format!(
                    "organization `{}` enabled its organization instance on {} (before 2023-11-15) and has allowed member account instances: this can never be undone",
                    org.id, inst.created
                ),
            )
            .help(format!(
                "keep an SCP denying `sso:CreateInstance` at the root, with exceptions only for accounts meant to have an account instance: the guard rail `{DENY_INSTANCES}` of this organization's pattern {}{} (`{command}`)",
                rails.pattern,
                gap::exempting(&rails, DENY_INSTANCES)
            ))
            .details(&json!({
                "organization-instance-created": inst.created.to_string(),
                "guard-rail": gap::guard_rail_details(&rails, DENY_INSTANCES, &command),
            })),
        );
    }
}
