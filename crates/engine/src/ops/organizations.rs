//! Accounts, organizations and OUs.

use kiro_estate::bounds;
use kiro_estate::ids::{self, FULL_AWS_ACCESS};
use kiro_estate::validate::{Created, MAX_OU_DEPTH, account_instance_rule};
use kiro_estate::{
    Account, AccountId, Applied, Attachment, Estate, FeatureSet, Joined, JoinedMethod,
    Organization, Ou, Scp, email,
};

use super::{Ctx, Output, account, organization, parent_exists, valid_account_id};
use crate::error::{OpError, conflict, constraint, invalid, not_found};
use kiro_estate::op::{
    AccountRef, CreateAccount, CreateGovCloudAccount, CreateOrganization, CreateOu, InviteAccount,
    MemberRef, MoveAccount, OrganizationRef, OuRef, UpdateOu,
};

/// `create-account`: a standalone account, or — with `organization` — a member account created
/// by the organization, as Organizations' `CreateAccount` does: under `parent` (default
/// `root`), joined now by creation, with `FullAWSAccess` attached as to an invited account.
/// The root user's e-mail, when given, must be valid and not in use by another account.
pub fn create_account(
    estate: &mut Estate,
    input: &CreateAccount,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    valid_account_id(&input.id)?;
    bounds::ACCOUNT_NAME.check(&input.name).map_err(invalid)?;
    let place = match &input.organization {
        Some(management) => {
            let org = organization(estate, management)?;
            let parent = input.parent.clone().unwrap_or_else(|| "root".to_owned());
            parent_exists(org, &parent)?;
            Some((org.management.clone(), org.id.clone(), parent))
        }
        None if input.parent.is_some() => {
            return Err(invalid(
                "`parent` places an account in an organization: give `organization` too",
            ));
        }
        None => None,
    };
    if let Some(address) = &input.email {
        email::check(address).map_err(invalid)?;
        if let Some(other) = email::account_with(estate, address, None) {
            return Err(constraint(format!(
                "account `{}` already uses the email `{address}`; every account's root email is unique",
                other.id
            )));
        }
    }
    if estate.accounts.contains(&input.id) {
        return Err(conflict(format!("account `{}` already exists", input.id)));
    }
    let _ = estate.accounts.insert(Account {
        id: input.id.clone(),
        name: input.name.clone(),
        email: input.email.clone(),
        organization: None,
        parent: None,
        joined: None,
        closed: None,
    });
    Ok(match place {
        Some((management, org_id, parent)) => {
            join(
                estate,
                &input.id,
                &management,
                &parent,
                JoinedMethod::Created,
                ctx,
            );
            Applied::AccountCreated {
                account: input.id.clone(),
                arn: Some(ids::arn::account(
                    estate.partition(),
                    &management,
                    &org_id,
                    &input.id,
                )),
                organization: Some(management),
                parent: Some(parent),
                name: input.name.clone(),
            }
        }
        None => Applied::AccountCreated {
            account: input.id.clone(),
            organization: None,
            arn: None,
            parent: None,
            name: input.name.clone(),
        },
    })
}

/// Makes `account` a member of the organization of `management` under `parent` (which exist):
/// its membership, when it joined and how, and the `FullAWSAccess` AWS attaches to it.
fn join(
    estate: &mut Estate,
    account: &AccountId,
    management: &AccountId,
    parent: &str,
    method: JoinedMethod,
    ctx: &Ctx,
) {
    if let Some(org) = estate.organizations.get_mut(management)
        && !org.scps_disabled
    {
        org.attachments.push(Attachment {
            policy: FULL_AWS_ACCESS.to_owned(),
            target: account.to_string(),
        });
    }
    if let Some(a) = estate.accounts.get_mut(account) {
        a.organization = Some(management.clone());
        a.parent = (parent != "root").then(|| parent.to_owned());
        a.joined = Some(Joined { at: ctx.at, method });
    }
}

