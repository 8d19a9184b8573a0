//! Identity Store (`AWSIdentityStore.*`): the users, groups and memberships of an instance's
//! directory.
//!
//! Only the account that owns the instance may use its identity store. Users keep what an estate
//! keeps (user name, one email, display name); attributes beyond those (`Name`, addresses, …)
//! are accepted on create and not stored. Writes become `create-user`, `update-user`,
//! `delete-user`, `create-group`, `update-group`, `delete-group`, `add-member` and
//! `remove-member`; memberships are found by id in [`crate::identity_memberships`].

use kiro_engine::op::{CreateGroup, CreateUser, Membership};
use kiro_engine::{Applied, Op};
use kiro_estate::ids::{self, Partition};
use kiro_estate::{AccountId, ENTERPRISE_EXTENSION, Estate, Group, Instance, User};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{SSO, page, with_token};
use crate::store::{State, Tx};
use crate::translate::Unresolved;

/// An identity store id as a request may write it: `d-…` or its ARN.
pub(crate) fn bare(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// The instance whose identity store `id` names (`d-…` or its ARN), owned by the caller.
pub(crate) fn store<'e>(ctx: &Ctx, estate: &'e Estate, id: &str) -> Result<&'e Instance, ApiError> {
    let bare = bare(id);
    let inst = estate
        .instances
        .iter()
        .find(|i| i.identity_store == bare)
        .ok_or_else(|| ApiError::not_found(format!("identity store `{id}` does not exist")))?;
    ctx.owned(estate, inst, |caller| {
        format!(
            "account `{caller}` is not authorized to access identity store `{bare}` of account `{}`",
            inst.account
        )
    })
}

/// The instance a write goes to: the caller's, for only an instance's owner uses its identity
/// store. Whether `id` names that store is kept in `unresolved`.
pub(crate) fn own_store(
    ctx: &Ctx,
    estate: &Estate,
    id: &str,
    unresolved: &mut Unresolved,
) -> AccountId {
    unresolved.or_written(store(ctx, estate, id).map(|_| ()), ());
    ctx.caller(estate)
}

pub(crate) fn user_arn(partition: Partition, id: &str) -> String {
    ids::arn::identity(partition, "user", id)
}

pub(crate) fn group_arn(partition: Partition, id: &str) -> String {
    ids::arn::identity(partition, "group", id)
}

pub(crate) fn membership_arn(partition: Partition, id: &str) -> String {
    ids::arn::identity(partition, "membership", id)
}

pub(crate) fn membership_id(store: &str, group: &str, user: &str) -> kiro_estate::Name {
    ids::principal_id(store, "membership", &format!("{group}\u{1f}{user}"))
}

/// Whether a request's `Extensions` asks for the enterprise attributes.
fn wants_enterprise(extensions: Option<&Value>) -> bool {
    extensions
        .and_then(Value::as_array)
        .is_some_and(|e| e.iter().any(|x| x == ENTERPRISE_EXTENSION))
}

/// The string attributes of a `CreateUser`'s enterprise extension.
fn enterprise_attributes(extensions: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    extensions
        .and_then(|e| e.get(ENTERPRISE_EXTENSION))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// A user as Identity Store answers it (`DescribeUser`, each item of `ListUsers`), serialised
/// straight from the estate: a page of a hundred users becomes its JSON without a JSON tree
/// built in between (the reads of a large directory are the server's hottest path).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UserOut<'a> {
    identity_store_id: &'a str,
    user_id: &'a str,
    user_arn: String,
    revision: &'static str,
    user_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    emails: Option<[EmailOut<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<Enterprise<'a>>,
}

/// The one e-mail address the estate keeps, as Identity Store lists it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EmailOut<'a> {
    value: &'a str,
    r#type: &'static str,
    primary: bool,
}

/// `{"aws:identitystore:enterprise": {…}}`: a user's attributes under the extension's name.
struct Enterprise<'a>(&'a std::collections::BTreeMap<String, String>);

impl Serialize for Enterprise<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(ENTERPRISE_EXTENSION, self.0)?;
        map.end()
    }
}

