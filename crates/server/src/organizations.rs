//! AWS Organizations (`AWSOrganizationsV20161128.*`): the caller's organization, its tree,
//! accounts and SCPs.
//!
//! Ids and ARNs are the estate's (`o-…`, `r-…`, `ou-…`, `p-…`). Writes become the engine's
//! operations (`create-organization`, `delete-organization`, `create-ou`, `update-ou`,
//! `delete-ou`, `move-account`, `create-policy`, `update-policy`, `delete-policy`,
//! `attach-policy`, `detach-policy`, and `create-account` with `organization` for
//! `CreateAccount`), and the engine's generic errors are
//! renamed to the exceptions Organizations itself uses (`DuplicatePolicyException`,
//! `ParentNotFoundException`, `InvalidInputException`, …). Only the management account may call
//! anything but `DescribeOrganization`, as in AWS without delegated administrators.

use kiro_engine::op::{AccountOrName, CreateAccount, CreateOu, CreatePolicy, PolicyTarget};
use kiro_engine::ops::policies::POLICY_TYPES;
use kiro_engine::{Applied, ErrorKind, Op, OpError};
use kiro_estate::ids::{self, Partition, arn};
use kiro_estate::{
    Account, AccountId, Estate, FeatureSet, JoinedMethod, Organization, Scp, TypedPolicy,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{ORGANIZATIONS, PageRequest, page, with_token};
use crate::store::{State, Tx};

const SCP: &str = "SERVICE_CONTROL_POLICY";
const RCP: &str = "RESOURCE_CONTROL_POLICY";

pub(crate) fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("InvalidInputException", message)
}

/// The engine's error under the name Organizations gives the same rule.
pub(crate) fn rename(err: OpError, conflict: &str, not_found: &str) -> ApiError {
    let code = match err.kind {
        ErrorKind::Conflict => conflict,
        ErrorKind::ResourceNotFound => not_found,
        ErrorKind::Validation => "InvalidInputException",
        _ => err.name(),
    };
    ApiError::bad_request(code, err.message)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct Paged {
    pub(crate) next_token: Option<String>,
    pub(crate) max_results: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ParentPaged {
    parent_id: String,
    child_type: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

pub(crate) fn epoch(ts: jiff::Timestamp) -> Value {
    json!(ts.as_millisecond() as f64 / 1000.0)
}

/// A request's timestamp member `field` (epoch seconds, as the JSON protocols send one): the
/// inverse of [`epoch`], to the millisecond.
pub(crate) fn instant(seconds: f64, field: &str) -> Result<jiff::Timestamp, ApiError> {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "saturates; a time out of range is refused below"
    )]
    let millis = (seconds * 1000.0).round() as i64;
    jiff::Timestamp::from_millisecond(millis)
        .map_err(|e| invalid(format!("`{field}` is not a time: {e}")))
}

pub(crate) fn path_of(org: &Organization, parent: &str) -> String {
    let mut path = format!("{}/{}/", org.id, org.root_id);
    for ou in org.ou_path(parent) {
        path.push_str(&ou.id);
        path.push('/');
    }
    path
}

pub(crate) fn account_json(partition: Partition, org: &Organization, a: &Account) -> Value {
    let mut v = json!({
        "Id": a.id.as_str(),
        "Arn": arn::account(partition, &org.management, &org.id, &a.id),
        "Name": a.name,
        "Status": if a.closed.is_some() { "SUSPENDED" } else { "ACTIVE" },
        "State": if a.closed.is_some() { "SUSPENDED" } else { "ACTIVE" },
        "Paths": [format!("{}{}/", path_of(org, a.parent.as_deref().unwrap_or("root")), a.id)],
    });
    if let Value::Object(map) = &mut v {
        if let Some(email) = &a.email {
            map.insert("Email".to_owned(), json!(email));
        }
        let (at, how) = a
            .joined
            .as_ref()
            .map_or((jiff::Timestamp::UNIX_EPOCH, JoinedMethod::Invited), |j| {
                (j.at, j.method)
            });
        map.insert("JoinedMethod".to_owned(), json!(how.aws_name()));
        map.insert("JoinedTimestamp".to_owned(), epoch(at));
    }
    v
}

pub(crate) fn account_not_found(org: &Organization, id: &str) -> ApiError {
    ApiError::bad_request(
        "AccountNotFoundException",
        format!("account `{id}` is not in {}", org.id),
    )
}

pub(crate) fn members<'e>(
    estate: &'e Estate,
    org: &'e Organization,
) -> impl Iterator<Item = &'e Account> {
    estate
        .accounts
        .iter()
        .filter(move |a| a.id == org.management || a.organization.as_ref() == Some(&org.management))
}

fn parent_of(a: &Account) -> &str {
    a.parent.as_deref().unwrap_or("root")
}

/// `root` or the OU name that `id` (`r-…` / `ou-…`) names; `ParentNotFoundException` otherwise.
pub(crate) fn parent_name(org: &Organization, id: &str) -> Result<String, ApiError> {
    if id == org.root_id {
        return Ok("root".to_owned());
    }
    org.ous
        .iter()
        .find(|ou| ou.id == id)
        .map(|ou| ou.name.clone())
        .ok_or_else(|| {
            ApiError::bad_request(
                "ParentNotFoundException",
                format!("parent `{id}` does not exist in {}", org.id),
            )
        })
}

