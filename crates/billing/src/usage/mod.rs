//! Credits used, from Kiro's user reports: overage and right-sizing.
//!
//! [`report`] reads the reports as AWS writes them; here their days are added up for the
//! billed month (the one asked for, else the latest in the reports) per user and profile,
//! and set on the bill's seats. A user's row names their Identity Center user id, which the
//! estate's users carry (with or without the identity store before the GUID); a report without a profile (a single file outside its S3 folder,
//! without a `ProfileId` ARN) is counted on the user's seat, and on their dearest seat with a
//! note when they have several. An id the estate does not know is tried by email.
//!
//! Overage is `Overage_Credits_Used` where the report has it, else the credits beyond the
//! plan's; it is charged only where the profile's settings allow it, and elsewhere reported
//! as not billed (the user was capped). No usage report, no overage: nothing is invented.

pub mod report;

use std::collections::{BTreeMap, HashMap};

use kiro_estate::Plan;
use kiro_estate::prices::{Credits, Money, PriceBook};
use serde_json::{Value, json};

pub use report::{Day, Usage};

use crate::month::Month;
use crate::seats::{Line, ProfileInfo, Roster};

/// A user's credits in a month, in one profile (or none known).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthUse {
    /// Credits used, overage included.
    pub used: Credits,
    /// Credits beyond the plan, when the reports have the column.
    pub overage: Option<Credits>,
    /// The highest plan the reports name.
    pub tier: Option<Plan>,
    /// Days with a row.
    pub days: u32,
    /// The email, when a report carries it.
    pub email: Option<String>,
    /// Where the first row is, for notes.
    pub source: String,
}

/// The reports' month `month` added up per (user id, account, region).
pub fn month_totals(
    usage: &Usage,
    month: Month,
) -> BTreeMap<(String, Option<String>, Option<String>), MonthUse> {
    let mut out: BTreeMap<_, MonthUse> = BTreeMap::new();
    for d in usage.days.iter().filter(|d| d.month() == month) {
        let t = out
            .entry((d.user_id.clone(), d.account.clone(), d.region.clone()))
            .or_insert_with(|| MonthUse {
                source: format!(
                    "{}:{}",
                    usage
                        .files
                        .get(d.source.0)
                        .map_or_else(String::new, |f| f.display().to_string()),
                    d.source.1
                ),
                ..MonthUse::default()
            });
        t.used += d.credits_used;
        t.overage = match (t.overage, d.overage_credits) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        t.days += 1;
        t.tier = t.tier.max(d.tier);
        if t.email.is_none() {
            t.email.clone_from(&d.email);
        }
    }
    out
}

/// The 36-character GUID at the end of a user id: some ids carry their identity store
/// before it.
pub fn guid_tail(id: &str) -> Option<&str> {
    (id.len() > 36).then(|| id.get(id.len() - 36..)).flatten()
}

impl MonthUse {
    /// The credits beyond the plan: the reports' `Overage_Credits_Used`, else what is beyond
    /// the plan the reports name (none known: nothing).
    pub fn overage_credits(&self, book: &PriceBook) -> Credits {
        self.overage.unwrap_or_else(|| {
            self.tier
                .map_or(Credits::ZERO, |p| self.used.saturating_sub(book.credits(p)))
        })
    }
}

/// Adds each user's credits of the month to the seat they belong to and prices overage.
/// Returns notes about users that matched no seat or more than one.
pub fn apply(
    usage: &Usage,
    lines: &mut [Line],
    profiles: &[ProfileInfo],
    roster: &Roster,
    book: &PriceBook,
    month: Option<Month>,
) -> Vec<String> {
    let key = |line: &Line| &profiles[line.profile.index()].key;
    let mut notes = Vec::new();
    let Some(billed) = month.or_else(|| usage.latest_month()) else {
        notes.push("usage: the user reports have no rows".to_owned());
        return notes;
    };
    if month.is_none() {
        notes.push(format!(
            "usage: the latest month of the user reports, {billed}, is applied"
        ));
    }
    for r in &usage.replaced {
        notes.push(format!(
            "usage: `{}` was replaced by a later export of the same days",
            r.display()
        ));
    }
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let user = roster.user(l.user);
        by_id.entry(user.user_id.as_str()).or_default().push(i);
        if let Some(guid) = guid_tail(&user.user_id) {
            by_id.entry(guid).or_default().push(i);
        }
        by_email
            .entry(user.email.trim().to_lowercase())
            .or_default()
            .push(i);
    }
    let mut tallies: HashMap<usize, (Credits, Option<Credits>)> = HashMap::new();
    let mut unmatched = 0usize;
    for ((user_id, account, region), t) in month_totals(usage, billed) {
        let candidates: &[usize] = by_id
            .get(user_id.as_str())
            .or_else(|| guid_tail(&user_id).and_then(|g| by_id.get(g)))
            .or_else(|| {
                t.email
                    .as_deref()
                    .and_then(|e| by_email.get(&e.trim().to_lowercase()))
            })
            .map_or(&[], Vec::as_slice);
        let matching: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                account
                    .as_deref()
                    .is_none_or(|a| key(&lines[i]).account.as_str() == a)
            })
            .filter(|&i| region.as_deref().is_none_or(|r| key(&lines[i]).region == r))
            .collect();
        let who = match (&account, &region) {
            (Some(a), Some(r)) => format!("user id `{user_id}` in {a}/{r}"),
            (Some(a), None) => format!("user id `{user_id}` in account {a}"),
            _ => format!("user id `{user_id}`"),
        };
        let Some(&first) = matching.first() else {
            unmatched += 1;
            if unmatched <= 5 {
                notes.push(format!(
                    "usage {}: no charged subscription matches {who}",
                    t.source
                ));
            }
            continue;
        };
        let target = if matching.len() > 1 {
            let best = matching
                .iter()
                .copied()
                .max_by_key(|&i| (lines[i].list_price, lines[i].plan, std::cmp::Reverse(i)))
                .unwrap_or(first);
            notes.push(format!(
                "usage {}: {who} has seats in {} profiles and the report names none; counted on {}",
                t.source,
                matching.len(),
                key(&lines[best]),
            ));
            best
        } else {
            first
        };
        let tally = tallies.entry(target).or_insert((Credits::ZERO, None));
        tally.0 += t.used;
        tally.1 = match (tally.1, t.overage) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
    }
    if unmatched > 5 {
        notes.push(format!(
            "usage: {} more users match no charged subscription",
            unmatched - 5
        ));
    }
    for (i, (used, overage)) in tallies {
        let region = &key(&lines[i]).region;
        let line = &mut lines[i];
        let over = overage.unwrap_or_else(|| used.saturating_sub(book.credits(line.plan)));
        line.credits_used = Some(used);
        line.overage_credits = over;
        if line.overage_allowed {
            line.overage_charge = book.overage_charge(over, region);
        } else {
            line.uncharged_overage = over;
        }
    }
    notes
}

