#![doc = include_str!("unused_suppression.md")]

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO901`: reported by [`crate::audit`] when it applies the configuration, not by a check
/// over the estate.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO901",
    name: "unused-suppression",
    area: "config",
    severity: Severity::Warning,
    doc: include_str!("unused_suppression.md"),
    check,
};

fn check(_cx: &Cx<'_>, _out: &mut Vec<Finding>) {}
