#![doc = include_str!("member_can_give_seats_to_any_group.md")]

use kiro_advice::guardrails::DENY_SEATS;
use kiro_estate::Governance;
use kiro_estate::query::Standing;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;
use crate::rules::governance::gap::{self, Evaluated};

/// `KO305`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO305",
    name: "member-can-give-seats-to-any-group",
    area: "governance",
    severity: Severity::Error,
    doc: include_str!("member_can_give_seats_to_any_group.md"),
    check,
};

/// The IAM action of giving a Kiro seat.
pub const ACTION: &str = "q:CreateAssignment";

/// A group id no SCP can have approved: the question is whether a seat can go to any group.
const ANY_GROUP: &str = "any-group-not-approved-by-an-scp";

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let context = [("identitystore:GroupId", ANY_GROUP.to_owned())];
    let mut evaluated = Vec::new();
    for account in &cx.estate.accounts {
        let id = &account.id;
        if cx.estate.standing(id) != Standing::Member
            || cx.governance(id) != Some(Governance::Central)
        {
            continue;
        }
        let regions: Vec<String> = cx
            .estate
            .profiles
            .iter()
            .filter(|p| &p.account == id)
            .map(|p| p.region.clone())
            .collect();
        if regions.is_empty() {
            continue;
        }
        evaluated.push(Evaluated::ask_with(
            cx,
            account,
            ACTION,
            regions,
            |region| kiro_estate::ids::arn::profile(region, "{account}", "*"),
            &context,
        ));
    }
    gap::report(cx, &RULE, ACTION, evaluated, &WORDING, out);
}

/// How findings of this rule read.
const WORDING: gap::Wording = gap::Wording {
    can: "can give Kiro seats to any group",
    delegated: "",
    rail: DENY_SEATS,
    help: |_, target, rails, command| {
        format!(
            "attach the guard rail `{DENY_SEATS}` to {target}: `{command} --seat-groups GROUP…` prints it for the approved groups, rehearsed (pattern {})",
            rails.pattern
        )
    },
};