/// When a plan change takes effect: Kiro charges an upgraded month at the higher plan, so an
/// upgrade pays off now; a downgrade takes effect from the next month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effective {
    /// Upgrade now.
    Now,
    /// Downgrade from the next month.
    NextMonth,
}

impl Effective {
    /// As files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Effective::Now => "now",
            Effective::NextMonth => "next-month",
        }
    }
}

/// A person whose usage another plan serves for no more, as AWS's Kiro cost-optimizer sample
/// recommends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RightSize {
    /// The profile's account.
    pub account: kiro_estate::AccountId,
    /// The profile's region.
    pub region: String,
    /// The user.
    pub user_name: String,
    /// The current plan.
    pub plan: Plan,
    /// Credits used.
    pub credits_used: Credits,
    /// Subscription and overage now.
    pub current_cost: Money,
    /// The plan to move to.
    pub suggested: Plan,
    /// Subscription and overage on it.
    pub suggested_cost: Money,
    /// When to move.
    pub effective: Effective,
}

impl RightSize {
    /// What the change saves each month (zero for an upgrade that costs the same and ends the
    /// overage).
    pub fn saving(&self) -> Money {
        self.current_cost - self.suggested_cost
    }

    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "account": self.account.as_str(),
            "region": self.region,
            "user-name": self.user_name,
            "plan": self.plan.as_str(),
            "credits-used": self.credits_used.to_json(),
            "current-cost": self.current_cost.to_json(),
            "suggested-plan": self.suggested.as_str(),
            "suggested-cost": self.suggested_cost.to_json(),
            "saving": self.saving().to_json(),
            "effective": self.effective.as_str(),
        })
    }
}

/// What a person using `used` credits costs on `plan` in `line`'s profile (in `region`), or
/// none when the plan would cap them below their usage (overage not allowed).
fn cost_on(
    book: &PriceBook,
    line: &Line,
    region: &str,
    plan: Plan,
    used: Credits,
) -> Option<Money> {
    let over = used.saturating_sub(book.credits(plan));
    if line.overage_allowed {
        Some(book.monthly(plan, region) + book.overage_charge(over, region))
    } else if over == Credits::ZERO {
        Some(book.monthly(plan, region))
    } else {
        None
    }
}

/// Every charged seat with known usage whose credits another plan serves for no more: the
/// cheapest plan whose price plus overage at the price book's rate is not above what the
/// seat costs now (subscription and overage), the higher plan on a tie. An upgrade is
/// suggested at the same cost too (it ends the overage, with headroom); a downgrade only when
/// it saves. Upgrades take effect now, downgrades from the next month.
pub fn right_size(
    lines: &[Line],
    profiles: &[ProfileInfo],
    roster: &Roster,
    book: &PriceBook,
) -> Vec<RightSize> {
    let mut out = Vec::new();
    for line in lines.iter().filter(|l| l.covered_by.is_none()) {
        let Some(used) = line.credits_used else {
            continue;
        };
        let key = &profiles[line.profile.index()].key;
        let current = line.list_price + line.overage_charge;
        let best = Plan::ALL
            .into_iter()
            .filter(|p| *p != line.plan)
            .filter_map(|p| cost_on(book, line, &key.region, p, used).map(|c| (c, p)))
            .filter(|(c, p)| {
                if *p > line.plan {
                    *c <= current
                } else {
                    *c < current
                }
            })
            .min_by_key(|(c, p)| (*c, std::cmp::Reverse(*p)));
        if let Some((cost, plan)) = best {
            out.push(RightSize {
                account: key.account.clone(),
                region: key.region.clone(),
                user_name: roster.user(line.user).user_name.to_string(),
                plan: line.plan,
                credits_used: used,
                current_cost: current,
                suggested: plan,
                suggested_cost: cost,
                effective: if plan > line.plan {
                    Effective::Now
                } else {
                    Effective::NextMonth
                },
            });
        }
    }
    out
}
