//! IAM Identity Center instances and their settings.

use kiro_estate::ids::Partition;
use kiro_estate::query::Standing;
use kiro_estate::validate::{Created, account_instance_rule};
use kiro_estate::{Applied, Estate, FeatureSet, Instance, InstanceKind, ids};

use super::application_settings as settings;
use super::{Ctx, Output, account, in_partition, instance, instance_mut, organization_mut};
use crate::error::{OpError, conflict, invalid};
use kiro_estate::op::{
    ApplicationRef, CreateApplication, EnableIdentityCenter, InstanceRef, OrganizationRef,
    SetKiroSessionDuration, UpdateApplication, UpdateInstance,
};

/// `enable-identity-center`: one instance per account; an organization instance only in a
/// management account, an account instance never there; member account instances need the
/// organization's permission when its instance predates 2023-11-15
/// ([`account_instance_rule`]). An organization instance dated (by `created`) before an
/// existing member account instance would make that instance break the same rule, as `check`
/// would read the estate, so it is refused too.
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
    in_partition(estate, &input.region)?;
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
    if kind == InstanceKind::Organization
        && let Some(org) = estate.organizations.get(&input.account)
        && org.feature_set != FeatureSet::All
    {
        return Err(invalid(format!(
            "an organization instance needs all features enabled in {}, which has consolidated billing only",
            org.id
        )));
    }
    let created = input.created.unwrap_or_else(|| ctx.date());
    if kind == InstanceKind::Account
        && standing == Standing::Member
        && let Some(org) = estate.organization_of(&input.account)
        && let Err(forbidden) = account_instance_rule(
            Created::Now,
            None,
            estate.organization_instance(org).map(|i| i.created),
            org.member_account_instances_allowed,
        )
    {
        return Err(invalid(format!(
            "member accounts cannot create account instances: the organization instance was enabled on {} (before 2023-11-15) and the management account has not allowed them",
            forbidden.organization_instance
        )));
    }
    if kind == InstanceKind::Organization
        && let Some(org) = estate.organizations.get(&input.account)
        && let Some((member, day, _)) =
            member_instances(estate, &input.account).find(|(_, day, joined)| {
                account_instance_rule(
                    Created::On(*day),
                    *joined,
                    Some(created),
                    org.member_account_instances_allowed,
                )
                .is_err()
            })
    {
        return Err(invalid(format!(
            "an organization instance enabled on {created} (before 2023-11-15) would postdate the account instance that member account `{member}` created on {day}, which member account instances are not allowed to do; date it on or after {day}, or allow member account instances first"
        )));
    }
    let inst = Instance {
        account: input.account.clone(),
        kind,
        region: input.region.clone(),
        created,
        id: ids::instance_id(&input.account, &input.region),
        identity_store: ids::identity_store_id(&input.account, &input.region),
        kiro_session_days: None,
        identity_enhanced_sessions: false,
        name: None,
        applications: Default::default(),
        permission_sets: Default::default(),
        account_assignments: Vec::new(),
        identity_store_network: None,
        replica_regions: Default::default(),
        access_control_attributes: None,
        trusted_token_issuers: Default::default(),
        tags: Default::default(),
        users: Default::default(),
        groups: Default::default(),
    };
    let out = Applied::InstanceEnabled {
        instance_arn: ids::arn::instance(inst.partition(), &inst.id),
        identity_store: inst.identity_store.clone(),
        kind,
        account: input.account.clone(),
        region: input.region.clone(),
    };
    let _ = estate.instances.insert(inst);
    Ok(out)
}

/// The account instances of the member accounts of the organization of `management`: owner,
/// creation date and when the owner joined.
fn member_instances<'e>(
    estate: &'e Estate,
    management: &'e kiro_estate::AccountId,
) -> impl Iterator<
    Item = (
        &'e kiro_estate::AccountId,
        jiff::civil::Date,
        Option<&'e kiro_estate::Joined>,
    ),
> {
    estate
        .instances
        .iter()
        .filter(|i| i.kind == InstanceKind::Account)
        .filter_map(move |i| {
            let owner = estate.account(&i.account)?;
            (owner.organization.as_ref() == Some(management) && &owner.id != management)
                .then_some((&owner.id, i.created, owner.joined.as_ref()))
        })
}

/// `allow-member-account-instances`: irreversible; allowing twice is harmless.
pub fn allow_member_account_instances(
    estate: &mut Estate,
    input: &OrganizationRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization_mut(estate, &input.organization)?;
    org.member_account_instances_allowed = true;
    Ok(Applied::MemberAccountInstancesAllowed {
        organization: org.id.clone(),
        member_account_instances_allowed: true,
    })
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
    Ok(Applied::KiroSessionDurationSet {
        kiro_session_days: days,
        instance: input.instance.clone(),
    })
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
    Ok(Applied::IdentityEnhancedSessionsEnabled {
        identity_enhanced_sessions: true,
        instance: input.instance.clone(),
    })
}

/// An instance's display name has 1 to 255 characters, as AWS allows; for the server's
/// `CreateInstance`, which names what it creates only once both would succeed.
pub fn check_name(name: &str) -> Result<(), OpError> {
    let count = name.chars().count();
    if count == 0 || count > 255 {
        return Err(invalid(format!(
            "an instance name has 1 to 255 characters, not {count}"
        )));
    }
    Ok(())
}

