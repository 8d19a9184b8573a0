//! Billing's seats: who holds a seat in which profile, as small interned ids.
//!
//! A large estate bills hundreds of thousands of seats, and the same person holds several of
//! them. So a seat never carries strings: it names its profile by [`ProfileRef`] (a position
//! in the bill's profiles) and its user by [`UserRef`] (a position in the [`Roster`], which
//! records each user's names once). Grouping seats by person — duplicates, the
//! `once-per-organization` rule — compares [`PersonRef`]s, not emails.

use crate::hash::HashMap;

use kiro_estate::prices::{Credits, Money};
use kiro_estate::{AccountId, Name, Plan, ProfileKey, User};

use crate::effective::{PathTo, Seat, Via};

/// A profile of the bill: its position in [`Snapshot::profiles`] (and in the bill's profile
/// totals, which keep that order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileRef(pub(crate) u32);

impl ProfileRef {
    /// The position in the bill's profiles.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn at(index: usize) -> Self {
        Self(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// A user of an identity store, as recorded once in the [`Roster`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserRef(u32);

/// Who a person is across identity stores (see [`crate::effective::person_key`]), interned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonRef(u32);

impl PersonRef {
    /// The position among the roster's persons (below [`Roster::persons`]).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What the bill knows of a user holding a seat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatUser {
    /// The account owning the user's Identity Center instance.
    pub instance: AccountId,
    /// The user's name in that instance's identity store.
    pub user_name: Name,
    /// The user id.
    pub user_id: Name,
    /// The user's email (empty when the user has none).
    pub email: Name,
    /// Who the person is across identity stores.
    pub person: PersonRef,
}

/// Every user and person the seats of one bill refer to, each recorded once.
#[derive(Clone, Debug, Default)]
pub struct Roster {
    users: Vec<SeatUser>,
    /// The latest record of each (instance, user id), once users may be seen again (see
    /// [`Roster::remember_ids`]): a user seen again with the same facts is the same
    /// [`UserRef`]. A bill of the current state sees each user once and never builds it.
    by_id: Option<HashMap<AccountId, HashMap<Name, UserRef>>>,
    /// Each person key once; a [`PersonRef`] is a position here.
    persons: indexmap::IndexSet<Name, foldhash::fast::RandomState>,
}

impl Roster {
    /// The user `r` names (a [`UserRef`] is only made by its roster).
    pub fn user(&self, r: UserRef) -> &SeatUser {
        &self.users[r.0 as usize]
    }

    /// The person key `r` names: a lowercased email, or `store/user-id`.
    pub fn person(&self, r: PersonRef) -> &str {
        self.persons.get_index(r.index()).map_or("", Name::as_str)
    }

    /// How many persons the roster knows: every [`PersonRef`] is below it.
    pub fn persons(&self) -> usize {
        self.persons.len()
    }

    /// From now on, finds a user recorded before by instance and id, so that one seen again
    /// alike (a month's replay observes every state of the estate) is the same [`UserRef`].
    pub(crate) fn remember_ids(&mut self) {
        if self.by_id.is_some() {
            return;
        }
        let mut by_id = HashMap::default();
        for (i, u) in self.users.iter().enumerate() {
            let r = UserRef(u32::try_from(i).unwrap_or(u32::MAX));
            record_id(&mut by_id, &u.instance, u.user_id.clone(), r);
        }
        self.by_id = Some(by_id);
    }

    /// Records `user` of `instance` with `person` as their key, or finds them when recorded
    /// alike before (once [`Roster::remember_ids`] was called).
    pub(crate) fn intern(&mut self, instance: &AccountId, user: &User, person: Name) -> UserRef {
        let email = user.email.clone().unwrap_or_default();
        let known = self
            .by_id
            .as_ref()
            .and_then(|by_id| by_id.get(instance)?.get(&user.id));
        if let Some(&r) = known {
            let known = self.user(r);
            if known.user_name == user.user_name
                && known.email == email
                && self.person(known.person) == person
            {
                return r;
            }
        }
        let person = self.intern_person(person);
        let r = UserRef(u32::try_from(self.users.len()).unwrap_or(u32::MAX));
        self.users.push(SeatUser {
            instance: instance.clone(),
            user_name: user.user_name.clone(),
            user_id: user.id.clone(),
            email,
            person,
        });
        if let Some(by_id) = &mut self.by_id {
            record_id(by_id, instance, user.id.clone(), r);
        }
        r
    }

    fn intern_person(&mut self, person: Name) -> PersonRef {
        let (at, _) = self.persons.insert_full(person);
        PersonRef(u32::try_from(at).unwrap_or(u32::MAX))
    }
}

/// Records that user `id` of `instance` is `r`, the instance's key copied once per instance,
/// not per user.
fn record_id(
    by_id: &mut HashMap<AccountId, HashMap<Name, UserRef>>,
    instance: &AccountId,
    id: Name,
    r: UserRef,
) {
    match by_id.get_mut(instance) {
        Some(ids) => {
            ids.insert(id, r);
        }
        None => {
            by_id.insert(instance.clone(), std::iter::once((id, r)).collect());
        }
    }
}

/// One person's charge in one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The profile: where the charge lands.
    pub profile: ProfileRef,
    /// The user holding the seat.
    pub user: UserRef,
    /// The plan charged.
    pub plan: Plan,
    /// The path that set the plan.
    pub via: Via,
    /// Why this plan, when the month's history decided it rather than the current paths.
    pub note: Option<String>,
    /// Every path to a subscription in the profile, pending ones included.
    pub paths: Vec<PathTo>,
    /// The plan's price in the profile's region.
    pub list_price: Money,
    /// What is charged for the subscription after the cross-profile rule.
    pub charge: Money,
    /// The profile whose charge covers this seat, under `once-per-organization`.
    pub covered_by: Option<ProfileRef>,
    /// Credits used in the month, from the usage report.
    pub credits_used: Option<Credits>,
    /// Credits beyond the plan's.
    pub overage_credits: Credits,
    /// The overage charged (only where the profile allows overage).
    pub overage_charge: Money,
    /// Credits beyond the plan's that are not billed because the profile does not allow overage.
    pub uncharged_overage: Credits,
    /// Whether the profile allows overage.
    pub overage_allowed: bool,
}

impl Line {
    /// A seat held in the billed period at `plan`, set by `via` (and `note` when the month's
    /// history rather than the current paths decided it), before prices, the cross-profile
    /// rule and usage are applied.
    pub fn held(seat: Seat, plan: Plan, via: Via, note: Option<String>) -> Line {
        Line {
            profile: seat.profile,
            user: seat.user,
            plan,
            via,
            note,
            paths: seat.paths,
            list_price: Money::ZERO,
            charge: Money::ZERO,
            covered_by: None,
            credits_used: None,
            overage_credits: Credits::ZERO,
            overage_charge: Money::ZERO,
            uncharged_overage: Credits::ZERO,
            overage_allowed: false,
        }
    }

