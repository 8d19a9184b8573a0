//! Where an SCP gap is fixed: member accounts that can do what governance forbids, grouped by
//! the target an SCP would be attached to — their parent (an OU or the root) when every
//! evaluated account there can, the account itself when it is the only one.
//!
//! An organization of 10,000 accounts in a few OUs thus yields a few findings, each naming a
//! real attachment target, instead of one per account.

use std::collections::BTreeMap;

use kiro_advice::guardrails::{self, GuardRails};
use kiro_engine::Decision;
use kiro_estate::{Account, AccountId, Governance, Organization};
use serde::Serialize;
use serde_json::{Value, json};

use crate::cx::{Cx, graded};
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// How many affected accounts a finding's details list.
pub const EXAMPLES: usize = 10;

/// One member account the rule evaluated, and the regions where it can act (none: it is
/// denied everywhere).
pub struct Evaluated<'e> {
    /// The account.
    pub account: &'e Account,
    /// Where it can act.
    pub regions: Vec<String>,
    /// Where it cannot, and the SCP decision that denies it there.
    pub denied: Vec<(String, Decision<'static>)>,
}

impl<'e> Evaluated<'e> {
    /// Asks the SCP answerer whether `account` may do `action` in each of `regions`, on the
    /// resource `resource` names for a region.
    pub fn ask(
        cx: &Cx<'e>,
        account: &'e Account,
        action: &str,
        regions: impl IntoIterator<Item = String>,
        resource: impl Fn(&str) -> String,
    ) -> Self {
        Self::ask_with(cx, account, action, regions, resource, &[])
    }

    /// [`Evaluated::ask`] for requests that carry `context` (see [`Cx::decide_with`]).
    pub fn ask_with(
        cx: &Cx<'e>,
        account: &'e Account,
        action: &str,
        regions: impl IntoIterator<Item = String>,
        resource: impl Fn(&str) -> String,
        context: &[(&'static str, String)],
    ) -> Self {
        let mut evaluated = Evaluated {
            account,
            regions: Vec::new(),
            denied: Vec::new(),
        };
        for region in regions {
            match cx.decide_with(&account.id, action, &resource(&region), &region, context) {
                Decision::Allowed => evaluated.regions.push(region),
                decision => evaluated.denied.push((region, decision)),
            }
        }
        evaluated
    }
}

/// The accounts under one parent of one organization.
pub struct Place<'e> {
    /// The organization.
    pub org: &'e Organization,
    /// `root` or the OU's name.
    pub parent: &'e str,
    /// The accounts that can act, in estate order.
    pub affected: Vec<Evaluated<'e>>,
    /// How many accounts under the parent were evaluated.
    pub evaluated: usize,
}

/// What a "member can create X" rule says about a place where members can do its action.
/// The rules differ only in these words; how they grade, word and detail a finding is
/// shared through [`report`], so the rules cannot drift apart.
pub struct Wording {
    /// What the accounts can do, after their names: `can sign up for Kiro`.
    pub can: &'static str,
    /// The intent clause under delegated governance: ` (as delegated governance allows)`.
    pub delegated: &'static str,
    /// The guard rail ([`kiro_advice::guardrails`]) that closes the gap.
    pub rail: &'static str,
    /// The help line, given the governance intent, the SCP target ([`Place::target_words`])
    /// and the organization's own guard rails with the command that prints them.
    pub help: fn(Option<Governance>, &str, &GuardRails, &str) -> String,
}

/// The guard rail `name` of `org`'s own pattern, as finding details: the pattern, the
/// accounts it exempts, the command that prints it and its document — the very text
/// `kiro-org scp generate` gives, from its one home.
pub fn guard_rail_details(rails: &GuardRails, name: &str, command: &str) -> Value {
    json!({
        "name": name,
        "pattern": rails.pattern,
        "exempt": rails.rail(name).map(|r| r.exempt.iter().map(AccountId::as_str).collect::<Vec<_>>()),
        "command": command,
        "document": rails.rail(name).map(|r| r.document.clone()),
    })
}

/// `, which exempts its N department accounts` when the rail `name` has exceptions, else
/// nothing (the command that follows names them).
pub fn exempting(rails: &GuardRails, name: &str) -> String {
    match rails.rail(name).map_or(0, |r| r.exempt.len()) {
        0 => String::new(),
        1 => ", which exempts its department account".to_owned(),
        n => format!(", which exempts its {n} department accounts"),
    }
}

/// Adds one finding of `rule` per place ([`places`]) where the `evaluated` members can do
/// `action`: an error under central governance, info under delegated governance.
pub fn report<'e>(
    cx: &Cx<'e>,
    rule: &'static RuleInfo,
    action: &'static str,
    evaluated: Vec<Evaluated<'e>>,
    wording: &Wording,
    out: &mut Vec<Finding>,
) {
    for place in places(cx, evaluated) {
        let governance = place.governance();
        let severity = graded(governance, Severity::Error, Severity::Info);
        let intent = match governance {
            Some(Governance::Central) => " although governance is central",
            Some(Governance::Delegated) => wording.delegated,
            None => "",
        };
        let rails = guardrails::for_organization(cx.estate, place.org);
        let command = rails.command(Some(&place.org.management));
        let help = (wording.help)(governance, &place.target_words(), &rails, &command);
        let subject = place.subject();
        let message = format!(
            "{} {} in {}{intent}: no SCP denies `{action}`",
            place.who(cx),
            wording.can,
            place.regions().join(", ")
        );
        let finding = Finding::new(rule, severity, subject.clone(), message)
            .help(help)
            .details(&place.details(
                action,
                &subject,
                guard_rail_details(&rails, wording.rail, &command),
            ));
        out.push(finding);
    }
}

