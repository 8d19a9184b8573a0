//! Permission sets of an organization instance: what its users and groups may do in the AWS
//! accounts they are assigned to. An account instance gives no access to AWS accounts, so it
//! holds none.

use kiro_estate::op::{
    AccountAssignmentOp, CreatePermissionSet, PermissionSetRef, ProvisionPermissionSet,
    UpdatePermissionSet,
};
use kiro_estate::{
    AccountAssignment, AccountId, Applied, Estate, Instance, InstanceKind, PermissionSet, ids,
};

use super::{Ctx, Output, instance, instance_mut};
use crate::error::{OpError, conflict, invalid, malformed, not_found, quota};

/// At most this many AWS managed policies per permission set (AWS's default quota).
pub const MAX_MANAGED_POLICIES: usize = 20;
/// An inline policy's largest size, in characters.
pub const MAX_INLINE_POLICY: usize = 32_768;

/// The IAM action an update needs: the one of the policy it changes, else
/// `sso:UpdatePermissionSet`.
pub fn actions(input: &UpdatePermissionSet) -> &'static [&'static str] {
    match (
        &input.inline_policy,
        &input.attach_managed_policy,
        &input.detach_managed_policy,
    ) {
        (Some(p), _, _) if p.is_empty() => &["sso:DeleteInlinePolicyFromPermissionSet"],
        (Some(_), _, _) => &["sso:PutInlinePolicyToPermissionSet"],
        (_, Some(_), _) => &["sso:AttachManagedPolicyToPermissionSet"],
        (_, _, Some(_)) => &["sso:DetachManagedPolicyFromPermissionSet"],
        _ => &["sso:UpdatePermissionSet"],
    }
}

/// The organization instance of `owner`; an account instance is refused.
fn organization_instance<'e>(
    estate: &'e Estate,
    owner: &AccountId,
) -> Result<&'e Instance, OpError> {
    let inst = instance(estate, owner)?;
    if inst.kind == InstanceKind::Account {
        return Err(invalid(format!(
            "the account instance of `{owner}` cannot hold permission sets: an account instance gives no access to AWS accounts; use the organization instance"
        )));
    }
    Ok(inst)
}

/// A name of 1 to 32 of `\w+=,.@-`, as AWS allows.
fn check_name(name: &str) -> Result<(), OpError> {
    let ok = (1..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{name}` is not a permission set name: 1 to 32 letters, digits or `_+=,.@-`"
        )))
    }
}

/// An ISO 8601 duration from 1 to 12 hours.
fn check_duration(duration: &str) -> Result<(), OpError> {
    let span: jiff::Span = duration
        .parse()
        .map_err(|e| invalid(format!("`{duration}` is not an ISO 8601 duration: {e}")))?;
    let seconds = span
        .total(jiff::Unit::Second)
        .map_err(|e| invalid(format!("`{duration}` is not a duration of hours: {e}")))?;
    if (3600.0..=43_200.0).contains(&seconds) {
        Ok(())
    } else {
        Err(invalid(format!(
            "a session lasts 1 to 12 hours, not `{duration}`"
        )))
    }
}

fn arn(inst: &Instance, ps: &PermissionSet) -> String {
    ids::arn::permission_set(&inst.id, &ps.id)
}

/// `create-permission-set`: unique by name within its (organization) instance.
pub fn create_permission_set(
    estate: &mut Estate,
    input: &CreatePermissionSet,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let inst = organization_instance(estate, &input.instance)?;
    check_name(&input.name)?;
    let duration = input
        .session_duration
        .clone()
        .unwrap_or_else(|| "PT1H".to_owned());
    check_duration(&duration)?;
    if inst.permission_sets.contains(&input.name) {
        return Err(conflict(format!(
            "permission set `{}` already exists",
            input.name
        )));
    }
    let ps = PermissionSet {
        name: input.name.clone(),
        id: ids::permission_set_id(&input.instance, &input.name),
        description: input.description.clone(),
        session_duration: duration,
        relay_state: input.relay_state.clone(),
        created: ctx.at,
        inline_policy: None,
        managed_policies: Vec::new(),
        outdated: false,
    };
    let permission_set_arn = arn(inst, &ps);
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst.permission_sets.insert(ps);
    Ok(Applied::PermissionSetChanged {
        permission_set_arn,
        change: "created",
    })
}

/// An AWS managed policy's ARN: `arn:aws:iam::aws:policy/…`.
fn check_managed(policy: &str) -> Result<(), OpError> {
    if policy.starts_with("arn:aws:iam::aws:policy/") && policy.len() > 24 {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{policy}` is not the ARN of an AWS managed policy (arn:aws:iam::aws:policy/…)"
        )))
    }
}

