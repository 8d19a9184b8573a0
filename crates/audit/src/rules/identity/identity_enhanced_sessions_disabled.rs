#![doc = include_str!("identity_enhanced_sessions_disabled.md")]

use kiro_estate::InstanceKind;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO404`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO404",
    name: "identity-enhanced-sessions-disabled",
    area: "identity",
    severity: Severity::Warning,
    doc: include_str!("identity_enhanced_sessions_disabled.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.estate.instances {
        if inst.kind != InstanceKind::Organization || inst.identity_enhanced_sessions {
            continue;
        }
        out.push(
            Finding::of(
                &RULE,
                inst.account.to_string(),
                format!(
                    "the organization instance of `{}` has identity-enhanced sessions disabled",
                    inst.account
                ),
            )
            .help("enable identity-enhanced sessions (`enable-identity-enhanced-sessions`)"),
        );
    }
}
