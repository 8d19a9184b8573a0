#![doc = include_str!("profile_quota_near_limit.md")]

use serde_json::json;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::quota_count::{near_threshold, profiles_per_org_instance};
use crate::registry::RuleInfo;

/// `KO202`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO202",
    name: "profile-quota-near-limit",
    area: "quota",
    severity: Severity::Warning,
    doc: include_str!("profile_quota_near_limit.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let quota = cx.estate.simulator.profile_quota;
    let near = near_threshold(quota);
    for ((instance, region), profiles) in profiles_per_org_instance(cx.estate) {
        let n = u32::try_from(profiles.len()).unwrap_or(u32::MAX);
        if n >= quota || n < near {
            continue;
        }
        let left = quota - n;
        out.push(
            Finding::of(
                &RULE,
                format!("{instance}/{region}"),
                format!(
                    "the organization instance of `{instance}` has {n} of {quota} Kiro profiles in `{region}`: {left} left"
                ),
            )
            .help("plan where further departments go: account instances (pattern 3), pattern 4, another region, or a quota increase")
            .details(&json!({"used": n, "quota": quota, "profiles": profiles.iter().map(ToString::to_string).collect::<Vec<_>>()})),
        );
    }
}
