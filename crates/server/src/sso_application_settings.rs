//! What a customer managed application allows besides signing in, over SSO Admin's wire API:
//! `PutApplicationAccessScope`, `DeleteApplicationAccessScope`,
//! `PutApplicationAuthenticationMethod`, `DeleteApplicationAuthenticationMethod`,
//! `PutApplicationGrant`, `DeleteApplicationGrant`, `PutApplicationAssignmentConfiguration`
//! and `PutApplicationSessionConfiguration` → `update-application`, and their reads (`Get…`,
//! `List…`).
//!
//! A Kiro profile's application is AWS managed: its settings are AWS's, so writes are refused
//! and reads answer what a new application has (no scopes, methods or grants, assignment
//! required, no user background sessions).

use kiro_engine::Op;
use kiro_engine::op::{AccessScope, GrantInput, UpdateApplication};
use kiro_engine::ops::application_settings::{AUTHORIZATION_CODE, JWT_BEARER};
use kiro_estate::ids::arn;
use kiro_estate::{Application, AuthorizedTokenIssuer, Grant, Instance};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::pagination::{SSO, SSO_SCOPES, page, with_token};
use crate::sso_admin::{App, owned_application};
use crate::sso_applications::custom_name;
use crate::store::{State, Tx};
use crate::translate::Unresolved;

/// The only authentication method type AWS has.
const IAM: &str = "IAM";

/// The customer managed application `application_arn` names and its instance, for a read;
/// none for a Kiro profile's.
fn settings<'e>(
    ctx: &Ctx,
    state: &'e State,
    application_arn: &str,
) -> Result<(Option<&'e Application>, &'e Instance), ApiError> {
    let (app, inst) = owned_application(ctx, state.estate(), application_arn)?;
    Ok(match app {
        App::Custom(a) => (Some(a), inst),
        App::Kiro(_) => (None, inst),
    })
}

