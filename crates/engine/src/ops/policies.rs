//! Service control policies: create, attach, detach.

use kiro_estate::validate::MAX_SCPS_PER_TARGET;
use kiro_estate::{AccountId, Applied, Attachment, Estate, Scp, ids};
use kiro_policy::{Policy, PolicyError};

use super::{Ctx, Output, organization, organization_mut};
use crate::error::{OpError, conflict, constraint, invalid, malformed, not_found};
use kiro_estate::op::{CreatePolicy, PolicyTarget};

/// The document as JSON: a mapping as given, or a string parsed as JSON.
fn document_value(document: &serde_json::Value) -> Result<serde_json::Value, OpError> {
    match document {
        serde_json::Value::String(text) => serde_json::from_str(text)
            .map_err(|e| malformed(format!("the policy document is not valid JSON: {e}"))),
        serde_json::Value::Object(_) => Ok(document.clone()),
        _ => Err(malformed("a policy document is a JSON object")),
    }
}

/// `create-policy`: a valid SCP of at most 5,120 characters (whitespace not counted).
pub fn create_policy(
    estate: &mut Estate,
    input: &CreatePolicy,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    if input.name.trim().is_empty() {
        return Err(invalid("a policy needs a name"));
    }
    if org.policies.contains(&input.name) {
        return Err(conflict(format!("policy `{}` already exists", input.name)));
    }
    let document = document_value(&input.document)?;
    Policy::from_value(&document).map_err(|e| match e {
        PolicyError::TooLarge { .. } => constraint(format!("policy `{}`: {e}", input.name)),
        other => malformed(format!("policy `{}`: {other}", input.name)),
    })?;
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
