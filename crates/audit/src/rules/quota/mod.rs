//! Profiles: the quota per organization instance and region, and their settings.

pub mod profile_quota_near_limit;
pub mod profile_quota_reached;
pub mod profile_settings_drift;
