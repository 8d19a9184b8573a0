//! Trusted access and delegated administrators over Organizations' wire API:
//! `EnableAWSServiceAccess` / `DisableAWSServiceAccess` → `enable-service-access` /
//! `disable-service-access`, `RegisterDelegatedAdministrator` /
//! `DeregisterDelegatedAdministrator` → `register-delegated-administrator` /
//! `deregister-delegated-administrator`, and their listings.

use kiro_engine::op::{Delegation, ServiceRef};
use kiro_engine::{ErrorKind, Op, OpError};
use kiro_estate::{AccountId, Estate, Organization};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::organizations::{Paged, account_json, account_not_found, epoch, invalid, members};
use crate::pagination::{ORGANIZATIONS, page, with_token};
use crate::store::{State, Tx};

/// IAM Identity Center's principal: an organization instance gives it trusted access from
/// the day it was enabled, as enabling one grants it.
const SSO: &str = "sso.amazonaws.com";

/// The services with trusted access and since when: those enabled, and Identity Center when
/// the organization instance lives in the organization.
fn trusted(estate: &Estate, org: &Organization) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = org
        .trusted_services
        .iter()
        .map(|s| (s.service_principal.clone(), epoch(s.enabled)))
        .collect();
    if !out.iter().any(|(p, _)| p == SSO)
        && let Some(i) = estate.organization_instance(org)
    {
        out.push((SSO.to_owned(), crate::sso_admin::date_epoch(i.created)));
    }
    out
}

/// `ListAWSServiceAccessForOrganization`.
pub fn list_aws_service_access_for_organization(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: Paged = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let items = trusted(estate, org)
        .into_iter()
        .map(|(p, at)| json!({"ServicePrincipal": p, "DateEnabled": at}));
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(
        json!({ "EnabledServicePrincipals": items }),
        next,
    ))
}

/// The engine's refusal under Organizations' names; `not_found` names a missing thing.
fn refused(e: OpError, not_found: &str) -> ApiError {
    match e.kind {
        ErrorKind::ResourceNotFound => ApiError::bad_request(not_found, e.message),
        ErrorKind::Validation => invalid(e.message),
        ErrorKind::Conflict => {
            ApiError::bad_request("AccountAlreadyRegisteredException", e.message)
        }
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("ConstraintViolationException", e.message)
        }
        _ => ApiError::from(e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ServiceInput {
    service_principal: String,
}

/// `EnableAWSServiceAccess` → `enable-service-access` and `DisableAWSServiceAccess` →
/// `disable-service-access`: one handler, the operation named by the target called.
pub fn change_service_access(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let op: fn(ServiceRef) -> Op = if ctx.operation == "EnableAWSServiceAccess" {
        Op::EnableServiceAccess
    } else {
        Op::DisableServiceAccess
    };
    let req: ServiceInput = input(body)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = op(ServiceRef {
        organization: management,
        service_principal: req.service_principal,
    });
    tx.apply(&op)
        .map_err(|e| refused(e, "AWSOrganizationsNotInUseException"))?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DelegationInput {
    account_id: String,
    service_principal: String,
}

/// `RegisterDelegatedAdministrator` → `register-delegated-administrator` and
/// `DeregisterDelegatedAdministrator` → `deregister-delegated-administrator`: one handler, the
/// operation named by the target called, as is the refusal of an account that is not (or not
/// registered) there.
pub fn change_delegation(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let (op, not_found): (fn(Delegation) -> Op, _) =
        if ctx.operation == "RegisterDelegatedAdministrator" {
            (
                Op::RegisterDelegatedAdministrator,
                "AccountNotFoundException",
            )
        } else {
            (
                Op::DeregisterDelegatedAdministrator,
                "AccountNotRegisteredException",
            )
        };
    let req: DelegationInput = input(body)?;
    let estate = tx.estate();
    let org = ctx.managed(estate)?;
    if !members(estate, org).any(|a| a.id.as_str() == req.account_id) {
        return Err(account_not_found(org, &req.account_id));
    }
    let op = op(Delegation {
        organization: org.management.clone(),
        account: AccountId::new(req.account_id),
        service_principal: req.service_principal,
    });
    tx.apply(&op).map_err(|e| refused(e, not_found))?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DelegatedAdministratorsInput {
    service_principal: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListDelegatedAdministrators`: one entry per account, whatever it administers, as AWS
/// lists them; `ServicePrincipal` narrows to one service.
pub fn list_delegated_administrators(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: DelegatedAdministratorsInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    if req.service_principal.as_deref() == Some("") {
        return Err(invalid("`ServicePrincipal` must not be empty"));
    }
    let mut seen: Vec<&AccountId> = Vec::new();
    let mut items = Vec::new();
    for d in &org.delegated_administrators {
        if req
            .service_principal
            .as_ref()
            .is_some_and(|s| *s != d.service_principal)
            || seen.contains(&&d.account)
        {
            continue;
        }
        seen.push(&d.account);
        if let Some(a) = estate.account(&d.account) {
            let mut v = account_json(estate.partition(), org, a);
            if let Value::Object(map) = &mut v {
                map.remove("Paths");
                map.insert("DelegationEnabledDate".to_owned(), epoch(d.at));
            }
            items.push(v);
        }
    }
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(
        json!({ "DelegatedAdministrators": items }),
        next,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DelegatedServicesInput {
    account_id: String,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListDelegatedServicesForAccount`: `AccountNotRegisteredException` for an account that
/// administers nothing, as AWS answers.
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
    let services: Vec<Value> = org
        .delegated_administrators
        .iter()
        .filter(|d| d.account.as_str() == req.account_id)
        .map(|d| json!({"ServicePrincipal": d.service_principal, "DelegationEnabledDate": epoch(d.at)}))
        .collect();
    if services.is_empty() {
        return Err(ApiError::bad_request(
            "AccountNotRegisteredException",
            format!(
                "The provided account is not a registered delegated administrator: `{}`",
                req.account_id
            ),
        ));
    }
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, services);
    Ok(with_token(json!({ "DelegatedServices": items }), next))
}
