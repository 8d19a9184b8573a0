//! Kiro billing over an estate: who is charged what, where, and why.
//!
//! The pipeline is small and explicit, so each rule of SPEC.md lives in one place:
//!
//! 1. [`effective`] — each person's plan in each profile: the highest of every path (a direct
//!    subscription, each group they are in), with the path that set it. Pending paths are not
//!    charged.
//! 2. [`history`] — for `--month`, the same seats reconstructed from the event log with the
//!    month-boundary rules: a seat is charged at the highest plan it held while active at any
//!    moment of the calendar month, including the state at the month's start.
//! 3. [`allocation`] — the price book's `cross-profile` rule: charged in each profile, or once
//!    per organization at the person's highest plan.
//! 4. [`usage`] — overage from a usage report, only where the profile allows overage, and
//!    right-sizing suggestions.
//! 5. [`charges`] — the bill: per person and profile, rolled up to accounts, OUs, organizations
//!    (the management account pays) and standalone accounts.
//! 6. [`duplicates`] — people charged in more than one profile, with what is avoidable.
//!
//! 7. [`chargeback`] — the bill, or what AWS billed, by an Identity Center user attribute.
//!
//! 8. [`focus`] — the bill as a FOCUS 1.2 dataset.
//!
//! 9. [`cur`] and [`reconcile`] — what AWS really billed (the CUR's Kiro lines) against the
//!    bill of the same month.
//!
//! [`seats`] holds what flows between the steps: seats and charge lines that name their
//! profile and user by interned ids, and the roster that records each user once.
#![deny(missing_docs)]

pub mod allocation;
pub mod chargeback;
pub mod charges;
pub mod cur;
pub mod duplicates;
pub mod effective;
pub mod focus;
mod hash;
pub mod history;
pub mod month;
pub mod reconcile;
pub mod seats;
pub mod usage;

pub use charges::{Bill, BillOptions, bill_current, bill_month};
pub use kiro_estate::prices::{Credits, CrossProfile, Micros, Money, PriceBook};
pub use month::Month;
