//! Who is calling and where: the account an access key acts as, and the signing region.
//!
//! The caller's account comes from the access key id of the SigV4 `Authorization` header
//! ([`caller_account`]): a 12-digit access key id *is* the account id, so
//! `AWS_ACCESS_KEY_ID=210987654321` acts as member account 210987654321 and its SCPs apply;
//! any other key acts as the management account of the first organization of the estate (or,
//! without organizations, its first account). The region is the signing region.

use kiro_estate::{AccountId, Estate};

/// Who is calling and where, as the handlers see it.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The access key id of the signature.
    pub access_key: String,
    /// The signing region.
    pub region: String,
    /// The operation's name (the part of the target after the dot), for pagination tokens.
    pub operation: &'static str,
}

impl Ctx {
    /// The calling account (see [`caller_account`]).
    pub fn caller(&self, estate: &Estate) -> AccountId {
        caller_account(estate, &self.access_key)
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
