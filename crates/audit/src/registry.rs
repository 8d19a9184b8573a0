//! The rule table: every rule's stable code and kebab-case name, sorted by code.
//!
//! Codes never change meaning once released; a retired rule keeps its code reserved. The
//! hundreds group rules by area: `KO1xx` subscriptions and billing, `KO2xx` profiles and the
//! quota, `KO3xx` organization governance, `KO4xx` Identity Center instances and identities,
//! `KO5xx` what the IAM catalog says of the SCP documents,
//! `KO9xx` the audit's own configuration, `KO0xx` the estate file's own rules.

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::rules::{billing, config, estate, governance, identity, quota, scp};

/// A rule: its code, name, default severity, documentation and check.
pub struct RuleInfo {
    /// The stable code, e.g. `KO101`.
    pub code: &'static str,
    /// The kebab-case name, after the bad pattern it finds.
    pub name: &'static str,
    /// The area (the rule's folder under `rules/`).
    pub area: &'static str,
    /// The default (highest) severity; some rules grade findings lower by the declared
    /// governance intent. A configuration file can override it per code.
    pub severity: Severity,
    /// The documentation in fixed sections (`## What it does`, `## Why is this bad?`,
    /// `## Example`, `## Remediation`): the rule's `.md` file, also its rustdoc.
    pub doc: &'static str,
    /// Adds the rule's findings for the estate in `cx`.
    pub check: fn(&Cx<'_>, &mut Vec<Finding>),
}

impl RuleInfo {
    /// The first sentence of `## What it does`: a one-line summary for `rule --all`.
    pub fn summary(&self) -> String {
        let body = section(self.doc, "What it does").unwrap_or_default();
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        match flat.find(". ") {
            Some(i) => flat[..=i].to_owned(),
            None => flat,
        }
    }
}

/// The text of section `## name` of a rule's documentation, trimmed.
pub fn section<'d>(doc: &'d str, name: &str) -> Option<&'d str> {
    let heading = format!("## {name}\n");
    let start = doc.find(&heading)? + heading.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    Some(rest[..end].trim())
}

/// Every rule, sorted by code.
pub static RULES: &[&RuleInfo] = &[
    &estate::estate_rule_broken::RULE,
    &billing::duplicate_subscription_across_profiles::RULE,
    &billing::redundant_subscription_paths::RULE,
    &billing::pending_subscription::RULE,
    &billing::subscription_principal_missing::RULE,
    &billing::empty_group_subscribed::RULE,
    &billing::profile_without_subscriptions::RULE,
    &quota::profile_quota_reached::RULE,
    &quota::profile_quota_near_limit::RULE,
    &quota::profile_settings_drift::RULE,
    &governance::member_can_create_profile::RULE,
    &governance::member_can_create_account_instance::RULE,
    &governance::member_instances_allowed_irreversibly::RULE,
    &governance::governance_undeclared::RULE,
    &governance::member_can_give_seats_to_any_group::RULE,
    &identity::account_instance_migration_trap::RULE,
    &identity::person_in_multiple_instances::RULE,
    &identity::kiro_session_not_extended::RULE,
    &identity::identity_enhanced_sessions_disabled::RULE,
    &identity::kiro_session_has_no_effect::RULE,
    &scp::scp_unknown_action::RULE,
    &scp::guard_rail_denies_nothing::RULE,
    &scp::scp_unknown_condition_key::RULE,
    &scp::scp_operator_key_type_mismatch::RULE,
    &scp::scp_unsupported_condition_key::RULE,
    &scp::scp_set_operator_single_valued_key::RULE,
    &scp::scp_redundant_if_exists::RULE,
    &config::unused_suppression::RULE,
];

/// The rule with `code` (e.g. `KO101`, case-insensitive) or kebab-case `name`.
pub fn find(code_or_name: &str) -> Option<&'static RuleInfo> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// A did-you-mean for an unknown code or name.
pub fn suggest(word: &str) -> Option<String> {
    let candidates = RULES.iter().flat_map(|r| [r.code, r.name]);
    kiro_estate::diagnostic::did_you_mean(word, candidates)
}

/// The rules a `--select`/`--ignore` word names, as ruff reads its selectors: `ALL`, a code
/// (`KO101`), a code prefix (`KO1` for a whole area, `KO30`), or a rule name; case-insensitive
/// for codes. An empty list means the word names no rule.
pub fn selected(word: &str) -> Vec<&'static RuleInfo> {
    let upper = word.to_ascii_uppercase();
    RULES
        .iter()
        .copied()
        .filter(|r| upper == "ALL" || r.code.starts_with(upper.as_str()) || r.name == word)
        .collect()
}
