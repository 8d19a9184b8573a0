//! What AWS billed (the CUR's Kiro lines) against what the model bills for the same month.
//!
//! The CUR names each seat by its Identity Center user id (the tail of
//! `line_item_resource_id`) and the account that owns the profile; the model's bill names
//! each seat by profile and user. Seats are matched on (account, region, user id) — on
//! (account, user id) when the CUR line does not say its region and the account has one
//! profile the user is charged in — and every seat whose billed and modelled charges differ
//! is listed with the reason, in words.
//!
//! The billed side is **gross list charges**: seat and credit lines. Discounts (`EdpDiscount`
//! and the like), refunds, credits and tax are reported apart, by account; a refund that
//! names a user (the lower plan of a mid-month upgrade) is set against that user's seat before
//! it is compared, since Kiro charges an upgraded month at the higher plan only.
//!
//! A seat is **idle** when its user has a seat line and no `Credits` line in the month, as
//! AWS's CUDOS dashboard counts it, so the two agree. A person is a **duplicate** when seats
//! of theirs are billed in more than one profile: the same user id, or (with an estate) the
//! same email across identity stores; what is avoidable is all but their dearest seat.
//!
//! With Kiro's user reports, the credits the CUR bills (overage) are checked against the
//! overage credits the reports show, priced at the price book's rate: with an estate, through
//! the model's bill (which prices the same reports where the profile allows overage); without
//! one, directly. Overage the reports do not explain is an unexplained difference. Idle seats
//! stay CUDOS's (a seat line and no `Credits` line); the days each was active in the reports
//! are shown beside them, since a report can show use the CUR has not billed.

use std::collections::{BTreeMap, BTreeSet};

use kiro_estate::Estate;
use kiro_estate::prices::Money;
use serde_json::{Value, json};

use crate::chargeback::Chargeback;
use crate::charges::Bill;
use crate::cur::{Charge, CurLine, SeatPlan};
use crate::hash::HashMap;
use crate::month::Month;
use crate::usage::{self, Usage};

/// One seat as billed: a user in a profile (account and, when the CUR says it, region).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BilledSeat {
    /// The account owning the profile.
    pub account: String,
    /// The profile's region, when the CUR line says it.
    pub region: Option<String>,
    /// The Identity Center user id.
    pub user_id: String,
    /// The plans of its seat lines, lowest first (more than one: a mid-month change).
    pub plans: Vec<SeatPlan>,
    /// The seat lines' charges.
    pub gross: Money,
    /// Refunds and credits naming the user in this account (negative).
    pub refunds: Money,
    /// Seat-months billed (1.0 for a whole month).
    pub quantity: f64,
}

impl BilledSeat {
    /// What the seat costs after its own refunds: what is compared with the model.
    pub fn net(&self) -> Money {
        self.gross + self.refunds
    }

    /// The highest plan billed.
    pub fn plan(&self) -> Option<SeatPlan> {
        self.plans.last().copied()
    }
}

/// An account-level line that is not a list charge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    /// The account.
    pub account: String,
    /// `line_item_line_item_type` (`EdpDiscount`, `Refund`, `Tax`…).
    pub kind: String,
    /// The amount (negative for a discount).
    pub amount: Money,
}

/// The Kiro lines of a month, added up per seat, user and account as they stream in.
#[derive(Clone, Debug, Default)]
pub struct Billed {
    seats: Vec<BilledSeat>,
    index: HashMap<(String, Option<String>, String), usize>,
    /// Users with a `Credits` line, and what their credits cost, per account.
    credits: HashMap<(String, String), Money>,
    /// How many `Credits` lines, per account and user: each is rounded to the cent.
    credit_lines: HashMap<(String, String), i64>,
    active: crate::hash::HashSet<String>,
    /// Gross charges per account.
    accounts: BTreeMap<String, Money>,
    adjustments: BTreeMap<(String, String), Money>,
    /// Refunds naming a user, per (account, user id), until the seats are known.
    user_refunds: HashMap<(String, String), Money>,
    payers: BTreeSet<String>,
    /// Gross list charges per user id (none: lines that name no user), for chargeback.
    by_user: HashMap<Option<String>, Money>,
    /// The user attributes the CUR's tags give each user id.
    attributes: HashMap<String, Vec<(String, String)>>,
}

