//! Service control policies: create, update, delete, attach, detach.

use kiro_estate::validate::MAX_SCPS_PER_TARGET;
use kiro_estate::{AccountId, Applied, Attachment, Estate, Organization, Scp, bounds, ids};
use kiro_policy::{Policy, PolicyError};

use super::{Ctx, Output, organization, organization_mut};
use crate::error::{OpError, conflict, constraint, invalid, malformed, not_found};
use kiro_estate::op::{CreatePolicy, PolicyRef, PolicyTarget, PolicyTypeRef, UpdatePolicy};

/// `create-policy`: a valid SCP of at most 5,120 characters (whitespace not counted).
pub fn create_policy(
    estate: &mut Estate,
    input: &CreatePolicy,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    bounds::POLICY_NAME.check(&input.name).map_err(invalid)?;
    if let Some(d) = &input.description {
        bounds::POLICY_DESCRIPTION.check(d).map_err(invalid)?;
    }
    if org.policies.contains(&input.name) {
        return Err(conflict(format!("policy `{}` already exists", input.name)));
    }
    let document = scp_document(&input.name, &input.document)?;
    let id = ids::policy_id(&org.management, &input.name);
    let org = organization_mut(estate, &input.organization)?;
    let _ = org.policies.insert(Scp {
        name: input.name.clone(),
        id: id.clone(),
        description: input.description.clone(),
        aws_managed: false,
        document,
    });
    Ok(Applied::PolicyCreated {
        policy: id,
        name: input.name.clone(),
    })
}

/// A valid SCP document of at most 5,120 characters, stored as JSON whichever form it was
/// given in: a mapping, or a string holding JSON.
fn scp_document(name: &str, document: &serde_json::Value) -> Result<serde_json::Value, OpError> {
    Ok(Policy::from_document(document)
        .map_err(|e| match e {
            PolicyError::TooLarge { .. } => constraint(format!("policy `{name}`: {e}")),
            other => malformed(format!("policy `{name}`: {other}")),
        })?
        .to_json())
}

/// A customer managed policy of the organization: AWS managed ones (`FullAWSAccess`) cannot
/// be changed or deleted.
fn customer_policy<'e>(org: &'e Organization, name: &str) -> Result<&'e Scp, OpError> {
    let policy = org
        .policies
        .get(&name.to_owned())
        .ok_or_else(|| not_found(format!("policy `{name}` does not exist")))?;
    if policy.aws_managed {
        return Err(invalid(format!(
            "policy `{name}` is managed by AWS and cannot be changed or deleted"
        )));
    }
    Ok(policy)
}

/// `update-policy`: a new name, description or document (checked as `create-policy` checks
/// it); the policy keeps its id and attachments.
pub fn update_policy(
    estate: &mut Estate,
    input: &UpdatePolicy,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    let id = customer_policy(org, &input.policy)?.id.clone();
    let name = input.name.clone().unwrap_or_else(|| input.policy.clone());
    bounds::POLICY_NAME.check(&name).map_err(invalid)?;
    if let Some(d) = &input.description {
        bounds::POLICY_DESCRIPTION.check(d).map_err(invalid)?;
    }
    if name != input.policy && org.policies.contains(&name) {
        return Err(conflict(format!("policy `{name}` already exists")));
    }
    let document = input
        .document
        .as_ref()
        .map(|d| scp_document(&name, d))
        .transpose()?;
    let org = organization_mut(estate, &input.organization)?;
    org.policies = std::mem::take(&mut org.policies)
        .iter()
        .cloned()
        .map(|mut p| {
            if p.name == input.policy {
                p.name.clone_from(&name);
                if let Some(d) = &input.description {
                    p.description = (!d.is_empty()).then(|| d.clone());
                }
                if let Some(d) = &document {
                    p.document = d.clone();
                }
            }
            p
        })
        .collect();
    for a in &mut org.attachments {
        if a.policy == input.policy {
            a.policy.clone_from(&name);
        }
    }
    Ok(Applied::PolicyUpdated { policy: id, name })
}

/// `delete-policy`: only a policy attached to nothing.
pub fn delete_policy(estate: &mut Estate, input: &PolicyRef, _: &Ctx) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    let id = customer_policy(org, &input.policy)?.id.clone();
    let targets = org
        .attachments
        .iter()
        .filter(|a| a.policy == input.policy)
        .count();
    if targets > 0 {
        return Err(constraint(format!(
            "policy `{}` is attached to {targets} target(s); detach it first",
            input.policy
        )));
    }
    let org = organization_mut(estate, &input.organization)?;
    let _ = org.policies.remove(&input.policy);
    Ok(Applied::PolicyDeleted {
        policy: id,
        name: input.policy.clone(),
    })
}

/// The one policy type an estate models.
pub const SERVICE_CONTROL_POLICY: &str = "SERVICE_CONTROL_POLICY";

