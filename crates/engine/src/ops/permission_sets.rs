//! Permission sets of an organization instance: what its users and groups may do in the AWS
//! accounts they are assigned to. An account instance gives no access to AWS accounts, so it
//! holds none.

use kiro_estate::ids::Partition;
use kiro_estate::op::{
    AccountAssignmentOp, BoundaryInput, CreatePermissionSet, PermissionSetRef,
    ProvisionPermissionSet, UpdatePermissionSet,
};
use kiro_estate::validate::organization_only;
use kiro_estate::{
    AccountAssignment, AccountId, Applied, Estate, Instance, PermissionSet, PermissionsBoundary,
    PolicyReference, ids,
};

use super::{Ctx, Output, instance, instance_mut};
use crate::error::{OpError, conflict, invalid, malformed, not_found, quota};

/// At most this many managed policies per permission set, AWS managed and customer managed
/// together (AWS's default quota).
pub use kiro_estate::validate::MAX_MANAGED_POLICIES;
/// An inline policy's largest size, in characters.
pub const MAX_INLINE_POLICY: usize = 32_768;

/// The IAM action an update needs: the one of the policy it changes, else
/// `sso:UpdatePermissionSet`.
pub fn actions(input: &UpdatePermissionSet) -> &'static [&'static str] {
    if let Some(p) = &input.inline_policy {
        if p.is_empty() {
            &["sso:DeleteInlinePolicyFromPermissionSet"]
        } else {
            &["sso:PutInlinePolicyToPermissionSet"]
        }
    } else if input.attach_managed_policy.is_some() {
        &["sso:AttachManagedPolicyToPermissionSet"]
    } else if input.detach_managed_policy.is_some() {
        &["sso:DetachManagedPolicyFromPermissionSet"]
    } else if input.attach_customer_managed_policy.is_some() {
        &["sso:AttachCustomerManagedPolicyReferenceToPermissionSet"]
    } else if input.detach_customer_managed_policy.is_some() {
        &["sso:DetachCustomerManagedPolicyReferenceFromPermissionSet"]
    } else if input.permissions_boundary.is_some() {
        &["sso:PutPermissionsBoundaryToPermissionSet"]
    } else if input.delete_permissions_boundary {
        &["sso:DeletePermissionsBoundaryFromPermissionSet"]
    } else {
        &["sso:UpdatePermissionSet"]
    }
}

/// The organization instance of `owner`, which is to hold `what`; an account instance is
/// refused ([`organization_only`]).
pub(crate) fn organization_instance<'e>(
    estate: &'e Estate,
    owner: &AccountId,
    what: &str,
) -> Result<&'e Instance, OpError> {
    let inst = instance(estate, owner)?;
    organization_only(inst.kind, owner, what).map_err(invalid)?;
    Ok(inst)
}

/// The organization instance of `owner`, for its permission sets.
fn permission_set_instance<'e>(
    estate: &'e Estate,
    owner: &AccountId,
) -> Result<&'e Instance, OpError> {
    organization_instance(estate, owner, "permission sets")
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
    ids::arn::permission_set(inst.partition(), &inst.id, &ps.id)
}

/// `create-permission-set`: unique by name within its (organization) instance.
pub fn create_permission_set(
    estate: &mut Estate,
    input: &CreatePermissionSet,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let inst = permission_set_instance(estate, &input.instance)?;
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
        customer_managed_policies: Vec::new(),
        permissions_boundary: None,
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

/// An AWS managed policy's ARN in the instance's partition: `arn:<partition>:iam::aws:policy/…`.
fn check_managed(partition: Partition, policy: &str) -> Result<(), OpError> {
    let prefix = ids::arn::managed_policy(partition, "");
    if policy.len() > prefix.len() && policy.starts_with(&prefix) {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{policy}` is not the ARN of an AWS managed policy ({prefix}…)"
        )))
    }
}

/// A customer managed policy reference as IAM allows it: a name of 1 to 128 of `\w+=,.@-`,
/// a path of 1 to 512 characters that starts and ends with `/`.
fn check_reference(policy: &PolicyReference) -> Result<(), OpError> {
    let name_ok = (1..=128).contains(&policy.name.chars().count())
        && policy
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || "_+=,.@-".contains(c));
    if !name_ok {
        return Err(invalid(format!(
            "`{}` is not a policy name: 1 to 128 letters, digits or `_+=,.@-`",
            policy.name
        )));
    }
    let path = &policy.path;
    let path_ok = (1..=512).contains(&path.len())
        && path.starts_with('/')
        && path.ends_with('/')
        && !path.contains("//")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/.,+@=_-".contains(c));
    if path_ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{path}` is not a policy path: it starts and ends with `/`, e.g. `/` or `/team/`"
        )))
    }
}

