//! The bill: every charged seat, rolled up to profiles, accounts, OUs, organizations and
//! standalone accounts.
//!
//! A charge lands on the account that owns the profile; an organization's management account
//! pays its accounts' total; a standalone account pays its own. OU totals roll up through the
//! OU tree: an OU's total includes every account below it, at any depth.

use std::collections::BTreeMap;

use crate::hash::HashMap;

use kiro_estate::prices::{Credits, CrossProfile, Money, PriceBook};
use kiro_estate::query::Standing;
use kiro_estate::{AccountId, Estate, HasKey, Plan, Profile, ProfileKey};
use serde_json::{Value, json};

use crate::effective::SeatFinder;
use crate::history::{self, HistoryError};
use crate::month::Month;
use crate::seats::{
    Line, PendingSeat, ProfileInfo, ProfileRef, Roster, SeatUser, Snapshot, UserRef,
};
use crate::usage::{self, RightSize, Usage};
use crate::{allocation, duplicates};

/// What else a bill takes into account.
#[derive(Clone, Copy, Debug, Default)]
pub struct BillOptions<'a> {
    /// Credits used, for overage and right-sizing.
    pub usage: Option<&'a Usage>,
}

/// A profile's total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileTotal {
    /// The profile.
    pub key: ProfileKey,
    /// Its instance's account.
    pub instance: AccountId,
    /// People charged for a subscription here (seats covered elsewhere not counted).
    pub users: usize,
    /// Seats, charged or covered.
    pub seats: usize,
    /// People pending (not charged).
    pub pending: usize,
    /// Seats per plan.
    pub plans: BTreeMap<Plan, usize>,
    /// Subscriptions.
    pub subscriptions: Money,
    /// Overage.
    pub overage: Money,
    /// Whether overage is allowed.
    pub overage_allowed: bool,
    /// Whether the profile was deleted (its month is still charged).
    pub deleted: bool,
}

impl ProfileTotal {
    /// Subscriptions and overage.
    pub fn total(&self) -> Money {
        self.subscriptions + self.overage
    }
}

/// An account's total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountTotal {
    /// The account.
    pub account: AccountId,
    /// Its name, when the estate knows it.
    pub name: Option<String>,
    /// Its organization (management account), if any.
    pub organization: Option<AccountId>,
    /// Its parent in the organization: `root` or an OU name.
    pub parent: Option<String>,
    /// How many of its profiles are billed.
    pub profiles: usize,
    /// Subscriptions.
    pub subscriptions: Money,
    /// Overage.
    pub overage: Money,
}

impl AccountTotal {
    /// Subscriptions and overage.
    pub fn total(&self) -> Money {
        self.subscriptions + self.overage
    }
}

/// An OU's total: every account below it, at any depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OuTotal {
    /// The organization (management account).
    pub organization: AccountId,
    /// The OU's name.
    pub name: String,
    /// The OU's id.
    pub id: String,
    /// The OU's path from the root, e.g. `root/engineering/platform`.
    pub path: String,
    /// The accounts below it with a billed profile.
    pub accounts: usize,
    /// The total, rolled up: every account below it, at any depth.
    pub total: Money,
    /// The accounts with a billed profile directly in it (not in an OU below it).
    pub own_accounts: usize,
    /// The total of the accounts directly in it: the `own` totals of an organization's root
    /// and OUs add up to the organization's total, as the rolled-up ones cannot.
    pub own: Money,
}

/// A payer's total: an organization (paid by its management account) or a standalone account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayerTotal {
    /// The paying account.
    pub payer: AccountId,
    /// The organization id (`o-…`), none for a standalone account.
    pub organization_id: Option<String>,
    /// The accounts whose charges it pays.
    pub accounts: usize,
    /// The total.
    pub total: Money,
}

