//! Accounts, organizations and OUs.

use kiro_estate::ids::{self, FULL_AWS_ACCESS};
use kiro_estate::validate::MAX_OU_DEPTH;
use kiro_estate::{Account, Attachment, Estate, Organization, Ou, Scp};
use serde_json::json;

use super::{Ctx, Output, account, organization, parent_exists, valid_account_id};
use crate::error::{OpError, conflict, constraint, invalid, not_found};
use crate::op::{CreateAccount, CreateOrganization, CreateOu, InviteAccount, MoveAccount};

/// `create-account`: a standalone account.
pub fn create_account(
    estate: &mut Estate,
    input: &CreateAccount,
    _: &Ctx,
) -> Result<Output, OpError> {
    valid_account_id(&input.id)?;
    if input.name.trim().is_empty() {
        return Err(invalid("an account needs a name"));
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
    });
    Ok(json!({"account": input.id}))
}

/// `create-organization`: the account becomes the management account; the root gets
/// `FullAWSAccess`, as AWS attaches it.
pub fn create_organization(
    estate: &mut Estate,
    input: &CreateOrganization,
    _: &Ctx,
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
    let _ = org.policies.insert(Scp::full_aws_access());
    let out = json!({"organization": org.id, "root": org.root_id});
    let _ = estate.organizations.insert(org);
    if let Some(a) = estate.accounts.get_mut(&input.management) {
        a.organization = Some(input.management.clone());
        a.parent = None;
    }
    Ok(out)
}

/// `create-ou`: at most five levels below the root; the new OU gets `FullAWSAccess`.
pub fn create_ou(estate: &mut Estate, input: &CreateOu, _: &Ctx) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    if input.name.trim().is_empty() || input.name == "root" {
        return Err(invalid(format!("`{}` cannot name an OU", input.name)));
    }
    parent_exists(org, &input.parent)?;
    if org.ous.contains(&input.name) {
        return Err(conflict(format!("OU `{}` already exists", input.name)));
    }
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
    org.attachments.push(Attachment {
        policy: FULL_AWS_ACCESS.to_owned(),
        target: input.name.clone(),
    });
    Ok(json!({"ou": id}))
}

/// `invite-account`: a standalone account joins; an account instance it has stays an account
/// instance (it can never become the organization instance).
pub fn invite_account(
    estate: &mut Estate,
    input: &InviteAccount,
    _: &Ctx,
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
    let management = org.management.clone();
    if let Some(org) = estate.organizations.get_mut(&input.organization) {
        org.attachments.push(Attachment {
            policy: FULL_AWS_ACCESS.to_owned(),
            target: input.account.to_string(),
        });
    }
    if let Some(a) = estate.accounts.get_mut(&input.account) {
        a.organization = Some(management);
        a.parent = (parent != "root").then_some(parent);
    }
    Ok(json!({"account": input.account}))
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
    Ok(json!({"account": input.account, "parent": input.parent}))
}
