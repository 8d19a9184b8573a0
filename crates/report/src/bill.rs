//! The bill as the report shows it: every amount is one [`kiro_billing::Bill`] computed, in
//! the same `1234.50` form `cost` prints; the report only picks, sorts and caps.

use std::collections::BTreeMap;

use kiro_billing::{Bill, Money};
use serde::Serialize;

/// People listed with their duplicate charges; the rest are counted.
const DUPLICATES_SHOWN: usize = 100;
/// Seats listed per person; the rest are counted.
const SEATS_SHOWN: usize = 10;
/// Pending seats and right-sizing suggestions listed; the rest are counted.
const ROWS_SHOWN: usize = 200;
/// Bars drawn in a chart; the table beside it has every row.
const BARS: usize = 20;

/// One bar of a chart, with its width in percent of the largest.
#[derive(Serialize)]
pub struct Bar {
    /// What the bar is.
    pub label: String,
    /// The amount, as text.
    pub amount: String,
    /// Width, 0–100.
    pub percent: u32,
}

/// One row of the per-plan table.
#[derive(Serialize)]
pub struct PlanRow {
    /// The plan's name.
    pub plan: &'static str,
    /// Charged seats on it.
    pub seats: usize,
    /// What those seats are charged.
    pub charge: String,
}

/// One person charged in more than one profile.
#[derive(Serialize)]
pub struct DuplicateRow {
    /// The person (their e-mail).
    pub person: String,
    /// `profile plan as user: charge`, the kept one marked.
    pub seats: Vec<String>,
    /// Seats not listed.
    pub more_seats: usize,
    /// What they are charged in all.
    pub total: String,
    /// What keeping one seat saves.
    pub avoidable: String,
}

/// The bill section.
#[derive(Serialize)]
pub struct BillView {
    /// The currency.
    pub currency: String,
    /// `cost`'s `total`.
    pub total: String,
    /// Subscriptions and overage.
    pub subscriptions: String,
    /// Overage (zero without usage).
    pub overage: String,
    /// `cost`'s `avoidable`.
    pub avoidable: String,
    /// Whether a usage file was applied.
    pub usage_applied: bool,
    /// What the bill is of.
    pub basis: String,
    /// The cross-profile rule, described.
    pub rule: String,
    /// Per payer.
    pub payers: Vec<Bar>,
    /// Per account owning a profile, largest first (chart).
    pub account_bars: Vec<Bar>,
    /// Every account owning a profile, as `cost --by account`.
    pub accounts: Vec<AccountRow>,
    /// Per plan.
    pub plans: Vec<PlanRow>,
    /// Pending seats: how many, and what they would cost.
    pub pending: Vec<[String; 5]>,
    /// Pending seats in all.
    pub pending_count: usize,
    /// Duplicate charges, largest avoidable first.
    pub duplicates: Vec<DuplicateRow>,
    /// People with duplicate charges in all.
    pub duplicate_count: usize,
    /// Right-sizing suggestions, largest saving first, each with when to move.
    pub right_sizing: Vec<[String; 8]>,
    /// Suggestions in all.
    pub right_sizing_count: usize,
    /// The bill's notes.
    pub notes: Vec<String>,
}

/// One account's row.
#[derive(Serialize)]
pub struct AccountRow {
    /// Account id.
    pub account: String,
    /// Its name.
    pub name: String,
    /// Its profiles.
    pub profiles: usize,
    /// Subscriptions.
    pub subscriptions: String,
    /// Overage.
    pub overage: String,
    /// Total.
    pub total: String,
}

/// Bars for `items`, the largest first, at most [`BARS`].
fn bars(mut items: Vec<(String, Money)>) -> Vec<Bar> {
    items.sort_by_key(|(_, m)| std::cmp::Reverse(*m));
    let max = items.first().map_or(0, |(_, m)| m.cents()).max(1);
    items
        .into_iter()
        .take(BARS)
        .map(|(label, m)| Bar {
            label,
            amount: m.to_string(),
            percent: u32::try_from((m.cents().max(0) * 100) / max).unwrap_or(100),
        })
        .collect()
}

