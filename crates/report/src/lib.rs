//! One self-contained HTML report of an estate: its layout, quota headroom, bill,
//! governance and audit findings.
//!
//! Every number comes from the library that computes it for the other commands —
//! [`kiro_advice::patterns`], [`kiro_billing::bill_current`], the engine's SCP answerer,
//! [`kiro_audit`] — so the report says exactly what `patterns`, `cost` and `audit` print.
//! This crate only arranges those answers ([`map`], [`bill`], [`governance`], [`quota`],
//! [`findings`], [`cur`]) and renders them through one HTML-escaping template: no network, CSS and
//! SVG inline, readable printed and in dark mode, every chart beside a table of its numbers.
//! The same tree is also drawn as a Mermaid flowchart ([`mermaid`]) for Markdown.
//!
//! It sits above the audit (it shows its findings) and below the CLI.
#![deny(missing_docs)]

pub mod bill;
pub mod cur;
pub mod findings;
pub mod governance;
pub mod map;
pub mod mermaid;
pub mod quota;

use kiro_advice::patterns::classify_all;
use kiro_audit::Config;
use kiro_audit::cx::Cx;
use kiro_billing::usage::Usage;
use kiro_billing::{BillOptions, PriceBook};
use kiro_estate::{Diagnostic, Estate};
use serde::Serialize;

/// The template, HTML-escaped by its `.html` name.
const TEMPLATE: &str = include_str!("report.html");

/// What a report is made of.
pub struct Input<'a> {
    /// The estate.
    pub estate: &'a Estate,
    /// The domain rules its file breaks (the audit reports them).
    pub rule_breaks: &'a [Diagnostic],
    /// What the policy engine warns about its SCPs (the audit reports them).
    pub warnings: &'a [Diagnostic],
    /// Prices.
    pub book: &'a PriceBook,
    /// Credits used per person, for overage and right-sizing.
    pub usage: Option<&'a Usage>,
    /// What AWS billed for a month (a CUR), reconciled with the model of that month.
    pub cur: Option<&'a kiro_billing::reconcile::Reconciliation>,
    /// The report's title (the estate file's name).
    pub title: &'a str,
    /// For the live page of `kiro-org serve`: the sequence number of the state's last event.
    /// The page then follows the server, swapping in the report of each new state as
    /// operations arrive (a file report has no script at all).
    pub live: Option<u64>,
}

/// A profile's row in the estate table.
#[derive(Serialize)]
struct ProfileRow {
    account: String,
    name: String,
    ou: String,
    region: String,
    instance: String,
    pattern: String,
    reason: String,
    overage: bool,
    prompt_logging: bool,
}

/// An Identity Center instance's row.
#[derive(Serialize)]
struct InstanceRow {
    account: String,
    kind: String,
    region: String,
    portal: String,
    users: usize,
    profiles: usize,
}

#[derive(Serialize)]
struct View<'a> {
    title: &'a str,
    counts: std::collections::BTreeMap<&'static str, usize>,
    map: map::Map,
    badge: u32,
    badge_none: u32,
    profiles: Vec<ProfileRow>,
    instances: Vec<InstanceRow>,
    gauges: Vec<quota::Gauge>,
    bill: bill::BillView,
    cur: Option<cur::CurView>,
    actions: Vec<&'static str>,
    governance: Vec<governance::Row>,
    findings: Vec<findings::Group>,
    finding_count: usize,
    suppressed: usize,
    live: Option<u64>,
}

/// Why a report could not be rendered: the template is wrong (a bug, caught by the tests).
#[derive(Debug, thiserror::Error)]
#[error("the report template failed: {0}")]
pub struct Error(#[from] minijinja::Error);

/// The estate drawn as a Mermaid flowchart ([`mermaid::flowchart`] of its [`map::layout`]).
pub fn diagram(estate: &Estate) -> String {
    mermaid::flowchart(&map::layout(estate, &classify_all(estate)))
}

/// The report of `input`, as one HTML document.
pub fn render(input: &Input<'_>) -> Result<String, Error> {
    let estate = input.estate;
    let patterns = classify_all(estate);
    let profiles = estate
        .profiles
        .iter()
        .zip(&patterns)
        .map(|(p, c)| {
            let account = estate.account(&p.account);
            let ou = estate
                .organization_of(&p.account)
                .zip(account.and_then(|a| a.parent.as_deref()))
                .map(|(org, parent)| {
                    org.ou_path(parent)
                        .iter()
                        .map(|o| o.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" / ")
                })
                .unwrap_or_default();
            ProfileRow {
                account: p.account.to_string(),
                name: account.map(|a| a.name.clone()).unwrap_or_default(),
                ou,
                region: p.region.clone(),
                instance: match c.instance_kind {
                    Some(kind) => format!("{kind} of {}", c.instance),
                    None => format!("missing (account {})", c.instance),
                },
                pattern: c
                    .pattern
                    .map_or_else(|| "none".to_owned(), |n| n.to_string()),
                reason: c.reason.clone(),
                overage: p.settings.overage,
                prompt_logging: p.settings.prompt_logging,
            }
        })
        .collect();
    let instances = estate
        .instances
        .iter()
        .map(|i| InstanceRow {
            account: i.account.to_string(),
            kind: i.kind.to_string(),
            region: i.region.clone(),
            portal: i.portal_url(),
            users: i.users.len(),
            profiles: estate
                .profiles
                .iter()
                .filter(|p| p.instance == i.account)
                .count(),
        })
        .collect();
    // One context for the audit, the bill and the governance matrix: each SCP answer and the
    // bill are computed once (a bill with usage differs from the audit's, so it is its own).
    let cx = Cx::with_diagnostics(estate, input.rule_breaks, input.warnings, input.book);
    let report = kiro_audit::run(&cx, &Config::default());
    let with_usage;
    let bill = match input.usage {
        None => cx.bill(),
        Some(usage) => {
            with_usage =
                kiro_billing::bill_current(estate, input.book, BillOptions { usage: Some(usage) });
            &with_usage
        }
    };
    let view = View {
        title: input.title,
        counts: map::counts(estate),
        map: map::layout(estate, &patterns),
        badge: map::BADGE,
        badge_none: map::BADGE_NONE,
        profiles,
        instances,
        gauges: quota::gauges(estate),
        bill: bill::view(bill),
        cur: input.cur.map(cur::view),
        actions: governance::ACTIONS.iter().map(|(a, _)| *a).collect(),
        governance: governance::matrix(estate, &cx),
        findings: findings::groups(&report),
        finding_count: report.findings.len(),
        suppressed: report.suppressed,
        live: input.live,
    };
    let mut env = minijinja::Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    Ok(env
        .get_template("report.html")?
        .render(minijinja::value::Serde(&view))?)
}