/// `create-organization`: the account becomes the management account; the root and the
/// management account get `FullAWSAccess`, as AWS attaches it, unless SCPs start disabled.
pub fn create_organization(
    estate: &mut Estate,
    input: &CreateOrganization,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let acct = account(estate, &input.management)?;
    if estate.organizations.contains(&input.management) {
        return Err(conflict(format!(
            "account `{}` already manages an organization",
            input.management
        )));
    }
    if let Some(org) = &acct.organization {
        return Err(constraint(format!(
            "account `{}` is already a member of the organization managed by `{org}`",
            input.management
        )));
    }
    if estate.account_instance(&input.management).is_some() {
        // A management account never holds an account instance, and an account instance can
        // never become the organization instance: the organization must start elsewhere.
        return Err(invalid(format!(
            "account `{}` has an account instance of IAM Identity Center, which a management account cannot hold; create the organization from another account and invite this one",
            input.management
        )));
    }
    let feature_set = input.feature_set.unwrap_or_default();
    let consolidated = feature_set == FeatureSet::ConsolidatedBilling;
    let mut org = Organization {
        management: input.management.clone(),
        id: ids::organization_id(&input.management),
        root_id: ids::root_id(&input.management),
        governance: None,
        member_account_instances_allowed: false,
        scps_disabled: input.scps_enabled == Some(false) || consolidated,
        ous: Default::default(),
        policies: Default::default(),
        // AWS attaches FullAWSAccess to the root and to the management account itself.
        attachments: ["root", input.management.as_str()]
            .map(|target| Attachment {
                policy: FULL_AWS_ACCESS.to_owned(),
                target: target.to_owned(),
            })
            .to_vec(),
        feature_set,
        policy_types: Vec::new(),
        typed_policies: Default::default(),
        tags: Default::default(),
        trusted_services: Vec::new(),
        delegated_administrators: Vec::new(),
        handshakes: Vec::new(),
        transfers: Vec::new(),
        resource_policy: None,
    };
    if org.scps_disabled {
        org.attachments.clear();
    }
    let _ = org.policies.insert(Scp::full_aws_access());
    let out = Applied::OrganizationCreated {
        organization: org.id.clone(),
        root: org.root_id.clone(),
        management: input.management.clone(),
    };
    let _ = estate.organizations.insert(org);
    if let Some(a) = estate.accounts.get_mut(&input.management) {
        a.organization = Some(input.management.clone());
        a.parent = None;
        // AWS reports the management account as joined by invitation when it made the
        // organization.
        a.joined = Some(Joined {
            at: ctx.at,
            method: JoinedMethod::Invited,
        });
    }
    Ok(out)
}

/// `create-ou`: at most five levels below the root; the new OU gets `FullAWSAccess`.
pub fn create_ou(estate: &mut Estate, input: &CreateOu, _: &Ctx) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    check_ou_name(org, &input.name)?;
    parent_exists(org, &input.parent)?;
    let depth = org.ou_path(&input.parent).len() + 1;
    if depth > MAX_OU_DEPTH {
        return Err(constraint(format!(
            "OU `{}` would be nested {depth} levels below the root; AWS allows {MAX_OU_DEPTH}",
            input.name
        )));
    }
    let id = ids::ou_id(&org.root_id, &org.management, &input.name);
    let org = super::organization_mut(estate, &input.organization)?;
    let _ = org.ous.insert(Ou {
        name: input.name.clone(),
        id: id.clone(),
        parent: input.parent.clone(),
    });
    if !org.scps_disabled {
        org.attachments.push(Attachment {
            policy: FULL_AWS_ACCESS.to_owned(),
            target: input.name.clone(),
        });
    }
    Ok(Applied::OuCreated {
        ou: id,
        name: input.name.clone(),
        parent: input.parent.clone(),
    })
}