impl Billed {
    /// Adds one line.
    pub fn add(&mut self, mut line: CurLine) {
        if !line.payer.is_empty() && !self.payers.contains(&line.payer) {
            self.payers.insert(line.payer.clone());
        }
        if line.charge != Charge::Adjustment {
            *self.by_user.entry(line.user_id.clone()).or_default() += line.cost;
        }
        if let Some(user) = &line.user_id
            && !line.attributes.is_empty()
            && !self.attributes.contains_key(user)
        {
            self.attributes
                .insert(user.clone(), std::mem::take(&mut line.attributes));
        }
        match line.charge {
            Charge::Adjustment => match line.user_id {
                Some(user)
                    if line.line_item_type != "Tax"
                        && !line.line_item_type.ends_with("Discount") =>
                {
                    *self
                        .user_refunds
                        .entry((line.account.clone(), user))
                        .or_default() += line.cost;
                    *self
                        .adjustments
                        .entry((line.account, line.line_item_type))
                        .or_default() += line.cost;
                }
                _ => {
                    *self
                        .adjustments
                        .entry((line.account, line.line_item_type))
                        .or_default() += line.cost;
                }
            },
            Charge::Other => {
                *self.accounts.entry(line.account).or_default() += line.cost;
            }
            Charge::Credits => {
                *self.accounts.entry(line.account.clone()).or_default() += line.cost;
                if let Some(user) = line.user_id {
                    self.active.insert(user.clone());
                    *self
                        .credit_lines
                        .entry((line.account.clone(), user.clone()))
                        .or_default() += 1;
                    *self.credits.entry((line.account, user)).or_default() += line.cost;
                }
            }
            Charge::Seat(plan) => {
                *self.accounts.entry(line.account.clone()).or_default() += line.cost;
                let user = line.user_id.unwrap_or_default();
                let key = (line.account.clone(), line.region.clone(), user.clone());
                let i = *self.index.entry(key).or_insert_with(|| {
                    self.seats.push(BilledSeat {
                        account: line.account,
                        region: line.region,
                        user_id: user,
                        ..BilledSeat::default()
                    });
                    self.seats.len() - 1
                });
                let seat = &mut self.seats[i];
                if !seat.plans.contains(&plan) {
                    seat.plans.push(plan);
                    seat.plans.sort();
                }
                seat.gross += line.cost;
                seat.quantity += line.quantity.unwrap_or(1.0);
            }
        }
    }

    /// The seats, with the refunds that name their users set against them.
    fn settle(mut self) -> Settled {
        for seat in &mut self.seats {
            if let Some(r) = self
                .user_refunds
                .remove(&(seat.account.clone(), seat.user_id.clone()))
            {
                seat.refunds = r;
            }
        }
        Settled {
            seats: self.seats,
            credits: self.credits,
            credit_lines: self.credit_lines,
            active: self.active,
            accounts: self.accounts,
            adjustments: self
                .adjustments
                .into_iter()
                .map(|((account, kind), amount)| Adjustment {
                    account,
                    kind,
                    amount,
                })
                .collect(),
            payers: self.payers.into_iter().collect(),
            by_user: self.by_user,
            attributes: self.attributes,
        }
    }
}

struct Settled {
    seats: Vec<BilledSeat>,
    credits: HashMap<(String, String), Money>,
    credit_lines: HashMap<(String, String), i64>,
    active: crate::hash::HashSet<String>,
    accounts: BTreeMap<String, Money>,
    adjustments: Vec<Adjustment>,
    payers: Vec<String>,
    by_user: HashMap<Option<String>, Money>,
    attributes: HashMap<String, Vec<(String, String)>>,
}