/// The bill of a period.
#[derive(Clone, Debug)]
pub struct Bill {
    /// The currency.
    pub currency: String,
    /// Where the prices came from.
    pub prices: String,
    /// The cross-profile rule applied.
    pub rule: CrossProfile,
    /// The month billed; none for the current state.
    pub month: Option<Month>,
    /// What the bill is based on.
    pub basis: String,
    /// Things the reader must know.
    pub notes: Vec<String>,
    /// Every charged seat, in profile order.
    pub lines: Vec<Line>,
    /// The users the seats name.
    pub roster: Roster,
    /// Pending seats, not charged.
    pub pending: Vec<PendingSeat>,
    /// Per profile.
    pub profiles: Vec<ProfileTotal>,
    /// Per account that owns a billed profile.
    pub accounts: Vec<AccountTotal>,
    /// Per OU, rolled up.
    pub ous: Vec<OuTotal>,
    /// Per organization, its root as an OU named `root`: every account of the organization
    /// in `total`, those directly under the root (the management account among them) in
    /// `own`.
    pub roots: Vec<OuTotal>,
    /// Per organization (its management account pays).
    pub organizations: Vec<PayerTotal>,
    /// Per standalone account.
    pub standalone: Vec<PayerTotal>,
    /// People charged in more than one profile.
    pub duplicates: Vec<duplicates::Duplicate>,
    /// Who would be cheaper on another plan, given their usage.
    pub right_sizing: Vec<RightSize>,
    /// Whether a usage report was applied.
    pub usage_applied: bool,
}

impl Bill {
    /// Every charge: subscriptions and overage.
    pub fn total(&self) -> Money {
        self.lines.iter().map(Line::total).sum()
    }

    /// Subscriptions only.
    pub fn subscriptions(&self) -> Money {
        self.lines.iter().map(|l| l.charge).sum()
    }

    /// Overage only.
    pub fn overage(&self) -> Money {
        self.lines.iter().map(|l| l.overage_charge).sum()
    }

    /// What the duplicates cost beyond each person's most expensive seat.
    pub fn avoidable(&self) -> Money {
        self.duplicates.iter().map(|d| d.avoidable).sum()
    }

    /// The key of the profile `r` names.
    pub fn profile(&self, r: ProfileRef) -> &ProfileKey {
        &self.profiles[r.index()].key
    }

    /// The user `r` names.
    pub fn user(&self, r: UserRef) -> &SeatUser {
        self.roster.user(r)
    }
}

/// The bill of the estate as it stands now.
pub fn bill_current(estate: &Estate, book: &PriceBook, options: BillOptions<'_>) -> Bill {
    let snapshot = current_snapshot(estate);
    assemble(estate, snapshot, book, None, options)
}

/// The bill of `month`, from the event log (see [`history`]).
pub fn bill_month(
    estate: &Estate,
    book: &PriceBook,
    month: Month,
    options: BillOptions<'_>,
) -> Result<Bill, HistoryError> {
    let (snapshot, structure) = history::month_snapshot(estate, month)?;
    let structure = structure.as_ref().unwrap_or(estate);
    Ok(assemble(structure, snapshot, book, Some(month), options))
}

/// The seats and profiles of the estate as it stands.
pub fn current_snapshot(estate: &Estate) -> Snapshot {
    snapshot_of(estate, |_| true)
}

/// [`current_snapshot`] of the profiles `billed` keeps.
pub(crate) fn snapshot_of(estate: &Estate, billed: impl Fn(&Profile) -> bool) -> Snapshot {
    let mut finder = SeatFinder::new();
    let mut profiles = Vec::with_capacity(estate.profiles.len());
    // Every profile's seats first, so that the lines (the bill's largest part) are allocated
    // once at their exact size rather than grown by doubling.
    let mut seats = Vec::with_capacity(estate.profiles.len());
    for profile in estate.profiles.iter().filter(|p| billed(p)) {
        let i = profiles.len();
        profiles.push(ProfileInfo {
            key: profile.key(),
            instance: profile.instance.clone(),
            overage_allowed: profile.settings.overage,
            deleted: false,
        });
        seats.push(finder.seats(estate, profile, ProfileRef::at(i)));
    }
    let mut held = Vec::with_capacity(seats.iter().map(Vec::len).sum());
    let mut pending = Vec::new();
    for seat in seats.into_iter().flatten() {
        if let Some(p) = seat.pending().cloned() {
            pending.push((seat.clone(), p));
        }
        if let Some(top) = seat.charged().cloned() {
            held.push(Line::held(seat, top.plan, top.via, None));
        }
    }
    Snapshot {
        held,
        pending,
        profiles,
        roster: finder.into_roster(),
        basis: "the estate's current state".to_owned(),
        notes: Vec::new(),
    }
}

