//! The month's bill from the event log.
//!
//! Kiro bills subscriptions per calendar month, and its documented month-boundary rules all
//! come down to one: **a seat (person, profile) is charged for month M at the highest plan it
//! held while active at any moment of M, including the state at M's start.** So cancelling
//! mid-month still charges the month (the seat was held at the start), an upgrade charges the
//! higher plan (held after the upgrade), a downgrade keeps the higher plan (held before it),
//! deleting a profile charges its month (its seats were held at the start), and a pending
//! subscription that becomes active during M is charged (it was held active after that).
//!
//! The states are reconstructed by replaying the estate's event log through the control plane
//! ([`kiro_engine`]) from an empty estate: the state at M's start, then after each event
//! within M. Only the profiles an event can change are recomputed after it, so a month costs
//! the replay plus the seats of the profiles touched in that month.
//!
//! The log only explains the estate when it begins from an empty estate (`kiro-org apply`
//! without a starting estate). When it does not — an event fails on replay, or the replay
//! does not reproduce the current subscriptions — months after the last event are billed from
//! the current state (nothing changed since) with a note saying so, and earlier months are
//! refused with the reason.

use std::collections::HashMap;

use jiff::Timestamp;
use kiro_engine::Engine;
use kiro_estate::{Estate, HasKey, Name, Op, Plan, Profile, ProfileKey, Target};

use crate::charges::{current_snapshot, snapshot_of};
use crate::effective::{PathTo, Seat, SeatFinder, Via};
use crate::month::Month;
use crate::seats::{Line, ProfileInfo, ProfileRef, Snapshot};

/// Why a month cannot be billed from the event log.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The log does not begin from an empty estate, and the month is not after its last event.
    #[error(
        "cannot bill {month} from the event log: it does not begin from an empty estate ({reason}); only months after the last event ({last}) can be billed, from the current state"
    )]
    NotReplayable {
        /// The month asked for.
        month: Month,
        /// Why the replay does not explain the estate.
        reason: String,
        /// The month of the last event.
        last: Month,
    },
}

/// What the replay of the whole log found.
struct Replay {
    /// Why the log does not begin from an empty estate, if it does not.
    broken: Option<String>,
    /// Seats and profiles held during the month.
    acc: MonthAccumulator,
    /// The state at the end of the month.
    structure: Option<Estate>,
    /// Events within the month.
    in_month: usize,
}

#[derive(Default)]
struct SeatAcc {
    seat: Option<Seat>,
    active: Option<(Plan, Via, Timestamp)>,
    pending: Option<PathTo>,
    /// The plan charged the last time its profile was computed (none: no active seat then).
    at_end: Option<Plan>,
}

#[derive(Default)]
struct MonthAccumulator {
    /// Finds seats, and records the users they name once for the whole month.
    finder: SeatFinder,
    /// Each seat's accumulator, by profile and user id.
    seats: HashMap<(ProfileRef, Name), usize>,
    order: Vec<SeatAcc>,
    by_profile: HashMap<ProfileKey, Vec<usize>>,
    profiles: Vec<ProfileInfo>,
    profile_index: HashMap<ProfileKey, usize>,
}

impl MonthAccumulator {
    /// Records the seats of `profile` as they are at `at`.
    fn observe(&mut self, estate: &Estate, profile: &Profile, at: Timestamp) {
        let key = profile.key();
        let at_ref = match self.profile_index.get(&key) {
            Some(&i) => {
                let p = &mut self.profiles[i];
                p.overage_allowed |= profile.settings.overage;
                p.instance = profile.instance.clone();
                ProfileRef::at(i)
            }
            None => {
                let i = self.profiles.len();
                self.profile_index.insert(key.clone(), i);
                self.profiles.push(ProfileInfo {
                    key: key.clone(),
                    instance: profile.instance.clone(),
                    overage_allowed: profile.settings.overage,
                    deleted: false,
                });
                ProfileRef::at(i)
            }
        };
        if let Some(indices) = self.by_profile.get(&key) {
            for &i in indices {
                self.order[i].at_end = None;
            }
        }
        // The estate has changed since the last observation: what was learnt of its
        // instances no longer holds.
        self.finder.forget_instances();
        for seat in self.finder.seats(estate, profile, at_ref) {
            let id = (at_ref, self.finder.roster().user(seat.user).user_id.clone());
            let i = match self.seats.get(&id) {
                Some(&i) => i,
                None => {
                    let i = self.order.len();
                    self.order.push(SeatAcc::default());
                    self.seats.insert(id, i);
                    self.by_profile.entry(key.clone()).or_default().push(i);
                    i
                }
            };
            let acc = &mut self.order[i];
            if let Some(top) = seat.charged() {
                acc.at_end = Some(top.plan);
                if acc.active.as_ref().is_none_or(|(p, _, _)| top.plan > *p) {
                    acc.active = Some((top.plan, top.via.clone(), at));
                }
            }
            if let Some(p) = seat.pending()
                && acc.pending.as_ref().is_none_or(|q| p.plan > q.plan)
            {
                acc.pending = Some(p.clone());
            }
            acc.seat = Some(seat);
        }
    }

