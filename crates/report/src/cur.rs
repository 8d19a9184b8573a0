//! What AWS billed (the Kiro lines of a CUR) beside what the model charges for the same
//! month, as [`kiro_billing::reconcile`] computes it for `kiro-org reconcile`: the report
//! only picks and caps, so its numbers are that command's.

use kiro_billing::Money;
use kiro_billing::reconcile::Reconciliation;
use serde::Serialize;

/// Differences listed; the rest are counted (`kiro-org reconcile --format json` has all).
const DIFFERENCES_SHOWN: usize = 200;

/// One account, billed against modelled.
#[derive(Serialize)]
pub struct AccountRow {
    /// The account.
    pub account: String,
    /// What AWS billed it.
    pub billed: String,
    /// What the model charges it.
    pub modelled: String,
    /// Billed less modelled.
    pub difference: String,
}

/// One seat or account whose charges differ, with the reason.
#[derive(Serialize)]
pub struct DifferenceRow {
    /// The account.
    pub account: String,
    /// Who, when it is a seat: the user's name or email, else the user id.
    pub who: String,
    /// What AWS billed.
    pub billed: String,
    /// What the model charges.
    pub modelled: String,
    /// The reason's code (`plan-differs`, …).
    pub reason: &'static str,
    /// Whether the reason accounts for the difference (a discount does).
    pub explained: bool,
    /// The reason, for people.
    pub why: String,
}

/// The CUR section of the report.
#[derive(Serialize)]
pub struct CurView {
    /// The month (`YYYY-MM`).
    pub month: String,
    /// Gross list charges billed.
    pub billed: String,
    /// What the model charges.
    pub modelled: String,
    /// Billed less modelled.
    pub difference: String,
    /// Per account, every account either side names.
    pub accounts: Vec<AccountRow>,
    /// The first differences.
    pub differences: Vec<DifferenceRow>,
    /// Differences in all.
    pub difference_count: usize,
    /// Differences no reason accounts for (what makes `reconcile` exit 1).
    pub unexplained: usize,
    /// What the model's bill is based on.
    pub basis: String,
}

/// The section of `rec`, a reconciliation with the estate's model.
pub fn view(rec: &Reconciliation) -> CurView {
    let modelled_total = rec.modelled.as_ref().map_or(Money::ZERO, |t| t.total);
    let modelled = |account: &str| {
        rec.modelled
            .as_ref()
            .and_then(|t| t.accounts.iter().find(|a| a.account == account))
            .map_or(Money::ZERO, |a| a.total)
    };
    let billed = |account: &str| {
        rec.billed
            .accounts
            .iter()
            .find(|a| a.account == account)
            .map_or(Money::ZERO, |a| a.total)
    };
    let mut ids: Vec<&str> = rec
        .billed
        .accounts
        .iter()
        .map(|a| a.account.as_str())
        .collect();
    if let Some(t) = &rec.modelled {
        ids.extend(t.accounts.iter().map(|a| a.account.as_str()));
    }
    ids.sort_unstable();
    ids.dedup();
    let accounts = ids
        .into_iter()
        .map(|id| {
            let (b, m) = (billed(id), modelled(id));
            AccountRow {
                account: id.to_owned(),
                billed: b.to_string(),
                modelled: m.to_string(),
                difference: (b - m).to_string(),
            }
        })
        .collect();
    let differences = rec
        .differences
        .iter()
        .take(DIFFERENCES_SHOWN)
        .map(|d| DifferenceRow {
            account: d.account.clone(),
            who: d
                .user_name
                .clone()
                .or_else(|| d.email.clone())
                .or_else(|| d.user.clone())
                .unwrap_or_default(),
            billed: d.billed.to_string(),
            modelled: d.modelled.to_string(),
            reason: d.reason.as_str(),
            explained: d.reason.explained(),
            why: d.why.clone(),
        })
        .collect();
    CurView {
        month: rec.month.to_string(),
        billed: rec.billed.total.to_string(),
        modelled: modelled_total.to_string(),
        difference: (rec.billed.total - modelled_total).to_string(),
        accounts,
        differences,
        difference_count: rec.differences.len(),
        unexplained: rec.unexplained(),
        basis: rec.basis.clone().unwrap_or_default(),
    }
}