fn ou_json(partition: Partition, org: &Organization, ou: &kiro_estate::Ou) -> Value {
    ou_value(
        partition,
        &org.management,
        &org.id,
        &ou.id,
        &ou.name,
        path_of(org, &ou.name),
    )
}

/// An `OrganizationalUnit` of organization `org_id` managed by `management`.
fn ou_value(
    partition: Partition,
    management: &AccountId,
    org_id: &str,
    id: &str,
    name: &str,
    path: String,
) -> Value {
    json!({
        "Id": id,
        "Arn": arn::ou(partition, management, org_id, id),
        "Name": name,
        "Path": path,
    })
}

/// A policy of any type, as Organizations shows it: an SCP, which the estate evaluates, or a
/// policy of another type, which it stores.
#[derive(Clone, Copy)]
enum AnyPolicy<'e> {
    Scp(&'e Scp),
    Typed(&'e TypedPolicy),
    /// The AWS managed `RCPFullAWSAccess`, at every target while RCPs are enabled.
    RcpFullAwsAccess,
}

impl AnyPolicy<'_> {
    fn name(&self) -> &str {
        match self {
            Self::Scp(p) => &p.name,
            Self::Typed(p) => &p.name,
            Self::RcpFullAwsAccess => ids::RCP_FULL_AWS_ACCESS,
        }
    }

    /// A `PolicySummary`.
    fn summary(&self, partition: Partition, org: &Organization) -> Value {
        match self {
            Self::Scp(p) => policy_value(partition, &org.management, &org.id, p),
            Self::Typed(p) => json!({
                "Id": p.id,
                "Arn": arn::typed_policy(
                    partition,
                    &org.management,
                    &org.id,
                    &p.policy_type,
                    &p.id,
                ),
                "Name": p.name,
                "Description": p.description.as_deref().unwrap_or_default(),
                "Type": p.policy_type,
                "AwsManaged": false,
            }),
            Self::RcpFullAwsAccess => json!({
                "Id": ids::RCP_FULL_AWS_ACCESS_ID,
                "Arn": arn::typed_policy(
                    partition,
                    &org.management,
                    &org.id,
                    RCP,
                    ids::RCP_FULL_AWS_ACCESS_ID,
                ),
                "Name": ids::RCP_FULL_AWS_ACCESS,
                "Description": "Allows access to every operation",
                "Type": RCP,
                "AwsManaged": true,
            }),
        }
    }

    fn content(&self) -> String {
        match self {
            Self::Scp(p) => match &p.document {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            },
            Self::Typed(p) => p.content.clone(),
            Self::RcpFullAwsAccess => ids::RCP_FULL_AWS_ACCESS_DOCUMENT.to_owned(),
        }
    }

    /// A `Policy`: its summary and content.
    fn policy(&self, partition: Partition, org: &Organization) -> Value {
        json!({"Policy": {"PolicySummary": self.summary(partition, org), "Content": self.content()}})
    }

    /// Where it is attached, as the estate names targets.
    fn targets<'o>(&self, estate: &'o Estate, org: &'o Organization) -> Vec<&'o str> {
        match self {
            Self::Scp(p) => org
                .attachments
                .iter()
                .filter(|a| a.policy == p.name)
                .map(|a| a.target.as_str())
                .collect(),
            Self::Typed(p) => org
                .typed_policies
                .get(&p.name)
                .map(|t| t.targets.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            Self::RcpFullAwsAccess => std::iter::once("root")
                .chain(org.ous.iter().map(|ou| ou.name.as_str()))
                .chain(members(estate, org).map(|a| a.id.as_str()))
                .collect(),
        }
    }
}

/// A `PolicySummary` of an SCP of organization `org_id` managed by `management`.
fn policy_value(partition: Partition, management: &AccountId, org_id: &str, p: &Scp) -> Value {
    json!({
        "Id": p.id,
        "Arn": arn::policy(partition, management, org_id, &p.id),
        "Name": p.name,
        "Description": p.description.as_deref().unwrap_or_default(),
        "Type": SCP,
        "AwsManaged": p.aws_managed,
    })
}

fn policy_by_id<'e>(org: &'e Organization, id: &str) -> Result<AnyPolicy<'e>, ApiError> {
    if id == ids::RCP_FULL_AWS_ACCESS_ID && rcps_enabled(org) {
        return Ok(AnyPolicy::RcpFullAwsAccess);
    }
    org.policies
        .iter()
        .find(|p| p.id == id)
        .map(AnyPolicy::Scp)
        .or_else(|| {
            org.typed_policies
                .iter()
                .find(|p| p.id == id)
                .map(AnyPolicy::Typed)
        })
        .ok_or_else(|| {
            ApiError::bad_request(
                "PolicyNotFoundException",
                "You specified a policy that doesn't exist.",
            )
        })
}

