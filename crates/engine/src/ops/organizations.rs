//! Accounts, organizations and OUs.

use kiro_estate::bounds;
use kiro_estate::ids::{self, FULL_AWS_ACCESS};
use kiro_estate::validate::{Created, MAX_OU_DEPTH, account_instance_rule};
use kiro_estate::{
    Account, AccountId, Applied, Attachment, Estate, Joined, JoinedMethod, Organization, Ou, Scp,
    email,
};

use super::{Ctx, Output, account, organization, parent_exists, valid_account_id};
use crate::error::{OpError, conflict, constraint, invalid, not_found};
use kiro_estate::op::{
    CreateAccount, CreateOrganization, CreateOu, InviteAccount, MoveAccount, OrganizationRef,
    OuRef, UpdateOu,
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
                arn: Some(ids::arn::account(&management, &org_id, &input.id)),
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
    let mut org = Organization {
        management: input.management.clone(),
        id: ids::organization_id(&input.management),
        root_id: ids::root_id(&input.management),
        governance: None,
        member_account_instances_allowed: false,
        scps_disabled: input.scps_enabled == Some(false),
        ous: Default::default(),
        policies: Default::default(),
        // AWS attaches FullAWSAccess to the root and to the management account itself.
        attachments: ["root", input.management.as_str()]
            .map(|target| Attachment {
                policy: FULL_AWS_ACCESS.to_owned(),
                target: target.to_owned(),
            })
            .to_vec(),
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
    Ok(Applied::OuDeleted {
        ou: id,
        name: input.ou.clone(),
    })
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

/// `invite-account`: a standalone account joins; an account instance it has stays an account
/// instance (it can never become the organization instance). The estate records when it
/// joined, which is what tells `check` that its instance predates its membership; an instance
/// dated after the join (a later `created`, or `at` times out of order) would read as created
/// by a member, so the 2023-11-15 rule is asked about it as `check` will ask.
pub fn invite_account(
    estate: &mut Estate,
    input: &InviteAccount,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    let parent = input.parent.clone().unwrap_or_else(|| "root".to_owned());
    let acct = account(estate, &input.account)?;
    if estate.organizations.contains(&input.account) {
        return Err(constraint(format!(
            "account `{}` manages its own organization",
            input.account
        )));
    }
    if let Some(current) = &acct.organization {
        return Err(constraint(format!(
            "account `{}` is already in the organization managed by `{current}`",
            input.account
        )));
    }
    parent_exists(org, &parent)?;
    let joined = Joined {
        at: ctx.at,
        method: JoinedMethod::Invited,
    };
    if let Some(inst) = estate.account_instance(&input.account)
        && let Err(forbidden) = account_instance_rule(
            Created::On(inst.created),
            Some(&joined),
            estate.organization_instance(org).map(|i| i.created),
            org.member_account_instances_allowed,
        )
    {
        return Err(invalid(format!(
            "account `{}` has an account instance created on {}, not before it would join on {}: it would be a member account instance while the organization instance was enabled on {} (before 2023-11-15) and member account instances are not allowed; invite it later, or allow member account instances first",
            input.account,
            inst.created,
            ctx.date(),
            forbidden.organization_instance
        )));
    }
    let management = org.management.clone();
    join(
        estate,
        &input.account,
        &management,
        &parent,
        joined.method,
        ctx,
    );
    Ok(Applied::AccountInvited {
        account: input.account.clone(),
        organization: management,
    })
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