/// The boundary `input` names: exactly one of an AWS managed policy and a customer managed
/// policy reference, each well formed.
fn boundary(partition: Partition, input: &BoundaryInput) -> Result<PermissionsBoundary, OpError> {
    match (&input.managed_policy, &input.customer_managed) {
        (Some(arn), None) => {
            check_managed(partition, arn)?;
            Ok(PermissionsBoundary::ManagedPolicy(arn.clone()))
        }
        (None, Some(reference)) => {
            check_reference(reference)?;
            Ok(PermissionsBoundary::CustomerManaged(reference.clone()))
        }
        _ => Err(invalid(
            "a permissions boundary is exactly one of a managed policy ARN and a customer managed policy reference",
        )),
    }
}

/// A policy may be attached only while the permission set has fewer than
/// [`MAX_MANAGED_POLICIES`], AWS managed and customer managed together.
fn check_room(ps: &PermissionSet) -> Result<(), OpError> {
    if ps.managed_policies.len() + ps.customer_managed_policies.len() >= MAX_MANAGED_POLICIES {
        return Err(quota(format!(
            "permission set `{}` has {MAX_MANAGED_POLICIES} managed and customer managed policies, as many as AWS allows",
            ps.name
        )));
    }
    Ok(())
}

/// `update-permission-set`: each change checked before any is made.
pub fn update_permission_set(
    estate: &mut Estate,
    input: &UpdatePermissionSet,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = permission_set_instance(estate, &input.instance)?;
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
        check_managed(inst.partition(), p)?;
        if ps.managed_policies.contains(p) {
            return Err(conflict(format!("`{p}` is attached already")));
        }
        check_room(ps)?;
    }
    if let Some(p) = &input.attach_customer_managed_policy {
        check_reference(p)?;
        if ps.customer_managed_policies.contains(p) {
            return Err(conflict(format!("`{p}` is attached already")));
        }
        check_room(ps)?;
    }
    if let Some(p) = &input.detach_customer_managed_policy
        && !ps.customer_managed_policies.contains(p)
    {
        return Err(not_found(format!("`{p}` is not attached")));
    }
    let boundary = input
        .permissions_boundary
        .as_ref()
        .map(|b| boundary(inst.partition(), b))
        .transpose()?;
    if input.delete_permissions_boundary && ps.permissions_boundary.is_none() {
        return Err(not_found(format!(
            "permission set `{}` has no permissions boundary",
            ps.name
        )));
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
    let (partition, instance_id) = (inst.partition(), inst.id.clone());
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
    if let Some(p) = &input.attach_customer_managed_policy {
        ps.customer_managed_policies.push(p.clone());
    }
    if let Some(p) = &input.detach_customer_managed_policy {
        ps.customer_managed_policies.retain(|x| x != p);
    }
    if boundary.is_some() || input.delete_permissions_boundary {
        ps.permissions_boundary = boundary;
    }
    // The accounts it is assigned in keep the old permissions until it is provisioned again.
    ps.outdated |= assigned;
    Ok(Applied::PermissionSetChanged {
        permission_set_arn: ids::arn::permission_set(partition, &instance_id, &ps.id),
        change: "updated",
    })
}

/// `delete-permission-set`.
pub fn delete_permission_set(
    estate: &mut Estate,
    input: &PermissionSetRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = permission_set_instance(estate, &input.instance)?;
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
    let permission_set_arn = ids::arn::permission_set(inst.partition(), &inst.id, &ps.id);
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
    let inst = permission_set_instance(estate, &input.instance)?;
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
        ids::arn::permission_set(inst.partition(), &inst.id, &ps.id),
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
    let inst = permission_set_instance(estate, &input.instance)?;
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
    let (partition, instance_id) = (inst.partition(), inst.id.clone());
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
        permission_set_arn: ids::arn::permission_set(partition, &instance_id, &ps.id),
        change: "provisioned",
    })
}
