//! Each person's effective plan in each profile.
//!
//! A person reaches a profile through several paths: a direct subscription and one per group
//! they are a member of that is subscribed. Kiro charges them once per profile, at the highest
//! plan of those paths (plans are ordered Pro < Pro+ < Pro Max < Power). A pending path (the
//! user has not signed in) is never charged, so the charged plan is the highest *active* path;
//! a pending path above it is reported apart.
//!
//! Group subscriptions are expanded through the group's member set, so the work is the sum of
//! the subscribed groups' sizes: no user × group product.

use crate::hash::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use kiro_estate::{AccountId, Estate, Instance, Name, Plan, Profile, Status, Subscription};

use crate::seats::{ProfileRef, Roster, UserRef};

/// How a person reaches a profile's subscription.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    /// A subscription of the user themselves.
    Direct,
    /// A subscription of a group they are a member of (shared by every member's path).
    Group(Arc<str>),
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Direct => f.write_str("direct"),
            Self::Group(g) => write!(f, "group `{g}`"),
        }
    }
}

/// One path to a subscription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTo {
    /// The subscription's principal, as seen from the user.
    pub via: Via,
    /// Its plan.
    pub plan: Plan,
    /// Whether it is active or pending.
    pub status: Status,
}

/// A person's seat in one profile: every path and the plan that results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seat {
    /// The profile.
    pub profile: ProfileRef,
    /// The user, in the finder's [`Roster`].
    pub user: UserRef,
    /// Every path, in subscription order.
    pub paths: Vec<PathTo>,
}

impl Seat {
    /// The highest active path: the plan charged and the path that set it (the first path at
    /// that plan, in subscription order).
    pub fn charged(&self) -> Option<&PathTo> {
        charged(&self.paths)
    }

    /// The highest pending path, when it is above the charged plan (or nothing is charged):
    /// what the profile will cost once the user signs in.
    pub fn pending(&self) -> Option<&PathTo> {
        let pending = best(self.paths.iter().filter(|p| p.status == Status::Pending))?;
        match self.charged() {
            Some(active) if active.plan >= pending.plan => None,
            _ => Some(pending),
        }
    }

    /// A sentence explaining the charged plan (see [`explain`]).
    pub fn explain(&self) -> String {
        explain(&self.paths)
    }
}

fn charged(paths: &[PathTo]) -> Option<&PathTo> {
    best(paths.iter().filter(|p| p.status == Status::Active))
}

/// A sentence explaining the plan charged for a seat with `paths`: which path set it, and
/// what it outranked.
pub fn explain(paths: &[PathTo]) -> String {
    let Some(top) = charged(paths) else {
        // Nothing charged: the highest pending path, if any, is what the seat waits for.
        return match best(paths.iter().filter(|p| p.status == Status::Pending)) {
            Some(p) => format!(
                "pending {} via {}: not charged until first sign-in",
                p.plan.display_name(),
                p.via
            ),
            None => "no active subscription".to_owned(),
        };
    };
    let others: Vec<String> = paths
        .iter()
        .filter(|p| !std::ptr::eq(*p, top))
        .map(|p| {
            let pending = if p.status == Status::Pending {
                ", pending"
            } else {
                ""
            };
            format!("{} via {}{pending}", p.plan.display_name(), p.via)
        })
        .collect();
    if others.is_empty() {
        format!("{} via {}", top.plan.display_name(), top.via)
    } else {
        format!(
            "{} via {} (highest of {} paths; also {})",
            top.plan.display_name(),
            top.via,
            paths.len(),
            others.join(", ")
        )
    }
}

fn best<'a>(paths: impl DoubleEndedIterator<Item = &'a PathTo>) -> Option<&'a PathTo> {
    // The first path at the highest plan: `max_by_key` keeps the last of equals, so reverse.
    paths.rev().max_by_key(|p| p.plan)
}

/// Who a user is across identity stores: their email as [`kiro_estate::email::person_of`]
/// reads it (`person`), which the caller has read once already to ask whether another user
/// of the store shares it.
///
/// Within one store a person is a user id, so when several users of one store share an email
/// (or a user has none, which matches nobody) the user id is the key instead: two users of one
/// store are never merged into one person.
pub fn person_key(
    store: &str,
    user_id: &str,
    person: Option<&str>,
    email_shared_in_store: bool,
) -> Name {
    match person {
        Some(person) if !email_shared_in_store => Name::from(person),
        _ => Name::from(format!("{store}/{user_id}")),
    }
}