/// `update-instance`: a new display name (see [`check_name`]).
pub fn update_instance(
    estate: &mut Estate,
    input: &UpdateInstance,
    _: &Ctx,
) -> Result<Output, OpError> {
    check_name(&input.name)?;
    let inst = instance_mut(estate, &input.instance)?;
    inst.name = Some(input.name.clone());
    Ok(Applied::InstanceChanged {
        instance_arn: ids::arn::instance(inst.partition(), &inst.id),
        deleted: false,
    })
}

/// `delete-identity-center`: the instance and its identity store go; not while a Kiro profile
/// uses it (delete the profiles first), so no profile is left without its users.
pub fn delete_identity_center(
    estate: &mut Estate,
    input: &InstanceRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    instance(estate, &input.instance)?;
    if let Some(p) = estate
        .profiles
        .iter()
        .find(|p| p.instance == input.instance)
    {
        return Err(conflict(format!(
            "the Kiro profile `{}/{}` uses the instance of `{}`; delete the profile first",
            p.account, p.region, input.instance
        )));
    }
    let inst = estate
        .instances
        .remove(&input.instance)
        .ok_or_else(|| crate::error::not_found("the instance vanished"))?;
    Ok(Applied::InstanceChanged {
        instance_arn: ids::arn::instance(inst.partition(), &inst.id),
        deleted: true,
    })
}

/// The application providers of customer managed applications, by name: OAuth 2.0 (`custom`)
/// and SAML 2.0 (`custom-saml`). AWS managed applications are made by their services, never by
/// `CreateApplication`.
pub const CUSTOM_PROVIDERS: [&str; 2] = ["custom", "custom-saml"];

/// The ARNs of [`CUSTOM_PROVIDERS`] in `partition`.
pub fn custom_providers(partition: Partition) -> [String; 2] {
    CUSTOM_PROVIDERS.map(|name| ids::arn::application_provider(partition, name))
}

/// An application's name: 1 to 255 characters.
fn check_application_name(name: &str) -> Result<(), OpError> {
    let count = name.chars().count();
    if count == 0 || count > 255 {
        return Err(invalid(format!(
            "an application name has 1 to 255 characters, not {count}"
        )));
    }
    Ok(())
}

fn application_arn(inst: &Instance, app_id: &str) -> String {
    ids::arn::application(inst.partition(), &inst.account, &inst.id, app_id)
}

/// `create-application`: a customer managed application of an organization instance, whose
/// provider is a custom one; an account instance holds AWS managed applications only.
pub fn create_application(
    estate: &mut Estate,
    input: &CreateApplication,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    if inst.kind == InstanceKind::Account {
        return Err(invalid(format!(
            "the account instance of `{}` supports AWS managed applications only; customer managed applications need the organization instance",
            input.instance
        )));
    }
    let providers = custom_providers(inst.partition());
    if !providers.contains(&input.provider) {
        return Err(invalid(format!(
            "`{}` is not a provider of customer managed applications: use {}",
            input.provider,
            providers.join(" or ")
        )));
    }
    check_application_name(&input.name)?;
    if inst.applications.contains(&input.name) {
        return Err(conflict(format!(
            "application `{}` already exists in the instance of `{}`",
            input.name, input.instance
        )));
    }
    let id = ids::custom_application_id(&input.instance, &input.name);
    let arn = application_arn(inst, &id);
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst.applications.insert(kiro_estate::Application {
        name: input.name.clone(),
        id,
        provider: input.provider.clone(),
        description: input.description.clone(),
        enabled: input.enabled.unwrap_or(true),
        created: ctx.at,
        access_scopes: Default::default(),
        iam_authentication: None,
        grants: Default::default(),
        assignment_required: None,
        user_background_sessions: false,
    });
    Ok(Applied::ApplicationChanged {
        application_arn: arn,
        change: "created",
    })
}

fn no_application(owner: &kiro_estate::AccountId, name: &str) -> OpError {
    crate::error::not_found(format!(
        "application `{name}` does not exist in the instance of `{owner}`"
    ))
}

/// `update-application`: a new name (unique, as on creation), description or status; the
/// application keeps its id and ARN.
pub fn update_application(
    estate: &mut Estate,
    input: &UpdateApplication,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    if let Some(name) = &input.name {
        check_application_name(name)?;
        if *name != input.application && inst.applications.contains(name) {
            return Err(conflict(format!("application `{name}` already exists")));
        }
    }
    let grant = match inst.applications.get(&input.application) {
        Some(app) => settings::check(inst, app, input)?,
        None => return Err(no_application(&input.instance, &input.application)),
    };
    let inst = instance_mut(estate, &input.instance)?;
    let Some(mut app) = inst.applications.remove(&input.application) else {
        return Err(no_application(&input.instance, &input.application));
    };
    if let Some(name) = &input.name {
        app.name.clone_from(name);
    }
    if let Some(d) = &input.description {
        app.description = (!d.is_empty()).then(|| d.clone());
    }
    if let Some(e) = input.enabled {
        app.enabled = e;
    }
    settings::apply(&mut app, input, grant);
    let arn = application_arn(inst, &app.id);
    let _ = inst.applications.insert(app);
    Ok(Applied::ApplicationChanged {
        application_arn: arn,
        change: "updated",
    })
}

/// `delete-application`.
pub fn delete_application(
    estate: &mut Estate,
    input: &ApplicationRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance_mut(estate, &input.instance)?;
    let app = inst
        .applications
        .remove(&input.application)
        .ok_or_else(|| no_application(&input.instance, &input.application))?;
    let arn = application_arn(inst, &app.id);
    let _ = inst.tags.remove(&arn);
    Ok(Applied::ApplicationChanged {
        application_arn: arn,
        change: "deleted",
    })
}