impl<'a> UserOut<'a> {
    /// `u` of `inst`, with its enterprise attributes when `enterprise` (and it has some).
    pub(crate) fn of(inst: &'a Instance, u: &'a User, enterprise: bool) -> Self {
        UserOut {
            identity_store_id: &inst.identity_store,
            user_id: &u.id,
            user_arn: user_arn(inst.partition(), &u.id),
            revision: "1",
            user_name: &u.user_name,
            emails: u.email.as_deref().map(|value| {
                [EmailOut {
                    value,
                    r#type: "work",
                    primary: true,
                }]
            }),
            display_name: u.display_name.as_deref(),
            extensions: (enterprise && !u.attributes.is_empty())
                .then_some(Enterprise(&u.attributes)),
        }
    }
}

/// A group as Identity Store answers it (`DescribeGroup`, each item of `ListGroups`).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GroupOut<'a> {
    identity_store_id: &'a str,
    group_id: &'a str,
    group_arn: String,
    revision: &'static str,
    display_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

impl<'a> GroupOut<'a> {
    /// `g` of `inst`.
    pub(crate) fn of(inst: &'a Instance, g: &'a Group) -> Self {
        GroupOut {
            identity_store_id: &inst.identity_store,
            group_id: &g.id,
            group_arn: group_arn(inst.partition(), &g.id),
            revision: "1",
            display_name: &g.name,
            description: g.description.as_deref(),
        }
    }
}

/// A page of a list, written as JSON at once: `{"<items>": [...], "NextToken": …}`.
fn page_json<T: Serialize>(
    items_key: &str,
    items: &[T],
    next: Option<String>,
) -> Result<String, ApiError> {
    use serde::ser::SerializeMap as _;
    struct Page<'a, T>(&'a str, &'a [T], Option<String>);
    impl<T: Serialize> Serialize for Page<'_, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(None)?;
            map.serialize_entry(self.0, self.1)?;
            if let Some(t) = &self.2 {
                map.serialize_entry("NextToken", t)?;
            }
            map.end()
        }
    }
    serde_json::to_string(&Page(items_key, items, next))
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// `value` as a JSON tree, for the answers still built as one.
fn tree(value: impl Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(e.to_string()))
}

/// The `kind` (`user` or `group`) that `id` (bare or its ARN) names in `inst`'s store, looked
/// up by `find` with the bare id: users and groups are found and reported missing alike.
fn principal_by_id<'e, T>(
    inst: &Instance,
    kind: &str,
    id: &str,
    find: impl FnOnce(&str) -> Option<&'e T>,
) -> Result<&'e T, ApiError> {
    find(bare(id)).ok_or_else(|| {
        ApiError::not_found(format!(
            "{kind} `{id}` does not exist in identity store {}",
            inst.identity_store
        ))
    })
}

pub(crate) fn user_by_id<'e>(
    state: &'e State,
    inst: &'e Instance,
    id: &str,
) -> Result<&'e User, ApiError> {
    principal_by_id(inst, "user", id, |bare| state.user_by_id(inst, bare))
}

