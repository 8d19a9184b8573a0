//! Organizations' operations for what no estate holds: GovCloud accounts and responsibility
//! transfers, answered as AWS answers an organization without them.
//!
//! `CreateGovCloudAccount` → `create-gov-cloud-account`, which the engine refuses as AWS
//! refuses a management account without a GovCloud pairing. An estate records no
//! responsibility transfer, so the listings are empty and a transfer named by id is never
//! found. `InviteOrganizationToTransferResponsibility`, which
//! would create one, is not served.

use kiro_engine::op::CreateGovCloudAccount;
use kiro_engine::{ErrorKind, Op};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::organizations::invalid;
use crate::pagination::{ORGANIZATIONS, page, with_token};
use crate::store::{State, Tx};

/// The only type of responsibility AWS transfers.
const BILLING: &str = "BILLING";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GovCloudInput {
    email: String,
    account_name: String,
}

/// `CreateGovCloudAccount` → `create-gov-cloud-account`, for the management account only.
pub fn create_gov_cloud_account(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: GovCloudInput = input(body)?;
    let op = Op::CreateGovCloudAccount(CreateGovCloudAccount {
        organization: ctx.managed(tx.estate())?.management.clone(),
        name: req.account_name,
        email: req.email,
    });
    tx.apply(&op).map_err(|e| match e.kind {
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("ConstraintViolationException", e.message)
        }
        _ => ApiError::from(e),
    })?;
    Err(unexpected(&op))
}

/// `type` must be `BILLING`.
fn transfer_type(given: &str) -> Result<(), ApiError> {
    if given == BILLING {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{given}` is not a responsibility transfer type: use BILLING"
        )))
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::bad_request(
        "ResponsibilityTransferNotFoundException",
        format!("We can't find a transfer that you specified: `{id}`."),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListInput {
    r#type: String,
    #[serde(default)]
    #[expect(dead_code, reason = "filters transfers, of which there are none")]
    id: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListInboundResponsibilityTransfers` and `ListOutboundResponsibilityTransfers`: empty, for
/// the management account.
pub fn list_responsibility_transfers(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    ctx.managed(state.estate())?;
    transfer_type(&req.r#type)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, Vec::<Value>::new());
    Ok(with_token(json!({"ResponsibilityTransfers": items}), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IdInput {
    id: String,
}

/// `DescribeResponsibilityTransfer`: no transfer is found.
pub fn describe_responsibility_transfer(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: IdInput = input(body)?;
    ctx.managed(state.estate())?;
    Err(not_found(&req.id))
}

/// `UpdateResponsibilityTransfer` and `TerminateResponsibilityTransfer`: no transfer is found,
/// so nothing changes.
pub fn change_responsibility_transfer(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: IdInput = input(body)?;
    ctx.managed(tx.estate())?;
    Err(not_found(&req.id))
}