/// The view of `bill`.
pub fn view(bill: &Bill) -> BillView {
    let payers = bills_payers(bill);
    let account_bars = bars(
        bill.accounts
            .iter()
            .map(|a| (a.account.to_string(), a.total()))
            .collect(),
    );
    let accounts = bill
        .accounts
        .iter()
        .map(|a| AccountRow {
            account: a.account.to_string(),
            name: a.name.clone().unwrap_or_default(),
            profiles: a.profiles,
            subscriptions: a.subscriptions.to_string(),
            overage: a.overage.to_string(),
            total: a.total().to_string(),
        })
        .collect();
    let mut plans: BTreeMap<kiro_estate::Plan, (usize, Money)> = BTreeMap::new();
    for l in &bill.lines {
        let e = plans.entry(l.plan).or_insert((0, Money::ZERO));
        e.0 += 1;
        e.1 += l.charge;
    }
    let plans = plans
        .into_iter()
        .map(|(plan, (seats, charge))| PlanRow {
            plan: plan.display_name(),
            seats,
            charge: charge.to_string(),
        })
        .collect();
    let pending = bill
        .pending
        .iter()
        .take(ROWS_SHOWN)
        .map(|p| {
            let key = bill.profile(p.profile);
            [
                key.account.to_string(),
                key.region.clone(),
                bill.user(p.user).user_name.to_string(),
                p.plan.display_name().to_owned(),
                p.would_cost.to_string(),
            ]
        })
        .collect();
    let mut worst: Vec<&kiro_billing::duplicates::Duplicate> = bill.duplicates.iter().collect();
    worst.sort_by_key(|d| std::cmp::Reverse(d.avoidable));
    let duplicates = worst
        .into_iter()
        .take(DUPLICATES_SHOWN)
        .map(|d| DuplicateRow {
            person: bill.roster.person(d.person).to_owned(),
            seats: d
                .seats
                .iter()
                .take(SEATS_SHOWN)
                .map(|s| s.describe(bill))
                .collect(),
            more_seats: d.seats.len().saturating_sub(SEATS_SHOWN),
            total: d.total.to_string(),
            avoidable: d.avoidable.to_string(),
        })
        .collect();
    let mut best: Vec<&kiro_billing::usage::RightSize> = bill.right_sizing.iter().collect();
    best.sort_by_key(|r| std::cmp::Reverse(r.saving()));
    let right_sizing = best
        .into_iter()
        .take(ROWS_SHOWN)
        .map(|r| {
            [
                r.account.to_string(),
                r.region.clone(),
                r.user_name.clone(),
                r.plan.display_name().to_owned(),
                r.credits_used.to_string(),
                r.suggested.display_name().to_owned(),
                r.saving().to_string(),
                r.effective.as_str().to_owned(),
            ]
        })
        .collect();
    BillView {
        currency: bill.currency.clone(),
        total: bill.total().to_string(),
        subscriptions: bill.subscriptions().to_string(),
        overage: bill.overage().to_string(),
        avoidable: bill.avoidable().to_string(),
        usage_applied: bill.usage_applied,
        basis: bill.basis.clone(),
        rule: format!("{} ({})", bill.rule, bill.rule.describe()),
        payers,
        account_bars,
        accounts,
        plans,
        pending,
        pending_count: bill.pending.len(),
        duplicates,
        duplicate_count: bill.duplicates.len(),
        right_sizing,
        right_sizing_count: bill.right_sizing.len(),
        notes: bill.notes.clone(),
    }
}

/// One bar per payer: each organization's management account, each standalone account.
fn bills_payers(bill: &Bill) -> Vec<Bar> {
    bars(
        bill.organizations
            .iter()
            .map(|o| (format!("organization, paid by {}", o.payer), o.total))
            .chain(
                bill.standalone
                    .iter()
                    .map(|s| (format!("standalone {}", s.payer), s.total)),
            )
            .collect(),
    )
}
