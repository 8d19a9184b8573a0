#![doc = include_str!("scp_unknown_condition_key.md")]

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::Finding;
use crate::registry::RuleInfo;

/// `KO503`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO503",
    name: "scp-unknown-condition-key",
    area: "scp",
    severity: super::severity(Grade::Error),
    doc: include_str!("scp_unknown_condition_key.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    super::report(cx, &RULE, &["UNKNOWN_CONDITION_KEY"], out);
}
