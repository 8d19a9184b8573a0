//! What a customer managed application allows besides signing in, changed by
//! `update-application`: the access scopes it may request, its IAM authentication method, its
//! OAuth 2.0 grants, whether users must be assigned to it, and user background sessions.

use kiro_estate::op::{AccessScope, GrantInput, UpdateApplication};
use kiro_estate::validate::json_object;
use kiro_estate::{Application, Grant, Instance};

use crate::error::{OpError, invalid, not_found};

/// At most this many access scopes per application (AWS's quota, not adjustable); AWS's
/// `PutApplicationAccessScope` reports more as a `ValidationException`.
pub use kiro_estate::validate::MAX_ACCESS_SCOPES;
/// At most this many targets of a scope, redirect URIs, token issuers of a grant and
/// audiences of one issuer (the lengths of AWS's lists).
pub const MAX_ITEMS: usize = 10;
/// The grant that carries redirect URIs.
pub const AUTHORIZATION_CODE: &str = "authorization_code";
/// The grant that carries trusted token issuers.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// AWS's grant types.
pub const GRANT_TYPES: [&str; 4] = [
    AUTHORIZATION_CODE,
    "refresh_token",
    JWT_BEARER,
    "urn:ietf:params:oauth:grant-type:token-exchange",
];

/// The IAM action `update-application` needs for the setting it changes, else
/// `sso:UpdateApplication`.
pub fn actions(input: &UpdateApplication) -> &'static [&'static str] {
    if input.put_access_scope.is_some() {
        &["sso:PutApplicationAccessScope"]
    } else if input.delete_access_scope.is_some() {
        &["sso:DeleteApplicationAccessScope"]
    } else if input.put_iam_authentication.is_some() {
        &["sso:PutApplicationAuthenticationMethod"]
    } else if input.delete_iam_authentication {
        &["sso:DeleteApplicationAuthenticationMethod"]
    } else if input.put_grant.is_some() {
        &["sso:PutApplicationGrant"]
    } else if input.delete_grant.is_some() {
        &["sso:DeleteApplicationGrant"]
    } else if input.assignment_required.is_some() {
        &["sso:PutApplicationAssignmentConfiguration"]
    } else if input.user_background_sessions.is_some() {
        &["sso:PutApplicationSessionConfiguration"]
    } else {
        &["sso:UpdateApplication"]
    }
}

/// At most [`MAX_ITEMS`] of `what`.
fn few(count: usize, what: &str) -> Result<(), OpError> {
    if count > MAX_ITEMS {
        return Err(invalid(format!(
            "{count} {what} are more than the {MAX_ITEMS} AWS allows"
        )));
    }
    Ok(())
}

/// A scope of 1 to 3 words of up to 50 letters, digits or `_`, joined by `:`.
fn check_scope(scope: &AccessScope) -> Result<(), OpError> {
    let words: Vec<&str> = scope.scope.split(':').collect();
    let ok = words.len() <= 3
        && words.iter().all(|w| {
            (1..=50).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
    if !ok {
        return Err(invalid(format!(
            "`{}` is not an access scope, such as `sso:account:access`",
            scope.scope
        )));
    }
    few(scope.targets.len(), "targets of a scope")
}

/// The grant `input` puts: a type of [`GRANT_TYPES`], redirect URIs only for an authorization
/// code grant, token issuers (of the instance) only for a JWT bearer grant.
fn grant(inst: &Instance, input: &GrantInput) -> Result<Grant, OpError> {
    let kind = input.grant_type.as_str();
    if !GRANT_TYPES.contains(&kind) {
        return Err(invalid(format!(
            "`{kind}` is not a grant type: use one of {}",
            GRANT_TYPES.join(", ")
        )));
    }
    if !input.redirect_uris.is_empty() && kind != AUTHORIZATION_CODE {
        return Err(invalid(format!(
            "only an `{AUTHORIZATION_CODE}` grant has redirect URIs"
        )));
    }
    if !input.authorized_token_issuers.is_empty() && kind != JWT_BEARER {
        return Err(invalid(format!(
            "only a `{JWT_BEARER}` grant has authorized token issuers"
        )));
    }
    few(input.redirect_uris.len(), "redirect URIs")?;
    few(
        input.authorized_token_issuers.len(),
        "authorized token issuers",
    )?;
    for issuer in &input.authorized_token_issuers {
        if !inst
            .trusted_token_issuers
            .contains(&issuer.trusted_token_issuer)
        {
            return Err(not_found(format!(
                "trusted token issuer `{}` does not exist",
                issuer.trusted_token_issuer
            )));
        }
        few(issuer.audiences.len(), "audiences of a token issuer")?;
    }
    Ok(Grant {
        redirect_uris: input.redirect_uris.clone(),
        authorized_token_issuers: input.authorized_token_issuers.clone(),
    })
}

/// Checks every setting `input` changes on `app` of `inst`, and returns the grant it puts.
pub(crate) fn check(
    inst: &Instance,
    app: &Application,
    input: &UpdateApplication,
) -> Result<Option<Grant>, OpError> {
    if let Some(scope) = &input.put_access_scope {
        check_scope(scope)?;
        if !app.access_scopes.contains_key(&scope.scope)
            && app.access_scopes.len() >= MAX_ACCESS_SCOPES
        {
            return Err(invalid(format!(
                "application `{}` has {MAX_ACCESS_SCOPES} access scopes, as many as AWS allows",
                app.name
            )));
        }
    }
    if let Some(scope) = &input.delete_access_scope
        && !app.access_scopes.contains_key(scope)
    {
        return Err(not_found(format!(
            "application `{}` has no access scope `{scope}`",
            app.name
        )));
    }
    if let Some(policy) = &input.put_iam_authentication {
        json_object(policy, "the actor policy").map_err(invalid)?;
    }
    if input.delete_iam_authentication && app.iam_authentication.is_none() {
        return Err(not_found(format!(
            "application `{}` has no IAM authentication method",
            app.name
        )));
    }
    if let Some(kind) = &input.delete_grant
        && !app.grants.contains_key(kind)
    {
        return Err(not_found(format!(
            "application `{}` has no grant `{kind}`",
            app.name
        )));
    }
    input.put_grant.as_ref().map(|g| grant(inst, g)).transpose()
}

/// Makes the changes [`check`] allowed.
pub(crate) fn apply(app: &mut Application, input: &UpdateApplication, grant: Option<Grant>) {
    if let Some(scope) = &input.put_access_scope {
        let _ = app
            .access_scopes
            .insert(scope.scope.clone(), scope.targets.clone());
    }
    if let Some(scope) = &input.delete_access_scope {
        let _ = app.access_scopes.remove(scope);
    }
    if let Some(policy) = &input.put_iam_authentication {
        app.iam_authentication = Some(policy.clone());
    }
    if input.delete_iam_authentication {
        app.iam_authentication = None;
    }
    if let (Some(g), Some(put)) = (grant, &input.put_grant) {
        let _ = app.grants.insert(put.grant_type.clone(), g);
    }
    if let Some(kind) = &input.delete_grant {
        let _ = app.grants.remove(kind);
    }
    if let Some(required) = input.assignment_required {
        app.assignment_required = Some(required);
    }
    if let Some(on) = input.user_background_sessions {
        app.user_background_sessions = on;
    }
}