/// Why a seat's billed and modelled charges differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// Billed, and the user has no subscription in the model's profile.
    NotSubscribed,
    /// Billed, and pending in the model (the user has signed in since).
    Pending,
    /// Billed in an account or region where the model has no profile.
    NoProfile,
    /// Billed for a user id no identity store of the estate has.
    UnknownUser,
    /// Billed at another plan.
    PlanDiffers,
    /// Billed at two plans in the month, and the model does not charge the higher.
    MidMonthChange,
    /// Same plan, another amount (a prorated seat, a price book out of date).
    PriceDiffers,
    /// Charged by the model, not billed.
    NotBilled,
    /// Credits billed beyond the plans (overage), which the model prices only from usage.
    Overage,
    /// A discount, refund, credit or tax: not in the model's list prices.
    Discount,
}

impl Reason {
    /// A short code for programs.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotSubscribed => "not-subscribed",
            Reason::Pending => "pending",
            Reason::NoProfile => "no-profile",
            Reason::UnknownUser => "unknown-user",
            Reason::PlanDiffers => "plan-differs",
            Reason::MidMonthChange => "mid-month-change",
            Reason::PriceDiffers => "price-differs",
            Reason::NotBilled => "not-billed",
            Reason::Overage => "overage",
            Reason::Discount => "discount",
        }
    }

    /// Whether the difference is accounted for without a change to the model: account-level
    /// discounts and the like, which list prices never include.
    pub fn explained(self) -> bool {
        self == Reason::Discount
    }
}

/// One difference between the bill and the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The account.
    pub account: String,
    /// The region, when known.
    pub region: Option<String>,
    /// The user id (none for an account-level line).
    pub user: Option<String>,
    /// The account of the Identity Center instance whose store has the user, when known.
    pub instance: Option<String>,
    /// The user's name and email, when the estate knows them.
    pub user_name: Option<String>,
    /// The email.
    pub email: Option<String>,
    /// What AWS billed.
    pub billed: Money,
    /// What the model charges.
    pub modelled: Money,
    /// Why, as a code.
    pub reason: Reason,
    /// Why, for people.
    pub why: String,
}

/// A person billed in more than one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The user id (the first seen, when the person has several across identity stores).
    pub user: String,
    /// Every user id of the person.
    pub user_ids: Vec<String>,
    /// The email, when known.
    pub email: Option<String>,
    /// The accounts billed (with regions where known).
    pub accounts: Vec<String>,
    /// All the person's seats cost.
    pub total: Money,
    /// What they cost beyond the dearest seat.
    pub avoidable: Money,
}

/// A seat whose user used no credits in the month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idle {
    /// The user id.
    pub user: String,
    /// The user's email, when known.
    pub email: Option<String>,
    /// The account.
    pub account: String,
    /// The plan billed.
    pub plan: SeatPlan,
    /// What the seat cost.
    pub cost: Money,
    /// Days the user reports show the user active in the month, with reports.
    pub report_days: Option<u32>,
}

/// A per-account total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountTotal {
    /// The account.
    pub account: String,
    /// Its total.
    pub total: Money,
}

/// A side's totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// All accounts.
    pub total: Money,
    /// Per account, by account id.
    pub accounts: Vec<AccountTotal>,
}

/// The reconciliation of one month.
#[derive(Clone, Debug)]
pub struct Reconciliation {
    /// The month.
    pub month: Month,
    /// The currency.
    pub currency: String,
    /// The payer accounts the CUR names.
    pub payers: Vec<String>,
    /// Gross list charges billed.
    pub billed: Totals,
    /// What the model charges, with an estate.
    pub modelled: Option<Totals>,
    /// Discounts, refunds, credits and tax, apart.
    pub adjustments: Vec<Adjustment>,
    /// Seats and accounts whose billed and modelled charges differ.
    pub differences: Vec<Difference>,
    /// People billed in more than one profile.
    pub duplicates: Vec<Duplicate>,
    /// Seats without credits used.
    pub idle: Vec<Idle>,
    /// What the model's bill is based on, with an estate.
    pub basis: Option<String>,
    /// Seats whose billed overage the user reports explain, with reports.
    pub overage_explained: Option<usize>,
    /// What was billed by a user attribute, discounts and the like spread in proportion,
    /// when asked.
    pub chargeback: Option<Chargeback>,
}