/// Per identity store, the emails (lowercased) that more than one user has.
fn shared_emails(instance: &Instance) -> HashSet<String> {
    // Counted by borrowed key (most addresses are already lower-case); only the few shared
    // ones are copied.
    let mut counts: HashMap<std::borrow::Cow<'_, str>, u32> =
        HashMap::with_capacity_and_hasher(instance.users.len(), Default::default());
    for person in instance
        .users
        .iter()
        .filter_map(|u| kiro_estate::email::person_of(u.email.as_deref()))
    {
        *counts.entry(person).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(e, _)| e.into_owned())
        .collect()
}

/// What a finder remembers of one instance between profiles.
#[derive(Default)]
struct InstanceSeats {
    /// The emails (lowercased) that more than one user of the store has; found when the first
    /// seat of the store is recorded.
    shared: Option<HashSet<String>>,
    /// Each user's entry in the roster, by position in the identity store, once recorded.
    users: Vec<Option<UserRef>>,
    /// Each group's members as positions in the store (members the store lacks left out),
    /// by position of the group, resolved when the group is first subscribed: a group
    /// subscribed in many profiles is looked up once.
    groups: Vec<Option<GroupSeats>>,
    /// How many paths reach each user, by position in the store: counted and laid out by
    /// [`SeatFinder::seats`], and all zero between its calls.
    paths_of: Vec<u32>,
}

/// Whom one subscription reaches in its identity store.
#[derive(Clone, Copy)]
enum Reach {
    /// The user at this position.
    User(u32),
    /// The members of the group at this position (resolved).
    Group(usize),
    /// Nobody: the store lacks the principal (validation reports it).
    Nobody,
}

impl Reach {
    /// The users reached, by position in the store.
    fn users<'a>(&'a self, groups: &'a [Option<GroupSeats>]) -> &'a [u32] {
        match self {
            Reach::User(i) => std::slice::from_ref(i),
            Reach::Group(g) => groups
                .get(*g)
                .and_then(Option::as_ref)
                .map_or(&[], |group| &group.members),
            Reach::Nobody => &[],
        }
    }
}

/// A group's members, resolved, and its name as every path through it shares it.
struct GroupSeats {
    name: Arc<str>,
    members: Box<[u32]>,
}

impl InstanceSeats {
    fn of(instance: &Instance) -> Self {
        Self {
            shared: None,
            users: vec![None; instance.users.len()],
            groups: std::iter::repeat_with(|| None)
                .take(instance.groups.len())
                .collect(),
            paths_of: vec![0; instance.users.len()],
        }
    }
}

/// The members of the group at `index` of `instance`, resolved into `groups` once.
fn resolve<'g>(
    groups: &'g mut [Option<GroupSeats>],
    instance: &Instance,
    index: usize,
) -> Option<&'g GroupSeats> {
    let slot = groups.get_mut(index)?;
    if slot.is_none() {
        let group = instance.groups.get_index(index)?;
        let members = group
            .members
            .iter()
            .filter_map(|m| instance.users.index_of(m))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        *slot = Some(GroupSeats {
            name: Arc::from(group.name.as_str()),
            members,
        });
    }
    slot.as_ref()
}

/// Computes seats profile by profile, recording each user once in its [`Roster`].
#[derive(Default)]
pub struct SeatFinder {
    roster: Roster,
    instances: HashMap<AccountId, InstanceSeats>,
}

impl SeatFinder {
    /// A finder with nothing remembered.
    pub fn new() -> Self {
        Self::default()
    }

    /// The users the seats found so far name.
    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// The users the seats found name, for the bill to keep.
    pub fn into_roster(self) -> Roster {
        self.roster
    }

    /// Forgets what was learnt of each instance (their users may have changed), keeping the
    /// roster: a user seen again alike is the same [`UserRef`].
    pub fn forget_instances(&mut self) {
        self.instances.clear();
        self.roster.remember_ids();
    }

