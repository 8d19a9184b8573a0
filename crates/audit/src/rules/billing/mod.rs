//! Subscriptions and what they cost.

pub mod duplicate_subscription_across_profiles;
pub mod empty_group_subscribed;
pub mod pending_subscription;
pub mod profile_without_subscriptions;
pub mod redundant_subscription_paths;
pub mod subscription_principal_missing;