/// The name a new or renamed OU may have: not empty, not `root`, and no other OU's.
fn check_ou_name(org: &Organization, name: &str) -> Result<(), OpError> {
    bounds::OU_NAME.check(name).map_err(invalid)?;
    if name == "root" {
        return Err(invalid(format!("`{name}` cannot name an OU")));
    }
    if org.ous.contains(&name.to_owned()) {
        return Err(conflict(format!("OU `{name}` already exists")));
    }
    Ok(())
}

fn ou_exists<'e>(org: &'e Organization, name: &str) -> Result<&'e Ou, OpError> {
    org.ous
        .get(&name.to_owned())
        .ok_or_else(|| not_found(format!("OU `{name}` does not exist")))
}

/// `update-ou`: a new name; the OU keeps its id, place, accounts and policies, which follow
/// the name wherever the estate refers to it.
pub fn update_ou(estate: &mut Estate, input: &UpdateOu, _: &Ctx) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    let id = ou_exists(org, &input.ou)?.id.clone();
    if input.name != input.ou {
        check_ou_name(org, &input.name)?;
    }
    let (old, new) = (input.ou.as_str(), input.name.as_str());
    let renamed = |name: &mut String| {
        if name == old {
            new.clone_into(name);
        }
    };
    let org = super::organization_mut(estate, &input.organization)?;
    org.ous = std::mem::take(&mut org.ous)
        .iter()
        .cloned()
        .map(|mut ou| {
            renamed(&mut ou.name);
            renamed(&mut ou.parent);
            ou
        })
        .collect();
    for a in &mut org.attachments {
        renamed(&mut a.target);
    }
    for p in org.typed_policies.iter_mut() {
        p.targets.iter_mut().for_each(renamed);
    }
    for a in estate.accounts.iter_mut() {
        if a.organization.as_ref() == Some(&input.organization)
            && let Some(parent) = &mut a.parent
        {
            renamed(parent);
        }
    }
    Ok(Applied::OuUpdated {
        ou: id,
        name: input.name.clone(),
    })
}

/// `delete-ou`: only an OU with no OUs and no accounts under it; its attachments go with it.
pub fn delete_ou(estate: &mut Estate, input: &OuRef, _: &Ctx) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    let id = ou_exists(org, &input.ou)?.id.clone();
    let child_ous = org.ous.iter().filter(|ou| ou.parent == input.ou).count();
    let accounts = estate
        .accounts
        .iter()
        .filter(|a| {
            a.organization.as_ref() == Some(&input.organization)
                && a.parent.as_deref() == Some(input.ou.as_str())
        })
        .count();
    if child_ous + accounts > 0 {
        return Err(constraint(format!(
            "OU `{}` still holds {child_ous} OU(s) and {accounts} account(s); move or delete them first",
            input.ou
        )));
    }
    let org = super::organization_mut(estate, &input.organization)?;
    let _ = org.ous.remove(&input.ou);
    org.attachments.retain(|a| a.target != input.ou);
    for p in org.typed_policies.iter_mut() {
        p.targets.retain(|t| *t != input.ou);
    }
    let _ = org.tags.remove(&id);
    Ok(Applied::OuDeleted {
        ou: id,
        name: input.ou.clone(),
    })
}

/// `create-gov-cloud-account`: AWS makes the pair only for a management account that has an
/// associated account in AWS GovCloud (US); no estate records such a pairing, so AWS's
/// `MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED` refuses it, after the organization is found.
pub fn create_gov_cloud_account(
    estate: &mut Estate,
    input: &CreateGovCloudAccount,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    Err(constraint(format!(
        "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED: to complete this operation, the management account `{}` of {} must have an associated account in the AWS GovCloud (US-West) Region",
        org.management, org.id
    )))
}

