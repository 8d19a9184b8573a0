//! A group's members: user names in the file's order.
//!
//! A large estate holds millions of memberships, and reading them into a hashed set cost a
//! third of its load time and a fifth of its memory, although billing and validation only go
//! through each list in order. So the names are a plain list; the first look-up by name (an
//! operation adding or removing a member, the server asking whether a user is one) builds an
//! index of positions once, which later insertions keep up to date.
//!
//! A file may list a member twice: the list keeps what the file says, and validation reports
//! the repeat where it stands. Operations never add a name twice.

use std::fmt;
use std::hash::BuildHasher;
use std::sync::OnceLock;

use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Name;

/// A group's members (see the module's documentation).
#[derive(Clone, Default)]
pub struct Members {
    names: Vec<Name>,
    /// Positions in `names` by name (the first of a repeated one), once looked up.
    index: OnceLock<Index>,
}

/// The positions of a member list, hashed by name.
#[derive(Clone)]
struct Index {
    hasher: foldhash::fast::RandomState,
    positions: HashTable<u32>,
}

impl Index {
    fn of(names: &[Name]) -> Self {
        let mut index = Index {
            hasher: Default::default(),
            positions: HashTable::with_capacity(names.len()),
        };
        for (at, name) in names.iter().enumerate() {
            if index.find(names, name).is_none() {
                index.insert(names, at);
            }
        }
        index
    }

    fn find(&self, names: &[Name], name: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(name);
        let found = self
            .positions
            .find(hash, |&at| names[at as usize] == name)?;
        Some(*found as usize)
    }

    /// Records the name at position `at` of `names` (not recorded yet).
    fn insert(&mut self, names: &[Name], at: usize) {
        let Self { hasher, positions } = self;
        let hash = hasher.hash_one(names[at].as_str());
        positions.insert_unique(hash, u32::try_from(at).unwrap_or(u32::MAX), |&i| {
            hasher.hash_one(names[i as usize].as_str())
        });
    }
}

impl Members {
    /// The names, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Name> {
        self.names.iter()
    }

    /// How many names the list holds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the group has no member.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::of(&self.names))
    }

    /// Whether `name` is a member.
    pub fn contains(&self, name: &str) -> bool {
        self.index().find(&self.names, name).is_some()
    }

    /// Adds `name` at the end, unless it is a member already (then returns `false`).
    pub fn insert(&mut self, name: Name) -> bool {
        if self.contains(&name) {
            return false;
        }
        self.names.push(name);
        let at = self.names.len() - 1;
        if let Some(index) = self.index.get_mut() {
            index.insert(&self.names, at);
        }
        true
    }

    /// Removes `name`, keeping the others in order (returns `false` when it is no member).
    pub fn remove(&mut self, name: &str) -> bool {
        // One pass over the names costs less than indexing them, which the removal undoes.
        let at = match self.index.get() {
            Some(index) => index.find(&self.names, name),
            None => self.names.iter().position(|n| n == name),
        };
        let Some(at) = at else {
            return false;
        };
        self.names.remove(at);
        // The positions after it moved: the next look-up indexes the list again.
        self.index = OnceLock::new();
        true
    }
}

impl FromIterator<Name> for Members {
    /// The names in order, each once.
    fn from_iter<I: IntoIterator<Item = Name>>(names: I) -> Self {
        let mut members = Members::default();
        for name in names {
            members.insert(name);
        }
        members
    }
}

impl<'a> IntoIterator for &'a Members {
    type Item = &'a Name;
    type IntoIter = std::slice::Iter<'a, Name>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Equal when they hold the same members, in any order, as sets are.
impl PartialEq for Members {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|n| other.contains(n))
    }
}

impl fmt::Debug for Members {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.names).finish()
    }
}

impl Serialize for Members {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.names.serialize(s)
    }
}

/// Read at exactly its size: a list grown by doubling while it is read copies itself several
/// times and keeps spare room that a million memberships would turn into megabytes. The
/// names are gathered in one reused list first, then moved into one of the right size.
impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of user names")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Members, A::Error> {
                thread_local! {
                    static GATHERED: std::cell::RefCell<Vec<Name>> = const { std::cell::RefCell::new(Vec::new()) };
                }
                GATHERED.with_borrow_mut(|gathered| {
                    gathered.clear();
                    while let Some(name) = seq.next_element::<Name>()? {
                        gathered.push(name);
                    }
                    let mut names = Vec::with_capacity(gathered.len());
                    names.append(gathered);
                    Ok(Members {
                        names,
                        index: OnceLock::new(),
                    })
                })
            }
        }
        d.deserialize_seq(Names)
    }
}

#[cfg(test)]
mod tests {
    use super::Members;

    fn names(m: &Members) -> Vec<&str> {
        m.iter().map(|n| n.as_str()).collect()
    }

    #[test]
    fn members_keep_their_order_and_are_added_once() {
        let mut m: Members = ["b", "a"].into_iter().map(Into::into).collect();
        assert!(m.insert("c".into()));
        assert!(!m.insert("a".into()));
        assert_eq!(names(&m), ["b", "a", "c"]);
        assert!(m.contains("c") && !m.contains("d"));
        assert!(m.remove("b"));
        assert!(!m.remove("b"));
        assert_eq!(names(&m), ["a", "c"]);
        // Indexed again after the removal.
        assert!(m.contains("c") && !m.contains("b"));
        assert!(m.insert("b".into()));
        assert!(m.contains("b"));
        assert_eq!(m, ["c", "b", "a"].into_iter().map(Into::into).collect());
    }

    #[test]
    fn a_file_s_list_is_kept_as_written_repeats_included() {
        let m: Members = serde_json::from_str(r#"["x", "y", "x"]"#).unwrap();
        assert_eq!(names(&m), ["x", "y", "x"]);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"["x","y","x"]"#);
        assert!(m.contains("x"));
    }
}