    /// Subscription and overage.
    pub fn total(&self) -> Money {
        self.charge + self.overage_charge
    }

    /// Why this plan, in words: the path that set it and what it outranked (or the month's
    /// history, for a month bill).
    pub fn explanation(&self) -> String {
        match &self.note {
            Some(note) => note.clone(),
            None => crate::effective::explain(&self.paths),
        }
    }
}

/// A seat not charged because its subscription is pending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSeat {
    /// The profile.
    pub profile: ProfileRef,
    /// The user.
    pub user: UserRef,
    /// The pending plan.
    pub plan: Plan,
    /// The pending path.
    pub via: Via,
    /// What it will cost each month once the user signs in.
    pub would_cost: Money,
    /// The plan charged today in the same profile, if any (a pending upgrade).
    pub charged_plan: Option<Plan>,
}

/// A profile known to the bill (possibly deleted during the billed month).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileInfo {
    /// The profile.
    pub key: ProfileKey,
    /// Its instance's account.
    pub instance: AccountId,
    /// Whether overage was allowed (at any moment of the billed month).
    pub overage_allowed: bool,
    /// Whether it no longer exists at the end of the billed period.
    pub deleted: bool,
}

/// What is billed: seats and profiles, and the users they name.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Charged seats, as lines not yet priced ([`Line::held`]): made once, priced in place.
    pub held: Vec<Line>,
    /// Pending seats (not charged).
    pub pending: Vec<(Seat, PathTo)>,
    /// Every profile to report: [`ProfileRef`]s are positions here.
    pub profiles: Vec<ProfileInfo>,
    /// The users the seats name.
    pub roster: Roster,
    /// What the bill is based on, for people.
    pub basis: String,
    /// Things the reader must know (e.g. the event log does not start from an empty estate).
    pub notes: Vec<String>,
}
