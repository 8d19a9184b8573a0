//! Service control policies: create, update, delete, attach, detach.

use kiro_estate::validate::MAX_SCPS_PER_TARGET;
use kiro_estate::{
    AccountId, Applied, Attachment, Estate, FeatureSet, Organization, Scp, TypedPolicy, bounds, ids,
};
use kiro_policy::{Policy, PolicyError};

use super::{Ctx, Output, organization, organization_mut};
use crate::error::{OpError, conflict, constraint, invalid, malformed, not_found};
use kiro_estate::op::{
    CreatePolicy, OrganizationRef, PolicyRef, PolicyTarget, PolicyTypeRef, PutResourcePolicy,
    UpdatePolicy,
};

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
    if org.policies.contains(&input.name) || org.typed_policies.contains(&input.name) {
        return Err(conflict(format!("policy `{}` already exists", input.name)));
    }
    match input.policy_type.as_deref() {
        None | Some(SERVICE_CONTROL_POLICY) => {}
        Some(other) => return create_typed_policy(estate, input, other),
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

/// A policy of a type other than SCP: the type is enabled in the root and the document is a
/// JSON object (given as a string or a mapping).
fn create_typed_policy(
    estate: &mut Estate,
    input: &CreatePolicy,
    policy_type: &str,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    typed_enabled(org, policy_type)?;
    let content = typed_content(&input.name, &input.document)?;
    let id = ids::policy_id(&org.management, &input.name);
    let org = organization_mut(estate, &input.organization)?;
    let _ = org.typed_policies.insert(TypedPolicy {
        name: input.name.clone(),
        id: id.clone(),
        policy_type: policy_type.to_owned(),
        description: input.description.clone(),
        content,
        targets: Vec::new(),
    });
    Ok(Applied::PolicyCreated {
        policy: id,
        name: input.name.clone(),
    })
}

/// Every policy type AWS Organizations has, by its API name.
pub const POLICY_TYPES: [&str; 15] = [
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "SECURITYHUB_POLICY",
    "SECURITYHUB_CSPM_POLICY",
    "INSPECTOR_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
    "BEDROCK_POLICY",
    "S3_POLICY",
    "NETWORK_SECURITY_DIRECTOR_POLICY",
    "GUARDDUTY_POLICY",
];

fn known_type(policy_type: &str) -> Result<(), OpError> {
    if POLICY_TYPES.contains(&policy_type) {
        Ok(())
    } else {
        Err(invalid(format!("`{policy_type}` is not a policy type")))
    }
}

/// A non-SCP type must be known and enabled in the root.
fn typed_enabled(org: &Organization, policy_type: &str) -> Result<(), OpError> {
    known_type(policy_type)?;
    if org.policy_types.iter().any(|t| t == policy_type) {
        Ok(())
    } else {
        Err(constraint(format!(
            "{policy_type} is not enabled in {}: enable the policy type first",
            org.id
        )))
    }
}

/// The document of a non-SCP policy, kept as the JSON text it was given in; it must be a JSON
/// object.
fn typed_content(name: &str, document: &serde_json::Value) -> Result<String, OpError> {
    let parsed: serde_json::Value = match document {
        serde_json::Value::String(text) => serde_json::from_str(text)
            .map_err(|e| malformed(format!("policy `{name}` is not valid JSON: {e}")))?,
        other => other.clone(),
    };
    if !parsed.is_object() {
        return Err(malformed(format!("policy `{name}` must be a JSON object")));
    }
    Ok(match document {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
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
    let name = input.name.clone().unwrap_or_else(|| input.policy.clone());
    bounds::POLICY_NAME.check(&name).map_err(invalid)?;
    if let Some(d) = &input.description {
        bounds::POLICY_DESCRIPTION.check(d).map_err(invalid)?;
    }
    if name != input.policy && (org.policies.contains(&name) || org.typed_policies.contains(&name))
    {
        return Err(conflict(format!("policy `{name}` already exists")));
    }
    if org.typed_policies.contains(&input.policy) {
        return update_typed_policy(estate, input, name);
    }
    let id = customer_policy(org, &input.policy)?.id.clone();
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

/// `update-policy` of a policy of another type than SCP (see [`update_policy`]).
fn update_typed_policy(
    estate: &mut Estate,
    input: &UpdatePolicy,
    name: String,
) -> Result<Output, OpError> {
    let content = input
        .document
        .as_ref()
        .map(|d| typed_content(&name, d))
        .transpose()?;
    let org = organization_mut(estate, &input.organization)?;
    let Some(mut p) = org.typed_policies.remove(&input.policy) else {
        return Err(not_found(format!(
            "policy `{}` does not exist",
            input.policy
        )));
    };
    p.name.clone_from(&name);
    if let Some(d) = &input.description {
        p.description = (!d.is_empty()).then(|| d.clone());
    }
    if let Some(c) = content {
        p.content = c;
    }
    let id = p.id.clone();
    let _ = org.typed_policies.insert(p);
    Ok(Applied::PolicyUpdated { policy: id, name })
}

/// `delete-policy`: only a policy attached to nothing.
pub fn delete_policy(estate: &mut Estate, input: &PolicyRef, _: &Ctx) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    if let Some(p) = org.typed_policies.get(&input.policy) {
        if !p.targets.is_empty() {
            return Err(constraint(format!(
                "policy `{}` is attached to {} target(s); detach it first",
                input.policy,
                p.targets.len()
            )));
        }
        let id = p.id.clone();
        let org = organization_mut(estate, &input.organization)?;
        let _ = org.typed_policies.remove(&input.policy);
        let _ = org.tags.remove(&id);
        return Ok(Applied::PolicyDeleted {
            policy: id,
            name: input.policy.clone(),
        });
    }
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
    let _ = org.tags.remove(&id);
    Ok(Applied::PolicyDeleted {
        policy: id,
        name: input.policy.clone(),
    })
}

/// The one policy type an estate models.
pub const SERVICE_CONTROL_POLICY: &str = "SERVICE_CONTROL_POLICY";

/// Whether `input` is about SCPs (else another known type), in an organization with all
/// features: a consolidated-billing organization has no policy type available.
fn scp_type(estate: &Estate, input: &PolicyTypeRef) -> Result<bool, OpError> {
    known_type(&input.policy_type)?;
    let org = organization(estate, &input.organization)?;
    if org.feature_set != FeatureSet::All {
        return Err(invalid(format!(
            "{} has consolidated billing only: no policy type is available until all features are enabled",
            org.id
        )));
    }
    Ok(input.policy_type == SERVICE_CONTROL_POLICY)
}

/// `enable-policy-type` and `disable-policy-type` of a type other than SCP: disabling detaches
/// every policy of the type, as AWS does.
fn change_typed(
    estate: &mut Estate,
    input: &PolicyTypeRef,
    enable: bool,
) -> Result<Output, OpError> {
    let org = organization_mut(estate, &input.organization)?;
    let t = input.policy_type.as_str();
    let enabled = org.policy_types.iter().any(|x| x == t);
    match (enable, enabled) {
        (true, true) => return Err(conflict(format!("{t} is already enabled in {}", org.id))),
        (false, false) => return Err(constraint(format!("{t} is not enabled in {}", org.id))),
        (true, false) => org.policy_types.push(t.to_owned()),
        (false, true) => {
            org.policy_types.retain(|x| x != t);
            for p in org.typed_policies.iter_mut().filter(|p| p.policy_type == t) {
                p.targets.clear();
            }
        }
    }
    Ok(Applied::PolicyTypeChanged {
        organization: org.id.clone(),
        policy_type: t.to_owned(),
        enabled: enable,
    })
}

/// `enable-policy-type`: SCPs apply again, and `FullAWSAccess` is attached to the root, every
/// OU and every account, as AWS attaches it when the type is enabled.
pub fn enable_policy_type(
    estate: &mut Estate,
    input: &PolicyTypeRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    if !scp_type(estate, input)? {
        return change_typed(estate, input, true);
    }
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
    if !scp_type(estate, input)? {
        return change_typed(estate, input, false);
    }
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
    if !org.policies.contains(&input.policy) && !org.typed_policies.contains(&input.policy) {
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
    if let Some(p) = organization(estate, &input.organization)?
        .typed_policies
        .get(&input.policy)
    {
        let policy_type = p.policy_type.clone();
        return attach_typed(estate, input, &policy_type, true);
    }
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
    if organization(estate, &input.organization)?
        .typed_policies
        .contains(&input.policy)
    {
        return attach_typed(estate, input, "", false);
    }
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

/// `attach-policy` (`attach`, while its type is enabled) and `detach-policy` of a policy of
/// another type than SCP: no count limit is modelled, and a target may be left with none.
fn attach_typed(
    estate: &mut Estate,
    input: &PolicyTarget,
    policy_type: &str,
    attach: bool,
) -> Result<Output, OpError> {
    if attach {
        typed_enabled(organization(estate, &input.organization)?, policy_type)?;
    }
    let org = organization_mut(estate, &input.organization)?;
    let target = input.target.as_str();
    let p = org
        .typed_policies
        .get_mut(&input.policy)
        .ok_or_else(|| not_found(format!("policy `{}` does not exist", input.policy)))?;
    match (attach, p.targets.iter().position(|t| t == target)) {
        (true, Some(_)) => {
            return Err(conflict(format!(
                "policy `{}` is already attached to `{target}`",
                input.policy
            )));
        }
        (false, None) => {
            return Err(not_found(format!(
                "policy `{}` is not attached to `{target}`",
                input.policy
            )));
        }
        (true, None) => p.targets.push(target.to_owned()),
        (false, Some(i)) => {
            p.targets.remove(i);
        }
    }
    let (policy, target) = (input.policy.clone(), target.to_owned());
    Ok(if attach {
        Applied::PolicyAttached { policy, target }
    } else {
        Applied::PolicyDetached { policy, target }
    })
}

/// `put-resource-policy`: a JSON object, replacing the policy there is; only with all
/// features, as AWS requires.
pub fn put_resource_policy(
    estate: &mut Estate,
    input: &PutResourcePolicy,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    if org.feature_set != FeatureSet::All {
        return Err(constraint(format!(
            "{} has consolidated billing only: enable all features first",
            org.id
        )));
    }
    let content = typed_content(
        "resource policy",
        &serde_json::Value::String(input.content.clone()),
    )
    .map_err(|e| invalid(e.message))?;
    let org = organization_mut(estate, &input.organization)?;
    org.resource_policy = Some(content);
    Ok(Applied::ResourcePolicyChanged {
        resource_policy: ids::resource_policy_id(&org.management),
        deleted: false,
    })
}

/// `delete-resource-policy`: only a policy there is.
pub fn delete_resource_policy(
    estate: &mut Estate,
    input: &OrganizationRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization_mut(estate, &input.organization)?;
    if org.resource_policy.take().is_none() {
        return Err(not_found(format!("{} has no resource policy", org.id)));
    }
    let id = ids::resource_policy_id(&org.management);
    let _ = org.tags.remove(&id);
    Ok(Applied::ResourcePolicyChanged {
        resource_policy: id,
        deleted: true,
    })
}
