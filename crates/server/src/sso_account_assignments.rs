//! Account assignments over SSO Admin's wire API: `CreateAccountAssignment` →
//! `assign-account`, `DeleteAccountAssignment` → `unassign-account`, `ProvisionPermissionSet`
//! → `provision-permission-set`, their status calls, and the listings by account, by
//! principal and by permission set.
//!
//! Assignments and provisioning take effect at once, so every request has `SUCCEEDED`; its
//! request id is derived from its place in the event log, which is where its status is read
//! back from.

use kiro_engine::Op;
use kiro_engine::op::{AccountAssignmentOp, ProvisionPermissionSet};
use kiro_estate::ids::{self, arn};
use kiro_estate::{AccountAssignment, AccountId, Estate, Instance, Name, Principal};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{SSO, page, with_token};
use crate::sso_admin::owned_instance;
use crate::store::{PrincipalType, State, Tx};
use crate::translate::Unresolved;

/// The request id of the assignment change that is event `index` of the log: a UUID, as AWS's.
fn request_id(owner: &AccountId, index: usize) -> String {
    let hex = ids::derive(
        ids::HEX,
        32,
        &["account-assignment", owner.as_str(), &index.to_string()],
    );
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The wire type and id of the principal an assignment names.
fn principal_of(
    inst: &Instance,
    user: &Option<Name>,
    group: &Option<Name>,
) -> (&'static str, Name) {
    match (user, group) {
        (Some(u), _) => ("USER", ids::principal_id(&inst.identity_store, "user", u)),
        (None, Some(g)) => ("GROUP", ids::principal_id(&inst.identity_store, "group", g)),
        (None, None) => ("USER", Name::default()),
    }
}

fn permission_set_arn(inst: &Instance, name: &str) -> String {
    arn::permission_set(
        inst.partition(),
        &inst.id,
        &ids::permission_set_id(&inst.account, name),
    )
}

/// Every assignment change of `inst` in the log, `creations` or deletions: its event index, time
/// and operation.
fn changes<'e>(
    estate: &'e Estate,
    inst: &'e Instance,
    creations: bool,
) -> impl Iterator<Item = (usize, jiff::Timestamp, &'e AccountAssignmentOp)> {
    estate.events.iter().enumerate().filter_map(move |(i, e)| {
        let op = match (&e.op, creations) {
            (Op::AssignAccount(a), true) | (Op::UnassignAccount(a), false) => a,
            _ => return None,
        };
        (e.outcome == "ok" && op.instance == inst.account).then_some((i, e.at, op))
    })
}

