#![doc = include_str!("scp_unsupported_condition_key.md")]

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::Finding;
use crate::registry::RuleInfo;

/// `KO505`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO505",
    name: "scp-unsupported-condition-key",
    area: "scp",
    severity: super::severity(Grade::SecurityWarning),
    doc: include_str!("scp_unsupported_condition_key.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    super::report(cx, &RULE, &["UNSUPPORTED_CONDITION_KEY"], out);
}