    /// The seats of `profile`, known to the bill as `at`: every user with at least one path,
    /// in identity-store order. Paths naming a user or group the store lacks are skipped
    /// (validation reports them).
    pub fn seats(&mut self, estate: &Estate, profile: &Profile, at: ProfileRef) -> Vec<Seat> {
        let Some(instance) = estate.instances.get(&profile.instance) else {
            return Vec::new();
        };
        let known = self
            .instances
            .entry(instance.account.clone())
            .or_insert_with(|| InstanceSeats::of(instance));
        let InstanceSeats {
            shared,
            users: slots,
            groups,
            paths_of,
        } = known;
        // Whom each subscription reaches, counting the paths to each user (by position in
        // the store): the paths are then laid out user by user in one pass, as a counting
        // sort does, each user's in subscription order. No list of every path is grown,
        // copied or sorted (sorting one was most of the bill's own time).
        let mut reaches: Vec<(Reach, &Subscription)> =
            Vec::with_capacity(profile.subscriptions.len());
        let mut total = 0;
        for sub in &profile.subscriptions {
            // As [`kiro_estate::Subscription::principal`] reads it, without copying names.
            let reach = match (&sub.user_name, &sub.group) {
                (None, Some(name)) => instance
                    .groups
                    .index_of(name)
                    .filter(|&g| resolve(groups, instance, g).is_some())
                    .map_or(Reach::Nobody, Reach::Group),
                (name, _) => instance
                    .users
                    .index_of(name.as_deref().unwrap_or_default())
                    .and_then(|i| u32::try_from(i).ok())
                    .map_or(Reach::Nobody, Reach::User),
            };
            for &i in reach.users(groups) {
                paths_of[i as usize] += 1;
                total += 1;
            }
            reaches.push((reach, sub));
        }
        if total == 0 {
            return Vec::new();
        }
        // The seated users in store order, each with where their paths start; `paths_of`
        // becomes each one's next free place.
        let mut seated: Vec<(u32, u32)> = Vec::new();
        let mut next = 0u32;
        for (i, n) in paths_of.iter_mut().enumerate() {
            if *n > 0 {
                seated.push((u32::try_from(i).unwrap_or(u32::MAX), next));
                (next, *n) = (next + *n, next);
            }
        }
        // Each path as its subscription's position, laid out user by user.
        let mut laid = vec![0u32; total];
        for (k, (reach, _)) in reaches.iter().enumerate() {
            for &i in reach.users(groups) {
                let at = &mut paths_of[i as usize];
                laid[*at as usize] = u32::try_from(k).unwrap_or(u32::MAX);
                *at += 1;
            }
        }
        let path = |k: u32| {
            let (reach, sub) = reaches[k as usize];
            let via = match reach {
                Reach::Group(g) => groups[g]
                    .as_ref()
                    .map_or(Via::Direct, |group| Via::Group(Arc::clone(&group.name))),
                Reach::User(_) | Reach::Nobody => Via::Direct,
            };
            PathTo {
                via,
                plan: sub.plan,
                status: sub.status,
            }
        };
        let shared = shared.get_or_insert_with(|| shared_emails(instance));
        let roster = &mut self.roster;
        seated
            .into_iter()
            .filter_map(|(i, from)| {
                let i = i as usize;
                // Ready for the store's next profile: every count back to zero.
                let to = std::mem::take(&mut paths_of[i]);
                let paths: Vec<PathTo> = laid[from as usize..to as usize]
                    .iter()
                    .map(|&k| path(k))
                    .collect();
                let user = instance.users.get_index(i)?;
                let slot = slots.get_mut(i)?;
                let r = match *slot {
                    Some(r) => r,
                    None => {
                        let person = kiro_estate::email::person_of(user.email.as_deref());
                        let person = person.as_deref();
                        let email_shared = person.is_some_and(|p| shared.contains(p));
                        let person =
                            person_key(&instance.identity_store, &user.id, person, email_shared);
                        let r = roster.intern(&instance.account, user, person);
                        *slot = Some(r);
                        r
                    }
                };
                Some(Seat {
                    profile: at,
                    user: r,
                    paths,
                })
            })
            .collect()
    }
}
