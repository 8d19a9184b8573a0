//! Trusted token issuers of an instance: `CreateTrustedTokenIssuer` →
//! `create-trusted-token-issuer`, `UpdateTrustedTokenIssuer` → `update-trusted-token-issuer`,
//! `DeleteTrustedTokenIssuer` → `delete-trusted-token-issuer`, and the reads
//! (`DescribeTrustedTokenIssuer`, `ListTrustedTokenIssuers`). AWS has one type, `OIDC_JWT`,
//! with one way to find its keys, `OPEN_ID_DISCOVERY`; a request naming another is refused.

use kiro_engine::op::{CreateTrustedTokenIssuer, TrustedTokenIssuerRef, UpdateTrustedTokenIssuer};
use kiro_engine::{Applied, Op};
use kiro_estate::ids::arn;
use kiro_estate::{Estate, Instance, TrustedTokenIssuer};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{SSO, page, with_token};
use crate::sso_admin::InstanceListInput as ListInput;
use crate::sso_admin::{own_instance, owned_instance};
use crate::store::{State, Tx};
use crate::translate::Unresolved;

const TYPE: &str = "OIDC_JWT";
const JWKS: &str = "OPEN_ID_DISCOVERY";

/// A `ValidationException` naming `member` when `value` is given and is not `allowed`.
fn only(member: &str, value: Option<&str>, allowed: &str) -> Result<(), ApiError> {
    match value {
        Some(v) if v != allowed => Err(ApiError::validation(format!(
            "`{v}` is not a valid `{member}`: use {allowed}"
        ))),
        _ => Ok(()),
    }
}

fn issuer_arn(inst: &Instance, t: &TrustedTokenIssuer) -> String {
    arn::trusted_token_issuer(inst.partition(), &inst.account, &inst.id, &t.id)
}

/// The trusted token issuer `tti_arn` names and its instance, if the caller owns it.
fn owned_issuer<'e>(
    ctx: &Ctx,
    estate: &'e Estate,
    tti_arn: &str,
) -> Result<(&'e Instance, &'e TrustedTokenIssuer), ApiError> {
    let (inst, t) = estate
        .instances
        .iter()
        .find_map(|i| {
            i.trusted_token_issuers
                .iter()
                .find(|t| issuer_arn(i, t) == tti_arn)
                .map(|t| (i, t))
        })
        .ok_or_else(|| {
            ApiError::not_found(format!("trusted token issuer `{tti_arn}` does not exist"))
        })?;
    owned_instance(ctx, estate, &arn::instance(inst.partition(), &inst.id))?;
    Ok((inst, t))
}