/// Prices a snapshot and rolls it up through `structure`.
pub fn assemble(
    structure: &Estate,
    snapshot: Snapshot,
    book: &PriceBook,
    month: Option<Month>,
    options: BillOptions<'_>,
) -> Bill {
    let Snapshot {
        held,
        pending,
        profiles,
        roster,
        basis,
        mut notes,
    } = snapshot;
    let mut lines = held;
    // Each profile's price of each plan, worked out once: a profile holds thousands of seats.
    let list_prices: Vec<[Money; Plan::ALL.len()]> = profiles
        .iter()
        .map(|p| Plan::ALL.map(|plan| book.monthly(plan, &p.key.region)))
        .collect();
    for line in &mut lines {
        let profile = &profiles[line.profile.index()];
        line.list_price = list_prices[line.profile.index()][line.plan as usize];
        line.charge = line.list_price;
        line.overage_allowed = profile.overage_allowed;
    }
    allocation::allocate(
        &mut lines,
        &profiles,
        &roster,
        book.cross_profile,
        structure,
    );
    let mut right_sizing = Vec::new();
    if let Some(usage) = options.usage {
        notes.extend(usage::apply(
            usage, &mut lines, &profiles, &roster, book, month,
        ));
        right_sizing = usage::right_size(&lines, &profiles, &roster, book);
    }
    let pending: Vec<PendingSeat> = pending
        .into_iter()
        .map(|(seat, path)| PendingSeat {
            would_cost: book.monthly(path.plan, &profiles[seat.profile.index()].key.region),
            charged_plan: seat.charged().map(|p| p.plan),
            profile: seat.profile,
            user: seat.user,
            plan: path.plan,
            via: path.via,
        })
        .collect();
    let profile_totals = profile_totals(&profiles, &lines, &pending);
    let accounts = account_totals(structure, &profile_totals);
    let (roots, ous) = ou_totals(structure, &accounts);
    let (organizations, standalone) = payer_totals(structure, &accounts);
    let duplicates = duplicates::find(&lines, &roster);
    if book.cross_profile == CrossProfile::OncePerOrganization {
        notes.push(format!(
            "cross-profile rule `{}`: {}",
            book.cross_profile,
            book.cross_profile.describe()
        ));
    }
    Bill {
        roots,
        currency: book.currency.clone(),
        prices: book.source.clone(),
        rule: book.cross_profile,
        month,
        basis,
        notes,
        lines,
        roster,
        pending,
        profiles: profile_totals,
        accounts,
        ous,
        organizations,
        standalone,
        duplicates,
        right_sizing,
        usage_applied: options.usage.is_some(),
    }
}

fn profile_totals(
    profiles: &[ProfileInfo],
    lines: &[Line],
    pending: &[PendingSeat],
) -> Vec<ProfileTotal> {
    let mut out: Vec<ProfileTotal> = profiles
        .iter()
        .map(|p| ProfileTotal {
            key: p.key.clone(),
            instance: p.instance.clone(),
            users: 0,
            seats: 0,
            pending: 0,
            plans: BTreeMap::new(),
            subscriptions: Money::ZERO,
            overage: Money::ZERO,
            overage_allowed: p.overage_allowed,
            deleted: p.deleted,
        })
        .collect();
    for line in lines {
        let Some(t) = out.get_mut(line.profile.index()) else {
            continue;
        };
        t.seats += 1;
        if line.covered_by.is_none() {
            t.users += 1;
        }
        *t.plans.entry(line.plan).or_default() += 1;
        t.subscriptions += line.charge;
        t.overage += line.overage_charge;
    }
    for p in pending {
        if let Some(t) = out.get_mut(p.profile.index()) {
            t.pending += 1;
        }
    }
    out
}

fn account_totals(structure: &Estate, profiles: &[ProfileTotal]) -> Vec<AccountTotal> {
    let mut by_account: HashMap<&AccountId, AccountTotal> = HashMap::default();
    for p in profiles {
        let t = by_account.entry(&p.key.account).or_insert_with(|| {
            let acct = structure.account(&p.key.account);
            AccountTotal {
                account: p.key.account.clone(),
                name: acct.map(|a| a.name.clone()),
                organization: structure
                    .organization_of(&p.key.account)
                    .map(|o| o.management.clone()),
                parent: match structure.standing(&p.key.account) {
                    Standing::Standalone => None,
                    _ => Some(
                        acct.and_then(|a| a.parent.clone())
                            .unwrap_or_else(|| "root".to_owned()),
                    ),
                },
                profiles: 0,
                subscriptions: Money::ZERO,
                overage: Money::ZERO,
            }
        });
        t.profiles += 1;
        t.subscriptions += p.subscriptions;
        t.overage += p.overage;
    }
    // Estate order first, then accounts the estate no longer has.
    let mut out: Vec<AccountTotal> = Vec::with_capacity(by_account.len());
    for a in &structure.accounts {
        if let Some(t) = by_account.remove(&a.id) {
            out.push(t);
        }
    }
    let mut rest: Vec<AccountTotal> = by_account.into_values().collect();
    rest.sort_by(|a, b| a.account.cmp(&b.account));
    out.extend(rest);
    out
}