/// `policy` unless it is `RCPFullAWSAccess`, which no estate holds for the engine to refuse
/// changing, as it refuses changing `FullAWSAccess`.
fn changeable(policy: AnyPolicy<'_>) -> Result<AnyPolicy<'_>, ApiError> {
    if let AnyPolicy::RcpFullAwsAccess = policy {
        return Err(invalid(
            "IMMUTABLE_POLICY: policy `RCPFullAWSAccess` is managed by AWS and cannot be changed or deleted",
        ));
    }
    Ok(policy)
}

/// Whether RCPs are enabled in the root of `org`, and so `RCPFullAWSAccess` everywhere.
fn rcps_enabled(org: &Organization) -> bool {
    org.policy_types.iter().any(|t| t == RCP)
}

/// Every policy of `org` of type `filter`; `RCPFullAWSAccess` first among RCPs.
fn policies_of<'e>(org: &'e Organization, filter: &str) -> Vec<AnyPolicy<'e>> {
    if filter == SCP {
        return org.policies.iter().map(AnyPolicy::Scp).collect();
    }
    let managed = (filter == RCP && rcps_enabled(org)).then_some(AnyPolicy::RcpFullAwsAccess);
    managed
        .into_iter()
        .chain(
            org.typed_policies
                .iter()
                .filter(|p| p.policy_type == filter)
                .map(AnyPolicy::Typed),
        )
        .collect()
}

/// The OU whose id is `id`; `OrganizationalUnitNotFoundException` otherwise.
fn ou_by_id<'e>(org: &'e Organization, id: &str) -> Result<&'e kiro_estate::Ou, ApiError> {
    org.ous.iter().find(|ou| ou.id == id).ok_or_else(|| {
        ApiError::bad_request(
            "OrganizationalUnitNotFoundException",
            format!("OU `{id}` does not exist in {}", org.id),
        )
    })
}

/// The id of the parent named `name` (`root` or an OU name).
fn parent_id(org: &Organization, name: &str) -> (String, &'static str) {
    match org.ous.get(&name.to_owned()) {
        Some(ou) => (ou.id.clone(), "ORGANIZATIONAL_UNIT"),
        None => (org.root_id.clone(), "ROOT"),
    }
}

fn policy_filter(filter: &str) -> Result<(), ApiError> {
    if POLICY_TYPES.contains(&filter) {
        Ok(())
    } else {
        Err(invalid(format!("`{filter}` is not a policy type")))
    }
}

/// The estate's name for a target id: `root`, an OU name, or an account id of the organization.
pub(crate) fn target_name(
    estate: &Estate,
    org: &Organization,
    id: &str,
) -> Result<String, ApiError> {
    if id == org.root_id {
        return Ok("root".to_owned());
    }
    if let Some(ou) = org.ous.iter().find(|ou| ou.id == id) {
        return Ok(ou.name.clone());
    }
    if members(estate, org).any(|a| a.id.as_str() == id) {
        return Ok(id.to_owned());
    }
    Err(ApiError::bad_request(
        "TargetNotFoundException",
        format!("target `{id}` does not exist in {}", org.id),
    ))
}

fn target_json(estate: &Estate, org: &Organization, name: &str) -> Value {
    if name == "root" {
        return json!({"TargetId": org.root_id, "Arn": arn::root(estate.partition(), &org.management, &org.id, &org.root_id), "Name": "Root", "Type": "ROOT"});
    }
    if let Some(ou) = org.ous.get(&name.to_owned()) {
        return json!({"TargetId": ou.id, "Arn": arn::ou(estate.partition(), &org.management, &org.id, &ou.id), "Name": ou.name, "Type": "ORGANIZATIONAL_UNIT"});
    }
    let account = AccountId::new(name);
    let account_name = estate
        .account(&account)
        .map_or_else(|| name.to_owned(), |a| a.name.clone());
    json!({"TargetId": name, "Arn": arn::account(estate.partition(), &org.management, &org.id, &account), "Name": account_name, "Type": "ACCOUNT"})
}

/// `DescribeOrganization`: any account of the organization may call it.
pub fn describe_organization(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let _: serde_json::Map<String, Value> = input(body)?;
    let estate = state.estate();
    let org = ctx.organization(estate)?;
    Ok(json!({ "Organization": organization_json(estate, org) }))
}

