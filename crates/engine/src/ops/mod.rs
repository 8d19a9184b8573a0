//! One function per operation: `(&mut Estate, &Input, &Ctx) -> Result<Output, OpError>`.
//!
//! Each checks every rule before it changes anything, so a refused operation leaves the estate
//! exactly as it was; the engine relies on that instead of copying the estate.

pub mod access_control;
pub mod application_settings;
pub mod directory;
pub mod handshakes;
pub mod identity_center;
pub mod organizations;
pub mod permission_sets;
pub mod policies;
pub mod profiles;
pub mod regions;
pub mod services;
pub mod subscriptions;
pub mod tags;
pub mod token_issuers;
pub mod transfers;

use kiro_estate::{Account, AccountId, Estate, Instance, Organization, Profile, ProfileKey};

use crate::error::{OpError, invalid, not_found};

/// What every operation knows besides its parameters.
pub struct Ctx {
    /// When it happens.
    pub at: jiff::Timestamp,
}

impl Ctx {
    /// The date it happens on (UTC).
    pub fn date(&self) -> jiff::civil::Date {
        self.at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
    }
}

/// An operation's result: what it created or changed.
pub type Output = kiro_estate::Applied;

pub(crate) fn valid_account_id(id: &AccountId) -> Result<(), OpError> {
    if id.is_valid() {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{id}` is not a valid account id: an account id is exactly 12 digits"
        )))
    }
}

/// An instance or profile in `region` keeps the estate in one partition
/// ([`kiro_estate::validate::partition_rule`]).
pub(crate) fn in_partition(estate: &Estate, region: &str) -> Result<(), OpError> {
    kiro_estate::validate::partition_rule(estate.home_region(), region).map_err(|message| {
        invalid(format!(
            "{message}; {}",
            kiro_estate::validate::PARTITION_HELP
        ))
    })
}

pub(crate) fn account<'e>(estate: &'e Estate, id: &AccountId) -> Result<&'e Account, OpError> {
    estate
        .account(id)
        .ok_or_else(|| not_found(format!("account `{id}` does not exist")))
}

fn no_organization(management: &AccountId) -> OpError {
    not_found(format!(
        "organization managed by `{management}` does not exist"
    ))
}

fn no_instance(owner: &AccountId) -> OpError {
    not_found(format!(
        "account `{owner}` has no IAM Identity Center instance"
    ))
}

fn no_profile(account: &AccountId, region: &str) -> OpError {
    not_found(format!(
        "account `{account}` has no Kiro profile in `{region}`"
    ))
}

pub(crate) fn organization<'e>(
    estate: &'e Estate,
    management: &AccountId,
) -> Result<&'e Organization, OpError> {
    estate
        .organizations
        .get(management)
        .ok_or_else(|| no_organization(management))
}

pub(crate) fn organization_mut<'e>(
    estate: &'e mut Estate,
    management: &AccountId,
) -> Result<&'e mut Organization, OpError> {
    estate
        .organizations
        .get_mut(management)
        .ok_or_else(|| no_organization(management))
}

pub(crate) fn instance<'e>(estate: &'e Estate, owner: &AccountId) -> Result<&'e Instance, OpError> {
    estate
        .instances
        .get(owner)
        .ok_or_else(|| no_instance(owner))
}

pub(crate) fn instance_mut<'e>(
    estate: &'e mut Estate,
    owner: &AccountId,
) -> Result<&'e mut Instance, OpError> {
    estate
        .instances
        .get_mut(owner)
        .ok_or_else(|| no_instance(owner))
}

pub(crate) fn profile<'e>(
    estate: &'e Estate,
    account: &AccountId,
    region: &str,
) -> Result<&'e Profile, OpError> {
    estate
        .profiles
        .get(&ProfileKey::new(account, region))
        .ok_or_else(|| no_profile(account, region))
}

pub(crate) fn profile_mut<'e>(
    estate: &'e mut Estate,
    account: &AccountId,
    region: &str,
) -> Result<&'e mut Profile, OpError> {
    estate
        .profiles
        .get_mut(&ProfileKey::new(account, region))
        .ok_or_else(|| no_profile(account, region))
}

/// The parent (`root` or an OU name) must exist in `org`.
pub(crate) fn parent_exists(org: &Organization, parent: &str) -> Result<(), OpError> {
    if parent == "root" || org.ous.contains(&parent.to_owned()) {
        Ok(())
    } else {
        Err(not_found(format!(
            "OU `{parent}` does not exist in organization `{}`",
            org.management
        )))
    }
}