/// The name of trusted token issuer `tti_arn` for a write, and the caller's account; what did
/// not resolve is kept in `unresolved`.
fn named(
    ctx: &Ctx,
    tx: &Tx<'_>,
    tti_arn: &str,
    unresolved: &mut Unresolved,
) -> (kiro_estate::AccountId, String) {
    let found = owned_issuer(ctx, tx.estate(), tti_arn).map(|(_, t)| t.name.clone());
    let name = unresolved.or_written(found, tti_arn.to_owned());
    (ctx.caller(tx.estate()), name)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct OidcJwt {
    issuer_url: String,
    claim_attribute_path: String,
    identity_store_attribute_path: String,
    jwks_retrieval_option: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Configuration {
    oidc_jwt_configuration: Option<OidcJwt>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(dead_code, reason = "the client token is accepted and not modelled")]
struct CreateInput {
    instance_arn: String,
    name: String,
    trusted_token_issuer_type: String,
    trusted_token_issuer_configuration: Configuration,
    client_token: Option<String>,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `CreateTrustedTokenIssuer` → `create-trusted-token-issuer`, and its `Tags`.
pub fn create_trusted_token_issuer(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: CreateInput = input(body)?;
    only(
        "TrustedTokenIssuerType",
        Some(&req.trusted_token_issuer_type),
        TYPE,
    )?;
    let oidc = req
        .trusted_token_issuer_configuration
        .oidc_jwt_configuration
        .ok_or_else(|| ApiError::missing("OidcJwtConfiguration"))?;
    only(
        "JwksRetrievalOption",
        Some(&oidc.jwks_retrieval_option),
        JWKS,
    )?;
    let tags = crate::sso_tags::checked(req.tags)?;
    let mut unresolved = Unresolved::default();
    let owner = own_instance(ctx, tx, &req.instance_arn, &mut unresolved);
    let op = Op::CreateTrustedTokenIssuer(CreateTrustedTokenIssuer {
        instance: owner.clone(),
        name: req.name,
        issuer_url: oidc.issuer_url,
        claim_attribute_path: oidc.claim_attribute_path,
        identity_store_attribute_path: oidc.identity_store_attribute_path,
    });
    unresolved.authorize_first(tx, &op)?;
    let Applied::TrustedTokenIssuerChanged {
        trusted_token_issuer_arn,
        ..
    } = tx.apply(&op)?
    else {
        return Err(unexpected(&op));
    };
    crate::sso_tags::tag_new(tx, &owner, &trusted_token_issuer_arn, tags)?;
    Ok(json!({ "TrustedTokenIssuerArn": trusted_token_issuer_arn }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct IssuerInput {
    trusted_token_issuer_arn: String,
}

/// `DescribeTrustedTokenIssuer`.
pub fn describe_trusted_token_issuer(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: IssuerInput = input(body)?;
    let (inst, t) = owned_issuer(ctx, state.estate(), &req.trusted_token_issuer_arn)?;
    Ok(json!({
        "TrustedTokenIssuerArn": issuer_arn(inst, t),
        "Name": t.name,
        "TrustedTokenIssuerType": TYPE,
        "TrustedTokenIssuerConfiguration": {"OidcJwtConfiguration": {
            "IssuerUrl": t.issuer_url,
            "ClaimAttributePath": t.claim_attribute_path,
            "IdentityStoreAttributePath": t.identity_store_attribute_path,
            "JwksRetrievalOption": JWKS,
        }},
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct OidcJwtUpdate {
    claim_attribute_path: Option<String>,
    identity_store_attribute_path: Option<String>,
    jwks_retrieval_option: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateConfiguration {
    oidc_jwt_configuration: Option<OidcJwtUpdate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateInput {
    trusted_token_issuer_arn: String,
    name: Option<String>,
    trusted_token_issuer_configuration: Option<UpdateConfiguration>,
}

/// `UpdateTrustedTokenIssuer` → `update-trusted-token-issuer`.
pub fn update_trusted_token_issuer(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: UpdateInput = input(body)?;
    let oidc = req
        .trusted_token_issuer_configuration
        .and_then(|c| c.oidc_jwt_configuration);
    only(
        "JwksRetrievalOption",
        oidc.as_ref()
            .and_then(|o| o.jwks_retrieval_option.as_deref()),
        JWKS,
    )?;
    let mut unresolved = Unresolved::default();
    let (instance, trusted_token_issuer) =
        named(ctx, tx, &req.trusted_token_issuer_arn, &mut unresolved);
    let (claim_attribute_path, identity_store_attribute_path) = oidc
        .map(|o| (o.claim_attribute_path, o.identity_store_attribute_path))
        .unwrap_or_default();
    let op = Op::UpdateTrustedTokenIssuer(UpdateTrustedTokenIssuer {
        instance,
        trusted_token_issuer,
        name: req.name,
        claim_attribute_path,
        identity_store_attribute_path,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

/// `DeleteTrustedTokenIssuer` → `delete-trusted-token-issuer`.
pub fn delete_trusted_token_issuer(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: IssuerInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let (instance, trusted_token_issuer) =
        named(ctx, tx, &req.trusted_token_issuer_arn, &mut unresolved);
    let op = Op::DeleteTrustedTokenIssuer(TrustedTokenIssuerRef {
        instance,
        trusted_token_issuer,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

/// `ListTrustedTokenIssuers`.
pub fn list_trusted_token_issuers(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let items = inst.trusted_token_issuers.iter().map(|t| {
        json!({
            "TrustedTokenIssuerArn": issuer_arn(inst, t),
            "Name": t.name,
            "TrustedTokenIssuerType": TYPE,
        })
    });
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(json!({ "TrustedTokenIssuers": items }), next))
}