/// An `Organization`: its (deprecated) available policy types are those enabled in its root.
fn organization_json(estate: &Estate, org: &Organization) -> Value {
    let email = estate
        .account(&org.management)
        .and_then(|a| a.email.clone());
    let mut o = json!({
        "Id": org.id,
        "Arn": arn::organization(estate.partition(), &org.management, &org.id),
        "FeatureSet": org.feature_set.aws_name(),
        "MasterAccountArn": arn::account(estate.partition(), &org.management, &org.id, &org.management),
        "MasterAccountId": org.management.as_str(),
        "AvailablePolicyTypes": policy_types(org),
    });
    if let (Value::Object(map), Some(e)) = (&mut o, email) {
        map.insert("MasterAccountEmail".to_owned(), json!(e));
    }
    o
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreateOrganizationInput {
    feature_set: Option<String>,
}

/// `CreateOrganization` → `create-organization`: the caller becomes the management account.
pub fn create_organization(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateOrganizationInput = input(body)?;
    let feature_set = match req.feature_set.as_deref() {
        None | Some("ALL") => None,
        Some("CONSOLIDATED_BILLING") => Some(FeatureSet::ConsolidatedBilling),
        Some(other) => {
            return Err(invalid(format!(
                "`{other}` is not a feature set: use ALL or CONSOLIDATED_BILLING"
            )));
        }
    };
    let management = ctx.caller(tx.estate());
    // As in AWS, the new root has no policy type enabled until `EnablePolicyType`.
    let op = Op::CreateOrganization(kiro_engine::op::CreateOrganization {
        management: management.clone(),
        scps_enabled: Some(false),
        feature_set,
    });
    let refused = |e: OpError| match e.kind {
        ErrorKind::Conflict | ErrorKind::ConstraintViolation => ApiError::bad_request(
            "AlreadyInOrganizationException",
            "The provided account is already a member of an organization.",
        ),
        ErrorKind::ResourceNotFound => ApiError::bad_request("AccountNotFoundException", e.message),
        _ => rename(
            e,
            "AlreadyInOrganizationException",
            "AccountNotFoundException",
        ),
    };
    tx.apply(&op).map_err(refused)?;
    let estate = tx.estate();
    let org = estate
        .organizations
        .get(&management)
        .ok_or_else(|| unexpected(&op))?;
    Ok(json!({ "Organization": organization_json(estate, org) }))
}

/// `ListRoots`.
pub fn list_roots(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: Paged = input(body)?;
    let org = ctx.managed(state.estate())?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, [root_json(state.estate().partition(), org)]);
    Ok(with_token(json!({ "Roots": items }), next))
}

/// The policy types enabled in the root of `org`: SCPs, unless they are disabled, and the
/// other types enabled.
fn policy_types(org: &Organization) -> Value {
    let scp = (!org.scps_disabled).then_some(SCP);
    scp.into_iter()
        .chain(org.policy_types.iter().map(String::as_str))
        .map(|t| json!({"Type": t, "Status": "ENABLED"}))
        .collect()
}

/// A `Root`, with the policy types enabled in it.
fn root_json(partition: Partition, org: &Organization) -> Value {
    json!({
        "Id": org.root_id,
        "Arn": arn::root(partition, &org.management, &org.id, &org.root_id),
        "Name": "Root",
        "PolicyTypes": policy_types(org),
    })
}

