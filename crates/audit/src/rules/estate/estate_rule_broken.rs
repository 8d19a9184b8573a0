#![doc = include_str!("estate_rule_broken.md")]

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::{self, RuleInfo};

/// `KO001`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO001",
    name: "estate-rule-broken",
    area: "estate",
    severity: Severity::Error,
    doc: include_str!("estate_rule_broken.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for d in cx.rule_breaks().iter() {
        // Another rule reports this rule break, with its own finding.
        if d.rule.is_some_and(|name| registry::find(name).is_some()) {
            continue;
        }
        out.push(crate::rules::located(&RULE, RULE.severity, d));
    }
}
