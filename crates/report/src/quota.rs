//! Quota gauges: profiles per organization instance and region against the quota, counted
//! by the audit's own [`kiro_audit::quota_count`], so the gauge and `profile-quota-reached`
//! cannot disagree.

use kiro_audit::quota_count::{near_threshold, profiles_per_org_instance};
use kiro_estate::Estate;
use serde::Serialize;

/// One gauge.
#[derive(Serialize)]
pub struct Gauge {
    /// The account owning the organization instance.
    pub instance: String,
    /// The region.
    pub region: String,
    /// Profiles counted against the quota.
    pub profiles: usize,
    /// The quota.
    pub quota: u32,
    /// Percent of the quota used, capped at 100 for the drawing.
    pub percent: u32,
    /// `ok`, `near` or `reached`: a word in the table, the colour in the drawing.
    pub status: &'static str,
}

/// The gauges of `estate`, by instance then region.
pub fn gauges(estate: &Estate) -> Vec<Gauge> {
    let quota = estate.simulator.profile_quota;
    profiles_per_org_instance(estate)
        .into_iter()
        .map(|((instance, region), profiles)| {
            let n = u32::try_from(profiles.len()).unwrap_or(u32::MAX);
            let status = if n >= quota {
                "reached"
            } else if n >= near_threshold(quota) {
                "near"
            } else {
                "ok"
            };
            Gauge {
                instance: instance.to_string(),
                region,
                profiles: profiles.len(),
                quota,
                percent: (n.saturating_mul(100) / quota.max(1)).min(100),
                status,
            }
        })
        .collect()
}