    fn observe_all(&mut self, estate: &Estate, at: Timestamp) {
        for profile in &estate.profiles {
            self.observe(estate, profile, at);
        }
    }

    /// The month's seats, profiles and users, billed on `basis`.
    fn into_snapshot(mut self, month: Month, end_state: &Estate, basis: String) -> Snapshot {
        for p in &mut self.profiles {
            p.deleted = !end_state.profiles.contains(&p.key);
        }
        let mut held = Vec::new();
        let mut pending = Vec::new();
        for acc in self.order {
            let Some(seat) = acc.seat else { continue };
            match acc.active {
                Some((plan, via, at)) => {
                    let gone = self
                        .profiles
                        .get(seat.profile.index())
                        .is_some_and(|p| p.deleted);
                    let note = if gone {
                        Some(format!(
                            "{} via {}; profile deleted during {month}: the full month is charged",
                            plan.display_name(),
                            via
                        ))
                    } else if acc.at_end != Some(plan) {
                        let now = match acc.at_end {
                            Some(p) => format!("{} at the end of the month", p.display_name()),
                            None => "no subscription at the end of the month".to_owned(),
                        };
                        Some(format!(
                            "{} via {}, held on {} ({now}): {month} is charged at the highest plan held",
                            plan.display_name(),
                            via,
                            at.strftime("%Y-%m-%d")
                        ))
                    } else {
                        None
                    };
                    held.push(Line::held(seat, plan, via, note));
                }
                None => {
                    if let Some(p) = acc.pending {
                        pending.push((seat, p));
                    }
                }
            }
        }
        Snapshot {
            held,
            pending,
            profiles: self.profiles,
            roster: self.finder.into_roster(),
            basis,
            notes: Vec::new(),
        }
    }
}

/// The profiles an operation can change the seats of, in the state after it: the profile it
/// acts on, or every profile on the identity store whose users, groups or memberships it
/// changes. Operations on accounts, organizations and instances change no seat.
fn affected<'e>(estate: &'e Estate, op: &Op) -> Vec<&'e Profile> {
    match op.target() {
        Target::Profile(account, region) => estate
            .profiles
            .get(&ProfileKey::new(account, region))
            .into_iter()
            .collect(),
        Target::Directory(instance) => estate
            .profiles
            .iter()
            .filter(|p| &p.instance == instance)
            .collect(),
        Target::Account(_) | Target::Organization(_) | Target::Instance(_) => Vec::new(),
    }
}

fn replay(estate: &Estate, month: Month) -> Replay {
    let (start, end) = (month.start(), month.end());
    let mut engine = Engine::new(Estate::empty());
    let mut acc = MonthAccumulator::default();
    let mut started = false;
    let mut structure = None;
    let mut broken = None;
    let mut in_month = 0;
    for (index, event) in estate
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.outcome == "ok")
    {
        if !started && event.at >= start {
            acc.observe_all(engine.estate(), start);
            started = true;
        }
        if structure.is_none() && event.at >= end {
            structure = Some(engine.estate().clone());
        }
        if let Err(e) = engine.apply(&event.op, event.at) {
            broken = Some(format!(
                "event {index} (`{}`) fails on replay: {e}",
                event.op.name()
            ));
            break;
        }
        if started && structure.is_none() {
            in_month += 1;
            for profile in affected(engine.estate(), &event.op) {
                acc.observe(engine.estate(), profile, event.at);
            }
        }
    }
    if broken.is_none() {
        if !started {
            acc.observe_all(engine.estate(), start);
        }
        if !same_seats(engine.estate(), estate) {
            broken = Some(
                "replaying it does not reproduce the estate's current subscriptions".to_owned(),
            );
        }
        if structure.is_none() {
            structure = Some(engine.into_estate());
        }
    }
    Replay {
        broken,
        acc,
        structure,
        in_month,
    }
}