/// Kiro's user reports and the price book that prices their overage.
#[derive(Clone, Copy)]
pub struct Reported<'a> {
    /// The reports.
    pub usage: &'a Usage,
    /// The price book.
    pub book: &'a kiro_estate::prices::PriceBook,
}

/// A user id as both sources can write it: the GUID without an identity-store prefix.
fn bare(id: &str) -> &str {
    usage::guid_tail(id).unwrap_or(id)
}

/// Who a user id is in the estate.
struct Known<'e> {
    instance: &'e str,
    user_name: &'e str,
    email: Option<&'e str>,
}

/// Reconciles `billed` with the model: `model` is the estate and its bill of the same month
/// (`crate::bill_month`), none to report the billed side alone.
pub fn reconcile(
    billed: Billed,
    month: Month,
    currency: &str,
    model: Option<(&Estate, &Bill)>,
    reported: Option<Reported<'_>>,
    by_attribute: Option<&str>,
) -> Reconciliation {
    let settled = billed.settle();
    let chargeback = by_attribute.map(|key| {
        let held = model.map(|(e, _)| crate::chargeback::attributes(e, key));
        let value = |user: &Option<String>| -> Option<String> {
            let user = user.as_deref()?;
            settled
                .attributes
                .get(user)
                .and_then(|a| a.iter().find(|(k, _)| k == key))
                .map(|(_, v)| v.clone())
                .or_else(|| {
                    let held = held.as_ref()?;
                    held.get(user)
                        .or_else(|| held.get(bare(user)))
                        .map(|v| (*v).to_owned())
                })
        };
        let mut charges: Vec<(Option<String>, Option<String>, Money)> = settled
            .by_user
            .iter()
            .map(|(u, m)| (u.clone(), value(u), *m))
            .collect();
        charges.sort();
        Chargeback::new(
            key,
            charges,
            settled.adjustments.iter().map(|a| a.amount).sum(),
        )
    });
    let mut known: HashMap<&str, Known<'_>> = HashMap::default();
    if let Some((estate, _)) = model {
        for instance in &estate.instances {
            for u in &instance.users {
                known.insert(
                    u.id.as_str(),
                    Known {
                        instance: instance.account.as_str(),
                        user_name: &u.user_name,
                        email: u.email.as_deref(),
                    },
                );
            }
        }
    }
    let lookup = |id: &str| -> Option<&Known<'_>> {
        known.get(id).or_else(|| {
            // Some resource ids carry the identity store before the user's GUID.
            id.get(id.len().saturating_sub(36)..)
                .and_then(|guid| known.get(guid))
        })
    };
    let email_of = |id: &str| lookup(id).and_then(|k| k.email).map(str::to_owned);

    let billed_totals = Totals {
        total: settled.accounts.values().copied().sum(),
        accounts: settled
            .accounts
            .iter()
            .map(|(a, t)| AccountTotal {
                account: a.clone(),
                total: *t,
            })
            .collect(),
    };
    let mut differences = Vec::new();
    let mut modelled = None;
    let mut basis = None;
    if let Some((_, bill)) = model {
        basis = Some(bill.basis.clone());
        modelled = Some(Totals {
            total: bill.total(),
            accounts: {
                let mut v: Vec<AccountTotal> = bill
                    .accounts
                    .iter()
                    .map(|a| AccountTotal {
                        account: a.account.to_string(),
                        total: a.total(),
                    })
                    .collect();
                v.sort_by(|a, b| a.account.cmp(&b.account));
                v
            },
        });
        compare(&settled, bill, &lookup, &mut differences);
        for a in &settled.adjustments {
            differences.push(Difference {
                account: a.account.clone(),
                region: None,
                user: None,
                instance: None,
                user_name: None,
                email: None,
                billed: a.amount,
                modelled: Money::ZERO,
                reason: Reason::Discount,
                why: format!(
                    "{} ({}): an account-level line, not part of list prices; reported apart",
                    if a.kind.ends_with("Discount") {
                        "discount"
                    } else {
                        "adjustment"
                    },
                    a.kind
                ),
            });
        }
    }

    // Duplicates: seats grouped by person (an email the estate knows, else the user id).
    let mut by_person: BTreeMap<String, Vec<&BilledSeat>> = BTreeMap::new();
    for seat in &settled.seats {
        let key = email_of(&seat.user_id)
            .map(|e| kiro_estate::email::person(&e).into_owned())
            .unwrap_or_else(|| seat.user_id.clone());
        by_person.entry(key).or_default().push(seat);
    }
    let mut duplicates = Vec::new();
    for seats in by_person.values() {
        let profiles: BTreeSet<(&str, Option<&str>)> = seats
            .iter()
            .map(|s| (s.account.as_str(), s.region.as_deref()))
            .collect();
        if profiles.len() < 2 {
            continue;
        }
        let total: Money = seats.iter().map(|s| s.net()).sum();
        let dearest = seats.iter().map(|s| s.net()).max().unwrap_or(Money::ZERO);
        let mut user_ids: Vec<String> = Vec::new();
        for s in seats {
            if !user_ids.contains(&s.user_id) {
                user_ids.push(s.user_id.clone());
            }
        }
        duplicates.push(Duplicate {
            user: user_ids.first().cloned().unwrap_or_default(),
            email: email_of(&seats[0].user_id),
            user_ids,
            accounts: profiles
                .iter()
                .map(|(a, r)| match r {
                    Some(r) => format!("{a}/{r}"),
                    None => (*a).to_owned(),
                })
                .collect(),
            total,
            avoidable: total - dearest,
        });
    }
    duplicates.sort_by(|a, b| b.avoidable.cmp(&a.avoidable).then(a.user.cmp(&b.user)));

    // The reports' month per (account, user): days active, and overage priced.
    let mut report_days: HashMap<(String, String), u32> = HashMap::default();
    let mut overage_explained = None;
    if let Some(r) = reported {
        let totals = usage::month_totals(r.usage, month);
        for ((user, account, _), t) in &totals {
            if let Some(a) = account {
                *report_days
                    .entry((a.clone(), bare(user).to_owned()))
                    .or_default() += t.days;
            }
        }
        if model.is_none() {
            overage_explained = Some(overage_from_reports(
                &settled,
                &totals,
                r,
                &lookup,
                &mut differences,
            ));
        } else {
            overage_explained = Some(
                settled
                    .credits
                    .iter()
                    .filter(|(k, c)| {
                        !c.is_zero()
                            && !differences.iter().any(|d| {
                                d.reason == Reason::Overage
                                    && d.account == k.0
                                    && d.user.as_deref() == Some(k.1.as_str())
                            })
                    })
                    .count(),
            );
        }
    }

    let mut idle: Vec<Idle> = settled
        .seats
        .iter()
        .filter(|s| !settled.active.contains(&s.user_id))
        .filter_map(|s| {
            Some(Idle {
                user: s.user_id.clone(),
                email: email_of(&s.user_id),
                account: s.account.clone(),
                plan: s.plan()?,
                cost: s.net(),
                report_days: reported.map(|_| {
                    report_days
                        .get(&(s.account.clone(), bare(&s.user_id).to_owned()))
                        .copied()
                        .unwrap_or(0)
                }),
            })
        })
        .collect();
    idle.sort_by(|a, b| (&a.account, &a.user).cmp(&(&b.account, &b.user)));

    Reconciliation {
        month,
        currency: currency.to_owned(),
        payers: settled.payers,
        billed: billed_totals,
        modelled,
        adjustments: settled.adjustments,
        differences,
        duplicates,
        idle,
        basis,
        overage_explained,
        chargeback,
    }
}

