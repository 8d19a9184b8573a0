//! The request context: condition keys and their values.

use std::collections::HashMap;

/// The value of one context key.
///
/// A key given one string is single-valued; a key given a list is multivalued even with one
/// element. The distinction matters: operators without `ForAnyValue:`/`ForAllValues:` never
/// match a multivalued key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// One string.
    Single(String),
    /// A list of strings.
    Multi(Vec<String>),
}

impl ContextValue {
    /// Every value, a single value as a one-element slice.
    pub fn values(&self) -> &[String] {
        match self {
            ContextValue::Single(v) => std::slice::from_ref(v),
            ContextValue::Multi(v) => v,
        }
    }
}

/// Condition keys of a request, looked up case-insensitively as AWS does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    // Keys are stored lowercase so a lookup with a key lowercased at parse time hashes the
    // same without allocating.
    values: HashMap<String, ContextValue>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a single-valued key, replacing any earlier value.
    pub fn insert(&mut self, key: impl AsRef<str>, value: impl Into<String>) -> &mut Self {
        self.values.insert(
            key.as_ref().to_lowercase(),
            ContextValue::Single(value.into()),
        );
        self
    }

    /// Sets a multivalued key, replacing any earlier value.
    pub fn insert_many<I, S>(&mut self, key: impl AsRef<str>, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.values.insert(
            key.as_ref().to_lowercase(),
            ContextValue::Multi(values.into_iter().map(Into::into).collect()),
        );
        self
    }

    /// The value of `key`, whatever its case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        if key.bytes().any(|b| b.is_ascii_uppercase()) || !key.is_ascii() {
            self.values.get(&key.to_lowercase())
        } else {
            self.values.get(key)
        }
    }

    /// The value of a key already in lowercase: the allocation-free lookup evaluation uses.
    pub(crate) fn get_lower(&self, key: &str) -> Option<&ContextValue> {
        self.values.get(key)
    }

    /// True when no key is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Keys (lowercase) and values, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }
}
