//! People charged in more than one profile.
//!
//! Within one identity store a person is a user id; across stores, the same email address
//! compared case-insensitively (user names alone are not proof: `jdoe` in two directories may
//! be two people). Kiro charges such a person in each profile (unless the price book says
//! `once-per-organization`), so what is avoidable is what they cost beyond their single most
//! expensive seat — and the advice is to keep that seat and remove the others.

use kiro_estate::prices::Money;
use kiro_estate::{Plan, layered};
use std::fmt;

use serde::{Serialize, Serializer};

use crate::charges::Bill;
use crate::effective::Via;
use crate::seats::{Line, PersonRef, ProfileRef, Roster, UserRef};

/// One of a duplicate person's seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DuplicateSeat {
    /// The seat's position in the bill's lines.
    pub line: usize,
    /// The profile.
    pub profile: ProfileRef,
    /// The user there.
    pub user: UserRef,
    /// The plan charged there.
    pub plan: Plan,
    /// What the subscription is charged there.
    pub charge: Money,
    /// Whether this is the seat to keep.
    pub keep: bool,
}

/// A person charged in more than one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The person: a lowercased email, or `store/user-id`.
    pub person: PersonRef,
    /// Their seats, in profile order.
    pub seats: Vec<DuplicateSeat>,
    /// What they cost in all.
    pub total: Money,
    /// What they cost beyond their single most expensive seat.
    pub avoidable: Money,
}

impl DuplicateSeat {
    /// As JSON ([`SeatJson`]), with the commands that remove the seat when `with_remove`.
    pub fn json<'b>(&self, bill: &'b Bill, with_remove: bool) -> SeatJson<'b> {
        let key = bill.profile(self.profile);
        SeatJson {
            account: key.account.as_str(),
            region: &key.region,
            user_name: &bill.user(self.user).user_name,
            plan: self.plan.as_str(),
            charge: self.charge,
            keep: self.keep,
            remove: with_remove.then_some(RemovalsJson(bill, *self)),
        }
    }

    /// The seat in a few words, for tables: `ACCOUNT/REGION Plan as USER: CHARGE`, and
    /// ` (keep)` on the seat to keep.
    pub fn describe(&self, bill: &Bill) -> String {
        format!(
            "{} {} as {}: {}{}",
            bill.profile(self.profile),
            self.plan.display_name(),
            bill.user(self.user).user_name,
            self.charge,
            if self.keep { " (keep)" } else { "" }
        )
    }

    /// How to take the person out of this profile (nothing for the seat to keep): every
    /// active path must go.
    pub fn remove(&self, bill: &Bill) -> Vec<String> {
        self.removals(bill).map(|r| r.to_string()).collect()
    }

    /// [`DuplicateSeat::remove`] unworded: each step is worded only when shown (a large
    /// estate has hundreds of thousands).
    pub fn removals<'b>(&self, bill: &'b Bill) -> impl Iterator<Item = Removal<'b>> + 'b {
        let seat = *self;
        let paths = match bill.lines.get(self.line) {
            Some(line) if !self.keep => line.paths.as_slice(),
            _ => &[],
        };
        paths
            .iter()
            .filter(|p| p.status == kiro_estate::Status::Active)
            .map(move |p| Removal {
                bill,
                seat,
                via: &p.via,
            })
    }
}

/// One step that takes a person out of a profile: cutting one active path to it.
pub struct Removal<'b> {
    bill: &'b Bill,
    seat: DuplicateSeat,
    via: &'b Via,
}

impl Removal<'_> {
    fn user_name(&self) -> &str {
        &self.bill.user(self.seat.user).user_name
    }
}

impl fmt::Display for Removal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let profile = self.bill.profile(self.seat.profile);
        let user = self.user_name();
        match self.via {
            Via::Direct => write!(f, "unsubscribe user `{user}` from profile {profile}"),
            Via::Group(g) => write!(
                f,
                "remove `{user}` from group `{g}` in the identity store of instance {} (or unsubscribe group `{g}` from profile {profile})",
                self.bill.user(self.seat.user).instance
            ),
        }
    }
}

/// A seat's removals as JSON: the principal of each active path to cut, `{"user": NAME}` (a
/// direct subscription) or `{"group": NAME}` (a membership, or the group's subscription).
/// Structured rather than worded: a pipeline acts on them, and a large estate has hundreds
/// of thousands.
struct RemovalsJson<'b>(&'b Bill, DuplicateSeat);

impl RemovalsJson<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (n, r) in self.1.removals(self.0).enumerate() {
            if n > 0 {
                out.push(b',');
            }
            let (key, name): (&[u8], &str) = match r.via {
                Via::Direct => (b"{\"user\":", r.user_name()),
                Via::Group(g) => (b"{\"group\":", g),
            };
            out.extend_from_slice(key);
            layered::string(out, name);
            out.push(b'}');
        }
        out.push(b']');
    }
}

