//! Trusted token issuers of an instance: outside OAuth 2.0 issuers (AWS's `OIDC_JWT`, keys
//! found by OpenID discovery) whose tokens applications exchange for Identity Center's, each
//! naming its user by one claim matched with one identity store attribute.

use kiro_estate::op::{CreateTrustedTokenIssuer, TrustedTokenIssuerRef, UpdateTrustedTokenIssuer};
use kiro_estate::{Applied, Estate, Instance, TrustedTokenIssuer, ids};

use super::{Ctx, Output, instance, instance_mut};
use crate::error::{OpError, conflict, invalid, not_found, quota};

/// At most this many trusted token issuers per instance. The quotas page of IAM Identity
/// Center does not list them; kiro-org keeps 10 until a source says otherwise, and a test
/// holds the engine to it so that changing it is deliberate.
pub const MAX_TRUSTED_TOKEN_ISSUERS: usize = 10;

/// A name of 1 to 255 of `\w+=,.@-`.
fn check_name(name: &str) -> Result<(), OpError> {
    let ok = (1..=255).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_+=,.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{name}` is not a trusted token issuer name: 1 to 255 letters, digits or `_+=,.@-`"
        )))
    }
}

/// An issuer URL: `https://` (or `http://`) and a host, at most 512 characters.
fn check_url(url: &str) -> Result<(), OpError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    if url.len() <= 512 && rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace)) {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{url}` is not an issuer URL, such as `https://login.example.com`"
        )))
    }
}

/// An attribute path: 1 to 3 words of letters joined by `.` (a claim's also by `_`), at
/// most 255 characters.
fn check_path(path: &str, what: &str, joins: &str) -> Result<(), OpError> {
    let words: Vec<&str> = path.split(|c| joins.contains(c)).collect();
    let ok = path.chars().count() <= 255
        && words.len() <= 3
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(char::is_alphabetic));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{path}` is not {what}: 1 to 3 words of letters joined by `{joins}`"
        )))
    }
}

fn check_claim(path: &str) -> Result<(), OpError> {
    check_path(path, "a claim attribute path", "._")
}

fn check_attribute(path: &str) -> Result<(), OpError> {
    check_path(path, "an identity store attribute path", ".")
}

fn issuer<'e>(inst: &'e Instance, name: &str) -> Result<&'e TrustedTokenIssuer, OpError> {
    inst.trusted_token_issuers
        .get(name)
        .ok_or_else(|| not_found(format!("trusted token issuer `{name}` does not exist")))
}

fn unique_name(inst: &Instance, name: &str) -> Result<(), OpError> {
    if inst.trusted_token_issuers.contains(name) {
        return Err(conflict(format!(
            "trusted token issuer `{name}` already exists"
        )));
    }
    Ok(())
}

fn arn(inst: &Instance, tti: &TrustedTokenIssuer) -> String {
    ids::arn::trusted_token_issuer(inst.partition(), &inst.account, &inst.id, &tti.id)
}

/// `create-trusted-token-issuer`: unique by name and by issuer URL within its instance, at
/// most [`MAX_TRUSTED_TOKEN_ISSUERS`].
pub fn create_trusted_token_issuer(
    estate: &mut Estate,
    input: &CreateTrustedTokenIssuer,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    check_name(&input.name)?;
    check_url(&input.issuer_url)?;
    check_claim(&input.claim_attribute_path)?;
    check_attribute(&input.identity_store_attribute_path)?;
    unique_name(inst, &input.name)?;
    if let Some(other) = inst
        .trusted_token_issuers
        .iter()
        .find(|t| t.issuer_url == input.issuer_url)
    {
        return Err(conflict(format!(
            "trusted token issuer `{}` has issuer URL `{}` already",
            other.name, input.issuer_url
        )));
    }
    if inst.trusted_token_issuers.len() >= MAX_TRUSTED_TOKEN_ISSUERS {
        return Err(quota(format!(
            "the instance of `{}` has {MAX_TRUSTED_TOKEN_ISSUERS} trusted token issuers, as many as AWS allows",
            input.instance
        )));
    }
    let tti = TrustedTokenIssuer {
        name: input.name.clone(),
        id: ids::trusted_token_issuer_id(&input.instance, &input.name, &ctx.at.to_string()),
        issuer_url: input.issuer_url.clone(),
        claim_attribute_path: input.claim_attribute_path.clone(),
        identity_store_attribute_path: input.identity_store_attribute_path.clone(),
        created: ctx.at,
    };
    let trusted_token_issuer_arn = arn(inst, &tti);
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst.trusted_token_issuers.insert(tti);
    Ok(Applied::TrustedTokenIssuerChanged {
        trusted_token_issuer_arn,
        change: "created",
    })
}

/// `update-trusted-token-issuer`: a new name is unique within its instance; its issuer URL
/// never changes, as in AWS.
pub fn update_trusted_token_issuer(
    estate: &mut Estate,
    input: &UpdateTrustedTokenIssuer,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    let current = issuer(inst, &input.trusted_token_issuer)?;
    if let Some(name) = input.name.as_deref().filter(|n| *n != current.name) {
        check_name(name)?;
        unique_name(inst, name)?;
    }
    if let Some(p) = &input.claim_attribute_path {
        check_claim(p)?;
    }
    if let Some(p) = &input.identity_store_attribute_path {
        check_attribute(p)?;
    }
    let mut tti = current.clone();
    if let Some(name) = &input.name {
        tti.name.clone_from(name);
    }
    if let Some(p) = &input.claim_attribute_path {
        tti.claim_attribute_path.clone_from(p);
    }
    if let Some(p) = &input.identity_store_attribute_path {
        tti.identity_store_attribute_path.clone_from(p);
    }
    let trusted_token_issuer_arn = arn(inst, &tti);
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst
        .trusted_token_issuers
        .remove(&input.trusted_token_issuer);
    // The grants that accept its tokens follow it to its new name.
    for app in inst.applications.iter_mut() {
        for grant in app.grants.values_mut() {
            for issuer in &mut grant.authorized_token_issuers {
                if issuer.trusted_token_issuer == input.trusted_token_issuer {
                    issuer.trusted_token_issuer.clone_from(&tti.name);
                }
            }
        }
    }
    let _ = inst.trusted_token_issuers.insert(tti);
    Ok(Applied::TrustedTokenIssuerChanged {
        trusted_token_issuer_arn,
        change: "updated",
    })
}

/// `delete-trusted-token-issuer`: its tags go with it; not while an application's grant
/// accepts its tokens (AWS's documentation is silent; kiro-org keeps no grant naming an
/// issuer that is gone).
pub fn delete_trusted_token_issuer(
    estate: &mut Estate,
    input: &TrustedTokenIssuerRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    let trusted_token_issuer_arn = arn(inst, issuer(inst, &input.trusted_token_issuer)?);
    if let Some(app) = inst.applications.iter().find(|a| {
        a.grants.values().any(|g| {
            g.authorized_token_issuers
                .iter()
                .any(|i| i.trusted_token_issuer == input.trusted_token_issuer)
        })
    }) {
        return Err(conflict(format!(
            "application `{}` has a grant that accepts the tokens of `{}`; delete that grant first",
            app.name, input.trusted_token_issuer
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst
        .trusted_token_issuers
        .remove(&input.trusted_token_issuer);
    let _ = inst.tags.remove(&trusted_token_issuer_arn);
    Ok(Applied::TrustedTokenIssuerChanged {
        trusted_token_issuer_arn,
        change: "deleted",
    })
}
