//! "Can this member account do X?" for many accounts, fast.
//!
//! Each SCP is parsed once per organization. Accounts that share an organization, a parent
//! and the same account-level attachments get the same answer — unless a policy on their
//! path tests `aws:PrincipalAccount` (the only context key that differs between them), in
//! which case the answer is cached per account. An enterprise with 10,000 accounts in a
//! handful of OUs thus costs a handful of evaluations.

use std::collections::HashMap;
use std::rc::Rc;

use kiro_estate::{AccountId, Estate, Organization};
use kiro_policy::{Level, Outcome, Policy, Request, decide_scps};

/// The verdict for one request, with the level that denies it when denied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every level allows and nothing denies.
    Allowed,
    /// Denied: by which policy (explicit) or at which level (no allow).
    Denied(String),
}

struct Parsed {
    policy: Option<Rc<Policy>>,
    account_specific: bool,
}

/// A level's name and its parsed policies by name.
type ParsedLevel = (String, Vec<(String, Rc<Parsed>)>);

/// Caches parsed policies and verdicts.
#[derive(Default)]
pub struct ScpOracle {
    parsed: HashMap<(AccountId, String), Rc<Parsed>>,
    verdicts: HashMap<String, Verdict>,
    attachments: HashMap<AccountId, Rc<HashMap<String, Vec<String>>>>,
}

impl ScpOracle {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn parsed(&mut self, org: &AccountId, name: &str, document: &serde_json::Value) -> Rc<Parsed> {
        let key = (org.clone(), name.to_owned());
        if let Some(p) = self.parsed.get(&key) {
            return Rc::clone(p);
        }
        let policy = match document {
            serde_json::Value::String(text) => Policy::parse(text),
            other => Policy::from_value(other),
        }
        .ok()
        .map(Rc::new);
        let text = document.to_string().to_ascii_lowercase();
        let parsed = Rc::new(Parsed {
            policy,
            account_specific: text.contains("principalaccount") || text.contains("arn:"),
        });
        self.parsed.insert(key, Rc::clone(&parsed));
        parsed
    }

    /// The policies attached to each target of `org`, indexed once: looking them up per
    /// account by scanning every attachment would be quadratic in large organizations.
    fn attached(&mut self, org: &Organization) -> Rc<HashMap<String, Vec<String>>> {
        if let Some(index) = self.attachments.get(&org.management) {
            return Rc::clone(index);
        }
        let mut index: HashMap<String, Vec<String>> = HashMap::new();
        for a in &org.attachments {
            if org.policies.contains(&a.policy) {
                index
                    .entry(a.target.clone())
                    .or_default()
                    .push(a.policy.clone());
            }
        }
        let index = Rc::new(index);
        self.attachments
            .insert(org.management.clone(), Rc::clone(&index));
        index
    }

    /// The SCP levels of `account` (root, OUs, account) as names and policy names; none for
    /// standalone and management accounts.
    fn levels(
        &mut self,
        estate: &Estate,
        org: &Organization,
        account: &AccountId,
    ) -> Vec<(String, Vec<String>)> {
        if &org.management == account {
            return Vec::new();
        }
        let index = self.attached(org);
        let get = |t: &str| index.get(t).cloned().unwrap_or_default();
        let parent = estate
            .account(account)
            .and_then(|a| a.parent.as_deref())
            .unwrap_or("root");
        let mut levels = vec![(format!("root {}", org.root_id), get("root"))];
        for ou in org.ou_path(parent) {
            levels.push((format!("OU {} ({})", ou.name, ou.id), get(&ou.name)));
        }
        levels.push((format!("account {account}"), get(account.as_str())));
        levels
    }

    /// Whether `account` may perform `action` on `resource` in `region` as far as SCPs go.
    /// `resource` may contain `{account}`, replaced by the account id.
    /// Standalone and management accounts are never restricted. A policy that does not parse
    /// is ignored (validation reports it).
    pub fn decide(
        &mut self,
        estate: &Estate,
        account: &AccountId,
        action: &str,
        resource: &str,
        region: &str,
    ) -> Verdict {
        let Some(org) = estate.organization_of(account) else {
            return Verdict::Allowed;
        };
        let levels = self.levels(estate, org, account);
        if levels.is_empty() {
            return Verdict::Allowed;
        }
        let mut parsed_levels: Vec<ParsedLevel> = Vec::with_capacity(levels.len());
        let mut specific = false;
        let mut key = format!("{}|{action}|{resource}|{region}", org.management);
        for (i, level) in levels.iter().enumerate() {
            let mut ps = Vec::with_capacity(level.1.len());
            for name in &level.1 {
                let Some(scp) = org.policies.get(name) else {
                    continue;
                };
                let p = self.parsed(&org.management, &scp.name, &scp.document);
                specific |= p.account_specific;
                ps.push((scp.name.clone(), p));
            }
            // The last level is the account itself: key it by its policies, not its id.
            if i + 1 < levels.len() {
                key.push('|');
                key.push_str(&level.0);
            } else {
                key.push_str("|account:");
                for (n, _) in &ps {
                    key.push_str(n);
                    key.push(',');
                }
            }
            parsed_levels.push((level.0.clone(), ps));
        }
        if specific {
            key.push('|');
            key.push_str(account.as_str());
        }
        if let Some(v) = self.verdicts.get(&key) {
            return v.clone();
        }
        let resource = resource.replace("{account}", account.as_str());
        let levels: Vec<Level<'_>> = parsed_levels
            .iter()
            .map(|(name, ps)| Level {
                name: name.clone(),
                policies: ps
                    .iter()
                    .filter_map(|(n, p)| p.policy.as_deref().map(|pol| (n.as_str(), pol)))
                    .collect(),
            })
            .collect();
        let ctx = kiro_engine::authz::context(estate, account, region);
        let request = Request {
            action,
            resource: &resource,
            context: &ctx,
        };
        let verdict = match decide_scps(&levels, &request) {
            Outcome::Allowed => Verdict::Allowed,
            Outcome::ImplicitlyDenied { level } => Verdict::Denied(format!(
                "no SCP at {} allows it",
                levels.get(level).map_or("?", |l| l.name.as_str())
            )),
            Outcome::ExplicitlyDenied { level, policy, .. } => {
                let l = levels.get(level);
                Verdict::Denied(format!(
                    "SCP `{}` at {} denies it",
                    l.and_then(|l| l.policies.get(policy)).map_or("?", |p| p.0),
                    l.map_or("?", |l| l.name.as_str())
                ))
            }
        };
        self.verdicts.insert(key, verdict.clone());
        verdict
    }
}
