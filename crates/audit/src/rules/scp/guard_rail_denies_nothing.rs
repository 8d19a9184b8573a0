#![doc = include_str!("guard_rail_denies_nothing.md")]

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::Finding;
use crate::registry::RuleInfo;

/// `KO502`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO502",
    name: "guard-rail-denies-nothing",
    area: "scp",
    severity: super::severity(Grade::Error),
    doc: include_str!("guard_rail_denies_nothing.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    super::report(cx, &RULE, &["DENIES_NOTHING"], out);
}