/// How far apart, in cents, the credits billed and their price may be from rounding alone:
/// the CUR rounds each `Credits` line to the cent, the price is rounded once.
fn rounding(settled: &Settled, account: &str, user: &str) -> i64 {
    // Half a cent per line and half for the price: at most a cent per line.
    settled
        .credit_lines
        .get(&(account.to_owned(), user.to_owned()))
        .copied()
        .unwrap_or(0)
}

/// Without an estate: each user's credits billed in an account against the overage credits
/// the reports show there, at the price book's rate (within a cent per day of use, as each
/// day's line is rounded). Returns how many agree; the others become differences.
fn overage_from_reports<'k>(
    settled: &Settled,
    totals: &BTreeMap<(String, Option<String>, Option<String>), usage::MonthUse>,
    r: Reported<'_>,
    lookup: &dyn Fn(&str) -> Option<&'k Known<'k>>,
    out: &mut Vec<Difference>,
) -> usize {
    let mut explained = 0;
    let mut credits: Vec<(&(String, String), &Money)> = settled.credits.iter().collect();
    credits.sort();
    for ((account, user), billed) in credits {
        if billed.is_zero() {
            continue;
        }
        let mut expected = Money::ZERO;
        let mut over = kiro_estate::prices::Credits::ZERO;
        let mut days = 0;
        for ((u, a, region), t) in totals {
            if bare(u) == bare(user) && a.as_deref().is_none_or(|a| a == account) {
                let credits = t.overage_credits(r.book);
                over += credits;
                expected += r
                    .book
                    .overage_charge(credits, region.as_deref().unwrap_or(""));
                days += t.days;
            }
        }
        let tolerance = i64::from(days).max(rounding(settled, account, user));
        if (billed.cents() - expected.cents()).abs() <= tolerance {
            explained += 1;
            continue;
        }
        let known = lookup(user);
        out.push(Difference {
            account: account.clone(),
            region: None,
            user: Some(user.clone()),
            instance: known.map(|k| k.instance.to_owned()),
            user_name: known.map(|k| k.user_name.to_owned()),
            email: known.and_then(|k| k.email).map(str::to_owned),
            billed: *billed,
            modelled: expected,
            reason: Reason::Overage,
            why: if days == 0 {
                "overage: credits billed, and the user reports show no use by the user in this account".to_owned()
            } else {
                format!(
                    "overage: credits billed {billed}; the user reports show {over} overage credits in {days} day{} ({expected} at the price book's rate)",
                    if days == 1 { "" } else { "s" }
                )
            },
        });
    }
    explained
}