/// `delete-organization`: only once the management account is its last account, and not
/// while the organization instance of IAM Identity Center lives in it (an organization
/// instance needs its organization); the account is standalone again.
pub fn delete_organization(
    estate: &mut Estate,
    input: &OrganizationRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    let members = estate
        .accounts
        .iter()
        .filter(|a| a.organization.as_ref() == Some(&org.management) && a.id != org.management)
        .count();
    if members > 0 {
        return Err(constraint(format!(
            "the organization of `{}` still has {members} member account(s); remove them first",
            input.organization
        )));
    }
    if estate.organization_instance(org).is_some() {
        return Err(invalid(format!(
            "the organization of `{}` has the organization instance of IAM Identity Center; delete the instance first",
            input.organization
        )));
    }
    let id = org.id.clone();
    let _ = estate.organizations.remove(&input.organization);
    if let Some(a) = estate.accounts.get_mut(&input.organization) {
        a.organization = None;
        a.parent = None;
        a.joined = None;
    }
    Ok(Applied::OrganizationDeleted {
        organization: id,
        management: input.organization.clone(),
    })
}

/// `invite-account`: a standalone account joins at once (see [`admit`]).
pub fn invite_account(
    estate: &mut Estate,
    input: &InviteAccount,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let parent = input.parent.clone().unwrap_or_else(|| "root".to_owned());
    admit(estate, &input.organization, &input.account, &parent, ctx)?;
    Ok(Applied::AccountInvited {
        account: input.account.clone(),
        organization: input.organization.clone(),
    })
}

/// Whether the standalone `account` may join the organization of `management` now: it
/// exists, manages no organization and belongs to none.
pub(crate) fn joinable(
    estate: &Estate,
    management: &AccountId,
    account_id: &AccountId,
) -> Result<(), OpError> {
    organization(estate, management)?;
    let acct = account(estate, account_id)?;
    if estate.organizations.contains(account_id) {
        return Err(constraint(format!(
            "account `{account_id}` manages its own organization"
        )));
    }
    if let Some(current) = &acct.organization {
        return Err(constraint(format!(
            "account `{account_id}` is already in the organization managed by `{current}`"
        )));
    }
    Ok(())
}

/// A standalone account joins an organization by invitation (`invite-account`, and an
/// accepted handshake): an account instance it has stays an account instance (it can never
/// become the organization instance). The estate records when it joined, which is what
/// tells `check` that its instance predates its membership; an instance dated after the join
/// (a later `created`, or `at` times out of order) would read as created by a member, so the
/// 2023-11-15 rule is asked about it as `check` will ask.
pub(crate) fn admit(
    estate: &mut Estate,
    management: &AccountId,
    account_id: &AccountId,
    parent: &str,
    ctx: &Ctx,
) -> Result<(), OpError> {
    joinable(estate, management, account_id)?;
    let org = organization(estate, management)?;
    parent_exists(org, parent)?;
    let joined = Joined {
        at: ctx.at,
        method: JoinedMethod::Invited,
    };
    if let Some(inst) = estate.account_instance(account_id)
        && let Err(forbidden) = account_instance_rule(
            Created::On(inst.created),
            Some(&joined),
            estate.organization_instance(org).map(|i| i.created),
            org.member_account_instances_allowed,
        )
    {
        return Err(invalid(format!(
            "account `{account_id}` has an account instance created on {}, not before it would join on {}: it would be a member account instance while the organization instance was enabled on {} (before 2023-11-15) and member account instances are not allowed; invite it later, or allow member account instances first",
            inst.created,
            ctx.date(),
            forbidden.organization_instance
        )));
    }
    join(estate, account_id, management, parent, joined.method, ctx);
    Ok(())
}

/// `move-account`: to `root` or another OU of its organization.
pub fn move_account(estate: &mut Estate, input: &MoveAccount, _: &Ctx) -> Result<Output, OpError> {
    let acct = account(estate, &input.account)?;
    let org = estate
        .organization_of(&input.account)
        .ok_or_else(|| not_found(format!("account `{}` is not in an organization", acct.id)))?;
    parent_exists(org, &input.parent)?;
    if let Some(a) = estate.accounts.get_mut(&input.account) {
        a.parent = (input.parent != "root").then(|| input.parent.clone());
    }
    Ok(Applied::AccountMoved {
        account: input.account.clone(),
        parent: input.parent.clone(),
    })
}

