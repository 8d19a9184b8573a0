#![doc = include_str!("redundant_subscription_paths.md")]

use serde_json::json;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO102`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO102",
    name: "redundant-subscription-paths",
    area: "billing",
    severity: Severity::Info,
    doc: include_str!("redundant_subscription_paths.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for line in &cx.bill().lines {
        if line.paths.len() < 2 {
            continue;
        }
        let paths: Vec<String> = line
            .paths
            .iter()
            .map(|p| format!("{} via {}", p.plan.display_name(), p.via))
            .collect();
        out.push(
            Finding::new(
                &RULE,
                Severity::Info,
                format!("{}/{}", line.profile_key(), line.user_name),
                format!(
                    "user `{}` reaches profile {} through {} paths ({}): charged once, at {}",
                    line.user_name,
                    line.profile_key(),
                    line.paths.len(),
                    paths.join(", "),
                    line.plan.display_name()
                ),
            )
            .help("keep one path per person and profile so the plan is explicit")
            .details(json!({"paths": paths, "plan": line.plan.as_str()})),
        );
    }
}