/// Every person with seats in more than one profile, in order of first appearance.
pub fn find(lines: &[Line], roster: &Roster) -> Vec<Duplicate> {
    // Seats per person, and persons in order of first appearance.
    let mut by_person: Vec<Vec<usize>> = vec![Vec::new(); roster.persons()];
    let mut order: Vec<PersonRef> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let person = roster.user(line.user).person;
        let Some(entry) = by_person.get_mut(person.index()) else {
            continue;
        };
        if entry.is_empty() {
            order.push(person);
        }
        entry.push(i);
    }
    let mut out = Vec::new();
    for person in order {
        let Some(idx) = by_person.get(person.index()) else {
            continue;
        };
        if idx.len() < 2 {
            continue;
        }
        // Keep the most expensive seat; among equals the highest plan, then the first.
        let mut keep = 0;
        for (n, &i) in idx.iter().enumerate() {
            let (s, k) = (&lines[i], &lines[idx[keep]]);
            if (s.charge, s.plan, s.list_price) > (k.charge, k.plan, k.list_price) {
                keep = n;
            }
        }
        let total: Money = idx.iter().map(|&i| lines[i].charge).sum();
        let most = lines[idx[keep]].charge;
        out.push(Duplicate {
            person,
            total,
            avoidable: total - most,
            seats: idx
                .iter()
                .enumerate()
                .map(|(n, &i)| DuplicateSeat {
                    line: i,
                    profile: lines[i].profile,
                    user: lines[i].user,
                    plan: lines[i].plan,
                    charge: lines[i].charge,
                    keep: n == keep,
                })
                .collect(),
        });
    }
    out
}

impl Duplicate {
    /// The seat to keep.
    pub fn kept(&self) -> Option<&DuplicateSeat> {
        self.seats.iter().find(|s| s.keep)
    }

    /// The email as first seen.
    pub fn email<'b>(&self, bill: &'b Bill) -> &'b str {
        self.seats
            .first()
            .map_or("", |s| bill.user(s.user).email.as_str())
    }
}

/// One seat of a duplicate as JSON: `account`, `region`, `user-name`, `plan`, `charge`,
/// `keep` and, when asked for, `remove` (see [`RemovalsJson`]). The bill's JSON and the audit
/// finding's details describe a seat alike, so both are written by [`SeatJson::write`].
pub struct SeatJson<'a> {
    account: &'a str,
    region: &'a str,
    user_name: &'a str,
    plan: &'static str,
    charge: Money,
    keep: bool,
    remove: Option<RemovalsJson<'a>>,
}

impl SeatJson<'_> {
    /// Appends the seat as compact JSON.
    pub fn write(&self, out: &mut Vec<u8>) {
        open_profile(out, self.account, self.region);
        out.extend_from_slice(b",\"user-name\":");
        layered::string(out, self.user_name);
        out.extend_from_slice(b",\"plan\":");
        layered::string(out, self.plan);
        out.extend_from_slice(b",\"charge\":");
        self.charge.write_json(out);
        out.extend_from_slice(if self.keep {
            b",\"keep\":true"
        } else {
            b",\"keep\":false"
        });
        if let Some(remove) = &self.remove {
            out.extend_from_slice(b",\"remove\":");
            remove.write(out);
        }
        out.push(b'}');
    }
}

/// Opens the JSON object of a seat in a profile with its `account` and `region`.
fn open_profile(out: &mut Vec<u8>, account: &str, region: &str) {
    out.extend_from_slice(b"{\"account\":");
    layered::string(out, account);
    out.extend_from_slice(b",\"region\":");
    layered::string(out, region);
}

/// A seat inside a JSON tree (the audit's finding details): the value [`SeatJson::write`]
/// writes, read back.
impl Serialize for SeatJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::new();
        self.write(&mut out);
        serde_json::from_slice::<serde_json::Value>(&out)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

impl Duplicate {
    /// Appends the duplicate as compact JSON: `person`, `email`, `profiles` (each a
    /// [`SeatJson`] with its removals), `total`, `avoidable`, `keep` (`account`, `region`,
    /// `plan`).
    pub(crate) fn write_json(&self, bill: &Bill, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"person\":");
        layered::string(out, bill.roster.person(self.person));
        out.extend_from_slice(b",\"email\":");
        layered::string(out, self.email(bill));
        out.extend_from_slice(b",\"profiles\":[");
        for (n, seat) in self.seats.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            seat.json(bill, true).write(out);
        }
        out.extend_from_slice(b"],\"total\":");
        self.total.write_json(out);
        out.extend_from_slice(b",\"avoidable\":");
        self.avoidable.write_json(out);
        out.extend_from_slice(b",\"keep\":");
        match self.kept() {
            Some(k) => {
                let key = bill.profile(k.profile);
                open_profile(out, key.account.as_str(), &key.region);
                out.extend_from_slice(b",\"plan\":");
                layered::string(out, k.plan.as_str());
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
    }
}
