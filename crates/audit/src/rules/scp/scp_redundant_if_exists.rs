#![doc = include_str!("scp_redundant_if_exists.md")]

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::Finding;
use crate::registry::RuleInfo;

/// `KO507`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO507",
    name: "scp-redundant-if-exists",
    area: "scp",
    severity: super::severity(Grade::Suggestion),
    doc: include_str!("scp_redundant_if_exists.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    super::report(cx, &RULE, &["REDUNDANT_IF_EXISTS"], out);
}