/// Groups `evaluated` by organization and parent, then rolls fully affected subtrees up to
/// their highest fully affected OU (or the root); places where no account can act are left out.
pub fn places<'e>(cx: &Cx<'e>, evaluated: Vec<Evaluated<'e>>) -> Vec<Place<'e>> {
    let mut by_place: BTreeMap<(&AccountId, &str), Place<'e>> = BTreeMap::new();
    for e in evaluated {
        let Some(org) = cx.estate.organization_of(&e.account.id) else {
            continue;
        };
        let parent = e.account.parent.as_deref().unwrap_or("root");
        let place = by_place
            .entry((&org.management, parent))
            .or_insert_with(|| Place {
                org,
                parent,
                affected: Vec::new(),
                evaluated: 0,
            });
        place.evaluated += 1;
        if !e.regions.is_empty() {
            place.affected.push(e);
        }
    }
    roll_up(by_place.into_values().collect())
}

/// The chain of `node`'s ancestors in `org`, itself first and `root` last (bounded: OUs nest
/// at most five deep, and a broken chain ends at the root).
fn chain<'e>(org: &'e Organization, node: &'e str) -> Vec<&'e str> {
    let mut out = vec![node];
    let mut at = node;
    while at != "root" && out.len() < 8 {
        at = org
            .ous
            .get(&at.to_owned())
            .map_or("root", |ou| ou.parent.as_str());
        out.push(at);
    }
    if out.last() != Some(&"root") {
        out.push("root");
    }
    out
}

/// Merges places whose whole subtree is affected into their highest fully affected ancestor:
/// one SCP on that OU (or the root) closes the gap for all of them.
fn roll_up<'e>(places: Vec<Place<'e>>) -> Vec<Place<'e>> {
    // (organization, node) -> (evaluated, affected) over the node's whole subtree.
    let mut totals: BTreeMap<(&AccountId, &str), (usize, usize)> = BTreeMap::new();
    let chains: Vec<Vec<&'e str>> = places.iter().map(|p| chain(p.org, p.parent)).collect();
    for (p, chain) in places.iter().zip(&chains) {
        for node in chain {
            let t = totals.entry((&p.org.management, node)).or_default();
            t.0 += p.evaluated;
            t.1 += p.affected.len();
        }
    }
    let full = |org: &AccountId, node: &str| {
        totals
            .get(&(org, node))
            .is_some_and(|(e, a)| e == a && *e > 0)
    };
    let mut merged: BTreeMap<(&AccountId, &str), Place<'e>> = BTreeMap::new();
    let mut out = Vec::new();
    for (p, chain) in places.into_iter().zip(chains) {
        let org = &p.org.management;
        if p.affected.is_empty() {
            continue;
        }
        if p.single_account().is_some() || !full(org, p.parent) {
            out.push(p);
            continue;
        }
        let top = chain
            .iter()
            .take_while(|node| full(org, node))
            .last()
            .copied()
            .unwrap_or(p.parent);
        let entry = merged.entry((org, top)).or_insert_with(|| Place {
            org: p.org,
            parent: top,
            affected: Vec::new(),
            evaluated: 0,
        });
        entry.evaluated += p.evaluated;
        entry.affected.extend(p.affected);
    }
    out.extend(merged.into_values());
    out.sort_by(|a, b| (&a.org.management, a.parent).cmp(&(&b.org.management, b.parent)));
    out
}

