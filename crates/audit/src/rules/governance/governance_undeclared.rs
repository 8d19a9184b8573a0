#![doc = include_str!("governance_undeclared.md")]

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO304`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO304",
    name: "governance-undeclared",
    area: "governance",
    severity: Severity::Info,
    doc: include_str!("governance_undeclared.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for org in &cx.estate.organizations {
        if org.governance.is_some() {
            continue;
        }
        let profiles = cx.profiles_in(org).count();
        if profiles == 0 {
            continue;
        }
        out.push(
            Finding::of(
                &RULE,
                org.management.to_string(),
                format!(
                    "organization `{}` has {profiles} Kiro profiles but declares no governance intent: governance findings are graded as warnings",
                    org.id
                ),
            )
            .help("add `governance: central` or `governance: delegated` to the organization"),
        );
    }
}
