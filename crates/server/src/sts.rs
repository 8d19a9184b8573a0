//! AWS STS (query protocol, signing name `sts`): who the caller is.
//!
//! `GetCallerIdentity` is the first call of nearly every script (`aws sts get-caller-identity`)
//! and of SDK code that checks its credentials. The access key acts as an account
//! ([`crate::caller`]) and carries no IAM user or role, so the caller is that account's root
//! user: AWS answers root credentials with the ARN `arn:<partition>:iam::<account>:root` and the
//! account id as the user id. The partition follows the signing region.

use kiro_estate::ids;

use crate::Ctx;
use crate::error::ApiError;
use crate::query::{Fields, Params};
use crate::store::State;

/// `GetCallerIdentity`: the caller's account, its root user's ARN in the caller's partition,
/// and the account id as the user id.
pub fn get_caller_identity(ctx: &Ctx, state: &State, _: &Params) -> Result<Fields, ApiError> {
    let account = ctx.caller(state.estate());
    Ok(vec![
        (
            "Arn",
            ids::arn::root_user(state.estate().partition(), &account),
        ),
        ("UserId", account.to_string()),
        ("Account", account.to_string()),
    ])
}