/// Seat by seat: the CUR's against the bill's.
fn compare<'k>(
    settled: &Settled,
    bill: &Bill,
    lookup: &dyn Fn(&str) -> Option<&'k Known<'k>>,
    out: &mut Vec<Difference>,
) {
    // The model's seats by (account, user id), each with its region.
    let mut lines: HashMap<(String, String), Vec<usize>> = HashMap::default();
    for (i, l) in bill.lines.iter().enumerate() {
        let key = bill.profile(l.profile);
        lines
            .entry((
                key.account.to_string(),
                bill.user(l.user).user_id.to_string(),
            ))
            .or_default()
            .push(i);
    }
    let mut pending: HashMap<(String, String), Vec<usize>> = HashMap::default();
    for (i, p) in bill.pending.iter().enumerate() {
        let key = bill.profile(p.profile);
        pending
            .entry((
                key.account.to_string(),
                bill.user(p.user).user_id.to_string(),
            ))
            .or_default()
            .push(i);
    }
    let profiles: BTreeSet<(String, String)> = bill
        .profiles
        .iter()
        .map(|p| (p.key.account.to_string(), p.key.region.clone()))
        .collect();
    let mut matched = vec![false; bill.lines.len()];
    let region_fits =
        |want: &Option<String>, region: &str| want.as_deref().is_none_or(|w| w == region);
    for seat in &settled.seats {
        let known = lookup(&seat.user_id);
        let key = (seat.account.clone(), seat.user_id.clone());
        let line = lines.get(&key).and_then(|v| {
            v.iter()
                .copied()
                .find(|&i| region_fits(&seat.region, &bill.profile(bill.lines[i].profile).region))
        });
        let mut diff = |modelled: Money, reason: Reason, why: String| {
            out.push(Difference {
                account: seat.account.clone(),
                region: seat.region.clone(),
                user: Some(seat.user_id.clone()),
                instance: known.map(|k| k.instance.to_owned()),
                user_name: known.map(|k| k.user_name.to_owned()),
                email: known.and_then(|k| k.email).map(str::to_owned),
                billed: seat.net(),
                modelled,
                reason,
                why,
            });
        };
        let billed_plan = seat.plan().map_or("no plan", SeatPlan::display_name);
        let Some(i) = line else {
            let where_ = match &seat.region {
                Some(r) => format!("{} in {r}", seat.account),
                None => seat.account.clone(),
            };
            let has_profile = profiles
                .iter()
                .any(|(a, r)| *a == seat.account && region_fits(&seat.region, r));
            let pend = pending.get(&key).and_then(|v| {
                v.iter().copied().find(|&i| {
                    region_fits(&seat.region, &bill.profile(bill.pending[i].profile).region)
                })
            });
            if known.is_none() {
                diff(
                    Money::ZERO,
                    Reason::UnknownUser,
                    format!(
                        "unknown user: no identity store of the estate has user id `{}`; billed {billed_plan} in {where_}",
                        seat.user_id
                    ),
                );
            } else if !has_profile {
                diff(
                    Money::ZERO,
                    Reason::NoProfile,
                    format!("no profile in the model for account {where_}; billed {billed_plan}"),
                );
            } else if let Some(p) = pend {
                let p = &bill.pending[p];
                diff(
                    Money::ZERO,
                    Reason::Pending,
                    format!(
                        "pending in the model ({} via {}, not charged until first sign-in), billed {billed_plan}: the user has signed in since the estate was collected",
                        p.plan.display_name(),
                        p.via
                    ),
                );
            } else {
                diff(
                    Money::ZERO,
                    Reason::NotSubscribed,
                    format!(
                        "not subscribed in the model: no subscription reaches the user in {where_}; billed {billed_plan}"
                    ),
                );
            }
            continue;
        };
        matched[i] = true;
        let l = &bill.lines[i];
        if seat.net() == l.charge {
            continue;
        }
        let modelled_plan = SeatPlan::Kiro(l.plan);
        let (reason, why) = if seat.plans.len() > 1 {
            let plans = seat
                .plans
                .iter()
                .map(|p| p.display_name())
                .collect::<Vec<_>>()
                .join(", then ");
            let rule = if seat.plan() == Some(modelled_plan) {
                "Kiro charges a changed month at the higher plan only, and no refund of the lower one was billed"
            } else {
                "the model holds another plan for the month"
            };
            (
                Reason::MidMonthChange,
                format!(
                    "mid-month change: billed {plans}; the model charges {} ({}): {rule}",
                    l.plan.display_name(),
                    l.explanation()
                ),
            )
        } else if seat.plan() != Some(modelled_plan) {
            (
                Reason::PlanDiffers,
                format!(
                    "plan differs: billed {billed_plan}, the model charges {} ({})",
                    l.plan.display_name(),
                    l.explanation()
                ),
            )
        } else if (seat.quantity - 1.0).abs() > 1e-6 && seat.plans.len() == 1 {
            (
                Reason::PriceDiffers,
                format!(
                    "prorated in the bill: {:.2} seat-months of {billed_plan}; the model charges the whole month",
                    seat.quantity
                ),
            )
        } else if l.covered_by.is_some() {
            (
                Reason::PriceDiffers,
                format!(
                    "billed {billed_plan} here; the model's `once-per-organization` rule charges it in another profile"
                ),
            )
        } else {
            (
                Reason::PriceDiffers,
                format!(
                    "price differs: billed {} for {billed_plan}, the price book says {}",
                    seat.net(),
                    l.list_price
                ),
            )
        };
        diff(l.charge, reason, why);
    }
    for (i, l) in bill.lines.iter().enumerate() {
        if matched[i] || l.charge.is_zero() {
            continue;
        }
        let (key, user) = (bill.profile(l.profile), bill.user(l.user));
        out.push(Difference {
            account: key.account.to_string(),
            region: Some(key.region.clone()),
            user: Some(user.user_id.to_string()),
            instance: Some(user.instance.to_string()),
            user_name: Some(user.user_name.to_string()),
            email: Some(user.email.to_string()).filter(|e| !e.is_empty()),
            billed: Money::ZERO,
            modelled: l.charge,
            reason: Reason::NotBilled,
            why: format!(
                "not billed: the model charges {} ({}) and the CUR has no seat line for the user",
                l.plan.display_name(),
                l.explanation()
            ),
        });
    }
    // Overage: credits billed against what the model priced from usage.
    let mut overage: BTreeMap<(String, String), (Money, Money)> = BTreeMap::new();
    for ((account, user), cost) in &settled.credits {
        overage
            .entry((account.clone(), user.clone()))
            .or_default()
            .0 += *cost;
    }
    for l in &bill.lines {
        if !l.overage_charge.is_zero() {
            let key = (
                bill.profile(l.profile).account.to_string(),
                bill.user(l.user).user_id.to_string(),
            );
            overage.entry(key).or_default().1 += l.overage_charge;
        }
    }
    for ((account, user), (billed, modelled)) in overage {
        if (billed.cents() - modelled.cents()).abs() <= rounding(settled, &account, &user) {
            continue;
        }
        let known = lookup(&user);
        out.push(Difference {
            account,
            region: None,
            instance: known.map(|k| k.instance.to_owned()),
            user_name: known.map(|k| k.user_name.to_owned()),
            email: known.and_then(|k| k.email).map(str::to_owned),
            user: Some(user),
            billed,
            modelled,
            reason: Reason::Overage,
            why: if bill.usage_applied {
                "overage: the credits billed beyond the plan differ from the usage report's".to_owned()
            } else {
                "overage: credits billed beyond the plan; the model prices overage only from a usage report".to_owned()
            },
        });
    }
}

