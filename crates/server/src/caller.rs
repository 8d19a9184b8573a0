//! Who is calling and where: the account an access key acts as, and the signing region.
//!
//! The caller's account comes from the access key id of the SigV4 `Authorization` header
//! ([`caller_account`]): a 12-digit access key id *is* the account id, so
//! `AWS_ACCESS_KEY_ID=210987654321` acts as member account 210987654321 and its SCPs apply;
//! any other key acts as the management account of the first organization of the estate (or,
//! without organizations, its first account). The region is the signing region.

use kiro_estate::{AccountId, Estate, Instance, Organization};

use crate::error::ApiError;

/// Who is calling and where, as the handlers see it.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The access key id of the signature.
    pub access_key: String,
    /// The signing region.
    pub region: String,
    /// The operation's name (the part of the target after the dot), for pagination tokens and
    /// for a handler that serves two operations.
    pub operation: &'static str,
}

impl Ctx {
    /// The calling account (see [`caller_account`]).
    pub fn caller(&self, estate: &Estate) -> AccountId {
        caller_account(estate, &self.access_key)
    }

    /// The caller's organization; `AWSOrganizationsNotInUseException` outside one.
    pub fn organization<'e>(&self, estate: &'e Estate) -> Result<&'e Organization, ApiError> {
        let caller = self.caller(estate);
        estate.organization_of(&caller).ok_or_else(|| {
            ApiError::bad_request(
                "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization.",
            )
        })
    }

    /// The caller's organization, when the caller is its management account: Organizations
    /// serves only the management account (there are no delegated administrators here).
    pub fn managed<'e>(&self, estate: &'e Estate) -> Result<&'e Organization, ApiError> {
        let org = self.organization(estate)?;
        let caller = self.caller(estate);
        if org.management == caller {
            Ok(org)
        } else {
            Err(ApiError::access_denied(format!(
                "you don't have permissions to access this resource: account `{caller}` is not the management account of {}",
                org.id
            )))
        }
    }

    /// `inst` when the caller owns it, else an `AccessDeniedException` saying `denied(caller)`:
    /// Identity Center and its identity store both serve only the instance's owner, and each
    /// names the instance its own way.
    pub fn owned<'e>(
        &self,
        estate: &Estate,
        inst: &'e Instance,
        denied: impl FnOnce(&AccountId) -> String,
    ) -> Result<&'e Instance, ApiError> {
        let caller = self.caller(estate);
        if inst.account != caller {
            return Err(ApiError::access_denied(denied(&caller)));
        }
        Ok(inst)
    }
}

/// The account an access key id acts as: a 12-digit key is that account; any other key is the
/// management account of the first organization, or else the first account of the estate.
pub fn caller_account(estate: &Estate, access_key: &str) -> AccountId {
    if kiro_estate::ids::is_account_id(access_key) {
        return AccountId::new(access_key);
    }
    estate
        .organizations
        .iter()
        .next()
        .map(|o| o.management.clone())
        .or_else(|| estate.accounts.iter().next().map(|a| a.id.clone()))
        .unwrap_or_else(|| AccountId::new("000000000000"))
}
