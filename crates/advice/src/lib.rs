//! Advice for a Kiro rollout: what an estate is, what it should be, and how to get there.
//!
//! - [`patterns`] classifies each profile into SPEC.md's deployment patterns 1–4.
//! - [`recommend`] picks a pattern for stated requirements (or an estate's facts), with
//!   reasons, caveats and the guard rails to attach.
//! - [`guardrails`] writes those guard-rail SCPs and rehearses them on the simulator before
//!   anyone sees them: attached to an organization, they must leave the pattern possible for
//!   the accounts meant to use it and block it for the rest, or they are not given at all.
//! - [`plan`] computes the operations that turn one estate into another, rehearsed on the
//!   simulator before anything is done, with the monthly cost before and after.
//!
//! # Layering
//!
//! Dependencies flow one way: `kiro-estate` and `kiro-policy` ← `kiro-engine` ←
//! `kiro-billing` ← **`kiro-advice`** ← `kiro-audit` ← the CLI. Advice sits below the audit
//! because audit rules need it — governance findings name the estate's own pattern and give
//! the very guard rail `scp generate` prints — while advice needs nothing from the audit:
//! rehearsals ask the engine, the one answerer of what an organization allows.
#![deny(missing_docs)]

pub mod guardrails;
pub mod patterns;
pub mod plan;
pub mod recommend;
