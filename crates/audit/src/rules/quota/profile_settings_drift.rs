#![doc = include_str!("profile_settings_drift.md")]

use serde_json::json;

use crate::cx::{Cx, graded};
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO203`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO203",
    name: "profile-settings-drift",
    area: "quota",
    severity: Severity::Warning,
    doc: include_str!("profile_settings_drift.md"),
    check,
};

/// A setting's name and how to read it.
type Setting = (&'static str, fn(&kiro_estate::Profile) -> bool);

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for org in &cx.estate.organizations {
        let profiles: Vec<_> = cx.profiles_in(org).collect();
        if profiles.len() < 2 {
            continue;
        }
        let settings: [Setting; 2] = [
            ("prompt-logging", |p| p.settings.prompt_logging),
            ("overage", |p| p.settings.overage),
        ];
        for (name, get) in settings {
            let on: Vec<String> = profiles
                .iter()
                .filter(|p| get(p))
                .map(|p| format!("{}/{}", p.account, p.region))
                .collect();
            let off: Vec<String> = profiles
                .iter()
                .filter(|p| !get(p))
                .map(|p| format!("{}/{}", p.account, p.region))
                .collect();
            if on.is_empty() || off.is_empty() {
                continue;
            }
            let severity = graded(org.governance, Severity::Warning, Severity::Info);
            out.push(
                Finding::new(
                    &RULE,
                    severity,
                    format!("{}/{name}", org.management),
                    format!(
                        "`{name}` differs between the profiles of organization `{}`: on in {} ({}), off in {} ({})",
                        org.id,
                        on.len(),
                        on.join(", "),
                        off.len(),
                        off.join(", ")
                    ),
                )
                .help("choose one value and apply it with `update-profile-settings` to every profile, or declare `governance: delegated`")
                .details(&json!({"setting": name, "on": on, "off": off})),
            );
        }
    }
}
