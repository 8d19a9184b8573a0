//! `Keyed<T>`: an ordered collection looked up by a key that lives inside each item.
//!
//! The estate file writes collections as YAML/JSON lists (people read and diff them in that
//! order), while the simulator needs O(1) look-ups by natural key (account id, user name, …).
//! `Keyed` is both: it serialises as a list and keeps an `IndexMap` in memory. A duplicate key
//! in a file is not a parse error: the first item wins and the positions of the others are kept,
//! so that validation can report every duplicate at once with its location.

use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use indexmap::{Equivalent, IndexMap};
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
    map: IndexMap<T::Key, T, Hasher>,
    duplicates: Vec<(usize, T::Key)>,
    /// The position in the file's list of each item, when duplicates were dropped on load (so
    /// that the items after a duplicate are reported where they are); empty otherwise, and
    /// once the collection is edited.
    positions: Vec<usize>,
}

impl<T: HasKey> Default for Keyed<T> {
    fn default() -> Self {
        Self {
            map: IndexMap::default(),
            duplicates: Vec::new(),
            positions: Vec::new(),
        }
    }
}

impl<T: HasKey + PartialEq> PartialEq for Keyed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
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
        match self.map.entry(item.key()) {
            indexmap::map::Entry::Occupied(_) => Err(item),
            indexmap::map::Entry::Vacant(v) => Ok(v.insert(item)),
        }
    }

    /// The item with `key` (or anything that compares equal to one, such as a `&str` for a
    /// name key).
    pub fn get<Q: ?Sized + Hash + Equivalent<T::Key>>(&self, key: &Q) -> Option<&T> {
        self.map.get(key)
    }

    /// The item with `key`, mutably.
    pub fn get_mut<Q: ?Sized + Hash + Equivalent<T::Key>>(&mut self, key: &Q) -> Option<&mut T> {
        self.map.get_mut(key)
    }

    /// Whether an item has `key`.
    pub fn contains<Q: ?Sized + Hash + Equivalent<T::Key>>(&self, key: &Q) -> bool {
        self.map.contains_key(key)
    }

    /// Removes the item with `key`, keeping the order of the others.
    pub fn remove<Q: ?Sized + Hash + Equivalent<T::Key>>(&mut self, key: &Q) -> Option<T> {
        self.positions.clear();
        self.map.shift_remove(key)
    }

    /// The items in file order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &T> + DoubleEndedIterator {
        self.map.values()
    }

    /// The items in file order, mutably.
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = &mut T> {
        self.map.values_mut()
    }

    /// The item at `index` in file order.
    pub fn get_index(&self, index: usize) -> Option<&T> {
        self.map.get_index(index).map(|(_, v)| v)
    }

    /// The position of `key` in file order.
    pub fn index_of<Q: ?Sized + Hash + Equivalent<T::Key>>(&self, key: &Q) -> Option<usize> {
        self.map.get_index_of(key)
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Positions (in the file's list) and keys of the items dropped as duplicates on load.
    pub fn duplicates(&self) -> &[(usize, T::Key)] {
        &self.duplicates
    }

    /// Keeps only the items for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.positions.clear();
        self.map.retain(|_, v| keep(v));
    }

    /// The items in file order, each with its position in the file's list (which differs from
    /// its index once a duplicate before it was dropped): what diagnostics point at.
    pub fn positioned(&self) -> impl Iterator<Item = (usize, &T)> {
        self.map
            .values()
            .enumerate()
            .map(|(i, v)| (self.positions.get(i).copied().unwrap_or(i), v))
    }
}

impl<T: HasKey> FromIterator<T> for Keyed<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut keyed = Self::new();
        keyed.map.reserve(iter.size_hint().0);
        let mut positions = Vec::new();
        for (position, item) in iter.enumerate() {
            // One key per item: the map's, or the duplicate's record.
            match keyed.map.entry(item.key()) {
                indexmap::map::Entry::Occupied(e) => {
                    keyed.duplicates.push((position, e.key().clone()))
                }
                indexmap::map::Entry::Vacant(v) => {
                    v.insert(item);
                    positions.push(position);
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
    type IntoIter = indexmap::map::Values<'a, T::Key, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.values()
    }
}

impl<T: HasKey + Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.map.values())
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