/// An affected account, for details: where it can act, and what denies it elsewhere.
#[derive(Serialize)]
pub struct AccountJson<'a> {
    account: &'a str,
    name: &'a str,
    regions: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    denied: Vec<DeniedJson<'a>>,
}

/// A region where an affected account cannot act, with the answerer's decision (action,
/// level, policy, statement) as the engine's `AccessDeniedException` carries it.
#[derive(Serialize)]
pub struct DeniedJson<'a> {
    region: &'a str,
    decision: &'a Decision<'static>,
}

/// The details of a place's finding.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Details<'a> {
    action: &'a str,
    /// `ou`, `root` or `account`: what the subject is.
    scope: &'static str,
    target: &'a str,
    organization: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ou_id: Option<&'a str>,
    parent: &'a str,
    accounts: usize,
    evaluated: usize,
    regions: Vec<&'a str>,
    examples: Vec<AccountJson<'a>>,
    guard_rail: Value,
}

impl<'e> Place<'e> {
    /// Whether the one affected account stands alone among others that are denied: then
    /// the account, not its parent, is where the gap is.
    pub fn single_account(&self) -> Option<&'e Account> {
        match self.affected.as_slice() {
            [one] if self.evaluated > 1 => Some(one.account),
            _ => None,
        }
    }

    /// The attachment target: the account id, the OU's name, or `root`.
    pub fn subject(&self) -> String {
        match self.single_account() {
            Some(a) => a.id.to_string(),
            None => self.parent.to_owned(),
        }
    }

    /// `OU `projects`` or `the root`.
    pub fn parent_words(&self) -> String {
        if self.parent == "root" {
            "the root".to_owned()
        } else {
            format!("OU `{}`", self.parent)
        }
    }

    /// Who can act, in words: `member account `…` (name)`, `all 8 member accounts under OU
    /// `projects``, `3 of 8 member accounts under the root`.
    pub fn who(&self, cx: &Cx<'_>) -> String {
        if let Some(a) = self.single_account() {
            return format!("member account {}", cx.account_label(&a.id));
        }
        let n = self.affected.len();
        let under = self.parent_words();
        if n == 1 {
            let label = self
                .affected
                .first()
                .map(|e| cx.account_label(&e.account.id))
                .unwrap_or_default();
            format!("member account {label}, the only one under {under},")
        } else if n == self.evaluated {
            format!("all {n} member accounts under {under}")
        } else {
            format!("{n} of {} member accounts under {under}", self.evaluated)
        }
    }

    /// Where to attach the denying SCP, in words.
    pub fn target_words(&self) -> String {
        match self.single_account() {
            Some(a) => format!("account `{}` (or its parent, excepting the others)", a.id),
            None if self.affected.len() < self.evaluated => format!(
                "{} (the other accounts there are already denied) or to each affected account",
                self.parent_words()
            ),
            None => self.parent_words(),
        }
    }

    /// Every region where some affected account can act, sorted.
    pub fn regions(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .affected
            .iter()
            .flat_map(|e| e.regions.iter().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The governance intent of the organization.
    pub fn governance(&self) -> Option<Governance> {
        self.org.governance
    }

    /// The finding's details, with the guard rail that closes the gap.
    pub fn details<'a>(
        &'a self,
        action: &'a str,
        subject: &'a str,
        guard_rail: Value,
    ) -> Details<'a> {
        let ou_id = self
            .org
            .ous
            .get(&self.parent.to_owned())
            .map(|ou| ou.id.as_str())
            .filter(|id| !id.is_empty());
        Details {
            action,
            scope: match self.single_account() {
                Some(_) => "account",
                None if self.parent == "root" => "root",
                None => "ou",
            },
            target: subject,
            organization: self.org.management.as_str(),
            ou_id,
            parent: self.parent,
            accounts: self.affected.len(),
            evaluated: self.evaluated,
            regions: self.regions(),
            examples: self
                .affected
                .iter()
                .take(EXAMPLES)
                .map(|e| AccountJson {
                    account: e.account.id.as_str(),
                    name: &e.account.name,
                    regions: &e.regions,
                    denied: e
                        .denied
                        .iter()
                        .map(|(region, decision)| DeniedJson { region, decision })
                        .collect(),
                })
                .collect(),
            guard_rail,
        }
    }
}
