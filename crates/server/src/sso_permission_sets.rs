//! Permission sets over SSO Admin's wire API: `CreatePermissionSet` →
//! `create-permission-set`, `UpdatePermissionSet`, `PutInlinePolicyToPermissionSet`,
//! `DeleteInlinePolicyFromPermissionSet`, `AttachManagedPolicyToPermissionSet` and
//! `DetachManagedPolicyFromPermissionSet`, the customer managed policy references'
//! `Attach…`/`Detach…` and the permissions boundary's `Put…`/`Delete…` →
//! `update-permission-set`, `DeletePermissionSet` → `delete-permission-set`, and the reads
//! (`DescribePermissionSet`, `ListPermissionSets`, `GetInlinePolicyForPermissionSet`,
//! `ListManagedPoliciesInPermissionSet`, `ListCustomerManagedPolicyReferencesInPermissionSet`,
//! `GetPermissionsBoundaryForPermissionSet`).

use kiro_engine::op::{BoundaryInput, CreatePermissionSet, PermissionSetRef, UpdatePermissionSet};
use kiro_engine::{Applied, ErrorKind, Op};
use kiro_estate::ids::arn;
use kiro_estate::{AccountId, Instance, PermissionSet, PermissionsBoundary, PolicyReference};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{SSO, page, with_token};
use crate::sso_admin::InstanceListInput as ListInput;
use crate::sso_admin::owned_instance;
use crate::store::{State, Tx};
use crate::translate::Unresolved;

/// A `PermissionSet`.
fn permission_set_json(inst: &Instance, ps: &PermissionSet) -> Value {
    let mut v = json!({
        "Name": ps.name,
        "PermissionSetArn": arn::permission_set(inst.partition(), &inst.id, &ps.id),
        "CreatedDate": ps.created.as_millisecond() as f64 / 1000.0,
        "SessionDuration": ps.session_duration,
    });
    if let Value::Object(map) = &mut v {
        if let Some(d) = &ps.description {
            map.insert("Description".to_owned(), json!(d));
        }
        if let Some(r) = &ps.relay_state {
            map.insert("RelayState".to_owned(), json!(r));
        }
    }
    v
}

/// The permission set `ps_arn` of the caller's instance `instance_arn`.
fn owned<'e>(
    ctx: &Ctx,
    state: &'e State,
    instance_arn: &str,
    ps_arn: &str,
) -> Result<(&'e Instance, &'e PermissionSet), ApiError> {
    let inst = owned_instance(ctx, state.estate(), instance_arn)?;
    inst.permission_sets
        .iter()
        .find(|p| arn::permission_set(inst.partition(), &inst.id, &p.id) == ps_arn)
        .map(|p| (inst, p))
        .ok_or_else(|| ApiError::not_found(format!("permission set `{ps_arn}` does not exist")))
}

