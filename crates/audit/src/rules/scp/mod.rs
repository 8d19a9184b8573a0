//! The SCP documents: what the IAM catalog says of their actions and conditions. AWS accepts
//! all of these policies, so the estate stays valid; the audit grades each warning as IAM
//! Access Analyzer grades its policy check (error → `error`, security warning and warning →
//! `warning`, suggestion → `info`).

use kiro_policy::Grade;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

pub mod guard_rail_denies_nothing;
pub mod scp_operator_key_type_mismatch;
pub mod scp_redundant_if_exists;
pub mod scp_set_operator_single_valued_key;
pub mod scp_unknown_action;
pub mod scp_unknown_condition_key;
pub mod scp_unsupported_condition_key;

/// The audit severity of an Access Analyzer grade.
pub const fn severity(grade: Grade) -> Severity {
    match grade {
        Grade::Error => Severity::Error,
        Grade::SecurityWarning | Grade::Warning => Severity::Warning,
        Grade::Suggestion => Severity::Info,
    }
}

/// Adds a finding of `rule` for each SCP warning with one of `codes`, located as the loader
/// located it, graded by its code.
fn report(cx: &Cx<'_>, rule: &'static RuleInfo, codes: &[&str], out: &mut Vec<Finding>) {
    for d in cx.scp_warnings().iter() {
        let Some(code) = d.code.filter(|c| codes.contains(c)) else {
            continue;
        };
        let grade = kiro_policy::grade(code).unwrap_or(Grade::Warning);
        out.push(crate::rules::located(rule, severity(grade), d));
    }
}