fn same_seats(a: &Estate, b: &Estate) -> bool {
    let summary = |e: &Estate| {
        let mut finder = SeatFinder::new();
        let mut v: Vec<(ProfileKey, Name, Option<Plan>, Option<Plan>)> = Vec::new();
        for (i, profile) in e.profiles.iter().enumerate() {
            for s in finder.seats(e, profile, ProfileRef::at(i)) {
                let charged = s.charged().map(|p| p.plan);
                let pending = s.pending().map(|p| p.plan);
                let user_id = finder.roster().user(s.user).user_id.clone();
                v.push((profile.key(), user_id, charged, pending));
            }
        }
        v.sort();
        v
    };
    a.profiles.len() == b.profiles.len() && summary(a) == summary(b)
}

/// The bill of `month` for an estate without an event log: its current state, for the
/// profiles that existed by the month's end — a profile's `created` date, or else its
/// instance's, says when it began (a profile cannot predate its instance).
fn without_log(estate: &Estate, month: Month) -> Snapshot {
    let began = |p: &Profile| {
        let instance = estate.instances.get(&p.instance).map(|i| i.created);
        p.created.or(instance).map(Month::of_date)
    };
    let existed = |p: &Profile| began(p).is_none_or(|m| m <= month);
    let mut snapshot = snapshot_of(estate, existed);
    snapshot.basis = format!("the estate's current state, assumed to hold for all of {month}");
    snapshot.notes.push(
        "the estate has no event log: its current state is billed for the whole month".to_owned(),
    );
    let later: Vec<Month> = estate
        .profiles
        .iter()
        .filter(|p| !existed(p))
        .filter_map(began)
        .collect();
    if let Some(first) = later.iter().min() {
        let n = later.len();
        snapshot.notes.push(if snapshot.profiles.is_empty() {
            format!("no profile existed yet in {month}: the first was created in {first}")
        } else {
            format!(
                "{} created after {month} not billed (the first of them in {first})",
                kiro_estate::words::count(n, "profile", "profiles")
            )
        });
    }
    snapshot
}

/// The seats to bill for `month`, and the estate (as at the month's end) whose structure the
/// charges roll up through; none means the current estate.
pub fn month_snapshot(
    estate: &Estate,
    month: Month,
) -> Result<(Snapshot, Option<Estate>), HistoryError> {
    let Some(last) = estate
        .events
        .iter()
        .filter(|e| e.outcome == "ok")
        .map(|e| e.at)
        .max()
    else {
        return Ok((without_log(estate, month), None));
    };
    let replay = replay(estate, month);
    let last_month = Month::of(last);
    if let Some(reason) = replay.broken {
        if month > last_month {
            let mut snapshot = current_snapshot(estate);
            snapshot.basis = format!("the estate's current state (no event after {last_month})");
            snapshot.notes.push(format!(
                "the event log does not begin from an empty estate ({reason}); {month} is after the last event, so the current state is billed"
            ));
            return Ok((snapshot, None));
        }
        return Err(HistoryError::NotReplayable {
            month,
            reason,
            last: last_month,
        });
    }
    let structure = replay.structure.unwrap_or_else(|| estate.clone());
    let events = estate.events.iter().filter(|e| e.outcome == "ok").count();
    let basis = format!(
        "the event log replayed from an empty estate ({events} events, {} in {month})",
        replay.in_month
    );
    let snapshot = replay.acc.into_snapshot(month, &structure, basis);
    Ok((snapshot, Some(structure)))
}
