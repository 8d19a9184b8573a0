//! The audit's own configuration.

pub mod unused_suppression;