pub(crate) fn group_by_id<'e>(
    state: &'e State,
    inst: &'e Instance,
    id: &str,
) -> Result<&'e Group, ApiError> {
    principal_by_id(inst, "group", id, |bare| state.group_by_id(inst, bare))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Filter {
    attribute_path: String,
    attribute_value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListInput {
    identity_store_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
    #[serde(default)]
    filters: Vec<Filter>,
    #[serde(default)]
    extensions: Option<Value>,
}

/// `ListUsers`, with the (deprecated but still served) `UserName` / `DisplayName` filters.
pub fn list_users(ctx: &Ctx, state: &State, body: Value) -> Result<String, ApiError> {
    let req: ListInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    for f in &req.filters {
        if !matches!(f.attribute_path.as_str(), "UserName" | "DisplayName") {
            return Err(ApiError::validation(format!(
                "filtering users by `{}` is not supported: use UserName or DisplayName",
                f.attribute_path
            )));
        }
    }
    let users = inst.users.iter().filter(|u| {
        req.filters.iter().all(|f| match f.attribute_path.as_str() {
            "UserName" => u.user_name == f.attribute_value,
            _ => u.display_name.as_deref() == Some(f.attribute_value.as_str()),
        })
    });
    // Page first, build JSON after: skipping is then a cheap walk, not a serialization.
    let (page, next) = p.apply(ctx.operation, users);
    let enterprise = wants_enterprise(req.extensions.as_ref());
    let items: Vec<UserOut<'_>> = page
        .into_iter()
        .map(|u| UserOut::of(inst, u, enterprise))
        .collect();
    page_json("Users", &items, next)
}

/// `ListGroups`, with the `DisplayName` filter.
pub fn list_groups(ctx: &Ctx, state: &State, body: Value) -> Result<String, ApiError> {
    let req: ListInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    for f in &req.filters {
        if f.attribute_path != "DisplayName" {
            return Err(ApiError::validation(format!(
                "filtering groups by `{}` is not supported: use DisplayName",
                f.attribute_path
            )));
        }
    }
    let groups = inst
        .groups
        .iter()
        .filter(|g| req.filters.iter().all(|f| g.name == f.attribute_value));
    let (page, next) = p.apply(ctx.operation, groups);
    let items: Vec<GroupOut<'_>> = page.into_iter().map(|g| GroupOut::of(inst, g)).collect();
    page_json("Groups", &items, next)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DescribeUserInput {
    identity_store_id: String,
    user_id: String,
    #[serde(default)]
    extensions: Option<Value>,
}

/// `DescribeUser`.
pub fn describe_user(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: DescribeUserInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let enterprise = wants_enterprise(req.extensions.as_ref());
    tree(UserOut::of(
        inst,
        user_by_id(state, inst, &req.user_id)?,
        enterprise,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DescribeGroupInput {
    identity_store_id: String,
    group_id: String,
}

/// `DescribeGroup`.
pub fn describe_group(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: DescribeGroupInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    tree(GroupOut::of(inst, group_by_id(state, inst, &req.group_id)?))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct MembershipsInput {
    identity_store_id: String,
    group_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListGroupMemberships`.
pub fn list_group_memberships(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: MembershipsInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let group = group_by_id(state, inst, &req.group_id)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let members = group.members.iter().filter_map(|name| inst.users.get(name));
    let (page, next) = p.apply(ctx.operation, members);
    let items: Vec<Value> = page
        .into_iter()
        .map(|u| {
            let id = membership_id(&inst.identity_store, &group.name, &u.user_name);
            json!({
                "IdentityStoreId": inst.identity_store,
                "MembershipId": id,
                "MembershipArn": membership_arn(inst.partition(), &id),
                "GroupId": group.id,
                "MemberId": {"UserId": u.id},
            })
        })
        .collect();
    Ok(with_token(json!({ "GroupMemberships": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Email {
    value: Option<String>,
    #[serde(rename = "Type")]
    #[allow(dead_code, reason = "every email is kept as the work email")]
    kind: Option<String>,
    primary: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "attributes an estate does not keep are accepted and dropped"
)]
struct CreateUserInput {
    identity_store_id: String,
    user_name: Option<String>,
    display_name: Option<String>,
    #[serde(default)]
    emails: Vec<Email>,
    name: Option<Value>,
    nick_name: Option<String>,
    profile_url: Option<String>,
    addresses: Option<Value>,
    phone_numbers: Option<Value>,
    user_type: Option<String>,
    title: Option<String>,
    preferred_language: Option<String>,
    locale: Option<String>,
    timezone: Option<String>,
    website: Option<String>,
    birthdate: Option<String>,
    photos: Option<Value>,
    roles: Option<Value>,
    extensions: Option<Value>,
}

/// `CreateUser` → `create-user`, with the primary email, else the first. What a user needs (a
/// user name, an email) is the engine's to say: an absent member is passed on empty.
pub fn create_user(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateUserInput = input(body)?;
    let email = req
        .emails
        .iter()
        .find(|e| e.primary == Some(true))
        .or_else(|| req.emails.first())
        .and_then(|e| e.value.clone());
    create_in_own_store(ctx, tx, &req.identity_store_id, |instance| {
        Op::CreateUser(CreateUser {
            instance,
            user_name: req.user_name.unwrap_or_default().into(),
            email: email.map(Into::into),
            display_name: req.display_name,
            attributes: enterprise_attributes(req.extensions.as_ref()),
        })
    })
}

/// Creates a user or a group in the caller's own identity store `store_id`, authorized before
/// the store id is resolved, and answers with its id and ARN as AWS does.
fn create_in_own_store(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    store_id: &str,
    op: impl FnOnce(AccountId) -> Op,
) -> Result<Value, ApiError> {
    let mut unresolved = Unresolved::default();
    let op = op(own_store(ctx, tx.estate(), store_id, &mut unresolved));
    unresolved.authorize_first(tx, &op)?;
    let partition = tx.estate().partition();
    let (identity_store, (id_key, id), (arn_key, arn)) = match tx.apply(&op)? {
        Applied::UserCreated {
            user_id,
            identity_store,
            ..
        } => {
            let arn = user_arn(partition, &user_id);
            (identity_store, ("UserId", user_id), ("UserArn", arn))
        }
        Applied::GroupCreated {
            group_id,
            identity_store,
            ..
        } => {
            let arn = group_arn(partition, &group_id);
            (identity_store, ("GroupId", group_id), ("GroupArn", arn))
        }
        _ => return Err(unexpected(&op)),
    };
    Ok(json!({
        "IdentityStoreId": identity_store,
        id_key: id,
        arn_key: arn,
        "Revision": "1",
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreateGroupInput {
    identity_store_id: String,
    display_name: Option<String>,
    description: Option<String>,
}

/// `CreateGroup` → `create-group`, named by its display name (the engine refuses none).
pub fn create_group(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateGroupInput = input(body)?;
    create_in_own_store(ctx, tx, &req.identity_store_id, |instance| {
        Op::CreateGroup(CreateGroup {
            instance,
            name: req.display_name.unwrap_or_default().into(),
            description: req.description,
        })
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct MemberId {
    pub(crate) user_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreateMembershipInput {
    identity_store_id: String,
    group_id: String,
    member_id: MemberId,
}

/// `CreateGroupMembership` → `add-member`.
pub fn create_group_membership(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateMembershipInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let estate = tx.estate();
    let found = store(ctx, estate, &req.identity_store_id).map(Some);
    let (group, user_name) = match unresolved.or_written(found, None) {
        Some(inst) => {
            let group = group_by_id(tx.state(), inst, &req.group_id).map(|g| g.name.clone());
            let user =
                user_by_id(tx.state(), inst, &req.member_id.user_id).map(|u| u.user_name.clone());
            (
                unresolved.or_written(group, req.group_id.as_str().into()),
                unresolved.or_written(user, req.member_id.user_id.as_str().into()),
            )
        }
        None => (
            req.group_id.as_str().into(),
            req.member_id.user_id.as_str().into(),
        ),
    };
    let store_id = bare(&req.identity_store_id);
    let id = membership_id(store_id, &group, &user_name);
    let op = Op::AddMember(Membership {
        instance: ctx.caller(estate),
        group,
        user_name,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({
        "IdentityStoreId": store_id,
        "MembershipId": id,
        "MembershipArn": membership_arn(tx.estate().partition(), &id),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UniqueAttribute {
    attribute_path: String,
    attribute_value: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AlternateIdentifier {
    unique_attribute: Option<UniqueAttribute>,
    external_id: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct GetIdInput {
    identity_store_id: String,
    alternate_identifier: AlternateIdentifier,
}

fn unique_attribute(req: GetIdInput) -> Result<(String, String, String), ApiError> {
    if req.alternate_identifier.external_id.is_some() {
        return Err(ApiError::not_found(
            "no principal has that external id: kiro-org stores no external ids",
        ));
    }
    let attr = req.alternate_identifier.unique_attribute.ok_or_else(|| {
        ApiError::validation("`AlternateIdentifier` needs `UniqueAttribute` or `ExternalId`")
    })?;
    let value = match attr.attribute_value {
        Value::String(s) => s,
        other => {
            return Err(ApiError::validation(format!(
                "`{other}` is not a string attribute value"
            )));
        }
    };
    Ok((
        req.identity_store_id,
        attr.attribute_path.to_ascii_lowercase(),
        value,
    ))
}

/// `GetUserId` by `userName` or `emails.value`.
pub fn get_user_id(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: GetIdInput = input(body)?;
    let (store_id, path, value) = unique_attribute(req)?;
    let inst = store(ctx, state.estate(), &store_id)?;
    let user = match path.as_str() {
        "username" => inst.users.get(value.as_str()),
        "emails.value" => inst.users.iter().find(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| kiro_estate::email::same_person(e, &value))
        }),
        other => {
            return Err(ApiError::validation(format!(
                "`{other}` is not a unique user attribute: use userName or emails.value"
            )));
        }
    }
    .ok_or_else(|| {
        ApiError::not_found(format!(
            "no user with {path} `{value}` in identity store {}",
            inst.identity_store
        ))
    })?;
    Ok(
        json!({"IdentityStoreId": inst.identity_store, "UserId": user.id, "UserArn": user_arn(inst.partition(), &user.id)}),
    )
}

/// `GetGroupId` by `displayName`.
pub fn get_group_id(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: GetIdInput = input(body)?;
    let (store_id, path, value) = unique_attribute(req)?;
    let inst = store(ctx, state.estate(), &store_id)?;
    if path != "displayname" {
        return Err(ApiError::validation(format!(
            "`{path}` is not a unique group attribute: use displayName"
        )));
    }
    let group = inst.groups.get(value.as_str()).ok_or_else(|| {
        ApiError::not_found(format!(
            "no group named `{value}` in identity store {}",
            inst.identity_store
        ))
    })?;
    Ok(
        json!({"IdentityStoreId": inst.identity_store, "GroupId": group.id, "GroupArn": group_arn(inst.partition(), &group.id)}),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct StoreIdInput {
    identity_store_id: String,
}

/// An identity store as `DescribeIdentityStore` and `ListIdentityStores` show it.
fn store_json(inst: &Instance) -> Value {
    json!({
        "IdentityStoreId": inst.identity_store,
        "IdentityStoreArn": ids::arn::identity_store(inst.partition(), &inst.account, &inst.identity_store),
    })
}

/// `DescribeIdentityStore`: no network restriction is modelled, so none is required.
pub fn describe_identity_store(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: StoreIdInput = input(body)?;
    let inst = store(ctx, state.estate(), &req.identity_store_id)?;
    let mut v = store_json(inst);
    let n = inst.identity_store_network.clone().unwrap_or_default();
    let mut network = json!({"VpceAccessRequired": n.vpce_access_required});
    for (key, list) in [
        ("ApiRestrictSourceVpcs", &n.api_restrict_source_vpcs),
        ("ApiAllowSourceIps", &n.api_allow_source_ips),
        ("ScimAllowSourceIps", &n.scim_allow_source_ips),
    ] {
        if !list.is_empty() {
            network[key] = json!(list);
        }
    }
    v["NetworkConfiguration"] = network;
    Ok(v)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct NetworkInput {
    vpce_access_required: bool,
    #[serde(default)]
    api_restrict_source_vpcs: Vec<String>,
    #[serde(default)]
    api_allow_source_ips: Vec<String>,
    #[serde(default)]
    scim_allow_source_ips: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateStoreInput {
    identity_store_id: String,
    network_configuration: Option<NetworkInput>,
}

/// `UpdateIdentityStore` → `update-identity-store`; without a configuration, no restriction.
pub fn update_identity_store(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UpdateStoreInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let instance = own_store(ctx, tx.estate(), &req.identity_store_id, &mut unresolved);
    let network = req
        .network_configuration
        .map(|n| kiro_estate::StoreNetwork {
            vpce_access_required: n.vpce_access_required,
            api_restrict_source_vpcs: n.api_restrict_source_vpcs,
            api_allow_source_ips: n.api_allow_source_ips,
            scim_allow_source_ips: n.scim_allow_source_ips,
        })
        .unwrap_or_default();
    let op = Op::UpdateIdentityStore(kiro_engine::op::UpdateIdentityStore { instance, network });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    let inst = store(ctx, tx.estate(), &req.identity_store_id)?;
    Ok(store_json(inst))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListStoresInput {
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListIdentityStores`: the caller's, the one of the instance it owns.
pub fn list_identity_stores(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListStoresInput = input(body)?;
    let estate = state.estate();
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let own = estate.instances.get(&ctx.caller(estate)).map(store_json);
    let (items, next) = p.apply(ctx.operation, own);
    Ok(with_token(json!({ "IdentityStores": items }), next))
}
