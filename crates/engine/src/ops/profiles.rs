//! Kiro profiles: sign-up, deletion, settings.

use kiro_estate::{AccountId, Applied, Estate, Instance, InstanceKind, Profile, ProfileKey, ids};

use super::{Ctx, Output, account, in_partition, profile, profile_mut};
use crate::error::{OpError, conflict, invalid, not_found, quota};
use kiro_estate::op::{CreateProfile, ProfileRef, UpdateProfileSettings};

/// Which instance a sign-up uses: the one `identity-source` names; else the only one available;
/// else the one the signing-up user (`as`) exists in, when that is exactly one.
fn choose_instance<'e>(estate: &'e Estate, input: &CreateProfile) -> Result<&'e Instance, OpError> {
    let available = estate.available_instances(&input.account);
    let by_kind = |kind: InstanceKind| available.iter().copied().find(|i| i.kind == kind);
    match input.identity_source.as_deref() {
        Some("organization") => {
            return by_kind(InstanceKind::Organization).ok_or_else(|| {
                not_found(format!(
                    "account `{}` has no organization instance of IAM Identity Center available",
                    input.account
                ))
            });
        }
        Some("account") => {
            return by_kind(InstanceKind::Account).ok_or_else(|| {
                not_found(format!(
                    "account `{}` has no account instance of IAM Identity Center",
                    input.account
                ))
            });
        }
        Some(other) => {
            return Err(invalid(format!(
                "`{other}` is not an identity source: use `organization` or `account`"
            )));
        }
        None => {}
    }
    match available.as_slice() {
        [] => Err(not_found(format!(
            "account `{}` has no IAM Identity Center instance to sign up with: enable the organization instance or an account instance first",
            input.account
        ))),
        [only] => Ok(only),
        several => {
            let holding: Vec<&Instance> = match &input.as_user {
                Some(user) => several
                    .iter()
                    .copied()
                    .filter(|i| i.users.contains(user.as_str()))
                    .collect(),
                None => Vec::new(),
            };
            match holding.as_slice() {
                [one] => Ok(one),
                _ => Err(invalid(format!(
                    "account `{}` can use both its organization instance and its own account instance{}; choose one with `identity-source: organization` or `identity-source: account`",
                    input.account,
                    match &input.as_user {
                        Some(u) if holding.is_empty() => format!(", and user `{u}` is in neither"),
                        Some(u) => format!(", and user `{u}` is in both"),
                        None => String::new(),
                    }
                ))),
            }
        }
    }
}

/// `create-profile`: one per account and region, in a Kiro region, at most the quota of
/// profiles per organization instance per region.
pub fn create_profile(
    estate: &mut Estate,
    input: &CreateProfile,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    account(estate, &input.account)?;
    if !estate.simulator.kiro_regions.contains(&input.region) {
        return Err(invalid(format!(
            "Kiro does not run in `{}`; profiles can be created in {}",
            input.region,
            estate.simulator.kiro_regions.join(", ")
        )));
    }
    in_partition(estate, &input.region)?;
    let key = ProfileKey::new(&input.account, &input.region);
    if estate.profiles.contains(&key) {
        return Err(conflict(format!(
            "account `{}` already has a Kiro profile in `{}`",
            input.account, input.region
        )));
    }
    let inst = choose_instance(estate, input)?;
    if inst.kind == InstanceKind::Organization {
        let used = profiles_on(estate, &inst.account, &input.region);
        let limit = estate.simulator.profile_quota as usize;
        if used >= limit {
            return Err(quota(format!(
                "the organization instance of `{}` already has {used} Kiro profiles in `{}`; the quota is {limit} per organization instance per region",
                inst.account, input.region
            )));
        }
    }
    let instance_owner = inst.account.clone();
    let application = ids::arn::application(
        inst.partition(),
        &inst.account,
        &inst.id,
        &ids::application_id(&input.account, &input.region),
    );
    let id = ids::profile_id(&input.account, &input.region);
    let arn = ids::arn::profile(&input.region, input.account.as_str(), &id);
    let _ = estate.profiles.insert(Profile {
        account: input.account.clone(),
        region: input.region.clone(),
        instance: instance_owner.clone(),
        id,
        created: Some(ctx.date()),
        settings: Default::default(),
        subscriptions: Default::default(),
    });
    Ok(Applied::ProfileCreated {
        profile_arn: arn,
        instance: instance_owner,
        application: format!("KiroProfile-{}", input.region),
        application_arn: application,
        profile: key,
    })
}

/// How many profiles use the organization instance owned by `owner` in `region`.
pub fn profiles_on(estate: &Estate, owner: &AccountId, region: &str) -> usize {
    estate
        .profiles
        .iter()
        .filter(|p| &p.instance == owner && p.region == region)
        .count()
}

/// `delete-profile`: its subscriptions go with it (billed for the whole month).
pub fn delete_profile(estate: &mut Estate, input: &ProfileRef, _: &Ctx) -> Result<Output, OpError> {
    profile(estate, &input.account, &input.region)?;
    let removed = estate
        .profiles
        .remove(&ProfileKey::new(&input.account, &input.region));
    Ok(Applied::ProfileDeleted {
        subscriptions_removed: removed.map_or(0, |p| p.subscriptions.len()),
        profile: ProfileKey::new(&input.account, &input.region),
    })
}

/// `update-profile-settings`.
pub fn update_profile_settings(
    estate: &mut Estate,
    input: &UpdateProfileSettings,
    _: &Ctx,
) -> Result<Output, OpError> {
    let p = profile_mut(estate, &input.account, &input.region)?;
    if let Some(v) = input.prompt_logging {
        p.settings.prompt_logging = v;
    }
    if let Some(v) = input.overage {
        p.settings.overage = v;
    }
    Ok(Applied::ProfileSettingsUpdated {
        prompt_logging: p.settings.prompt_logging,
        overage: p.settings.overage,
        profile: ProfileKey::new(&input.account, &input.region),
    })
}
