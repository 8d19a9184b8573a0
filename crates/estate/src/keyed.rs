//! `Keyed<T>`: an ordered collection looked up by a key that lives inside each item.
//!
//! The estate file writes collections as YAML/JSON lists (people read and diff them in that
//! order), while the simulator needs O(1) look-ups by natural key (account id, user name, …).
//! `Keyed` is both: it serialises as a list and keeps, in memory, the items in a `Vec` and
//! their keys in an `IndexSet` at the same positions. Keys apart from items keep look-ups in a
//! small, dense table: checking that a group's million members exist touches the keys alone,
//! never the users' other fields. A duplicate key
//! in a file is not a parse error: the first item wins and the positions of the others are kept,
//! so that validation can report every duplicate at once with its location.

use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use indexmap::{Equivalent, IndexSet};
use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An item that carries its own key.
pub trait HasKey {
    /// The natural key (account id, user name, …).
    type Key: Clone + Eq + Hash + Ord + fmt::Display;
    /// This item's key.
    fn key(&self) -> Self::Key;
}

/// The hasher of every `Keyed`: foldhash rather than the default SipHash, since a large
/// estate looks up hundreds of thousands of names at load, in validation and in billing, and
/// an estate file is not adversarial input that needs SipHash's flooding resistance. The
/// iteration order is the insertion order whatever the hasher.
pub(crate) type Hasher = foldhash::fast::RandomState;

/// An insertion-ordered map whose keys are derived from the values.
#[derive(Clone, Debug)]
pub struct Keyed<T: HasKey> {
    /// The key of each item, at the item's position in `items`.
    keys: IndexSet<T::Key, Hasher>,
    items: Vec<T>,
    duplicates: Vec<(usize, T::Key)>,
    /// The position in the file's list of each item, when duplicates were dropped on load (so
    /// that the items after a duplicate are reported where they are); empty otherwise, and
    /// once the collection is edited.
    positions: Vec<usize>,
}

impl<T: HasKey> Default for Keyed<T> {
    fn default() -> Self {
        Self {
            keys: IndexSet::default(),
            items: Vec::new(),
            duplicates: Vec::new(),
            positions: Vec::new(),
        }
    }
}

impl<T: HasKey + PartialEq> PartialEq for Keyed<T> {
    /// Equal when both hold the same items by key, in whatever order (as maps compare).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .keys
                .iter()
                .zip(&self.items)
                .all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<T: HasKey> Keyed<T> {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`, or gives it back when its key is taken.
    pub fn insert(&mut self, item: T) -> Result<&mut T, T> {
        self.positions.clear();
        if !self.keys.insert(item.key()) {
            return Err(item);
        }
        let at = self.items.len();
        self.items.push(item);
        Ok(&mut self.items[at])
    }

    /// The item with `key` (or anything that compares equal to one, such as a `&str` for a
    /// name key).
    pub fn get<Q: ?Sized + Hash + Equivalent<T::Key>>(&self, key: &Q) -> Option<&T> {
        self.items.get(self.keys.get_index_of(key)?)
    }

    /// The item with `key`, mutably.
    pub fn get_mut<Q: ?Sized + Hash + Equivalent<T::Key>>(&mut self, key: &Q) -> Option<&mut T> {
        let i = self.keys.get_index_of(key)?;
        self.items.get_mut(i)
    }

    /// Whether an item has `key`.
    pub fn contains<Q: ?Sized + Hash + Equivalent<T::Key>>(&self, key: &Q) -> bool {
        self.keys.contains(key)
    }

    /// Removes the item with `key`, keeping the order of the others.
    pub fn remove<Q: ?Sized + Hash + Equivalent<T::Key>>(&mut self, key: &Q) -> Option<T> {
        self.positions.clear();
        let (i, _) = self.keys.shift_remove_full(key)?;
        Some(self.items.remove(i))
    }

    /// The items in file order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &T> + DoubleEndedIterator {
        self.items.iter()
    }

    /// The items in file order, mutably.
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = &mut T> {
        self.items.iter_mut()
    }

    /// The item at `index` in file order.
    pub fn get_index(&self, index: usize) -> Option<&T> {
        self.items.get(index)
    }

    /// The position of `key` in file order.
    pub fn index_of<Q: ?Sized + Hash + Equivalent<T::Key>>(&self, key: &Q) -> Option<usize> {
        self.keys.get_index_of(key)
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Positions (in the file's list) and keys of the items dropped as duplicates on load.
    pub fn duplicates(&self) -> &[(usize, T::Key)] {
        &self.duplicates
    }

    /// Keeps only the items for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.positions.clear();
        let kept: Vec<bool> = self.items.iter().map(&mut keep).collect();
        let mut flags = kept.iter().copied();
        self.keys.retain(|_| flags.next().unwrap_or(false));
        let mut flags = kept.iter().copied();
        self.items.retain(|_| flags.next().unwrap_or(false));
    }

    /// The items in file order, each with its position in the file's list (which differs from
    /// its index once a duplicate before it was dropped): what diagnostics point at.
    pub fn positioned(&self) -> impl Iterator<Item = (usize, &T)> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, v)| (self.positions.get(i).copied().unwrap_or(i), v))
    }
}

impl<T: HasKey> FromIterator<T> for Keyed<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut keyed = Self::new();
        keyed.keys.reserve(iter.size_hint().0);
        keyed.items.reserve(iter.size_hint().0);
        let mut positions = Vec::new();
        for (position, item) in iter.enumerate() {
            // One key per item: the set's, or the duplicate's record.
            match keyed.keys.insert_full(item.key()) {
                (_, true) => {
                    keyed.items.push(item);
                    positions.push(position);
                }
                (first, false) => {
                    let key = keyed.keys.get_index(first).cloned();
                    keyed.duplicates.extend(key.map(|k| (position, k)));
                }
            }
        }
        if !keyed.duplicates.is_empty() {
            keyed.positions = positions;
        }
        keyed
    }
}

impl<'a, T: HasKey> IntoIterator for &'a Keyed<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: HasKey + Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(&self.items)
    }
}

impl<'de, T: HasKey + Deserialize<'de>> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);
        impl<'de, T: HasKey + Deserialize<'de>> Visitor<'de> for SeqVisitor<T> {
            type Value = Keyed<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(item) = seq.next_element::<T>()? {
                    items.push(item);
                }
                Ok(items.into_iter().collect())
            }
        }
        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}
