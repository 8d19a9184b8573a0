#![doc = include_str!("scp_unknown_action.md")]

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::Finding;
use crate::registry::RuleInfo;

/// `KO501`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO501",
    name: "scp-unknown-action",
    area: "scp",
    severity: super::severity(Grade::Error),
    doc: include_str!("scp_unknown_action.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    super::report(
        cx,
        &RULE,
        &["UNKNOWN_SERVICE", "UNKNOWN_ACTION", "NO_MATCHING_ACTION"],
        out,
    );
}
