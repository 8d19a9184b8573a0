#![doc = include_str!("profile_quota_reached.md")]

use serde_json::json;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::quota_count::profiles_per_org_instance;
use crate::registry::RuleInfo;

/// `KO201`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO201",
    name: "profile-quota-reached",
    area: "quota",
    severity: Severity::Error,
    doc: include_str!("profile_quota_reached.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let quota = cx.estate.simulator.profile_quota;
    for ((instance, region), profiles) in profiles_per_org_instance(cx.estate) {
        let n = u32::try_from(profiles.len()).unwrap_or(u32::MAX);
        if n < quota {
            continue;
        }
        out.push(
            Finding::of(
                &RULE,
                format!("{instance}/{region}"),
                format!(
                    "the organization instance of `{instance}` has {n} of {quota} Kiro profiles in `{region}`: no other account can sign up there"
                ),
            )
            .help("use account instances (pattern 3) or pattern 4 for new departments, another Kiro region, or ask for a quota increase")
            .details(&json!({"used": n, "quota": quota, "profiles": profiles.iter().map(ToString::to_string).collect::<Vec<_>>()})),
        );
    }
}
