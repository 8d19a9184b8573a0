//! Identity Store's memberships by id: `DeleteGroupMembership` → `remove-member`,
//! `DescribeGroupMembership`, `GetGroupMembershipId`, `IsMemberInGroups` and
//! `ListGroupMembershipsForMember`.
//!
//! A membership id is derived from its store, group and user (see
//! [`crate::identity_store::membership_id`]), so finding one by id walks the store's groups.

use kiro_engine::Op;
use kiro_engine::op::Membership;
use kiro_estate::{Group, Instance, User};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::identity_store::{
    MemberId, bare, group_by_id, membership_arn, membership_id, store, user_by_id,
};
use crate::pagination::{SSO, page, with_token};
use crate::store::{State, Tx};
use crate::translate::Unresolved;

/// The group and user of membership `id` in `inst`'s store.
fn by_id<'e>(inst: &'e Instance, id: &str) -> Result<(&'e Group, &'e User), ApiError> {
    let id = bare(id);
    inst.groups
        .iter()
        .find_map(|g| {
            g.members
                .iter()
                .find(|u| membership_id(&inst.identity_store, &g.name, u) == id)
                .and_then(|u| inst.users.get(u))
                .map(|u| (g, u))
        })
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "membership `{id}` does not exist in identity store {}",
                inst.identity_store
            ))
        })
}

/// A `GroupMembership`.
fn membership_json(inst: &Instance, g: &Group, u: &User) -> Value {
    let id = membership_id(&inst.identity_store, &g.name, &u.user_name);
    json!({
        "IdentityStoreId": inst.identity_store,
        "MembershipId": id,
        "MembershipArn": membership_arn(inst.partition(), &id),
        "GroupId": g.id,
        "MemberId": {"UserId": u.id},
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct MembershipIdInput {
    identity_store_id: String,
    membership_id: String,
}

/// `DeleteGroupMembership` → `remove-member`.
pub fn delete_group_membership(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: MembershipIdInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let estate = tx.estate();
    let found = store(ctx, estate, &req.identity_store_id)
        .and_then(|inst| by_id(inst, &req.membership_id))
        .map(|(g, u)| (g.name.clone(), u.user_name.clone()));
    let (group, user_name) = unresolved.or_written(
        found,
        (
            req.membership_id.as_str().into(),
            req.membership_id.as_str().into(),
        ),
    );
    let op = Op::RemoveMember(Membership {
        instance: ctx.caller(estate),
        group,
        user_name,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

/// `DescribeGroupMembership`.
pub fn describe_group_membership(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: MembershipIdInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let (g, u) = by_id(inst, &req.membership_id)?;
    Ok(membership_json(inst, g, u))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct GetMembershipIdInput {
    identity_store_id: String,
    group_id: String,
    member_id: MemberId,
}

/// `GetGroupMembershipId`.
pub fn get_group_membership_id(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: GetMembershipIdInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let g = group_by_id(state, inst, &req.group_id)?;
    let u = user_by_id(state, inst, &req.member_id.user_id)?;
    if !g.members.contains(&u.user_name) {
        return Err(ApiError::not_found(format!(
            "user `{}` is not a member of group `{}`",
            u.id, g.id
        )));
    }
    let id = membership_id(&inst.identity_store, &g.name, &u.user_name);
    Ok(json!({
        "IdentityStoreId": inst.identity_store,
        "MembershipId": id,
        "MembershipArn": membership_arn(inst.partition(), &id),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct IsMemberInput {
    identity_store_id: String,
    member_id: MemberId,
    group_ids: Vec<String>,
}

/// `IsMemberInGroups`: one result per group asked, each of which must exist.
pub fn is_member_in_groups(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: IsMemberInput = input(body)?;
    if req.group_ids.is_empty() || req.group_ids.len() > 100 {
        return Err(ApiError::validation("`GroupIds` must name 1 to 100 groups"));
    }
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let u = user_by_id(state, inst, &req.member_id.user_id)?;
    let results = req
        .group_ids
        .iter()
        .map(|id| {
            let g = group_by_id(state, inst, id)?;
            Ok(json!({
                "GroupId": g.id,
                "MemberId": {"UserId": u.id},
                "MembershipExists": g.members.contains(&u.user_name),
            }))
        })
        .collect::<Result<Vec<Value>, ApiError>>()?;
    Ok(json!({ "Results": results }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ForMemberInput {
    identity_store_id: String,
    member_id: MemberId,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListGroupMembershipsForMember`: the user's groups in the store's order.
pub fn list_group_memberships_for_member(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ForMemberInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let u = user_by_id(state, inst, &req.member_id.user_id)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let groups = inst
        .groups
        .iter()
        .filter(|g| g.members.contains(&u.user_name));
    let (page, next) = p.apply(ctx.operation, groups);
    let items: Vec<Value> = page
        .into_iter()
        .map(|g| membership_json(inst, g, u))
        .collect();
    Ok(with_token(json!({ "GroupMemberships": items }), next))
}
