#![doc = include_str!("scp_set_operator_single_valued_key.md")]

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::Finding;
use crate::registry::RuleInfo;

/// `KO506`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO506",
    name: "scp-set-operator-single-valued-key",
    area: "scp",
    severity: super::severity(Grade::SecurityWarning),
    doc: include_str!("scp_set_operator_single_valued_key.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    super::report(
        cx,
        &RULE,
        &[
            "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
            "FORANYVALUE_WITH_SINGLE_VALUED_KEY",
        ],
        out,
    );
}
