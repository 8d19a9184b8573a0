//! The IAM policy language as AWS Organizations' Service Control Policies (SCPs) use it.
//!
//! Three separate stages, as in AWS's own Cedar engine:
//!
//! 1. **Parse and validate** ([`Policy::parse`], [`Policy::from_value`], and
//!    [`Policy::from_document`] for a stored document that is an object or a string holding
//!    JSON): JSON text becomes a compiled [`Policy`], or a [`PolicyError`] that lists every problem at once. SCP rules are
//!    enforced: no `Principal`/`NotPrincipal`, no unknown keys (with a did-you-mean), known
//!    condition operators only, `Effect` is `Allow` or `Deny`, exactly one of `Action` and
//!    `NotAction`.
//! 2. **Evaluate** a [`Request`] (action, resource, [`Context`]) against a [`Statement`]:
//!    actions and ARNs with `*` and `?`, every condition operator family, `IfExists`,
//!    `ForAnyValue:`/`ForAllValues:`, policy variables.
//! 3. **The hierarchy** ([`decide_scps`], [`explain_scps`]): root, OUs, account; a
//!    [`Decision`] naming the level, policy and statement that deny, and the reasons.
//!
//! # The size quota
//!
//! An SCP may hold at most 5,120 characters ([`SCP_SIZE_LIMIT`]). The AWS console strips
//! insignificant whitespace before it counts, so this crate counts the minified document
//! ([`minified_len`]): a pretty-printed policy that is over the limit as written but under it
//! minified is accepted. Tools that upload it through the CLI or an SDK should send the
//! minified form ([`Policy::to_json`] serialised with `serde_json::to_string`).
//!
//! # Performance
//!
//! Wildcards, ARNs, variables and condition values are compiled at parse time; evaluating a
//! statement splits the request once and then only compares borrowed slices, without
//! allocating. [`decide_scps`] gives the decision without building reasons, its names borrowed
//! from the levels.
//!
//! # Example
//!
//! ```
//! use kiro_policy::{explain_scps, Context, Level, Policy, Request};
//!
//! let full = Policy::parse(r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#)?;
//! let guard = Policy::parse(r#"{"Version": "2012-10-17", "Statement": [{
//!     "Sid": "DenyCreateInstance", "Effect": "Deny", "Action": "sso:CreateInstance", "Resource": "*"}]}"#)?;
//! let levels = [
//!     Level { name: "root r-ab12".into(), policies: vec![("FullAWSAccess", &full)] },
//!     Level { name: "account 210987654321".into(), policies: vec![("FullAWSAccess", &full), ("guard", &guard)] },
//! ];
//! let context = Context::new();
//! let (decision, reasons) = explain_scps(&levels, &Request { action: "sso:CreateInstance", resource: "*", context: &context });
//! assert_eq!(decision.kind(), "ExplicitlyDenied");
//! assert!(reasons[0].contains("statement `DenyCreateInstance` of SCP `guard`"));
//! # Ok::<(), kiro_policy::PolicyError>(())
//! ```
#![deny(missing_docs)]

mod catalog;
mod condition;
mod context;
mod error;
mod evaluate;
mod hierarchy;
mod parse;
mod policy;
#[cfg(test)]
mod reference;
mod validate;
mod variables;
mod wildcard;

pub use catalog::{
    Action as CatalogAction, CHECKS, Catalog, Grade, Key as CatalogKey, Service as CatalogService,
    grade,
};
pub use condition::{Cmp, Condition, Family, Operator, SetOp};
pub use context::{Context, ContextValue};
pub use error::{PolicyError, Problem, Step};
pub use evaluate::{Prepared, Request};
pub use hierarchy::{Decision, Level, decide_scps, explain_rcps, explain_scps};
pub use policy::{Effect, Policy, Statement};
pub use validate::{SCP_SIZE_LIMIT, minified_len};
