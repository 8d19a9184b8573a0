#![doc = include_str!("scp_operator_key_type_mismatch.md")]

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::Finding;
use crate::registry::RuleInfo;

/// `KO504`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO504",
    name: "scp-operator-key-type-mismatch",
    area: "scp",
    severity: super::severity(Grade::Error),
    doc: include_str!("scp_operator_key_type_mismatch.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    super::report(cx, &RULE, &["OPERATOR_KEY_TYPE_MISMATCH"], out);
}
