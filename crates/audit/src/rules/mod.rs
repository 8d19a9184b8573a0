//! The rules, one per file, grouped by area. Each file holds the rule's [`RuleInfo`] and its
//! check; the rule's documentation is the `.md` file beside it (embedded, so `kiro-org rule`
//! and rustdoc print the same text).
//!
//! [`RuleInfo`]: crate::registry::RuleInfo

pub mod billing;
pub mod config;
pub mod estate;
pub mod governance;
pub mod identity;
pub mod quota;
