//! IAM Identity Center instances and their settings.

use kiro_estate::query::Standing;
use kiro_estate::validate::account_instance_cutover;
use kiro_estate::{Estate, Instance, InstanceKind, ids};
use serde_json::json;

use super::{Ctx, Output, account, instance, instance_mut, organization_mut};
use crate::error::{OpError, conflict, invalid};
use crate::op::{EnableIdentityCenter, InstanceRef, OrganizationRef, SetKiroSessionDuration};

/// `enable-identity-center`: one instance per account; an organization instance only in a
/// management account, an account instance never there; member account instances need the
/// organization's permission when its instance predates 2023-11-15.
pub fn enable_identity_center(
    estate: &mut Estate,
    input: &EnableIdentityCenter,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    account(estate, &input.account)?;
    let standing = estate.standing(&input.account);
    let kind = match input.kind.as_deref() {
        None if standing == Standing::Management => InstanceKind::Organization,
        None => InstanceKind::Account,
        Some("organization") => InstanceKind::Organization,
        Some("account") => InstanceKind::Account,
        Some(other) => {
            return Err(invalid(format!(
                "`{other}` is not an instance kind: use `organization` or `account`"
            )));
        }
    };
    if input.region.trim().is_empty() {
        return Err(invalid("an instance needs a region"));
    }
    if let Some(existing) = estate.instances.get(&input.account) {
        return Err(conflict(format!(
            "account `{}` already has an {} in `{}`; an account can have only one instance across all regions",
            input.account, existing.kind, existing.region
        )));
    }
    match (kind, standing) {
        (InstanceKind::Account, Standing::Management) => {
            return Err(invalid(format!(
                "an account instance cannot be created in the management account `{}`",
                input.account
            )));
        }
        (InstanceKind::Organization, Standing::Member | Standing::Standalone) => {
            return Err(invalid(format!(
                "an organization instance can only be enabled in a management account, and `{}` is not one",
                input.account
            )));
        }
        _ => {}
    }
    if kind == InstanceKind::Account
        && standing == Standing::Member
        && let Some(org) = estate.organization_of(&input.account)
        && let Some(org_instance) = estate.organization_instance(org)
        && org_instance.created < account_instance_cutover()
        && !org.member_account_instances_allowed
    {
        return Err(invalid(format!(
            "member accounts cannot create account instances: the organization instance was enabled on {} (before 2023-11-15) and the management account has not allowed them",
            org_instance.created
        )));
    }
    let created = input.created.unwrap_or_else(|| ctx.date());
    let inst = Instance {
        account: input.account.clone(),
        kind,
        region: input.region.clone(),
        created,
        id: ids::instance_id(&input.account, &input.region),
        identity_store: ids::identity_store_id(&input.account, &input.region),
        kiro_session_days: None,
        identity_enhanced_sessions: false,
        users: Default::default(),
        groups: Default::default(),
    };
    let out = json!({
        "instance-arn": ids::arn::instance(&inst.id),
        "identity-store": inst.identity_store,
        "kind": kind,
    });
    let _ = estate.instances.insert(inst);
    Ok(out)
}

/// `allow-member-account-instances`: irreversible; allowing twice is harmless.
pub fn allow_member_account_instances(
    estate: &mut Estate,
    input: &OrganizationRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization_mut(estate, &input.organization)?;
    org.member_account_instances_allowed = true;
    Ok(json!({"organization": org.id, "member-account-instances-allowed": true}))
}

/// `set-kiro-session-duration`: 1 to 90 days.
pub fn set_kiro_session_duration(
    estate: &mut Estate,
    input: &SetKiroSessionDuration,
    _: &Ctx,
) -> Result<Output, OpError> {
    instance(estate, &input.instance)?;
    let days = u32::try_from(input.days)
        .ok()
        .filter(|d| (1..=90).contains(d))
        .ok_or_else(|| {
            invalid(format!(
                "`{}` days is out of range: the extended Kiro session lasts 1 to 90 days",
                input.days
            ))
        })?;
    let inst = instance_mut(estate, &input.instance)?;
    inst.kiro_session_days = Some(days);
    Ok(json!({"kiro-session-days": days}))
}

/// `enable-identity-enhanced-sessions`: organization instances only.
pub fn enable_identity_enhanced_sessions(
    estate: &mut Estate,
    input: &InstanceRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    if inst.kind == InstanceKind::Account {
        return Err(invalid(format!(
            "identity-enhanced sessions need an organization instance; the instance of `{}` is an account instance",
            input.instance
        )));
    }
    instance_mut(estate, &input.instance)?.identity_enhanced_sessions = true;
    Ok(json!({"identity-enhanced-sessions": true}))
}
