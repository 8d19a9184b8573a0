//! Shared test helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kiro_audit::{Config, Report};
use kiro_billing::PriceBook;
use kiro_estate::Estate;

#[path = "../../../advice/tests/common/mod.rs"]
mod estates;
pub use estates::*;

pub fn run(estate: &Estate) -> Report {
    run_with(estate, &Config::default())
}

pub fn run_with(estate: &Estate, config: &Config) -> Report {
    let book = PriceBook::builtin().unwrap();
    kiro_audit::audit(estate, &book, config)
}

pub fn codes(report: &Report) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = report.findings.iter().map(|f| f.code).collect();
    c.sort_unstable();
    c.dedup();
    c
}
