//! The CLI end to end, through the binary: one integration-test binary, a module per area.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod apply;
mod audit;
mod browser;
mod catalog;
mod collect;
mod colour;
mod cost;
mod operations_doc;
mod readme;
mod reconcile;
mod report;
mod serve;
mod shell;
mod support;
