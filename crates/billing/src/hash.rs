//! The hash maps of billing's hot paths (seats per user, the roster, the allocation rule).
//!
//! foldhash rather than std's SipHash: a large estate's bill hashes hundreds of thousands of
//! names, and its input is the organization's own estate, which needs no defence against
//! hash flooding. No billing output follows a map's iteration order.

/// A `HashMap` with foldhash.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// A `HashSet` with foldhash.
pub(crate) type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
