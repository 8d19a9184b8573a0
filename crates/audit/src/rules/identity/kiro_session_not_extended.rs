#![doc = include_str!("kiro_session_not_extended.md")]

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO403`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO403",
    name: "kiro-session-not-extended",
    area: "identity",
    severity: Severity::Warning,
    doc: include_str!("kiro_session_not_extended.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.estate.instances {
        if inst.kiro_session_days.is_some() {
            continue;
        }
        let profiles = cx.profiles_served_by(&inst.account).count();
        if profiles == 0 {
            continue;
        }
        out.push(
            Finding::of(
                &RULE,
                inst.account.to_string(),
                format!(
                    "the {} of `{}` serves {profiles} Kiro profile(s) without an extended Kiro session: developers must sign in again often",
                    inst.kind, inst.account
                ),
            )
            .help("set the extended session duration for Kiro to up to 90 days (`set-kiro-session-duration`)"),
        );
    }
}
