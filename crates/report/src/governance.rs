//! The governance matrix: accounts × the actions that decide who can start using Kiro, each
//! answered by the engine's one SCP answerer (through the audit's context, as the
//! governance rules ask it), never by an evaluator of the report's own.
//!
//! Accounts under one parent with the same answers share a row, so an organization of
//! thousands of accounts in a few OUs is a few rows.

use std::collections::BTreeMap;

use kiro_audit::cx::Cx;
use kiro_engine::Decision;
use kiro_estate::{AccountId, Estate};
use serde::Serialize;

/// The resource an action is asked on, in a region.
pub type Resource = fn(&str) -> String;

/// The guarded actions and the resource each is asked on in a region (`{account}` is the
/// acting account), as the engine's `required_action` and the governance rules name them.
pub const ACTIONS: [(&str, Resource); 3] = [
    ("codewhisperer:CreateProfile", any_profile),
    ("sso:CreateInstance", anything),
    ("q:CreateAssignment", any_profile),
];

/// Any profile of the acting account in `region`.
fn any_profile(region: &str) -> String {
    kiro_estate::ids::arn::profile(region, "{account}", "*")
}

/// Any resource.
fn anything(_: &str) -> String {
    "*".to_owned()
}

/// Account ids listed per row; the rest are counted.
const IDS_SHOWN: usize = 5;

/// One cell: the answer for one action, over the account's regions.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Cell {
    /// Whether every region allows it.
    pub allowed: bool,
    /// `allowed`, `denied by SCP `x` (statement s) at OU y`, or both with their regions.
    pub text: String,
}

/// One row: accounts under one parent with the same answers.
#[derive(Serialize)]
pub struct Row {
    /// The organization's management account, or empty for standalone accounts.
    pub organization: String,
    /// `root`, the OU's name, or `standalone`.
    pub parent: String,
    /// Up to [`IDS_SHOWN`] account ids.
    pub accounts: Vec<String>,
    /// Accounts in the row.
    pub count: usize,
    /// One cell per action of [`ACTIONS`].
    pub cells: Vec<Cell>,
}

/// The matrix of `estate`.
pub fn matrix(estate: &Estate, cx: &Cx<'_>) -> Vec<Row> {
    let mut rows: BTreeMap<(String, String, Vec<Cell>), Vec<&AccountId>> = BTreeMap::new();
    for account in estate.accounts.iter() {
        let regions = cx.regions_of(&account.id);
        let cells = ACTIONS
            .iter()
            .map(|(action, resource)| cell(cx, &account.id, action, *resource, &regions))
            .collect();
        let organization = account
            .organization
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let parent = match (&account.organization, &account.parent) {
            (None, _) => "standalone".to_owned(),
            (Some(_), None) => "root".to_owned(),
            (Some(_), Some(p)) => p.clone(),
        };
        rows.entry((organization, parent, cells))
            .or_default()
            .push(&account.id);
    }
    rows.into_iter()
        .map(|((organization, parent, cells), ids)| Row {
            organization,
            parent,
            accounts: ids
                .iter()
                .take(IDS_SHOWN)
                .map(ToString::to_string)
                .collect(),
            count: ids.len(),
            cells,
        })
        .collect()
}

/// The answer for `account` doing `action` in each of `regions`.
fn cell(
    cx: &Cx<'_>,
    account: &AccountId,
    action: &str,
    resource: Resource,
    regions: &[String],
) -> Cell {
    // Regions by the words of their decision, in first-seen order of words.
    let mut by_words: Vec<(String, Vec<&str>)> = Vec::new();
    for region in regions {
        let decision = cx.decide(account, action, &resource(region), region);
        let words = describe(&decision);
        match by_words.iter_mut().find(|(w, _)| *w == words) {
            Some((_, rs)) => rs.push(region),
            None => by_words.push((words, vec![region])),
        }
    }
    let allowed = by_words.iter().all(|(w, _)| w == "allowed");
    let text = match by_words.as_slice() {
        [] => "no Kiro region".to_owned(),
        [(words, _)] => words.clone(),
        many => many
            .iter()
            .map(|(w, rs)| format!("{w} in {}", rs.join(", ")))
            .collect::<Vec<_>>()
            .join("; "),
    };
    Cell { allowed, text }
}

/// A decision in words: which SCP, which statement, at which level.
fn describe(decision: &Decision<'_>) -> String {
    match decision {
        Decision::Allowed => "allowed".to_owned(),
        Decision::ImplicitlyDenied { level, .. } => {
            format!("denied: no SCP allows it at {level}")
        }
        Decision::ExplicitlyDenied {
            level,
            policy,
            statement,
            ..
        } => format!("denied by SCP {policy} ({statement}) at {level}"),
    }
}