fn scp_type(input: &PolicyTypeRef) -> Result<(), OpError> {
    if input.policy_type == SERVICE_CONTROL_POLICY {
        Ok(())
    } else {
        Err(invalid(format!(
            "policy type `{}` is not modelled: kiro-org models {SERVICE_CONTROL_POLICY} only",
            input.policy_type
        )))
    }
}

/// `enable-policy-type`: SCPs apply again, and `FullAWSAccess` is attached to the root, every
/// OU and every account, as AWS attaches it when the type is enabled.
pub fn enable_policy_type(
    estate: &mut Estate,
    input: &PolicyTypeRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    scp_type(input)?;
    let org = organization(estate, &input.organization)?;
    if !org.scps_disabled {
        return Err(conflict(format!(
            "{SERVICE_CONTROL_POLICY} is already enabled in {}",
            org.id
        )));
    }
    let accounts: Vec<String> = estate
        .accounts
        .iter()
        .filter(|a| a.organization.as_ref() == Some(&input.organization))
        .map(|a| a.id.to_string())
        .collect();
    let org = organization_mut(estate, &input.organization)?;
    let targets: Vec<String> = std::iter::once("root".to_owned())
        .chain(org.ous.iter().map(|ou| ou.name.clone()))
        .chain(accounts)
        .collect();
    org.attachments = targets
        .into_iter()
        .map(|target| Attachment {
            policy: ids::FULL_AWS_ACCESS.to_owned(),
            target,
        })
        .collect();
    org.scps_disabled = false;
    Ok(Applied::PolicyTypeChanged {
        organization: org.id.clone(),
        policy_type: input.policy_type.clone(),
        enabled: true,
    })
}

/// `disable-policy-type`: every SCP is detached from every target, as AWS detaches them, and
/// none applies until the type is enabled again.
pub fn disable_policy_type(
    estate: &mut Estate,
    input: &PolicyTypeRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    scp_type(input)?;
    let org = organization_mut(estate, &input.organization)?;
    if org.scps_disabled {
        return Err(constraint(format!(
            "{SERVICE_CONTROL_POLICY} is not enabled in {}",
            org.id
        )));
    }
    org.attachments.clear();
    org.scps_disabled = true;
    Ok(Applied::PolicyTypeChanged {
        organization: org.id.clone(),
        policy_type: input.policy_type.clone(),
        enabled: false,
    })
}

fn check_target(estate: &Estate, input: &PolicyTarget) -> Result<(), OpError> {
    let org = organization(estate, &input.organization)?;
    if !org.policies.contains(&input.policy) {
        return Err(not_found(format!(
            "policy `{}` does not exist",
            input.policy
        )));
    }
    let target = input.target.as_str();
    let is_member = |t: &str| {
        estate
            .account(&AccountId::new(t))
            .is_some_and(|a| a.organization.as_ref() == Some(&org.management))
    };
    if org.has_target(target, is_member) {
        Ok(())
    } else {
        Err(not_found(format!(
            "target `{target}` is neither `root`, an OU nor an account of the organization"
        )))
    }
}

/// `attach-policy`: at most five SCPs per target.
pub fn attach_policy(
    estate: &mut Estate,
    input: &PolicyTarget,
    _: &Ctx,
) -> Result<Output, OpError> {
    check_target(estate, input)?;
    let org = organization_mut(estate, &input.organization)?;
    let target = input.target.as_str();
    if org.scps_disabled {
        return Err(constraint(format!(
            "{SERVICE_CONTROL_POLICY} is not enabled in {}: enable the policy type first",
            org.id
        )));
    }
    if org
        .attachments
        .iter()
        .any(|a| a.policy == input.policy && a.target == target)
    {
        return Err(conflict(format!(
            "policy `{}` is already attached to `{target}`",
            input.policy
        )));
    }
    let count = org.attached_to(target).len();
    if count >= MAX_SCPS_PER_TARGET {
        return Err(constraint(format!(
            "`{target}` already has {count} SCPs attached; AWS allows {MAX_SCPS_PER_TARGET}"
        )));
    }
    org.attachments.push(Attachment {
        policy: input.policy.clone(),
        target: target.to_owned(),
    });
    Ok(Applied::PolicyAttached {
        policy: input.policy.clone(),
        target: target.to_owned(),
    })
}

/// `detach-policy`: a target always keeps at least one SCP.
pub fn detach_policy(
    estate: &mut Estate,
    input: &PolicyTarget,
    _: &Ctx,
) -> Result<Output, OpError> {
    check_target(estate, input)?;
    let org = organization_mut(estate, &input.organization)?;
    let target = input.target.as_str();
    let Some(index) = org
        .attachments
        .iter()
        .position(|a| a.policy == input.policy && a.target == target)
    else {
        return Err(not_found(format!(
            "policy `{}` is not attached to `{target}`",
            input.policy
        )));
    };
    if org.attached_to(target).len() == 1 {
        return Err(constraint(format!(
            "`{}` is the last SCP attached to `{target}`; attach another before detaching it",
            input.policy
        )));
    }
    org.attachments.remove(index);
    Ok(Applied::PolicyDetached {
        policy: input.policy.clone(),
        target: target.to_owned(),
    })
}
