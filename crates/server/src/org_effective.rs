//! Effective management policies over Organizations' wire API: `DescribeEffectivePolicy`,
//! `ListAccountsWithInvalidEffectivePolicy` and `ListEffectivePolicyValidationErrors`, all
//! reads of [`kiro_engine::effective`].
//!
//! AWS's validation of an effective policy is each service's (a Security Hub configuration, a
//! backup plan); kiro-org merges the policies as Organizations does but validates no service's
//! settings, so no effective policy it computes is invalid: the lists are empty once the
//! policy type is one that has effective policies.

use kiro_engine::effective::{NoEffective, effective};
use kiro_estate::{AccountId, Estate, Organization};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::organizations::{account_not_found, invalid, members};
use crate::pagination::{ORGANIZATIONS, page, with_token};
use crate::store::State;

/// Why `account` has no effective policy of `policy_type`, as Organizations says it.
fn refused(org: &Organization, policy_type: &str, why: NoEffective) -> ApiError {
    match why {
        NoEffective::NotManagement => invalid(format!(
            "`{policy_type}` has no effective policy: use a management policy type (TAG_POLICY, BACKUP_POLICY, …); SCPs and RCPs are evaluated, not merged"
        )),
        NoEffective::NotEnabled => not_found(format!(
            "{policy_type} is not enabled in {}: enable the policy type first",
            org.id
        )),
        NoEffective::NoneAttached => not_found(format!(
            "no {policy_type} applies to the account: attach one to it, an OU above it or the root"
        )),
    }
}

fn not_found(message: String) -> ApiError {
    ApiError::bad_request("EffectivePolicyNotFoundException", message)
}

/// The caller's organization when the caller is its management account or one of its
/// delegated administrators, as the listings of invalid effective policies require.
fn administered<'e>(ctx: &Ctx, estate: &'e Estate) -> Result<&'e Organization, ApiError> {
    let org = ctx.organization(estate)?;
    let caller = ctx.caller(estate);
    if org.management == caller
        || org
            .delegated_administrators
            .iter()
            .any(|d| d.account == caller)
    {
        return Ok(org);
    }
    Err(ApiError::access_denied(format!(
        "you don't have permissions to access this resource: account `{caller}` is neither the management account of {} nor a delegated administrator",
        org.id
    )))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DescribeInput {
    policy_type: String,
    target_id: Option<String>,
}

/// `DescribeEffectivePolicy`: of the caller's own account by default; the management account
/// may name any account of its organization, and no root or OU has one.
pub fn describe_effective_policy(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: DescribeInput = input(body)?;
    let estate = state.estate();
    let org = ctx.organization(estate)?;
    let caller = ctx.caller(estate);
    let target = req.target_id.clone().unwrap_or_else(|| caller.to_string());
    if target == org.root_id || org.ous.iter().any(|ou| ou.id == target) {
        return Err(invalid(format!(
            "`{target}` is a root or an OU: an effective policy is an account's; name an account"
        )));
    }
    if !members(estate, org).any(|a| a.id.as_str() == target) {
        return Err(ApiError::bad_request(
            "TargetNotFoundException",
            format!("target `{target}` does not exist in {}", org.id),
        ));
    }
    if target != caller.as_str() && caller != org.management {
        return Err(ApiError::access_denied(format!(
            "you don't have permissions to access this resource: account `{caller}` may see only its own effective policy"
        )));
    }
    let account = AccountId::new(target.as_str());
    let policy = effective(estate, org, &account, &req.policy_type)
        .map_err(|why| refused(org, &req.policy_type, why))?;
    Ok(json!({"EffectivePolicy": {
        "PolicyContent": policy.to_string(),
        "TargetId": target,
        "PolicyType": req.policy_type,
    }}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct InvalidInput {
    policy_type: String,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListAccountsWithInvalidEffectivePolicy`: none (see the module's documentation), once the
/// type has effective policies and is enabled.
pub fn list_accounts_with_invalid_effective_policy(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: InvalidInput = input(body)?;
    let estate = state.estate();
    let org = administered(ctx, estate)?;
    has_effective_policies(estate, org, &req.policy_type)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, Vec::<Value>::new());
    Ok(with_token(
        json!({"Accounts": items, "PolicyType": req.policy_type}),
        next,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ErrorsInput {
    account_id: String,
    policy_type: String,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListEffectivePolicyValidationErrors`: none for an account that has an effective policy of
/// the type (see the module's documentation).
pub fn list_effective_policy_validation_errors(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ErrorsInput = input(body)?;
    let estate = state.estate();
    let org = administered(ctx, estate)?;
    let Some(account) = members(estate, org).find(|a| a.id.as_str() == req.account_id) else {
        return Err(account_not_found(org, &req.account_id));
    };
    effective(estate, org, &account.id, &req.policy_type)
        .map_err(|why| refused(org, &req.policy_type, why))?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, Vec::<Value>::new());
    let path = format!(
        "{}{}/",
        crate::organizations::path_of(org, account.parent.as_deref().unwrap_or("root")),
        account.id
    );
    Ok(with_token(
        json!({
            "AccountId": account.id.as_str(),
            "PolicyType": req.policy_type,
            "Path": path,
            "EffectivePolicyValidationErrors": items,
        }),
        next,
    ))
}

/// Refuses a type without effective policies, or one not enabled in the root.
fn has_effective_policies(
    estate: &Estate,
    org: &Organization,
    policy_type: &str,
) -> Result<(), ApiError> {
    match effective(estate, org, &org.management, policy_type) {
        Ok(_) | Err(NoEffective::NoneAttached) => Ok(()),
        Err(why) => Err(refused(org, policy_type, why)),
    }
}