/// `update-permission-set`: each change checked before any is made.
pub fn update_permission_set(
    estate: &mut Estate,
    input: &UpdatePermissionSet,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = organization_instance(estate, &input.instance)?;
    let ps = inst
        .permission_sets
        .get(&input.permission_set)
        .ok_or_else(|| {
            not_found(format!(
                "permission set `{}` does not exist",
                input.permission_set
            ))
        })?;
    if let Some(d) = &input.session_duration {
        check_duration(d)?;
    }
    if let Some(policy) = input.inline_policy.as_deref().filter(|p| !p.is_empty()) {
        if policy.chars().count() > MAX_INLINE_POLICY {
            return Err(invalid(format!(
                "the inline policy has more than {MAX_INLINE_POLICY} characters"
            )));
        }
        let parsed: serde_json::Value = serde_json::from_str(policy)
            .map_err(|e| malformed(format!("the inline policy is not valid JSON: {e}")))?;
        if !parsed.is_object() {
            return Err(malformed("the inline policy must be a JSON object"));
        }
    }
    if let Some(p) = &input.attach_managed_policy {
        check_managed(p)?;
        if ps.managed_policies.contains(p) {
            return Err(conflict(format!("`{p}` is attached already")));
        }
        if ps.managed_policies.len() >= MAX_MANAGED_POLICIES {
            return Err(quota(format!(
                "permission set `{}` has {MAX_MANAGED_POLICIES} managed policies, as many as AWS allows",
                ps.name
            )));
        }
    }
    if let Some(p) = &input.detach_managed_policy
        && !ps.managed_policies.contains(p)
    {
        return Err(not_found(format!("`{p}` is not attached")));
    }
    if input.inline_policy.as_deref() == Some("") && ps.inline_policy.is_none() {
        return Err(not_found(format!(
            "permission set `{}` has no inline policy",
            ps.name
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    let instance_id = inst.id.clone();
    let assigned = inst
        .account_assignments
        .iter()
        .any(|a| a.permission_set == input.permission_set);
    let ps = inst
        .permission_sets
        .get_mut(&input.permission_set)
        .ok_or_else(|| not_found("the permission set vanished"))?;
    let cleared = |v: &String| (!v.is_empty()).then(|| v.clone());
    if let Some(d) = &input.description {
        ps.description = cleared(d);
    }
    if let Some(d) = &input.session_duration {
        ps.session_duration.clone_from(d);
    }
    if let Some(r) = &input.relay_state {
        ps.relay_state = cleared(r);
    }
    if let Some(p) = &input.inline_policy {
        ps.inline_policy = cleared(p);
    }
    if let Some(p) = &input.attach_managed_policy {
        ps.managed_policies.push(p.clone());
    }
    if let Some(p) = &input.detach_managed_policy {
        ps.managed_policies.retain(|x| x != p);
    }
    // The accounts it is assigned in keep the old permissions until it is provisioned again.
    ps.outdated |= assigned;
    Ok(Applied::PermissionSetChanged {
        permission_set_arn: ids::arn::permission_set(&instance_id, &ps.id),
        change: "updated",
    })
}

/// `delete-permission-set`.
pub fn delete_permission_set(
    estate: &mut Estate,
    input: &PermissionSetRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = organization_instance(estate, &input.instance)?;
    if let Some(a) = inst
        .account_assignments
        .iter()
        .find(|a| a.permission_set == input.permission_set)
    {
        return Err(conflict(format!(
            "permission set `{}` is assigned in account `{}`; delete its account assignments first",
            input.permission_set, a.account
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    let ps = inst
        .permission_sets
        .remove(&input.permission_set)
        .ok_or_else(|| {
            not_found(format!(
                "permission set `{}` does not exist",
                input.permission_set
            ))
        })?;
    let permission_set_arn = ids::arn::permission_set(&inst.id, &ps.id);
    let _ = inst.tags.remove(&permission_set_arn);
    Ok(Applied::PermissionSetChanged {
        permission_set_arn,
        change: "deleted",
    })
}

/// The assignment `input` names, once everything it names exists: the permission set, the
/// principal (exactly one of a user and a group) and the account, a member of the
/// instance's organization.
fn assignment(
    estate: &Estate,
    input: &AccountAssignmentOp,
) -> Result<(AccountAssignment, String), OpError> {
    let inst = organization_instance(estate, &input.instance)?;
    let ps = inst
        .permission_sets
        .get(&input.permission_set)
        .ok_or_else(|| {
            not_found(format!(
                "permission set `{}` does not exist",
                input.permission_set
            ))
        })?;
    match (&input.user_name, &input.group) {
        (Some(u), None) if inst.users.contains(u) => {}
        (None, Some(g)) if inst.groups.contains(g) => {}
        (Some(u), None) => return Err(not_found(format!("user `{u}` does not exist"))),
        (None, Some(g)) => return Err(not_found(format!("group `{g}` does not exist"))),
        _ => {
            return Err(invalid(
                "an account assignment names exactly one of a user and a group",
            ));
        }
    }
    let member = estate
        .account(&input.account)
        .is_some_and(|a| a.organization.as_ref() == Some(&inst.account));
    if !member {
        return Err(not_found(format!(
            "account `{}` is not a member of the organization of `{}`",
            input.account, inst.account
        )));
    }
    Ok((
        AccountAssignment {
            account: input.account.clone(),
            permission_set: input.permission_set.clone(),
            user_name: input.user_name.clone(),
            group: input.group.clone(),
        },
        ids::arn::permission_set(&inst.id, &ps.id),
    ))
}

/// `assign-account`: once per account, permission set and principal.
pub fn assign_account(
    estate: &mut Estate,
    input: &AccountAssignmentOp,
    _: &Ctx,
) -> Result<Output, OpError> {
    let (a, permission_set_arn) = assignment(estate, input)?;
    let inst = instance_mut(estate, &input.instance)?;
    if inst.account_assignments.contains(&a) {
        return Err(conflict(format!(
            "that principal has permission set `{}` in account `{}` already",
            a.permission_set, a.account
        )));
    }
    inst.account_assignments.push(a);
    Ok(Applied::AccountAssignmentChanged {
        account: input.account.clone(),
        permission_set_arn,
        assigned: true,
    })
}

/// `unassign-account`: only an assignment there is.
pub fn unassign_account(
    estate: &mut Estate,
    input: &AccountAssignmentOp,
    _: &Ctx,
) -> Result<Output, OpError> {
    let (a, permission_set_arn) = assignment(estate, input)?;
    let inst = instance_mut(estate, &input.instance)?;
    let Some(i) = inst.account_assignments.iter().position(|x| *x == a) else {
        return Err(not_found(format!(
            "that principal has no permission set `{}` in account `{}`",
            a.permission_set, a.account
        )));
    };
    inst.account_assignments.remove(i);
    Ok(Applied::AccountAssignmentChanged {
        account: input.account.clone(),
        permission_set_arn,
        assigned: false,
    })
}

/// `provision-permission-set`: the accounts it is assigned in get its current permissions
/// (an assignment provisions at once; this catches up with later changes).
pub fn provision_permission_set(
    estate: &mut Estate,
    input: &ProvisionPermissionSet,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = organization_instance(estate, &input.instance)?;
    if let Some(account) = &input.account
        && !inst
            .account_assignments
            .iter()
            .any(|a| &a.account == account && a.permission_set == input.permission_set)
    {
        return Err(not_found(format!(
            "permission set `{}` is not assigned in account `{account}`",
            input.permission_set
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    let instance_id = inst.id.clone();
    let ps = inst
        .permission_sets
        .get_mut(&input.permission_set)
        .ok_or_else(|| {
            not_found(format!(
                "permission set `{}` does not exist",
                input.permission_set
            ))
        })?;
    ps.outdated = false;
    Ok(Applied::PermissionSetChanged {
        permission_set_arn: ids::arn::permission_set(&instance_id, &ps.id),
        change: "provisioned",
    })
}