/// The name of permission set `ps_arn` for a write, and the caller's account (the owner of
/// the instance it must be in); what did not resolve is kept in `unresolved`.
fn named(
    ctx: &Ctx,
    tx: &Tx<'_>,
    instance_arn: &str,
    ps_arn: &str,
    unresolved: &mut Unresolved,
) -> (AccountId, String) {
    let found = owned(ctx, tx.state(), instance_arn, ps_arn).map(|(_, p)| p.name.clone());
    let name = unresolved.or_written(found, ps_arn.to_owned());
    (ctx.caller(tx.estate()), name)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreateInput {
    name: String,
    description: Option<String>,
    instance_arn: String,
    session_duration: Option<String>,
    relay_state: Option<String>,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `CreatePermissionSet` → `create-permission-set`.
pub fn create_permission_set(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateInput = input(body)?;
    let tags = crate::sso_tags::checked(req.tags)?;
    let mut unresolved = Unresolved::default();
    let estate = tx.estate();
    unresolved.or_written(
        owned_instance(ctx, estate, &req.instance_arn).map(|_| ()),
        (),
    );
    let owner = ctx.caller(estate);
    let op = Op::CreatePermissionSet(CreatePermissionSet {
        instance: owner.clone(),
        name: req.name.clone(),
        description: req.description,
        session_duration: req.session_duration,
        relay_state: req.relay_state,
    });
    unresolved.authorize_first(tx, &op)?;
    let Applied::PermissionSetChanged {
        permission_set_arn, ..
    } = tx.apply(&op)?
    else {
        return Err(unexpected(&op));
    };
    crate::sso_tags::tag_new(tx, &owner, &permission_set_arn, tags)?;
    let inst = tx
        .estate()
        .instances
        .get(&owner)
        .ok_or_else(|| unexpected(&op))?;
    let ps = inst
        .permission_sets
        .get(&req.name)
        .ok_or_else(|| unexpected(&op))?;
    Ok(json!({ "PermissionSet": permission_set_json(inst, ps) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PermissionSetInput {
    instance_arn: String,
    permission_set_arn: String,
}

/// `DescribePermissionSet`.
pub fn describe_permission_set(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: PermissionSetInput = input(body)?;
    let (inst, ps) = owned(ctx, state, &req.instance_arn, &req.permission_set_arn)?;
    Ok(json!({ "PermissionSet": permission_set_json(inst, ps) }))
}

/// `ListPermissionSets`: their ARNs.
pub fn list_permission_sets(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let arns = inst
        .permission_sets
        .iter()
        .map(|ps| arn::permission_set(inst.partition(), &inst.id, &ps.id));
    let (items, next) = p.apply(ctx.operation, arns);
    Ok(with_token(json!({ "PermissionSets": items }), next))
}

/// Applies `update-permission-set` with `change` to the permission set the request names.
fn update(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    instance_arn: &str,
    ps_arn: &str,
    change: impl FnOnce(&mut UpdatePermissionSet),
) -> Result<Value, ApiError> {
    let mut unresolved = Unresolved::default();
    let (instance, permission_set) = named(ctx, tx, instance_arn, ps_arn, &mut unresolved);
    let mut input = UpdatePermissionSet {
        instance,
        permission_set,
        ..UpdatePermissionSet::default()
    };
    change(&mut input);
    let op = Op::UpdatePermissionSet(input);
    unresolved.authorize_first(tx, &op)?;
    // Identity Center reports a bad policy document as a `ValidationException`.
    tx.apply(&op).map_err(|e| match e.kind {
        ErrorKind::MalformedPolicyDocument => ApiError::validation(e.message),
        _ => ApiError::from(e),
    })?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateInput {
    instance_arn: String,
    permission_set_arn: String,
    description: Option<String>,
    session_duration: Option<String>,
    relay_state: Option<String>,
}

/// `UpdatePermissionSet` → `update-permission-set`.
pub fn update_permission_set(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UpdateInput = input(body)?;
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        u.description = req.description;
        u.session_duration = req.session_duration;
        u.relay_state = req.relay_state;
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct InlineInput {
    instance_arn: String,
    permission_set_arn: String,
    inline_policy: String,
}

/// `PutInlinePolicyToPermissionSet` → `update-permission-set` with `inline-policy`.
pub fn put_inline_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: InlineInput = input(body)?;
    if req.inline_policy.is_empty() {
        return Err(ApiError::validation("`InlinePolicy` must not be empty"));
    }
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        u.inline_policy = Some(req.inline_policy);
    })
}

/// `DeleteInlinePolicyFromPermissionSet` → `update-permission-set` with an empty
/// `inline-policy`.
pub fn delete_inline_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: PermissionSetInput = input(body)?;
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        u.inline_policy = Some(String::new());
    })
}

/// `GetInlinePolicyForPermissionSet`: empty when there is none, as AWS answers.
pub fn get_inline_policy(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: PermissionSetInput = input(body)?;
    let (_, ps) = owned(ctx, state, &req.instance_arn, &req.permission_set_arn)?;
    Ok(json!({ "InlinePolicy": ps.inline_policy.as_deref().unwrap_or_default() }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ManagedInput {
    instance_arn: String,
    permission_set_arn: String,
    managed_policy_arn: String,
}

/// `AttachManagedPolicyToPermissionSet` → `update-permission-set` with
/// `attach-managed-policy`.
pub fn attach_managed_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: ManagedInput = input(body)?;
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        u.attach_managed_policy = Some(req.managed_policy_arn);
    })
}

/// `DetachManagedPolicyFromPermissionSet` → `update-permission-set` with
/// `detach-managed-policy`.
pub fn detach_managed_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: ManagedInput = input(body)?;
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        u.detach_managed_policy = Some(req.managed_policy_arn);
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListManagedInput {
    instance_arn: String,
    permission_set_arn: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListManagedPoliciesInPermissionSet`.
pub fn list_managed_policies(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListManagedInput = input(body)?;
    let (_, ps) = owned(ctx, state, &req.instance_arn, &req.permission_set_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let items = ps.managed_policies.iter().map(|a| {
        let name = a.rsplit('/').next().unwrap_or(a);
        json!({"Name": name, "Arn": a})
    });
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(
        json!({ "AttachedManagedPolicies": items }),
        next,
    ))
}

/// A `CustomerManagedPolicyReference` of a request.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Reference {
    name: String,
    path: Option<String>,
}

impl From<Reference> for PolicyReference {
    fn from(r: Reference) -> Self {
        Self {
            name: r.name,
            path: r.path.unwrap_or_else(PolicyReference::root_path),
        }
    }
}

/// A `CustomerManagedPolicyReference` of an answer.
fn reference_json(r: &PolicyReference) -> Value {
    json!({"Name": r.name, "Path": r.path})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ReferenceInput {
    instance_arn: String,
    permission_set_arn: String,
    customer_managed_policy_reference: Reference,
}

/// `AttachCustomerManagedPolicyReferenceToPermissionSet` → `update-permission-set` with
/// `attach-customer-managed-policy`.
pub fn attach_customer_managed_policy(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    change_reference(ctx, tx, body, |u| &mut u.attach_customer_managed_policy)
}

/// `DetachCustomerManagedPolicyReferenceFromPermissionSet` → `update-permission-set` with
/// `detach-customer-managed-policy`.
pub fn detach_customer_managed_policy(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    change_reference(ctx, tx, body, |u| &mut u.detach_customer_managed_policy)
}

/// An `update-permission-set` that sets the reference the request names in `field`.
fn change_reference(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
    field: impl FnOnce(&mut UpdatePermissionSet) -> &mut Option<PolicyReference>,
) -> Result<Value, ApiError> {
    let req: ReferenceInput = input(body)?;
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        *field(u) = Some(req.customer_managed_policy_reference.into());
    })
}

/// `ListCustomerManagedPolicyReferencesInPermissionSet`.
pub fn list_customer_managed_policies(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ListManagedInput = input(body)?;
    let (_, ps) = owned(ctx, state, &req.instance_arn, &req.permission_set_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let items = ps.customer_managed_policies.iter().map(reference_json);
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(
        json!({ "CustomerManagedPolicyReferences": items }),
        next,
    ))
}

/// A `PermissionsBoundary` of a request: either member, or both or none for the engine to
/// refuse.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Boundary {
    customer_managed_policy_reference: Option<Reference>,
    managed_policy_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct BoundaryRequest {
    instance_arn: String,
    permission_set_arn: String,
    permissions_boundary: Boundary,
}

/// `PutPermissionsBoundaryToPermissionSet` → `update-permission-set` with
/// `permissions-boundary`.
pub fn put_permissions_boundary(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: BoundaryRequest = input(body)?;
    let b = req.permissions_boundary;
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        u.permissions_boundary = Some(BoundaryInput {
            managed_policy: b.managed_policy_arn,
            customer_managed: b.customer_managed_policy_reference.map(Into::into),
        });
    })
}

/// `GetPermissionsBoundaryForPermissionSet`: `ResourceNotFoundException` when there is none.
pub fn get_permissions_boundary(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: PermissionSetInput = input(body)?;
    let (_, ps) = owned(ctx, state, &req.instance_arn, &req.permission_set_arn)?;
    let boundary = match &ps.permissions_boundary {
        Some(PermissionsBoundary::ManagedPolicy(arn)) => json!({ "ManagedPolicyArn": arn }),
        Some(PermissionsBoundary::CustomerManaged(r)) => {
            json!({ "CustomerManagedPolicyReference": reference_json(r) })
        }
        None => {
            return Err(ApiError::not_found(format!(
                "permission set `{}` has no permissions boundary",
                req.permission_set_arn
            )));
        }
    };
    Ok(json!({ "PermissionsBoundary": boundary }))
}

/// `DeletePermissionsBoundaryFromPermissionSet` → `update-permission-set` with
/// `delete-permissions-boundary`.
pub fn delete_permissions_boundary(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: PermissionSetInput = input(body)?;
    update(ctx, tx, &req.instance_arn, &req.permission_set_arn, |u| {
        u.delete_permissions_boundary = true;
    })
}

/// `DeletePermissionSet` → `delete-permission-set`.
pub fn delete_permission_set(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: PermissionSetInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let (instance, permission_set) = named(
        ctx,
        tx,
        &req.instance_arn,
        &req.permission_set_arn,
        &mut unresolved,
    );
    let op = Op::DeletePermissionSet(PermissionSetRef {
        instance,
        permission_set,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}