/// The roots and the OUs of every organization, each with its rolled-up and its own total.
fn ou_totals(structure: &Estate, accounts: &[AccountTotal]) -> (Vec<OuTotal>, Vec<OuTotal>) {
    let mut roots = Vec::new();
    let mut out = Vec::new();
    for org in &structure.organizations {
        let mut totals: HashMap<&str, (usize, Money)> = HashMap::default();
        let mut own: HashMap<&str, (usize, Money)> = HashMap::default();
        let mut all = (0, Money::ZERO);
        for a in accounts
            .iter()
            .filter(|a| a.organization.as_ref() == Some(&org.management))
        {
            all.0 += 1;
            all.1 += a.total();
            let path = org.ou_path(a.parent.as_deref().unwrap_or("root"));
            // An account whose parent names no OU is counted under the root, as AWS has it.
            let direct = path.last().map_or("root", |ou| ou.name.as_str());
            let t = own.entry(direct).or_insert((0, Money::ZERO));
            t.0 += 1;
            t.1 += a.total();
            for ou in path {
                let t = totals.entry(ou.name.as_str()).or_insert((0, Money::ZERO));
                t.0 += 1;
                t.1 += a.total();
            }
        }
        let (root_accounts, root_own) = own.get("root").copied().unwrap_or((0, Money::ZERO));
        roots.push(OuTotal {
            organization: org.management.clone(),
            name: "root".to_owned(),
            id: org.root_id.clone(),
            path: "root".to_owned(),
            accounts: all.0,
            total: all.1,
            own_accounts: root_accounts,
            own: root_own,
        });
        for ou in &org.ous {
            let (n, total) = totals
                .get(ou.name.as_str())
                .copied()
                .unwrap_or((0, Money::ZERO));
            let (own_accounts, own) = own
                .get(ou.name.as_str())
                .copied()
                .unwrap_or((0, Money::ZERO));
            let path: Vec<&str> = org
                .ou_path(&ou.name)
                .iter()
                .map(|o| o.name.as_str())
                .collect();
            out.push(OuTotal {
                organization: org.management.clone(),
                name: ou.name.clone(),
                id: ou.id.clone(),
                path: format!("root/{}", path.join("/")),
                accounts: n,
                total,
                own_accounts,
                own,
            });
        }
    }
    (roots, out)
}

fn payer_totals(
    structure: &Estate,
    accounts: &[AccountTotal],
) -> (Vec<PayerTotal>, Vec<PayerTotal>) {
    let mut organizations = Vec::new();
    for org in &structure.organizations {
        let mine: Vec<&AccountTotal> = accounts
            .iter()
            .filter(|a| a.organization.as_ref() == Some(&org.management))
            .collect();
        organizations.push(PayerTotal {
            payer: org.management.clone(),
            organization_id: Some(org.id.clone()),
            accounts: mine.len(),
            total: mine.iter().map(|a| a.total()).sum(),
        });
    }
    let standalone = accounts
        .iter()
        .filter(|a| a.organization.is_none())
        .map(|a| PayerTotal {
            payer: a.account.clone(),
            organization_id: None,
            accounts: 1,
            total: a.total(),
        })
        .collect();
    (organizations, standalone)
}

fn opt_money(m: Money, show: bool) -> Value {
    if show { m.to_json() } else { Value::Null }
}

impl Bill {
    /// The bill as JSON, with every per-person charge: what [`Bill::write_json`] writes,
    /// read back.
    pub fn to_json(&self) -> Value {
        let mut out = Vec::new();
        self.write_json(&mut out, true)
            .ok()
            .and_then(|()| serde_json::from_slice(&out).ok())
            .unwrap_or(Value::Null)
    }

    /// Writes the bill as JSON to `out`, one line per account, profile, seat and duplicate
    /// (see [`kiro_estate::layered`]). Money is a JSON number in the currency's units, exact
    /// to the cent (`40.0`, `12.34`); keys are kebab-case. `charges` (one entry per person
    /// and profile) is included only when asked for: on a large estate it is most of the
    /// output. The duplicates, as long, are written straight from the bill, never held as a
    /// JSON tree.
    pub fn write_json(&self, out: impl std::io::Write, charges: bool) -> std::io::Result<()> {
        let mut object = kiro_estate::layered::Object::new(out)?;
        if let Value::Object(head) = self.head_json(charges) {
            for (key, value) in &head {
                object.entry(key, value)?;
            }
        }
        object.lines("duplicates", &self.duplicates, |line, d| {
            d.write_json(self, line)
        })?;
        object.end().map(drop)
    }

