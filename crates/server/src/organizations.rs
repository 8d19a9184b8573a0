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
use kiro_engine::{Applied, ErrorKind, Op, OpError};
use kiro_estate::ids::{self, arn};
use kiro_estate::{Account, AccountId, Estate, JoinedMethod, Organization, Scp};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{ORGANIZATIONS, PageRequest, page, with_token};
use crate::store::{State, Tx};

const SCP: &str = "SERVICE_CONTROL_POLICY";
const POLICY_TYPES: [&str; 15] = [
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

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("InvalidInputException", message)
}

/// The engine's error under the name Organizations gives the same rule.
fn rename(err: OpError, conflict: &str, not_found: &str) -> ApiError {
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
struct Paged {
    next_token: Option<String>,
    max_results: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ParentPaged {
    parent_id: String,
    child_type: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

fn epoch(ts: jiff::Timestamp) -> Value {
    json!(ts.as_millisecond() as f64 / 1000.0)
}

fn path_of(org: &Organization, parent: &str) -> String {
    let mut path = format!("{}/{}/", org.id, org.root_id);
    for ou in org.ou_path(parent) {
        path.push_str(&ou.id);
        path.push('/');
    }
    path
}

fn account_json(org: &Organization, a: &Account) -> Value {
    let mut v = json!({
        "Id": a.id.as_str(),
        "Arn": arn::account(&org.management, &org.id, &a.id),
        "Name": a.name,
        "Status": "ACTIVE",
        "State": "ACTIVE",
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

fn account_not_found(org: &Organization, id: &str) -> ApiError {
    ApiError::bad_request(
        "AccountNotFoundException",
        format!("account `{id}` is not in {}", org.id),
    )
}

fn members<'e>(estate: &'e Estate, org: &'e Organization) -> impl Iterator<Item = &'e Account> {
    estate
        .accounts
        .iter()
        .filter(move |a| a.id == org.management || a.organization.as_ref() == Some(&org.management))
}

fn parent_of(a: &Account) -> &str {
    a.parent.as_deref().unwrap_or("root")
}

/// `root` or the OU name that `id` (`r-…` / `ou-…`) names; `ParentNotFoundException` otherwise.
fn parent_name(org: &Organization, id: &str) -> Result<String, ApiError> {
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

fn ou_json(org: &Organization, ou: &kiro_estate::Ou) -> Value {
    ou_value(
        &org.management,
        &org.id,
        &ou.id,
        &ou.name,
        path_of(org, &ou.name),
    )
}

/// An `OrganizationalUnit` of organization `org_id` managed by `management`.
fn ou_value(management: &AccountId, org_id: &str, id: &str, name: &str, path: String) -> Value {
    json!({
        "Id": id,
        "Arn": arn::ou(management, org_id, id),
        "Name": name,
        "Path": path,
    })
}

fn policy_summary(org: &Organization, p: &Scp) -> Value {
    policy_value(&org.management, &org.id, p)
}

/// A `PolicySummary` of organization `org_id` managed by `management`.
fn policy_value(management: &AccountId, org_id: &str, p: &Scp) -> Value {
    json!({
        "Id": p.id,
        "Arn": arn::policy(management, org_id, &p.id),
        "Name": p.name,
        "Description": p.description.as_deref().unwrap_or_default(),
        "Type": SCP,
        "AwsManaged": p.aws_managed,
    })
}

fn policy_content(p: &Scp) -> String {
    match &p.document {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn policy_by_id<'e>(org: &'e Organization, id: &str) -> Result<&'e Scp, ApiError> {
    org.policies.iter().find(|p| p.id == id).ok_or_else(|| {
        ApiError::bad_request(
            "PolicyNotFoundException",
            "You specified a policy that doesn't exist.",
        )
    })
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

fn policy_filter(filter: &str) -> Result<bool, ApiError> {
    if POLICY_TYPES.contains(&filter) {
        Ok(filter == SCP)
    } else {
        Err(invalid(format!("`{filter}` is not a policy type")))
    }
}

/// The estate's name for a target id: `root`, an OU name, or an account id of the organization.
fn target_name(estate: &Estate, org: &Organization, id: &str) -> Result<String, ApiError> {
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
        return json!({"TargetId": org.root_id, "Arn": arn::root(&org.management, &org.id, &org.root_id), "Name": "Root", "Type": "ROOT"});
    }
    if let Some(ou) = org.ous.get(&name.to_owned()) {
        return json!({"TargetId": ou.id, "Arn": arn::ou(&org.management, &org.id, &ou.id), "Name": ou.name, "Type": "ORGANIZATIONAL_UNIT"});
    }
    let account = AccountId::new(name);
    let account_name = estate
        .account(&account)
        .map_or_else(|| name.to_owned(), |a| a.name.clone());
    json!({"TargetId": name, "Arn": arn::account(&org.management, &org.id, &account), "Name": account_name, "Type": "ACCOUNT"})
}

/// `DescribeOrganization`: any account of the organization may call it.
pub fn describe_organization(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let _: serde_json::Map<String, Value> = input(body)?;
    let estate = state.estate();
    let org = ctx.organization(estate)?;
    Ok(json!({ "Organization": organization_json(estate, org) }))
}

/// An `Organization`: every organization has all features; its (deprecated) available policy
/// types are those enabled in its root.
fn organization_json(estate: &Estate, org: &Organization) -> Value {
    let email = estate
        .account(&org.management)
        .and_then(|a| a.email.clone());
    let mut o = json!({
        "Id": org.id,
        "Arn": arn::organization(&org.management, &org.id),
        "FeatureSet": "ALL",
        "MasterAccountArn": arn::account(&org.management, &org.id, &org.management),
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
    match req.feature_set.as_deref() {
        None | Some("ALL") => {}
        Some("CONSOLIDATED_BILLING") => {
            return Err(invalid(
                "kiro-org models organizations with all features only: SCPs, which it evaluates, need them; send `FeatureSet` `ALL`",
            ));
        }
        Some(other) => {
            return Err(invalid(format!(
                "`{other}` is not a feature set: use ALL or CONSOLIDATED_BILLING"
            )));
        }
    }
    let management = ctx.caller(tx.estate());
    // As in AWS, the new root has no policy type enabled until `EnablePolicyType`.
    let op = Op::CreateOrganization(kiro_engine::op::CreateOrganization {
        management: management.clone(),
        scps_enabled: Some(false),
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
    let (items, next) = p.apply(ctx.operation, [root_json(org)]);
    Ok(with_token(json!({ "Roots": items }), next))
}

/// The policy types enabled in the root of `org`: SCPs, unless they are disabled.
fn policy_types(org: &Organization) -> Value {
    if org.scps_disabled {
        json!([])
    } else {
        json!([{"Type": SCP, "Status": "ENABLED"}])
    }
}

/// A `Root`, with the policy types enabled in it.
fn root_json(org: &Organization) -> Value {
    json!({
        "Id": org.root_id,
        "Arn": arn::root(&org.management, &org.id, &org.root_id),
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
        members(estate, org).map(|a| account_json(org, a)),
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
    Ok(json!({ "Account": account_json(org, a) }))
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
    Ok(json!({ "OrganizationalUnit": ou_json(org, ou) }))
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
            .map(|ou| ou_json(org, ou)),
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
            .map(|a| account_json(org, a)),
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

/// The `Policies` answer of `ListPolicies` and `ListPoliciesForTarget`: a page of `policies`'
/// summaries when the filter is SCP, else an empty list (no other policy type exists in an
/// estate). Both operations answer alike, so they share this.
fn policies_page<'e>(
    ctx: &Ctx,
    p: PageRequest,
    org: &Organization,
    scp: bool,
    policies: impl IntoIterator<Item = &'e Scp>,
) -> Value {
    let all: Vec<Value> = if scp {
        policies
            .into_iter()
            .map(|x| policy_summary(org, x))
            .collect()
    } else {
        Vec::new()
    };
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
    let scp = policy_filter(&req.filter)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    Ok(policies_page(ctx, p, org, scp, &org.policies))
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
    let p = policy_by_id(org, &req.policy_id)?;
    Ok(json!({"Policy": {"PolicySummary": policy_summary(org, p), "Content": policy_content(p)}}))
}

/// `ListTargetsForPolicy`.
pub fn list_targets_for_policy(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: PolicyIdInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let policy = policy_by_id(org, &req.policy_id)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let targets: Vec<Value> = org
        .attachments
        .iter()
        .filter(|a| a.policy == policy.name)
        .map(|a| target_json(estate, org, &a.target))
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
    let scp = policy_filter(&req.filter)?;
    let target = target_name(estate, org, &req.target_id)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    Ok(policies_page(ctx, p, org, scp, org.attached_to(&target)))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreatePolicyInput {
    content: String,
    description: String,
    name: String,
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "tags are accepted and not kept: estates have no tags"
    )]
    tags: Option<Value>,
}

/// `CreatePolicy` → `create-policy`; the reply is the request and the new policy's id.
pub fn create_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreatePolicyInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    let (management, org_id) = (org.management.clone(), org.id.clone());
    if req.kind != SCP {
        policy_filter(&req.kind)?;
        return Err(ApiError::bad_request(
            "PolicyTypeNotAvailableForOrganizationException",
            format!(
                "policy type `{}` is not enabled: kiro-org models service control policies only",
                req.kind
            ),
        ));
    }
    let description = (!req.description.is_empty()).then_some(req.description);
    let document = Value::String(req.content);
    let op = Op::CreatePolicy(CreatePolicy {
        organization: management.clone(),
        name: req.name.clone(),
        document: document.clone(),
        description: description.clone(),
    });
    let refused = |e| {
        rename(
            e,
            "DuplicatePolicyException",
            "AWSOrganizationsNotInUseException",
        )
    };
    let Applied::PolicyCreated { policy, name } = tx.apply(&op).map_err(refused)? else {
        return Err(unexpected(&op));
    };
    let created = Scp {
        name,
        id: policy,
        description,
        aws_managed: false,
        document,
    };
    Ok(json!({"Policy": {
        "PolicySummary": policy_value(&management, &org_id, &created),
        "Content": policy_content(&created),
    }}))
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
    let policy = policy_by_id(org, &req.policy_id)?.name.clone();
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
    let disabled = ctx.managed(tx.estate())?.scps_disabled;
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
    reason = "role, billing access and tags are accepted and not modelled"
)]
struct CreateAccountInput {
    email: String,
    account_name: String,
    role_name: Option<String>,
    iam_user_access_to_billing: Option<String>,
    tags: Option<Value>,
}

fn create_status(account: &AccountId, name: &str, at: jiff::Timestamp) -> Value {
    json!({"CreateAccountStatus": {
        "Id": format!("car-{account}"),
        "AccountName": name,
        "State": "SUCCEEDED",
        "RequestedTimestamp": epoch(at),
        "CompletedTimestamp": epoch(at),
        "AccountId": account.as_str(),
    }})
}

/// `CreateAccount` → `create-account` in the caller's organization. The new account
/// id is derived from the request and the number of accounts, and is never one in use. The
/// account is ready at once: the status is `SUCCEEDED` and its id `car-<account id>`.
pub fn create_account(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateAccountInput = input(body)?;
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
    // The engine's refusals (a bad or used email, …) under Organizations' names.
    let refused = |e| {
        rename(
            e,
            "ConstraintViolationException",
            "AWSOrganizationsNotInUseException",
        )
    };
    let op = Op::CreateAccount(CreateAccount {
        id,
        name: req.account_name,
        email: Some(req.email),
        organization: Some(org),
        parent: None,
    });
    let Applied::AccountCreated { account, name, .. } = tx.apply(&op).map_err(refused)? else {
        return Err(unexpected(&op));
    };
    Ok(create_status(&account, &name, tx.at()))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CreateAccountStatusInput {
    create_account_request_id: String,
}

/// `DescribeCreateAccountStatus`: every request succeeded at once.
pub fn describe_create_account_status(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: CreateAccountStatusInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let not_found = || {
        ApiError::bad_request(
            "CreateAccountStatusNotFoundException",
            format!(
                "no create-account request `{}`",
                req.create_account_request_id
            ),
        )
    };
    let id = req
        .create_account_request_id
        .strip_prefix("car-")
        .ok_or_else(not_found)?;
    let account = members(estate, org)
        .find(|a| a.id.as_str() == id)
        .ok_or_else(not_found)?;
    let at = account
        .joined
        .as_ref()
        .map_or(jiff::Timestamp::UNIX_EPOCH, |j| j.at);
    Ok(create_status(&account.id, &account.name, at))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListCreateAccountStatusInput {
    states: Option<Vec<String>>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListCreateAccountStatus`: a `SUCCEEDED` request for every account the organization
/// created (requests succeed at once, so none is `IN_PROGRESS` or `FAILED`).
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
    let succeeded = states.is_empty() || states.iter().any(|s| s == "SUCCEEDED");
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let created = members(estate, org).filter(|_| succeeded).filter_map(|a| {
        let joined = a.joined.as_ref()?;
        (joined.method == JoinedMethod::Created).then(|| {
            let mut v = create_status(&a.id, &a.name, joined.at);
            v["CreateAccountStatus"].take()
        })
    });
    let (items, next) = p.apply(ctx.operation, created);
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
    #[serde(default)]
    #[allow(dead_code, reason = "tags are accepted and not kept")]
    tags: Option<Value>,
}

/// `CreateOrganizationalUnit` → `create-ou`; the reply is the request and the new OU's id.
pub fn create_organizational_unit(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: CreateOuInput = input(body)?;
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
    let path = format!("{parent_path}{id}/");
    Ok(json!({ "OrganizationalUnit": ou_value(&management, &org_id, &id, &name, path) }))
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
    Ok(json!({ "OrganizationalUnit": ou_json(org, ou) }))
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
    let policy = policy_by_id(org, &req.policy_id)?;
    let op = Op::UpdatePolicy(kiro_engine::op::UpdatePolicy {
        organization: org.management.clone(),
        policy: policy.name.clone(),
        name: req.name,
        description: req.description,
        document: req.content.map(Value::String),
    });
    tx.apply(&op)
        .map_err(|e| rename(e, "DuplicatePolicyException", "PolicyNotFoundException"))?;
    let org = ctx.managed(tx.estate())?;
    let p = policy_by_id(org, &req.policy_id)?;
    Ok(json!({"Policy": {"PolicySummary": policy_summary(org, p), "Content": policy_content(p)}}))
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
    let policy = policy_by_id(org, &req.policy_id)?;
    let op = Op::DeletePolicy(kiro_engine::op::PolicyRef {
        organization: org.management.clone(),
        policy: policy.name.clone(),
    });
    tx.apply(&op)
        .map_err(|e| refused_delete(e, "PolicyInUseException", "PolicyNotFoundException"))?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct HandshakesInput {
    #[serde(default)]
    #[allow(dead_code, reason = "every filter of no handshakes is no handshakes")]
    filter: Option<Value>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// A page of the handshakes there are: none, since an invitation (kiro-org's
/// `invite-account`) is accepted as it is made and leaves no handshake open or past.
fn no_handshakes(ctx: &Ctx, req: &HandshakesInput) -> Result<Value, ApiError> {
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, std::iter::empty::<Value>());
    Ok(with_token(json!({ "Handshakes": items }), next))
}

/// `ListHandshakesForOrganization`: none (see [`no_handshakes`]).
pub fn list_handshakes_for_organization(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: HandshakesInput = input(body)?;
    ctx.managed(state.estate())?;
    no_handshakes(ctx, &req)
}

/// `ListHandshakesForAccount`: none (see [`no_handshakes`]); any account may ask.
pub fn list_handshakes_for_account(ctx: &Ctx, _: &State, body: Value) -> Result<Value, ApiError> {
    let req: HandshakesInput = input(body)?;
    no_handshakes(ctx, &req)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct HandshakeIdInput {
    handshake_id: String,
}

/// `DescribeHandshake`: there are no handshakes (see [`no_handshakes`]).
pub fn describe_handshake(_: &Ctx, _: &State, body: Value) -> Result<Value, ApiError> {
    let req: HandshakeIdInput = input(body)?;
    Err(ApiError::bad_request(
        "HandshakeNotFoundException",
        format!("handshake `{}` does not exist", req.handshake_id),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DelegatedAdministratorsInput {
    service_principal: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListDelegatedAdministrators`: none; kiro-org's organizations are administered by their
/// management accounts alone.
pub fn list_delegated_administrators(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: DelegatedAdministratorsInput = input(body)?;
    ctx.managed(state.estate())?;
    if req.service_principal.as_deref() == Some("") {
        return Err(invalid("`ServicePrincipal` must not be empty"));
    }
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, std::iter::empty::<Value>());
    Ok(with_token(
        json!({ "DelegatedAdministrators": items }),
        next,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DelegatedServicesInput {
    account_id: String,
    #[allow(
        dead_code,
        reason = "no account is registered, so no page is ever asked for"
    )]
    next_token: Option<String>,
    #[allow(
        dead_code,
        reason = "no account is registered, so no page is ever asked for"
    )]
    max_results: Option<i64>,
}

/// `ListDelegatedServicesForAccount`: no account is a delegated administrator.
pub fn list_delegated_services_for_account(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: DelegatedServicesInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    if !members(estate, org).any(|a| a.id.as_str() == req.account_id) {
        return Err(account_not_found(org, &req.account_id));
    }
    Err(ApiError::bad_request(
        "AccountNotRegisteredException",
        format!(
            "account `{}` is not a delegated administrator for any service",
            req.account_id
        ),
    ))
}

/// `ListAWSServiceAccessForOrganization`: IAM Identity Center (`sso.amazonaws.com`) has
/// trusted access from the day the organization instance was enabled, as enabling it grants;
/// no other service has.
pub fn list_aws_service_access_for_organization(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: Paged = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let enabled = estate.organization_instance(org).map(|i| {
        json!({"ServicePrincipal": "sso.amazonaws.com", "DateEnabled": crate::sso_admin::date_epoch(i.created)})
    });
    let (items, next) = p.apply(ctx.operation, enabled);
    Ok(with_token(
        json!({ "EnabledServicePrincipals": items }),
        next,
    ))
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
    Ok(json!({ "Root": root_json(org) }))
}

/// `EnablePolicyType` → `enable-policy-type`.
pub fn enable_policy_type(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    change_policy_type(ctx, tx, body, Op::EnablePolicyType)
}

/// `DisablePolicyType` → `disable-policy-type`.
pub fn disable_policy_type(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    change_policy_type(ctx, tx, body, Op::DisablePolicyType)
}
