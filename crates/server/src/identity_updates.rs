//! Identity Store's updates and deletions: `UpdateUser` → `update-user`, `DeleteUser` →
//! `delete-user`, `UpdateGroup` → `update-group`, `DeleteGroup` → `delete-group`.
//!
//! An update lists attribute operations; the attributes an estate keeps may change (a user's
//! `displayName` and `emails`, a group's `description`). Names are keys across the estate
//! (memberships and subscriptions name users and groups), so `userName` and a group's
//! `displayName` are refused with a `ValidationException` rather than half renamed.

use kiro_engine::op::{GroupRef, UpdateGroup, UpdateUser, UserRef};
use kiro_engine::{Applied, Op};
use kiro_estate::Name;
use kiro_estate::ids::Partition;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::identity_store::{bare, group_arn, group_by_id, store, user_arn, user_by_id};
use crate::store::{State, Tx};
use crate::translate::Unresolved;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributeOperation {
    attribute_path: String,
    attribute_value: Option<Value>,
}

/// The user's or group's name in the caller's own store `store_id`, from its `id` (`find`
/// resolves it); what did not resolve is kept in `unresolved`, for authorization comes first.
fn name_in_own_store(
    ctx: &Ctx,
    state: &State,
    store_id: &str,
    id: &str,
    find: impl FnOnce(&State, &kiro_estate::Instance) -> Result<Name, ApiError>,
    unresolved: &mut Unresolved,
) -> (kiro_estate::AccountId, Name) {
    let estate = state.estate();
    let found = store(ctx, estate, store_id).and_then(|inst| find(state, inst));
    let name = unresolved.or_written(found, id.into());
    (ctx.caller(estate), name)
}

/// The caller's instance and the user name of `user_id` in the store `store_id`.
fn user_named(
    ctx: &Ctx,
    state: &State,
    store_id: &str,
    user_id: &str,
    unresolved: &mut Unresolved,
) -> (kiro_estate::AccountId, Name) {
    let find = |s: &State, inst: &kiro_estate::Instance| {
        user_by_id(s, inst, user_id).map(|u| u.user_name.clone())
    };
    name_in_own_store(ctx, state, store_id, user_id, find, unresolved)
}

/// The caller's instance and the name of group `group_id` in the store `store_id`.
fn group_named(
    ctx: &Ctx,
    state: &State,
    store_id: &str,
    group_id: &str,
    unresolved: &mut Unresolved,
) -> (kiro_estate::AccountId, Name) {
    let find = |s: &State, inst: &kiro_estate::Instance| {
        group_by_id(s, inst, group_id).map(|g| g.name.clone())
    };
    name_in_own_store(ctx, state, store_id, group_id, find, unresolved)
}

/// The text an attribute operation sets: empty for a removal (no value).
fn text(op: &AttributeOperation) -> Result<String, ApiError> {
    match &op.attribute_value {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(ApiError::validation(format!(
            "`{}` takes a string, not `{other}`",
            op.attribute_path
        ))),
    }
}

/// The primary (else first) address of an `emails` value; empty for none.
fn primary_email(op: &AttributeOperation) -> Result<String, ApiError> {
    let Some(Value::Array(emails)) = &op.attribute_value else {
        return match &op.attribute_value {
            None | Some(Value::Null) => Ok(String::new()),
            Some(other) => Err(ApiError::validation(format!(
                "`emails` takes a list of emails, not `{other}`"
            ))),
        };
    };
    let chosen = emails
        .iter()
        .find(|e| e["Primary"] == Value::Bool(true))
        .or_else(|| emails.first());
    Ok(chosen
        .and_then(|e| e["Value"].as_str())
        .unwrap_or_default()
        .to_owned())
}

/// The answer to an update: the store, the user's or group's id and ARN, its revision.
fn updated(
    partition: Partition,
    store_id: &str,
    applied: &Applied,
    op: &Op,
) -> Result<Value, ApiError> {
    let Applied::PrincipalChanged { id, kind, .. } = applied else {
        return Err(unexpected(op));
    };
    let (id_key, arn_key, arn) = if *kind == "user" {
        ("UserId", "UserArn", user_arn(partition, id))
    } else {
        ("GroupId", "GroupArn", group_arn(partition, id))
    };
    Ok(json!({
        "IdentityStoreId": bare(store_id),
        id_key: id,
        arn_key: arn,
        "Revision": "1",
    }))
}

fn unsupported(path: &str, kept: &str) -> ApiError {
    ApiError::validation(format!(
        "updating `{path}` is not supported: kiro-org keeps and updates {kept}"
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateUserInput {
    identity_store_id: String,
    user_id: String,
    operations: Vec<AttributeOperation>,
}

/// `UpdateUser` → `update-user`.
pub fn update_user(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UpdateUserInput = input(body)?;
    let (mut email, mut display_name) = (None, None);
    for op in &req.operations {
        match op.attribute_path.as_str() {
            "displayName" => display_name = Some(text(op)?),
            "emails" => email = Some(primary_email(op)?),
            other => return Err(unsupported(other, "`displayName` and `emails`")),
        }
    }
    let mut unresolved = Unresolved::default();
    let (instance, user_name) = user_named(
        ctx,
        tx.state(),
        &req.identity_store_id,
        &req.user_id,
        &mut unresolved,
    );
    let op = Op::UpdateUser(UpdateUser {
        instance,
        user_name,
        email: email.map(Into::into),
        display_name,
    });
    unresolved.authorize_first(tx, &op)?;
    let applied = tx.apply(&op)?;
    updated(
        tx.estate().partition(),
        &req.identity_store_id,
        &applied,
        &op,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UserIdInput {
    identity_store_id: String,
    user_id: String,
}

/// `DeleteUser` → `delete-user`.
pub fn delete_user(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UserIdInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let (instance, user_name) = user_named(
        ctx,
        tx.state(),
        &req.identity_store_id,
        &req.user_id,
        &mut unresolved,
    );
    let op = Op::DeleteUser(UserRef {
        instance,
        user_name,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateGroupInput {
    identity_store_id: String,
    group_id: String,
    operations: Vec<AttributeOperation>,
}

/// `UpdateGroup` → `update-group`.
pub fn update_group(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UpdateGroupInput = input(body)?;
    let mut description = None;
    for op in &req.operations {
        match op.attribute_path.as_str() {
            "description" => description = Some(text(op)?),
            other => return Err(unsupported(other, "a group's `description`")),
        }
    }
    let mut unresolved = Unresolved::default();
    let (instance, group) = group_named(
        ctx,
        tx.state(),
        &req.identity_store_id,
        &req.group_id,
        &mut unresolved,
    );
    let op = Op::UpdateGroup(UpdateGroup {
        instance,
        group,
        description,
    });
    unresolved.authorize_first(tx, &op)?;
    let applied = tx.apply(&op)?;
    updated(
        tx.estate().partition(),
        &req.identity_store_id,
        &applied,
        &op,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct GroupIdInput {
    identity_store_id: String,
    group_id: String,
}

/// `DeleteGroup` → `delete-group`.
pub fn delete_group(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: GroupIdInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let (instance, group) = group_named(
        ctx,
        tx.state(),
        &req.identity_store_id,
        &req.group_id,
        &mut unresolved,
    );
    let op = Op::DeleteGroup(GroupRef { instance, group });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}