    fn head_json(&self, charges: bool) -> Value {
        let usage = self.usage_applied;
        json!({
            "currency": self.currency,
            "month": self.month.map(|m| m.to_string()),
            "basis": self.basis,
            "prices": self.prices,
            "rule": self.rule.as_str(),
            "rule-description": self.rule.describe(),
            "total": self.total().to_json(),
            "subscriptions": self.subscriptions().to_json(),
            "overage": self.overage().to_json(),
            "avoidable": self.avoidable().to_json(),
            "notes": self.notes,
            "profiles": self.profiles.iter().map(|p| json!({
                "account": p.key.account.as_str(),
                "region": p.key.region,
                "instance": p.instance.as_str(),
                "total": p.total().to_json(),
                "users": p.users,
                "seats": p.seats,
                "pending": p.pending,
                "plans": p.plans.iter().map(|(plan, n)| (plan.as_str().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
                "subscriptions": p.subscriptions.to_json(),
                "overage": p.overage.to_json(),
                "overage-allowed": p.overage_allowed,
                "deleted": p.deleted,
            })).collect::<Vec<_>>(),
            "accounts": self.accounts.iter().map(|a| json!({
                "account": a.account.as_str(),
                "name": a.name,
                "organization": a.organization.as_ref().map(|o| o.as_str()),
                "parent": a.parent,
                "profiles": a.profiles,
                "total": a.total().to_json(),
                "subscriptions": a.subscriptions.to_json(),
                "overage": a.overage.to_json(),
            })).collect::<Vec<_>>(),
            "ous": self.ous.iter().map(|o| json!({
                "organization": o.organization.as_str(),
                "ou": o.name,
                "id": o.id,
                "path": o.path,
                "accounts": o.accounts,
                "total": o.total.to_json(),
                "own-accounts": o.own_accounts,
                "own": o.own.to_json(),
            })).collect::<Vec<_>>(),
            "roots": self.roots.iter().map(|o| json!({
                "organization": o.organization.as_str(),
                "id": o.id,
                "accounts": o.accounts,
                "total": o.total.to_json(),
                "own-accounts": o.own_accounts,
                "own": o.own.to_json(),
            })).collect::<Vec<_>>(),
            "organizations": self.organizations.iter().map(|o| json!({
                "organization": o.payer.as_str(),
                "id": o.organization_id,
                "payer": o.payer.as_str(),
                "accounts": o.accounts,
                "total": o.total.to_json(),
            })).collect::<Vec<_>>(),
            "standalone": self.standalone.iter().map(|o| json!({
                "account": o.payer.as_str(),
                "payer": o.payer.as_str(),
                "total": o.total.to_json(),
            })).collect::<Vec<_>>(),
            "charges": if !charges { Value::Null } else { Value::Array(self.lines.iter().map(|l| { let (key, user) = (self.profile(l.profile), self.user(l.user)); json!({
                "account": key.account.as_str(),
                "region": key.region,
                "user-name": user.user_name,
                "user-id": user.user_id,
                "email": user.email,
                "plan": l.plan.as_str(),
                "via": l.via.to_string(),
                "why": l.explanation(),
                "list-price": l.list_price.to_json(),
                "charge": l.charge.to_json(),
                "covered-by": l.covered_by.map(|r| { let k = self.profile(r); json!({"account": k.account.as_str(), "region": k.region}) }),
                "credits-used": l.credits_used.map(Credits::to_json),
                "overage-credits": if usage { l.overage_credits.to_json() } else { Value::Null },
                "overage": opt_money(l.overage_charge, usage),
                "uncharged-overage-credits": if usage { l.uncharged_overage.to_json() } else { Value::Null },
                "total": l.total().to_json(),
            })}).collect::<Vec<_>>()) },
            "pending": self.pending.iter().map(|p| { let (key, user) = (self.profile(p.profile), self.user(p.user)); json!({
                "account": key.account.as_str(),
                "region": key.region,
                "user-name": user.user_name,
                "email": user.email,
                "plan": p.plan.as_str(),
                "via": p.via.to_string(),
                "charged-plan": p.charged_plan.map(Plan::as_str),
                "would-cost": p.would_cost.to_json(),
                "note": "pending, not charged until first sign-in",
            })}).collect::<Vec<_>>(),
            "right-sizing": self.right_sizing.iter().map(RightSize::to_json).collect::<Vec<_>>(),
        })
    }
}