/// Applies `update-application` with `change` to the application `application_arn` names.
fn update(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    application_arn: &str,
    change: impl FnOnce(&mut UpdateApplication, &mut Unresolved),
) -> Result<Value, ApiError> {
    let mut unresolved = Unresolved::default();
    let application = custom_name(ctx, tx, application_arn, &mut unresolved);
    let mut input = UpdateApplication {
        instance: ctx.caller(tx.estate()),
        application,
        ..UpdateApplication::default()
    };
    change(&mut input, &mut unresolved);
    let op = Op::UpdateApplication(input);
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

/// A `ValidationException` unless `kind` is `IAM`.
fn iam(kind: &str) -> Result<(), ApiError> {
    if kind == IAM {
        Ok(())
    } else {
        Err(ApiError::validation(format!(
            "`{kind}` is not an authentication method type: use IAM"
        )))
    }
}

fn not_found(what: String, application_arn: &str) -> ApiError {
    ApiError::not_found(format!("application `{application_arn}` has no {what}"))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PutScopeInput {
    application_arn: String,
    scope: String,
    authorized_targets: Option<Vec<String>>,
}

/// `PutApplicationAccessScope` → `update-application` with `put-access-scope`.
pub fn put_access_scope(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: PutScopeInput = input(body)?;
    update(ctx, tx, &req.application_arn, |u, _| {
        u.put_access_scope = Some(AccessScope {
            scope: req.scope,
            targets: req.authorized_targets.unwrap_or_default(),
        });
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ScopeInput {
    application_arn: String,
    scope: String,
}

/// `DeleteApplicationAccessScope` → `update-application` with `delete-access-scope`.
pub fn delete_access_scope(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: ScopeInput = input(body)?;
    update(ctx, tx, &req.application_arn, |u, _| {
        u.delete_access_scope = Some(req.scope);
    })
}

fn scope_json(scope: &str, targets: &[String]) -> Value {
    let mut v = json!({ "Scope": scope });
    if !targets.is_empty() {
        v["AuthorizedTargets"] = json!(targets);
    }
    v
}

/// `GetApplicationAccessScope`.
pub fn get_access_scope(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ScopeInput = input(body)?;
    let (app, _) = settings(ctx, state, &req.application_arn)?;
    app.and_then(|a| a.access_scopes.get(&req.scope))
        .map(|targets| scope_json(&req.scope, targets))
        .ok_or_else(|| {
            not_found(
                format!("access scope `{}`", req.scope),
                &req.application_arn,
            )
        })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListInput {
    application_arn: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListApplicationAccessScopes`: at most 10 a page, as AWS answers.
pub fn list_access_scopes(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    let (app, _) = settings(ctx, state, &req.application_arn)?;
    let p = page(ctx, SSO_SCOPES, &req.next_token, req.max_results)?;
    let scopes = app.into_iter().flat_map(|a| &a.access_scopes);
    let (items, next) = p.apply(ctx.operation, scopes.map(|(s, t)| scope_json(s, t)));
    Ok(with_token(json!({ "Scopes": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct IamMethod {
    actor_policy: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Method {
    iam: Option<IamMethod>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PutMethodInput {
    application_arn: String,
    authentication_method_type: String,
    authentication_method: Method,
}

/// `PutApplicationAuthenticationMethod` → `update-application` with `put-iam-authentication`.
pub fn put_authentication_method(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: PutMethodInput = input(body)?;
    iam(&req.authentication_method_type)?;
    let policy = req
        .authentication_method
        .iam
        .ok_or_else(|| ApiError::missing("Iam"))?
        .actor_policy;
    update(ctx, tx, &req.application_arn, |u, _| {
        u.put_iam_authentication = Some(policy.to_string());
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct MethodInput {
    application_arn: String,
    authentication_method_type: String,
}

/// `DeleteApplicationAuthenticationMethod` → `update-application` with
/// `delete-iam-authentication`.
pub fn delete_authentication_method(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: MethodInput = input(body)?;
    iam(&req.authentication_method_type)?;
    update(ctx, tx, &req.application_arn, |u, _| {
        u.delete_iam_authentication = true;
    })
}

/// An `AuthenticationMethod` of `app`'s IAM method, if it has one.
fn method_json(app: Option<&Application>) -> Option<Value> {
    let policy = app?.iam_authentication.as_deref()?;
    let document: Value = serde_json::from_str(policy).unwrap_or(Value::Null);
    Some(json!({ "Iam": { "ActorPolicy": document } }))
}

/// `GetApplicationAuthenticationMethod`.
pub fn get_authentication_method(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: MethodInput = input(body)?;
    iam(&req.authentication_method_type)?;
    let (app, _) = settings(ctx, state, &req.application_arn)?;
    let method = method_json(app)
        .ok_or_else(|| not_found("IAM authentication method".to_owned(), &req.application_arn))?;
    Ok(json!({ "AuthenticationMethod": method }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TokenListInput {
    application_arn: String,
    next_token: Option<String>,
}

/// `ListApplicationAuthenticationMethods`.
pub fn list_authentication_methods(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: TokenListInput = input(body)?;
    let (app, _) = settings(ctx, state, &req.application_arn)?;
    let p = page(ctx, SSO, &req.next_token, None)?;
    let methods = method_json(app)
        .map(|m| json!({ "AuthenticationMethodType": IAM, "AuthenticationMethod": m }));
    let (items, next) = p.apply(ctx.operation, methods);
    Ok(with_token(json!({ "AuthenticationMethods": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CodeGrant {
    redirect_uris: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct WireIssuer {
    trusted_token_issuer_arn: String,
    authorized_audiences: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct BearerGrant {
    authorized_token_issuers: Option<Vec<WireIssuer>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Empty {}

/// AWS's `Grant`, a union: exactly one member, the one of the request's `GrantType`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct WireGrant {
    authorization_code: Option<CodeGrant>,
    jwt_bearer: Option<BearerGrant>,
    refresh_token: Option<Empty>,
    token_exchange: Option<Empty>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PutGrantInput {
    application_arn: String,
    grant_type: String,
    grant: WireGrant,
}

/// The member of `grant` that is given, by the grant type it belongs to.
fn member(grant: &WireGrant) -> Result<&'static str, ApiError> {
    let given = [
        grant
            .authorization_code
            .as_ref()
            .map(|_| AUTHORIZATION_CODE),
        grant.jwt_bearer.as_ref().map(|_| JWT_BEARER),
        grant.refresh_token.as_ref().map(|_| "refresh_token"),
        grant
            .token_exchange
            .as_ref()
            .map(|_| "urn:ietf:params:oauth:grant-type:token-exchange"),
    ];
    match given.iter().flatten().collect::<Vec<_>>()[..] {
        [one] => Ok(one),
        _ => Err(ApiError::validation(
            "a `Grant` has exactly one of `AuthorizationCode`, `JwtBearer`, `RefreshToken` and `TokenExchange`",
        )),
    }
}

/// The name of the trusted token issuer `tti_arn` of `inst`.
fn issuer_name(inst: Option<&Instance>, tti_arn: &str) -> Result<String, ApiError> {
    inst.and_then(|i| {
        i.trusted_token_issuers
            .iter()
            .find(|t| arn::trusted_token_issuer(i.partition(), &i.account, &i.id, &t.id) == tti_arn)
    })
    .map(|t| t.name.clone())
    .ok_or_else(|| ApiError::not_found(format!("trusted token issuer `{tti_arn}` does not exist")))
}

/// `PutApplicationGrant` → `update-application` with `put-grant`; the grant's member must be
/// the one of its `GrantType`, and its token issuers are named by ARN.
pub fn put_grant(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: PutGrantInput = input(body)?;
    let given = member(&req.grant)?;
    if given != req.grant_type {
        return Err(ApiError::validation(format!(
            "grant type `{}` does not match its grant, which is `{given}`'s",
            req.grant_type
        )));
    }
    let inst = owned_application(ctx, tx.estate(), &req.application_arn)
        .ok()
        .map(|(_, i)| i);
    let wire = req
        .grant
        .jwt_bearer
        .and_then(|j| j.authorized_token_issuers)
        .unwrap_or_default();
    let named: Vec<_> = wire
        .into_iter()
        .map(|w| (issuer_name(inst, &w.trusted_token_issuer_arn), w))
        .collect();
    update(ctx, tx, &req.application_arn, |u, unresolved| {
        let issuers = named
            .into_iter()
            .map(|(found, w)| AuthorizedTokenIssuer {
                trusted_token_issuer: unresolved.or_written(found, w.trusted_token_issuer_arn),
                audiences: w.authorized_audiences.unwrap_or_default(),
            })
            .collect();
        u.put_grant = Some(GrantInput {
            grant_type: req.grant_type,
            redirect_uris: req
                .grant
                .authorization_code
                .and_then(|c| c.redirect_uris)
                .unwrap_or_default(),
            authorized_token_issuers: issuers,
        });
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct GrantTypeInput {
    application_arn: String,
    grant_type: String,
}

/// `DeleteApplicationGrant` → `update-application` with `delete-grant`.
pub fn delete_grant(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: GrantTypeInput = input(body)?;
    update(ctx, tx, &req.application_arn, |u, _| {
        u.delete_grant = Some(req.grant_type);
    })
}

/// AWS's `Grant` of `grant`, of type `kind`, in `inst`.
fn grant_json(inst: &Instance, kind: &str, grant: &Grant) -> Value {
    match kind {
        AUTHORIZATION_CODE => json!({"AuthorizationCode": {"RedirectUris": grant.redirect_uris}}),
        JWT_BEARER => {
            let issuers: Vec<Value> = grant
                .authorized_token_issuers
                .iter()
                .map(|i| {
                    let arn = inst
                        .trusted_token_issuers
                        .get(&i.trusted_token_issuer)
                        .map(|t| {
                            arn::trusted_token_issuer(
                                inst.partition(),
                                &inst.account,
                                &inst.id,
                                &t.id,
                            )
                        });
                    json!({"TrustedTokenIssuerArn": arn, "AuthorizedAudiences": i.audiences})
                })
                .collect();
            json!({"JwtBearer": {"AuthorizedTokenIssuers": issuers}})
        }
        "refresh_token" => json!({"RefreshToken": {}}),
        _ => json!({"TokenExchange": {}}),
    }
}

/// `GetApplicationGrant`.
pub fn get_grant(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: GrantTypeInput = input(body)?;
    let (app, inst) = settings(ctx, state, &req.application_arn)?;
    app.and_then(|a| a.grants.get(&req.grant_type))
        .map(|g| json!({ "Grant": grant_json(inst, &req.grant_type, g) }))
        .ok_or_else(|| not_found(format!("grant `{}`", req.grant_type), &req.application_arn))
}

/// `ListApplicationGrants`.
pub fn list_grants(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: TokenListInput = input(body)?;
    let (app, inst) = settings(ctx, state, &req.application_arn)?;
    let p = page(ctx, SSO, &req.next_token, None)?;
    let grants = app
        .into_iter()
        .flat_map(|a| &a.grants)
        .map(|(kind, g)| json!({ "GrantType": kind, "Grant": grant_json(inst, kind, g) }));
    let (items, next) = p.apply(ctx.operation, grants);
    Ok(with_token(json!({ "Grants": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AssignmentConfigurationInput {
    application_arn: String,
    assignment_required: bool,
}

/// `PutApplicationAssignmentConfiguration` → `update-application` with
/// `assignment-required`.
pub fn put_assignment_configuration(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: AssignmentConfigurationInput = input(body)?;
    update(ctx, tx, &req.application_arn, |u, _| {
        u.assignment_required = Some(req.assignment_required);
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ApplicationInput {
    application_arn: String,
}

/// `GetApplicationAssignmentConfiguration`: required unless set otherwise, as AWS's default.
pub fn get_assignment_configuration(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ApplicationInput = input(body)?;
    let (app, _) = settings(ctx, state, &req.application_arn)?;
    let required = app.and_then(|a| a.assignment_required).unwrap_or(true);
    Ok(json!({ "AssignmentRequired": required }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SessionConfigurationInput {
    application_arn: String,
    user_background_session_application_status: Option<String>,
}

/// `PutApplicationSessionConfiguration` → `update-application` with
/// `user-background-sessions`; without a status, the application keeps its own.
pub fn put_session_configuration(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: SessionConfigurationInput = input(body)?;
    let on = match req.user_background_session_application_status.as_deref() {
        Some("ENABLED") => Some(true),
        Some("DISABLED") => Some(false),
        None => None,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "`{other}` is not a session status: use ENABLED or DISABLED"
            )));
        }
    };
    let current = owned_application(ctx, tx.estate(), &req.application_arn)
        .ok()
        .and_then(|(app, _)| match app {
            App::Custom(a) => Some(a.user_background_sessions),
            App::Kiro(_) => None,
        })
        .unwrap_or_default();
    update(ctx, tx, &req.application_arn, |u, _| {
        u.user_background_sessions = Some(on.unwrap_or(current));
    })
}

/// `GetApplicationSessionConfiguration`.
pub fn get_session_configuration(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ApplicationInput = input(body)?;
    let (app, _) = settings(ctx, state, &req.application_arn)?;
    let on = app.is_some_and(|a| a.user_background_sessions);
    Ok(json!({
        "UserBackgroundSessionApplicationStatus": if on { "ENABLED" } else { "DISABLED" },
    }))
}