/// `ListAccounts`: every account of the organization, the management account first.
pub fn list_accounts(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: Paged = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(
        ctx.operation,
        members(estate, org).map(|a| account_json(estate.partition(), org, a)),
    );
    Ok(with_token(json!({ "Accounts": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AccountIdInput {
    account_id: String,
}

/// `DescribeAccount`.
pub fn describe_account(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: AccountIdInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let a = members(estate, org)
        .find(|a| a.id.as_str() == req.account_id)
        .ok_or_else(|| account_not_found(org, &req.account_id))?;
    Ok(json!({ "Account": account_json(estate.partition(), org, a) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct OuIdInput {
    organizational_unit_id: String,
}

/// `DescribeOrganizationalUnit`.
pub fn describe_organizational_unit(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: OuIdInput = input(body)?;
    let org = ctx.managed(state.estate())?;
    let ou = ou_by_id(org, &req.organizational_unit_id)?;
    Ok(json!({ "OrganizationalUnit": ou_json(state.estate().partition(), org, ou) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ChildInput {
    child_id: String,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListParents`: the one parent of an account or OU.
pub fn list_parents(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ChildInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let parent = if let Some(ou) = org.ous.iter().find(|ou| ou.id == req.child_id) {
        ou.parent.as_str()
    } else if let Some(a) = members(estate, org).find(|a| a.id.as_str() == req.child_id) {
        parent_of(a)
    } else {
        return Err(ApiError::bad_request(
            "ChildNotFoundException",
            format!(
                "`{}` is neither an account nor an OU of {}",
                req.child_id, org.id
            ),
        ));
    };
    let (id, kind) = parent_id(org, parent);
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, [json!({"Id": id, "Type": kind})]);
    Ok(with_token(json!({ "Parents": items }), next))
}

/// `ListOrganizationalUnitsForParent`.
pub fn list_organizational_units_for_parent(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ParentPaged = input(body)?;
    if req.child_type.is_some() {
        return Err(ApiError::serialization("unknown field `ChildType`"));
    }
    let org = ctx.managed(state.estate())?;
    let parent = parent_name(org, &req.parent_id)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(
        ctx.operation,
        org.ous
            .iter()
            .filter(|ou| ou.parent == parent)
            .map(|ou| ou_json(state.estate().partition(), org, ou)),
    );
    Ok(with_token(json!({ "OrganizationalUnits": items }), next))
}

/// `ListAccountsForParent`.
pub fn list_accounts_for_parent(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ParentPaged = input(body)?;
    if req.child_type.is_some() {
        return Err(ApiError::serialization("unknown field `ChildType`"));
    }
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let parent = parent_name(org, &req.parent_id)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(
        ctx.operation,
        members(estate, org)
            .filter(|a| parent_of(a) == parent)
            .map(|a| account_json(estate.partition(), org, a)),
    );
    Ok(with_token(json!({ "Accounts": items }), next))
}

/// `ListChildren`.
pub fn list_children(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ParentPaged = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let parent = parent_name(org, &req.parent_id)?;
    let children: Vec<Value> = match req.child_type.as_deref() {
        Some("ACCOUNT") => members(estate, org)
            .filter(|a| parent_of(a) == parent)
            .map(|a| json!({"Id": a.id.as_str(), "Type": "ACCOUNT"}))
            .collect(),
        Some("ORGANIZATIONAL_UNIT") => org
            .ous
            .iter()
            .filter(|ou| ou.parent == parent)
            .map(|ou| json!({"Id": ou.id, "Type": "ORGANIZATIONAL_UNIT"}))
            .collect(),
        Some(other) => {
            return Err(invalid(format!(
                "`{other}` is not a child type: use ACCOUNT or ORGANIZATIONAL_UNIT"
            )));
        }
        None => {
            return Err(ApiError::missing("ChildType"));
        }
    };
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, children);
    Ok(with_token(json!({ "Children": items }), next))
}

/// The `Policies` answer of `ListPolicies` and `ListPoliciesForTarget`: a page of summaries.
fn policies_page<'e>(
    ctx: &Ctx,
    p: PageRequest,
    partition: Partition,
    org: &Organization,
    policies: impl IntoIterator<Item = AnyPolicy<'e>>,
) -> Value {
    let all: Vec<Value> = policies
        .into_iter()
        .map(|x| x.summary(partition, org))
        .collect();
    let (items, next) = p.apply(ctx.operation, all);
    with_token(json!({ "Policies": items }), next)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListPoliciesInput {
    filter: String,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListPolicies`: the SCPs (other policy types exist in no estate: their lists are empty).
pub fn list_policies(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListPoliciesInput = input(body)?;
    let org = ctx.managed(state.estate())?;
    policy_filter(&req.filter)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let partition = state.estate().partition();
    Ok(policies_page(
        ctx,
        p,
        partition,
        org,
        policies_of(org, &req.filter),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PolicyIdInput {
    policy_id: String,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `DescribePolicy`.
pub fn describe_policy(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: PolicyIdInput = input(body)?;
    if req.next_token.is_some() || req.max_results.is_some() {
        return Err(ApiError::serialization(
            "DescribePolicy takes only `PolicyId`",
        ));
    }
    let org = ctx.managed(state.estate())?;
    Ok(policy_by_id(org, &req.policy_id)?.policy(state.estate().partition(), org))
}

/// `ListTargetsForPolicy`.
pub fn list_targets_for_policy(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: PolicyIdInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let policy = policy_by_id(org, &req.policy_id)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let targets: Vec<Value> = policy
        .targets(estate, org)
        .into_iter()
        .map(|t| target_json(estate, org, t))
        .collect();
    let (items, next) = p.apply(ctx.operation, targets);
    Ok(with_token(json!({ "Targets": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TargetInput {
    target_id: String,
    filter: String,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListPoliciesForTarget`.
pub fn list_policies_for_target(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: TargetInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    policy_filter(&req.filter)?;
    let target = target_name(estate, org, &req.target_id)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let attached = policies_of(org, &req.filter)
        .into_iter()
        .filter(|x| x.targets(estate, org).contains(&target.as_str()));
    Ok(policies_page(ctx, p, estate.partition(), org, attached))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreatePolicyInput {
    content: String,
    description: String,
    name: String,
    #[serde(rename = "Type")]
    kind: String,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `CreatePolicy` → `create-policy`; the reply is the request and the new policy's id.
pub fn create_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreatePolicyInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    let management = org.management.clone();
    policy_filter(&req.kind)?;
    let tags = crate::org_tags::checked(req.tags)?;
    let op = Op::CreatePolicy(CreatePolicy {
        organization: management.clone(),
        name: req.name.clone(),
        document: Value::String(req.content),
        description: (!req.description.is_empty()).then_some(req.description),
        policy_type: (req.kind != SCP).then_some(req.kind),
    });
    let refused = |e: OpError| match e.kind {
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("PolicyTypeNotEnabledException", e.message)
        }
        _ => rename(
            e,
            "DuplicatePolicyException",
            "AWSOrganizationsNotInUseException",
        ),
    };
    let Applied::PolicyCreated { policy, .. } = tx.apply(&op).map_err(refused)? else {
        return Err(unexpected(&op));
    };
    crate::org_tags::tag_new(tx, &management, &policy, tags)?;
    let org = ctx.managed(tx.estate())?;
    Ok(policy_by_id(org, &policy)?.policy(tx.estate().partition(), org))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttachInput {
    policy_id: String,
    target_id: String,
}

fn policy_target(ctx: &Ctx, tx: &Tx<'_>, req: &AttachInput) -> Result<PolicyTarget, ApiError> {
    let estate = tx.estate();
    let org = ctx.managed(estate)?;
    let policy = policy_by_id(org, &req.policy_id)?.name().to_owned();
    let target = target_name(estate, org, &req.target_id)?;
    Ok(PolicyTarget {
        organization: org.management.clone(),
        policy,
        target: AccountOrName(AccountId::new(target)),
    })
}

/// `AttachPolicy` → `attach-policy`.
pub fn attach_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: AttachInput = input(body)?;
    let op = Op::AttachPolicy(policy_target(ctx, tx, &req)?);
    let org = ctx.managed(tx.estate())?;
    // A constraint on a policy of another type is only ever its type being off.
    let disabled = match policy_by_id(org, &req.policy_id)? {
        AnyPolicy::Scp(_) => org.scps_disabled,
        AnyPolicy::Typed(_) => true,
        AnyPolicy::RcpFullAwsAccess => {
            return Err(ApiError::bad_request(
                "DuplicatePolicyAttachmentException",
                "RCPFullAWSAccess is attached to every root, OU and account already",
            ));
        }
    };
    tx.apply(&op).map_err(|e| match e.kind {
        // The engine's refusal while the type is off, under the name Organizations gives it.
        ErrorKind::ConstraintViolation if disabled => {
            ApiError::bad_request("PolicyTypeNotEnabledException", e.message)
        }
        _ => rename(
            e,
            "DuplicatePolicyAttachmentException",
            "TargetNotFoundException",
        ),
    })?;
    Ok(json!({}))
}

/// `DetachPolicy` → `detach-policy`.
pub fn detach_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: AttachInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    if let AnyPolicy::RcpFullAwsAccess = policy_by_id(org, &req.policy_id)? {
        return Err(invalid(
            "NON_DETACHABLE_POLICY: you can't detach `RCPFullAWSAccess`, an AWS managed policy",
        ));
    }
    let op = Op::DetachPolicy(policy_target(ctx, tx, &req)?);
    tx.apply(&op).map_err(|e| {
        rename(
            e,
            "DuplicatePolicyAttachmentException",
            "PolicyNotAttachedException",
        )
    })?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the role and billing access are accepted and not modelled"
)]
struct CreateAccountInput {
    email: String,
    account_name: String,
    role_name: Option<String>,
    iam_user_access_to_billing: Option<String>,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// A `CreateAccountStatus`: `SUCCEEDED` with the account, or `FAILED` with AWS's reason.
fn create_status(
    id: &str,
    name: &str,
    at: jiff::Timestamp,
    outcome: Result<&AccountId, &str>,
) -> Value {
    let mut status = json!({
        "Id": id,
        "AccountName": name,
        "RequestedTimestamp": epoch(at),
        "CompletedTimestamp": epoch(at),
    });
    if let Value::Object(map) = &mut status {
        match outcome {
            Ok(account) => {
                map.insert("State".to_owned(), json!("SUCCEEDED"));
                map.insert("AccountId".to_owned(), json!(account.as_str()));
            }
            Err(reason) => {
                map.insert("State".to_owned(), json!("FAILED"));
                map.insert("FailureReason".to_owned(), json!(reason));
            }
        }
    }
    status
}

/// AWS's `FailureReason` for a create-account request whose e-mail is in use: the request
/// is accepted and fails in its status, as AWS fails it.
const EMAIL_ALREADY_EXISTS: &str = "EMAIL_ALREADY_EXISTS";

/// The id of a failed request: the event's place in the log makes it unique.
fn failed_request_id(org: &AccountId, event: usize) -> String {
    format!(
        "car-{}",
        ids::derive(
            ids::LOWER_ALNUM,
            16,
            &["car", org.as_str(), &event.to_string()]
        )
    )
}

/// Every create-account request of the organization of `org`, oldest first: the accounts it
/// created (`car-<account id>`, even when the estate was written without their events) and the
/// refused requests the log recorded.
fn create_statuses(estate: &Estate, org: &Organization) -> Vec<Value> {
    let mut out: Vec<(jiff::Timestamp, Value)> = members(estate, org)
        .filter_map(|a| {
            let joined = a.joined.as_ref()?;
            (joined.method == JoinedMethod::Created).then(|| {
                let id = format!("car-{}", a.id);
                (joined.at, create_status(&id, &a.name, joined.at, Ok(&a.id)))
            })
        })
        .collect();
    for (i, e) in estate.events.iter().enumerate() {
        if let Op::CreateAccount(c) = &e.op
            && e.outcome != "ok"
            && c.organization.as_ref() == Some(&org.management)
        {
            let id = failed_request_id(&org.management, i);
            out.push((e.at, create_status(&id, &c.name, e.at, Err(&e.outcome))));
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, v)| v).collect()
}

/// `CreateAccount` → `create-account` in the caller's organization. The new account
/// id is derived from the request and the number of accounts, and is never one in use. The
/// account is ready at once: the status is `SUCCEEDED` and its id `car-<account id>`. An
/// e-mail in use fails in the status (`EMAIL_ALREADY_EXISTS`), which the log records.
pub fn create_account(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateAccountInput = input(body)?;
    let tags = crate::org_tags::checked(req.tags)?;
    let estate = tx.estate();
    let org = ctx.managed(estate)?.management.clone();
    let n = estate.accounts.len().to_string();
    let mut id = AccountId::new(ids::derive(
        b"0123456789",
        12,
        &["account", org.as_str(), &req.email, &n],
    ));
    let mut salt = 0u32;
    while estate.account(&id).is_some() || id.as_str().starts_with('0') {
        salt += 1;
        id = AccountId::new(ids::derive(
            b"0123456789",
            12,
            &["account", org.as_str(), &req.email, &n, &salt.to_string()],
        ));
    }
    let op = Op::CreateAccount(CreateAccount {
        id,
        name: req.account_name,
        email: Some(req.email),
        organization: Some(org.clone()),
        parent: None,
    });
    let applied = match tx.apply(&op) {
        Ok(applied) => applied,
        Err(e) if e.kind == ErrorKind::ConstraintViolation => {
            let event = tx.estate().events.len();
            tx.record_refused(&op, EMAIL_ALREADY_EXISTS);
            let Op::CreateAccount(c) = &op else {
                return Err(unexpected(&op));
            };
            let id = failed_request_id(&org, event);
            let status = create_status(&id, &c.name, tx.at(), Err(EMAIL_ALREADY_EXISTS));
            return Ok(json!({ "CreateAccountStatus": status }));
        }
        Err(e) => {
            return Err(rename(
                e,
                "ConstraintViolationException",
                "AWSOrganizationsNotInUseException",
            ));
        }
    };
    let Applied::AccountCreated { account, name, .. } = applied else {
        return Err(unexpected(&op));
    };
    crate::org_tags::tag_new(tx, &org, account.as_str(), tags)?;
    let id = format!("car-{account}");
    Ok(json!({ "CreateAccountStatus": create_status(&id, &name, tx.at(), Ok(&account)) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreateAccountStatusInput {
    create_account_request_id: String,
}

/// `DescribeCreateAccountStatus`.
pub fn describe_create_account_status(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: CreateAccountStatusInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    create_statuses(estate, org)
        .into_iter()
        .find(|s| s["Id"] == req.create_account_request_id.as_str())
        .map(|s| json!({ "CreateAccountStatus": s }))
        .ok_or_else(|| {
            ApiError::bad_request(
                "CreateAccountStatusNotFoundException",
                "We can't find an create account request with the CreateAccountRequestId that you specified.",
            )
        })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListCreateAccountStatusInput {
    states: Option<Vec<String>>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListCreateAccountStatus`: every request, `SUCCEEDED` or `FAILED` (requests complete at
/// once, so none is `IN_PROGRESS`), narrowed to `States` when given.
pub fn list_create_account_status(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ListCreateAccountStatusInput = input(body)?;
    let states = req.states.unwrap_or_default();
    if let Some(bad) = states
        .iter()
        .find(|s| !["IN_PROGRESS", "SUCCEEDED", "FAILED"].contains(&s.as_str()))
    {
        return Err(invalid(format!(
            "`{bad}` is not a create-account state: use IN_PROGRESS, SUCCEEDED or FAILED"
        )));
    }
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let wanted = create_statuses(estate, org)
        .into_iter()
        .filter(|s| states.is_empty() || states.iter().any(|w| s["State"] == w.as_str()));
    let (items, next) = p.apply(ctx.operation, wanted);
    Ok(with_token(json!({ "CreateAccountStatuses": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct MoveAccountInput {
    account_id: String,
    source_parent_id: String,
    destination_parent_id: String,
}

/// `MoveAccount` → `move-account`: the account must be under `SourceParentId`.
pub fn move_account(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: MoveAccountInput = input(body)?;
    let estate = tx.estate();
    let org = ctx.managed(estate)?;
    let account = members(estate, org)
        .find(|a| a.id.as_str() == req.account_id)
        .ok_or_else(|| account_not_found(org, &req.account_id))?;
    let source = parent_name(org, &req.source_parent_id)
        .map_err(|e| e.renamed("SourceParentNotFoundException"))?;
    let destination = parent_name(org, &req.destination_parent_id)
        .map_err(|e| e.renamed("DestinationParentNotFoundException"))?;
    if parent_of(account) != source {
        return Err(ApiError::bad_request(
            "SourceParentNotFoundException",
            format!(
                "account `{}` is not under `{}`",
                req.account_id, req.source_parent_id
            ),
        ));
    }
    let op = Op::MoveAccount(kiro_engine::op::MoveAccount {
        account: account.id.clone(),
        parent: destination,
    });
    tx.apply(&op).map_err(|e| {
        rename(
            e,
            "DuplicateAccountException",
            "DestinationParentNotFoundException",
        )
    })?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreateOuInput {
    parent_id: String,
    name: String,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `CreateOrganizationalUnit` → `create-ou`; the reply is the request and the new OU's id.
pub fn create_organizational_unit(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: CreateOuInput = input(body)?;
    let tags = crate::org_tags::checked(req.tags)?;
    let org = ctx.managed(tx.estate())?;
    let parent = parent_name(org, &req.parent_id)?;
    let parent_path = path_of(org, &parent);
    let (management, org_id) = (org.management.clone(), org.id.clone());
    let op = Op::CreateOu(CreateOu {
        organization: management.clone(),
        name: req.name,
        parent,
    });
    let refused = |e| {
        rename(
            e,
            "DuplicateOrganizationalUnitException",
            "ParentNotFoundException",
        )
    };
    let Applied::OuCreated { ou: id, name, .. } = tx.apply(&op).map_err(refused)? else {
        return Err(unexpected(&op));
    };
    crate::org_tags::tag_new(tx, &management, &id, tags)?;
    let path = format!("{parent_path}{id}/");
    Ok(
        json!({ "OrganizationalUnit": ou_value(tx.estate().partition(), &management, &org_id, &id, &name, path) }),
    )
}

/// The engine's refusal of a deletion: what still holds the resource is `not_empty`.
fn refused_delete(err: OpError, not_empty: &str, not_found: &str) -> ApiError {
    match err.kind {
        ErrorKind::ConstraintViolation => ApiError::bad_request(not_empty, err.message),
        _ => rename(err, not_empty, not_found),
    }
}

/// `DeleteOrganization` → `delete-organization`: the caller's, once it has no members.
pub fn delete_organization(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let _: serde_json::Map<String, Value> = input(body)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = Op::DeleteOrganization(kiro_engine::op::OrganizationRef {
        organization: management,
    });
    tx.apply(&op).map_err(|e| {
        refused_delete(
            e,
            "OrganizationNotEmptyException",
            "AWSOrganizationsNotInUseException",
        )
    })?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateOuInput {
    organizational_unit_id: String,
    name: Option<String>,
}

/// `UpdateOrganizationalUnit` → `update-ou`: a new name (none keeps the old one).
pub fn update_organizational_unit(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: UpdateOuInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    let ou = ou_by_id(org, &req.organizational_unit_id)?;
    let op = Op::UpdateOu(kiro_engine::op::UpdateOu {
        organization: org.management.clone(),
        ou: ou.name.clone(),
        name: req.name.unwrap_or_else(|| ou.name.clone()),
    });
    tx.apply(&op).map_err(|e| {
        rename(
            e,
            "DuplicateOrganizationalUnitException",
            "OrganizationalUnitNotFoundException",
        )
    })?;
    let org = ctx.managed(tx.estate())?;
    let ou = ou_by_id(org, &req.organizational_unit_id)?;
    Ok(json!({ "OrganizationalUnit": ou_json(tx.estate().partition(), org, ou) }))
}

/// `DeleteOrganizationalUnit` → `delete-ou`: only an empty OU.
pub fn delete_organizational_unit(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: OuIdInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    let ou = ou_by_id(org, &req.organizational_unit_id)?;
    let op = Op::DeleteOu(kiro_engine::op::OuRef {
        organization: org.management.clone(),
        ou: ou.name.clone(),
    });
    tx.apply(&op).map_err(|e| {
        refused_delete(
            e,
            "OrganizationalUnitNotEmptyException",
            "OrganizationalUnitNotFoundException",
        )
    })?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdatePolicyInput {
    policy_id: String,
    name: Option<String>,
    description: Option<String>,
    content: Option<String>,
}

/// `UpdatePolicy` → `update-policy`; the reply is the policy as it is now.
pub fn update_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UpdatePolicyInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    let policy = changeable(policy_by_id(org, &req.policy_id)?)?;
    let op = Op::UpdatePolicy(kiro_engine::op::UpdatePolicy {
        organization: org.management.clone(),
        policy: policy.name().to_owned(),
        name: req.name,
        description: req.description,
        document: req.content.map(Value::String),
    });
    tx.apply(&op)
        .map_err(|e| rename(e, "DuplicatePolicyException", "PolicyNotFoundException"))?;
    let org = ctx.managed(tx.estate())?;
    Ok(policy_by_id(org, &req.policy_id)?.policy(tx.estate().partition(), org))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DeletePolicyInput {
    policy_id: String,
}

/// `DeletePolicy` → `delete-policy`: only a policy attached to nothing.
pub fn delete_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: DeletePolicyInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    let policy = changeable(policy_by_id(org, &req.policy_id)?)?;
    let op = Op::DeletePolicy(kiro_engine::op::PolicyRef {
        organization: org.management.clone(),
        policy: policy.name().to_owned(),
    });
    tx.apply(&op)
        .map_err(|e| refused_delete(e, "PolicyInUseException", "PolicyNotFoundException"))?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PolicyTypeInput {
    root_id: String,
    policy_type: String,
}

/// `EnablePolicyType` / `DisablePolicyType` → `enable-policy-type` / `disable-policy-type`
/// (as `op` builds it) on the organization's root; the reply is the root as it is now.
fn change_policy_type(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
    op: fn(kiro_engine::op::PolicyTypeRef) -> Op,
) -> Result<Value, ApiError> {
    let req: PolicyTypeInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    if req.root_id != org.root_id {
        return Err(ApiError::bad_request(
            "RootNotFoundException",
            format!("root `{}` does not exist in {}", req.root_id, org.id),
        ));
    }
    policy_filter(&req.policy_type)?;
    let op = op(kiro_engine::op::PolicyTypeRef {
        organization: org.management.clone(),
        policy_type: req.policy_type,
    });
    tx.apply(&op).map_err(|e| match e.kind {
        ErrorKind::Conflict => {
            ApiError::bad_request("PolicyTypeAlreadyEnabledException", e.message)
        }
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("PolicyTypeNotEnabledException", e.message)
        }
        ErrorKind::Validation => {
            ApiError::bad_request("PolicyTypeNotAvailableForOrganizationException", e.message)
        }
        _ => ApiError::from(e),
    })?;
    let org = ctx.managed(tx.estate())?;
    Ok(json!({ "Root": root_json(tx.estate().partition(), org) }))
}

/// `EnablePolicyType` → `enable-policy-type`.
pub fn enable_policy_type(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    change_policy_type(ctx, tx, body, Op::EnablePolicyType)
}

/// `DisablePolicyType` → `disable-policy-type`.
pub fn disable_policy_type(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    change_policy_type(ctx, tx, body, Op::DisablePolicyType)
}
