#![doc = include_str!("kiro_session_has_no_effect.md")]

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO405`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO405",
    name: "kiro-session-has-no-effect",
    area: "identity",
    severity: Severity::Info,
    doc: include_str!("kiro_session_has_no_effect.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.estate.instances {
        let Some(days) = inst.kiro_session_days else {
            continue;
        };
        if cx.profiles_served_by(&inst.account).next().is_some() {
            continue;
        }
        out.push(
            Finding::of(
                &RULE,
                inst.account.to_string(),
                format!("the {} of `{}` extends Kiro sessions to {days} days but serves no Kiro profile", inst.kind, inst.account),
            )
            .help("check that profiles use the intended instance"),
        );
    }
}