impl Reconciliation {
    /// Differences a discount does not account for: what fails a pipeline.
    pub fn unexplained(&self) -> usize {
        self.differences
            .iter()
            .filter(|d| !d.reason.explained())
            .count()
    }

    /// Discounts, refunds, credits and tax in all.
    pub fn adjusted(&self) -> Money {
        self.adjustments.iter().map(|a| a.amount).sum()
    }

    /// As JSON: money as numbers exact to the cent, as `cost --format json` writes it.
    pub fn to_json(&self) -> Value {
        let totals = |t: &Totals| {
            json!({
                "total": t.total.to_json(),
                "accounts": t.accounts.iter().map(|a| json!({"account": a.account, "total": a.total.to_json()})).collect::<Vec<_>>(),
            })
        };
        json!({
            "month": self.month.to_string(),
            "currency": self.currency,
            "payers": self.payers,
            "basis": self.basis,
            "billed": totals(&self.billed),
            "modelled": self.modelled.as_ref().map(totals),
            "adjustments": self.adjustments.iter().map(|a| json!({
                "account": a.account, "type": a.kind, "amount": a.amount.to_json(),
            })).collect::<Vec<_>>(),
            "adjusted": self.adjusted().to_json(),
            "differences": self.differences.iter().map(|d| json!({
                "account": d.account,
                "region": d.region,
                "user": d.user,
                "instance": d.instance,
                "user-name": d.user_name,
                "email": d.email,
                "billed": d.billed.to_json(),
                "modelled": d.modelled.to_json(),
                "reason": d.why,
                "code": d.reason.as_str(),
                "explained": d.reason.explained(),
            })).collect::<Vec<_>>(),
            "unexplained": self.unexplained(),
            "duplicates": self.duplicates.iter().map(|d| json!({
                "user": d.user,
                "user-ids": d.user_ids,
                "email": d.email,
                "accounts": d.accounts,
                "total": d.total.to_json(),
                "avoidable": d.avoidable.to_json(),
            })).collect::<Vec<_>>(),
            "idle": self.idle.iter().map(|i| json!({
                "user": i.user,
                "email": i.email,
                "account": i.account,
                "plan": i.plan.as_str(),
                "cost": i.cost.to_json(),
                "report-days": i.report_days,
            })).collect::<Vec<_>>(),
            "overage-explained": self.overage_explained,
            "chargeback": self.chargeback.as_ref().map(Chargeback::to_json),
        })
    }
}