/// An `AccountAssignmentOperationStatus`.
fn status_json(
    inst: &Instance,
    index: usize,
    at: jiff::Timestamp,
    op: &AccountAssignmentOp,
) -> Value {
    let (kind, id) = principal_of(inst, &op.user_name, &op.group);
    json!({
        "Status": "SUCCEEDED",
        "RequestId": request_id(&inst.account, index),
        "TargetId": op.account.as_str(),
        "TargetType": "AWS_ACCOUNT",
        "PermissionSetArn": permission_set_arn(inst, &op.permission_set),
        "PrincipalType": kind,
        "PrincipalId": id,
        "CreatedDate": at.as_millisecond() as f64 / 1000.0,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AssignmentInput {
    instance_arn: String,
    target_id: String,
    target_type: String,
    permission_set_arn: String,
    principal_type: String,
    principal_id: String,
}

/// `CreateAccountAssignment` / `DeleteAccountAssignment` as `op` builds it; `key` names the
/// status in the answer.
fn change(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
    op: fn(AccountAssignmentOp) -> Op,
    key: &str,
) -> Result<Value, ApiError> {
    let req: AssignmentInput = input(body)?;
    if req.target_type != "AWS_ACCOUNT" {
        return Err(ApiError::validation(format!(
            "`{}` is not a target type: use AWS_ACCOUNT",
            req.target_type
        )));
    }
    let kind = PrincipalType::parse(&req.principal_type)?;
    let mut unresolved = Unresolved::default();
    let state = tx.state();
    let estate = state.estate();
    let found = owned_instance(ctx, estate, &req.instance_arn).and_then(|inst| {
        let ps = inst
            .permission_sets
            .iter()
            .find(|p| {
                arn::permission_set(inst.partition(), &inst.id, &p.id) == req.permission_set_arn
            })
            .map(|p| p.name.clone())
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "permission set `{}` does not exist",
                    req.permission_set_arn
                ))
            })?;
        let who = state
            .principal_by_id(inst, kind, &req.principal_id)
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "{} `{}` does not exist in identity store {}",
                    kind.noun(),
                    req.principal_id,
                    inst.identity_store
                ))
            })?;
        Ok((ps, who))
    });
    let (permission_set, who) = unresolved.or_written(
        found,
        (
            req.permission_set_arn.clone(),
            kind.named(req.principal_id.as_str().into()),
        ),
    );
    let (user_name, group) = match who {
        Principal::User(u) => (Some(u), None),
        Principal::Group(g) => (None, Some(g)),
    };
    let owner = ctx.caller(estate);
    let op = op(AccountAssignmentOp {
        instance: owner.clone(),
        account: AccountId::new(req.target_id),
        permission_set,
        user_name,
        group,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    let estate = tx.estate();
    let (Some(inst), Some(event)) = (estate.instances.get(&owner), estate.events.last()) else {
        return Err(unexpected(&op));
    };
    let (Op::AssignAccount(a) | Op::UnassignAccount(a)) = &event.op else {
        return Err(unexpected(&op));
    };
    Ok(json!({ key: status_json(inst, estate.events.len() - 1, event.at, a) }))
}

/// `CreateAccountAssignment` → `assign-account`.
pub fn create_account_assignment(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    change(
        ctx,
        tx,
        body,
        Op::AssignAccount,
        "AccountAssignmentCreationStatus",
    )
}

/// `DeleteAccountAssignment` → `unassign-account`.
pub fn delete_account_assignment(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    change(
        ctx,
        tx,
        body,
        Op::UnassignAccount,
        "AccountAssignmentDeletionStatus",
    )
}

/// `DescribeAccountAssignmentCreationStatus` / `…DeletionStatus` (`creations` or not) for the
/// request id `id`.
fn describe_status(
    ctx: &Ctx,
    state: &State,
    instance_arn: &str,
    id: &str,
    creations: bool,
) -> Result<Value, ApiError> {
    let estate = state.estate();
    let inst = owned_instance(ctx, estate, instance_arn)?;
    let (i, at, op) = changes(estate, inst, creations)
        .find(|(i, _, _)| request_id(&inst.account, *i) == id)
        .ok_or_else(|| ApiError::not_found(format!("request `{id}` does not exist")))?;
    let key = if creations {
        "AccountAssignmentCreationStatus"
    } else {
        "AccountAssignmentDeletionStatus"
    };
    Ok(json!({ key: status_json(inst, i, at, op) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreationStatusInput {
    instance_arn: String,
    account_assignment_creation_request_id: String,
}

/// `DescribeAccountAssignmentCreationStatus`.
pub fn describe_creation_status(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: CreationStatusInput = input(body)?;
    describe_status(
        ctx,
        state,
        &req.instance_arn,
        &req.account_assignment_creation_request_id,
        true,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DeletionStatusInput {
    instance_arn: String,
    account_assignment_deletion_request_id: String,
}

/// `DescribeAccountAssignmentDeletionStatus`.
pub fn describe_deletion_status(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: DeletionStatusInput = input(body)?;
    describe_status(
        ctx,
        state,
        &req.instance_arn,
        &req.account_assignment_deletion_request_id,
        false,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct StatusFilter {
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListStatusInput {
    instance_arn: String,
    max_results: Option<i64>,
    next_token: Option<String>,
    filter: Option<StatusFilter>,
}

/// `ListAccountAssignmentCreationStatus` / `…DeletionStatus`: every request has succeeded.
fn list_status(ctx: &Ctx, state: &State, body: Value, creations: bool) -> Result<Value, ApiError> {
    let req: ListStatusInput = input(body)?;
    let estate = state.estate();
    let inst = owned_instance(ctx, estate, &req.instance_arn)?;
    let wanted = req.filter.and_then(|f| f.status);
    if let Some(s) = wanted.as_deref()
        && !["IN_PROGRESS", "FAILED", "SUCCEEDED"].contains(&s)
    {
        return Err(ApiError::validation(format!("`{s}` is not a status")));
    }
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let items = changes(estate, inst, creations)
        .filter(|_| wanted.as_deref().is_none_or(|s| s == "SUCCEEDED"))
        .map(|(i, at, _)| {
            json!({
                "Status": "SUCCEEDED",
                "RequestId": request_id(&inst.account, i),
                "CreatedDate": at.as_millisecond() as f64 / 1000.0,
            })
        });
    let (items, next) = p.apply(ctx.operation, items);
    let key = if creations {
        "AccountAssignmentsCreationStatus"
    } else {
        "AccountAssignmentsDeletionStatus"
    };
    Ok(with_token(json!({ key: items }), next))
}

/// `ListAccountAssignmentCreationStatus`.
pub fn list_creation_status(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    list_status(ctx, state, body, true)
}

/// `ListAccountAssignmentDeletionStatus`.
pub fn list_deletion_status(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    list_status(ctx, state, body, false)
}

/// An `AccountAssignment` of `inst`.
fn assignment_json(inst: &Instance, a: &AccountAssignment) -> Value {
    let (kind, id) = principal_of(inst, &a.user_name, &a.group);
    json!({
        "AccountId": a.account.as_str(),
        "PermissionSetArn": permission_set_arn(inst, &a.permission_set),
        "PrincipalType": kind,
        "PrincipalId": id,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListInput {
    instance_arn: String,
    account_id: String,
    permission_set_arn: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListAccountAssignments`: of one permission set in one account.
pub fn list_account_assignments(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let items = inst
        .account_assignments
        .iter()
        .filter(|a| a.account.as_str() == req.account_id)
        .filter(|a| permission_set_arn(inst, &a.permission_set) == req.permission_set_arn)
        .map(|a| assignment_json(inst, a));
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(json!({ "AccountAssignments": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AccountFilter {
    account_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ForPrincipalInput {
    instance_arn: String,
    principal_id: String,
    principal_type: String,
    filter: Option<AccountFilter>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListAccountAssignmentsForPrincipal`: the principal's own assignments (not its groups').
pub fn list_account_assignments_for_principal(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ForPrincipalInput = input(body)?;
    let kind = PrincipalType::parse(&req.principal_type)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let account = req.filter.and_then(|f| f.account_id);
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let wire = match kind {
        PrincipalType::User => "USER",
        PrincipalType::Group => "GROUP",
    };
    let items = inst
        .account_assignments
        .iter()
        .filter(|a| account.as_deref().is_none_or(|x| a.account.as_str() == x))
        .filter(|a| {
            principal_of(inst, &a.user_name, &a.group) == (wire, req.principal_id.as_str().into())
        })
        .map(|a| assignment_json(inst, a));
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(json!({ "AccountAssignments": items }), next))
}

/// Which permission sets a `ProvisioningStatus` filter keeps: the latest version provisioned,
/// or changed since.
fn provisioning(filter: Option<&str>) -> Result<fn(&Instance, &str) -> bool, ApiError> {
    fn outdated(inst: &Instance, name: &str) -> bool {
        inst.permission_sets
            .get(&name.to_owned())
            .is_some_and(|p| p.outdated)
    }
    match filter {
        None => Ok(|_, _| true),
        Some("LATEST_PERMISSION_SET_PROVISIONED") => Ok(|inst, name| !outdated(inst, name)),
        Some("LATEST_PERMISSION_SET_NOT_PROVISIONED") => Ok(outdated),
        Some(other) => Err(ApiError::validation(format!(
            "`{other}` is not a provisioning status: use LATEST_PERMISSION_SET_PROVISIONED or LATEST_PERMISSION_SET_NOT_PROVISIONED"
        ))),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ProvisionedToAccountInput {
    instance_arn: String,
    account_id: String,
    provisioning_status: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListPermissionSetsProvisionedToAccount`: the permission sets assigned in the account
/// (an assignment provisions its permission set at once here).
pub fn list_permission_sets_provisioned_to_account(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ProvisionedToAccountInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let wanted = provisioning(req.provisioning_status.as_deref())?;
    let mut arns: Vec<String> = inst
        .account_assignments
        .iter()
        .filter(|a| a.account.as_str() == req.account_id && wanted(inst, &a.permission_set))
        .map(|a| permission_set_arn(inst, &a.permission_set))
        .collect();
    arns.sort_unstable();
    arns.dedup();
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, arns);
    Ok(with_token(json!({ "PermissionSets": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AccountsForPermissionSetInput {
    instance_arn: String,
    permission_set_arn: String,
    provisioning_status: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListAccountsForProvisionedPermissionSet`: the accounts the permission set is assigned in.
pub fn list_accounts_for_provisioned_permission_set(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: AccountsForPermissionSetInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let wanted = provisioning(req.provisioning_status.as_deref())?;
    let mut accounts: Vec<&str> = inst
        .account_assignments
        .iter()
        .filter(|a| {
            permission_set_arn(inst, &a.permission_set) == req.permission_set_arn
                && wanted(inst, &a.permission_set)
        })
        .map(|a| a.account.as_str())
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, accounts);
    Ok(with_token(json!({ "AccountIds": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ProvisionInput {
    instance_arn: String,
    permission_set_arn: String,
    target_id: Option<String>,
    target_type: String,
}

/// A `PermissionSetProvisioningStatus` of event `index` of the log.
fn provisioning_json(
    inst: &Instance,
    index: usize,
    at: jiff::Timestamp,
    op: &ProvisionPermissionSet,
) -> Value {
    let mut v = json!({
        "Status": "SUCCEEDED",
        "RequestId": request_id(&inst.account, index),
        "PermissionSetArn": permission_set_arn(inst, &op.permission_set),
        "CreatedDate": at.as_millisecond() as f64 / 1000.0,
    });
    if let (Value::Object(map), Some(a)) = (&mut v, &op.account) {
        map.insert("AccountId".to_owned(), json!(a.as_str()));
    }
    v
}

/// `ProvisionPermissionSet` → `provision-permission-set`, to one account (`AWS_ACCOUNT`) or
/// all it is assigned in (`ALL_PROVISIONED_ACCOUNTS`).
pub fn provision_permission_set(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ProvisionInput = input(body)?;
    let account = match (req.target_type.as_str(), req.target_id) {
        ("AWS_ACCOUNT", Some(id)) => Some(AccountId::new(id)),
        ("AWS_ACCOUNT", None) => {
            return Err(ApiError::validation("`AWS_ACCOUNT` needs a `TargetId`"));
        }
        ("ALL_PROVISIONED_ACCOUNTS", None) => None,
        ("ALL_PROVISIONED_ACCOUNTS", Some(_)) => {
            return Err(ApiError::validation(
                "`ALL_PROVISIONED_ACCOUNTS` takes no `TargetId`",
            ));
        }
        (other, _) => {
            return Err(ApiError::validation(format!(
                "`{other}` is not a target type: use AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS"
            )));
        }
    };
    let mut unresolved = Unresolved::default();
    let estate = tx.estate();
    let found = owned_instance(ctx, estate, &req.instance_arn).and_then(|inst| {
        inst.permission_sets
            .iter()
            .find(|p| {
                arn::permission_set(inst.partition(), &inst.id, &p.id) == req.permission_set_arn
            })
            .map(|p| p.name.clone())
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "permission set `{}` does not exist",
                    req.permission_set_arn
                ))
            })
    });
    let permission_set = unresolved.or_written(found, req.permission_set_arn.clone());
    let owner = ctx.caller(estate);
    let op = Op::ProvisionPermissionSet(ProvisionPermissionSet {
        instance: owner.clone(),
        permission_set,
        account,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    let estate = tx.estate();
    let (Some(inst), Some(event)) = (estate.instances.get(&owner), estate.events.last()) else {
        return Err(unexpected(&op));
    };
    let Op::ProvisionPermissionSet(p) = &event.op else {
        return Err(unexpected(&op));
    };
    let status = provisioning_json(inst, estate.events.len() - 1, event.at, p);
    Ok(json!({ "PermissionSetProvisioningStatus": status }))
}

/// Every provisioning of `inst` in the log: its event index, time and operation.
fn provisionings<'e>(
    estate: &'e Estate,
    inst: &'e Instance,
) -> impl Iterator<Item = (usize, jiff::Timestamp, &'e ProvisionPermissionSet)> {
    estate
        .events
        .iter()
        .enumerate()
        .filter_map(move |(i, e)| match &e.op {
            Op::ProvisionPermissionSet(p) if e.outcome == "ok" && p.instance == inst.account => {
                Some((i, e.at, p))
            }
            _ => None,
        })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ProvisioningStatusInput {
    instance_arn: String,
    provision_permission_set_request_id: String,
}

/// `DescribePermissionSetProvisioningStatus`.
pub fn describe_provisioning_status(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ProvisioningStatusInput = input(body)?;
    let estate = state.estate();
    let inst = owned_instance(ctx, estate, &req.instance_arn)?;
    let id = &req.provision_permission_set_request_id;
    let (i, at, op) = provisionings(estate, inst)
        .find(|(i, _, _)| request_id(&inst.account, *i) == *id)
        .ok_or_else(|| ApiError::not_found(format!("request `{id}` does not exist")))?;
    Ok(json!({ "PermissionSetProvisioningStatus": provisioning_json(inst, i, at, op) }))
}

/// `ListPermissionSetProvisioningStatus`: every request has succeeded.
pub fn list_provisioning_status(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListStatusInput = input(body)?;
    let estate = state.estate();
    let inst = owned_instance(ctx, estate, &req.instance_arn)?;
    let wanted = req.filter.and_then(|f| f.status);
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let items = provisionings(estate, inst)
        .filter(|_| wanted.as_deref().is_none_or(|s| s == "SUCCEEDED"))
        .map(|(i, at, _)| {
            json!({
                "Status": "SUCCEEDED",
                "RequestId": request_id(&inst.account, i),
                "CreatedDate": at.as_millisecond() as f64 / 1000.0,
            })
        });
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(
        json!({ "PermissionSetsProvisioningStatus": items }),
        next,
    ))
}