/// A member account of the organization of `management` that is not closed; the management
/// account itself is refused with `management_refusal`.
fn open_member<'e>(
    estate: &'e Estate,
    management: &AccountId,
    account_id: &AccountId,
    management_refusal: &str,
) -> Result<&'e Account, OpError> {
    organization(estate, management)?;
    let acct = account(estate, account_id)?;
    if acct.organization.as_ref() != Some(management) {
        return Err(not_found(format!(
            "account `{account_id}` is not a member of the organization managed by `{management}`"
        )));
    }
    if account_id == management {
        return Err(constraint(management_refusal.to_owned()));
    }
    if acct.closed.is_some() {
        return Err(constraint(format!("account `{account_id}` is closed")));
    }
    Ok(acct)
}

/// `remove-account` and `leave-organization`: a member account becomes standalone, with its
/// attachments, tags and handshakes gone. It may not be a delegated administrator (deregister
/// it first), and no Kiro profile of it may use the organization instance, which it could no
/// longer reach.
fn leave(
    estate: &mut Estate,
    management: &AccountId,
    account_id: &AccountId,
) -> Result<Output, OpError> {
    open_member(
        estate,
        management,
        account_id,
        "the management account cannot leave its organization; delete the organization instead",
    )?;
    let org = organization(estate, management)?;
    if let Some(d) = org
        .delegated_administrators
        .iter()
        .find(|d| &d.account == account_id)
    {
        return Err(constraint(format!(
            "account `{account_id}` is a delegated administrator of `{}`; deregister it first",
            d.service_principal
        )));
    }
    if let Some(p) = estate
        .profiles
        .iter()
        .find(|p| &p.account == account_id && &p.instance != account_id)
    {
        return Err(constraint(format!(
            "the Kiro profile `{}/{}` of account `{account_id}` uses the organization instance; delete it first",
            p.account, p.region
        )));
    }
    let org = super::organization_mut(estate, management)?;
    let target = account_id.as_str();
    org.attachments.retain(|a| a.target != target);
    for p in org.typed_policies.iter_mut() {
        p.targets.retain(|t| t != target);
    }
    let _ = org.tags.remove(target);
    // Its permission sets in the organization instance go: it is no longer reachable from it.
    if let Some(inst) = estate.instances.get_mut(management) {
        inst.account_assignments
            .retain(|a| &a.account != account_id);
    }
    if let Some(a) = estate.accounts.get_mut(account_id) {
        a.organization = None;
        a.parent = None;
        a.joined = None;
    }
    Ok(Applied::AccountRemoved {
        account: account_id.clone(),
        organization: management.clone(),
    })
}

/// `remove-account`: the management account removes a member (see [`leave`]).
pub fn remove_account(estate: &mut Estate, input: &MemberRef, _: &Ctx) -> Result<Output, OpError> {
    leave(estate, &input.organization, &input.account)
}

/// `leave-organization`: a member account leaves on its own (see [`leave`]); SCPs may deny it
/// (`organizations:LeaveOrganization`), as the common guard rail does.
pub fn leave_organization(
    estate: &mut Estate,
    input: &AccountRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let acct = account(estate, &input.account)?;
    let Some(management) = acct.organization.clone() else {
        return Err(not_found(format!(
            "account `{}` is not a member of an organization",
            input.account
        )));
    };
    leave(estate, &management, &input.account)
}

/// `close-account`: the account is suspended and stays in its organization, as AWS keeps a
/// closed account for 90 days; the management account cannot be closed this way.
pub fn close_account(estate: &mut Estate, input: &MemberRef, ctx: &Ctx) -> Result<Output, OpError> {
    open_member(
        estate,
        &input.organization,
        &input.account,
        "the management account cannot be closed from its organization",
    )?;
    if let Some(a) = estate.accounts.get_mut(&input.account) {
        a.closed = Some(ctx.at);
    }
    Ok(Applied::AccountClosed {
        account: input.account.clone(),
    })
}
