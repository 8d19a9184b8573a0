//! Authorization: the one SCP answerer of kiro-org.
//!
//! As in AWS, this runs before any other rule of an operation. SCPs never restrict a
//! management account or a standalone one; for a member account every level from the root down
//! to the account must allow the action and none may deny it. `apply`, `serve`, the audit, the
//! advice and `scp simulate` all ask here, so they cannot disagree.
//!
//! # The simulated caller
//!
//! Operations name accounts, not principals, so the caller is the account itself: its root
//! user, `arn:aws:iam::<account>:root` ([`principal_arn`]). SCPs apply to the root user of a
//! member account as to any of its principals, and no exception written for a role
//! (`ArnNotLike aws:PrincipalArn arn:aws:iam::*:role/platform-admin`) matches it, so an
//! account is reported allowed only when SCPs allow the account as such, not merely one of
//! its roles. Every request carries the global keys `aws:PrincipalAccount`,
//! `aws:PrincipalArn`, `aws:RequestedRegion` and, in an organization, `aws:PrincipalOrgID` and
//! `aws:PrincipalOrgPaths` ([`context`]); a seat operation adds `identitystore:GroupId` or
//! `identitystore:UserId` ([`seat_context`]).
//!
//! # One cache
//!
//! [`PolicyCache`] keeps each SCP parsed once per organization (documents never change once
//! created) and the decisions already made. Accounts that share an organization, every level's
//! attachments above the account and the account's own attachments get the same answer,
//! unless a policy on their path tests a key that names the account (`aws:PrincipalAccount`,
//! `aws:PrincipalArn`) or an ARN, in which case the answer is kept per account. An
//! organization of 10,000 accounts in a handful of OUs thus costs a handful of evaluations.

use std::borrow::{BorrowMut, Cow};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

use kiro_estate::query::{Attached, LevelAt, ScpLevel};
use kiro_estate::{AccountId, Estate, Organization, Principal, ProfileKey, Scp};
use kiro_policy::{Context, Decision, Level, Policy, Request, decide_scps, explain_scps};

use crate::error::{OpError, denied_by, malformed};

/// What an operation asks to do, for SCP evaluation.
#[derive(Debug)]
pub struct Action<'a> {
    /// The account performing it.
    pub account: &'a AccountId,
    /// The IAM actions it needs (all of them).
    pub actions: &'a [&'a str],
    /// The resource ARN, or `*`.
    pub resource: String,
    /// The region it is requested in.
    pub region: &'a str,
    /// The keys the operation adds to the request context ([`seat_context`]).
    pub context: &'a [(&'static str, String)],
}

/// One question for the answerer: may `account` perform `action` on `resource` in `region`?
#[derive(Clone, Copy, Debug)]
pub struct Question<'a> {
    /// The acting account.
    pub account: &'a AccountId,
    /// The IAM action, e.g. `codewhisperer:CreateProfile`.
    pub action: &'a str,
    /// The resource ARN, or `*`. `{account}` stands for the acting account's id, so that
    /// accounts asked the same question share one cached answer.
    pub resource: &'a str,
    /// The region the action is requested in.
    pub region: &'a str,
    /// The keys the operation adds to the request context ([`seat_context`]); empty for a
    /// question about the account as such.
    pub context: &'a [(&'static str, String)],
}

/// An SCP parsed once, and whether its answer may differ between accounts on one path.
struct Compiled {
    policy: Result<Policy, String>,
    account_specific: bool,
}

impl Compiled {
    fn new(document: &serde_json::Value) -> Self {
        let text = document.to_string().to_ascii_lowercase();
        Compiled {
            policy: Policy::from_document(document).map_err(|e| e.to_string()),
            account_specific: ["principalaccount", "principalarn", "arn:"]
                .iter()
                .any(|key| text.contains(key)),
        }
    }
}

/// Decisions kept before the memo starts over: bounds a long-running server's memory.
const MEMO_LIMIT: usize = 1 << 16;

/// Parsed SCPs and decisions, kept across questions and operations: parsing is far costlier
/// than evaluating, and SCP documents never change once created.
#[derive(Default)]
pub struct PolicyCache {
    /// By management account, then policy name.
    compiled: HashMap<AccountId, HashMap<String, Rc<Compiled>>>,
    /// By everything a decision depends on (see [`Scps::decide`]).
    decisions: HashMap<String, Decision<'static>>,
}

impl PolicyCache {
    fn compiled(&mut self, org: &AccountId, scp: &Scp) -> Rc<Compiled> {
        // Looked up by reference first: the hot path of an audit allocates no key.
        if let Some(c) = self
            .compiled
            .get(org)
            .and_then(|by_name| by_name.get(scp.name.as_str()))
        {
            return Rc::clone(c);
        }
        let c = Rc::new(Compiled::new(&scp.document));
        self.compiled
            .entry(org.clone())
            .or_default()
            .insert(scp.name.clone(), Rc::clone(&c));
        c
    }

    /// Forgets everything (after the estate was replaced).
    pub fn clear(&mut self) {
        self.compiled.clear();
        self.decisions.clear();
    }
}

/// The answerer over one estate: many questions, each SCP parsed once and the attachments of
/// each organization indexed once. `C` is the cache, owned ([`PolicyCache`]) or borrowed
/// (`&mut PolicyCache`, as an [`crate::Engine`] lends its own).
pub struct Scps<'e, C> {
    estate: &'e Estate,
    cache: C,
    attached: HashMap<&'e AccountId, Attached<'e>>,
    ignore_malformed: bool,
}

impl<'e, C: BorrowMut<PolicyCache>> Scps<'e, C> {
    /// An answerer over `estate` with `cache`.
    pub fn new(estate: &'e Estate, cache: C) -> Self {
        Self {
            estate,
            cache,
            attached: HashMap::new(),
            ignore_malformed: false,
        }
    }

    /// Leaves out a policy that does not parse instead of refusing with
    /// `MalformedPolicyDocumentException`: for the audit, whose validation reports the policy.
    pub fn ignoring_malformed(mut self) -> Self {
        self.ignore_malformed = true;
        self
    }

    /// The decision for `question`. Standalone and management accounts are always allowed.
    /// Fails only when a policy on the account's path does not parse (see
    /// [`Scps::ignoring_malformed`]).
    pub fn decide(&mut self, question: &Question<'_>) -> Result<Decision<'static>, OpError> {
        let Some(path) = self.path(question)? else {
            return Ok(Decision::Allowed);
        };
        let cache = self.cache.borrow_mut();
        if let Some(d) = cache.decisions.get(&path.key) {
            return Ok(d.clone());
        }
        let decision = path.ask(self.estate, question, |levels, request| {
            decide_scps(levels, request).into_owned()
        });
        if cache.decisions.len() >= MEMO_LIMIT {
            cache.decisions.clear();
        }
        cache.decisions.insert(path.key, decision.clone());
        Ok(decision)
    }

    /// [`Scps::decide`] with the reasons a person needs to act on the decision, for
    /// `scp simulate`; never cached, as it is asked once.
    pub fn explain(
        &mut self,
        question: &Question<'_>,
    ) -> Result<(Decision<'static>, Vec<String>), OpError> {
        let Some(path) = self.path(question)? else {
            return Ok((
                Decision::Allowed,
                vec![format!(
                    "SCPs never restrict account `{}`: it is standalone or a management account",
                    question.account
                )],
            ));
        };
        Ok(path.ask(self.estate, question, |levels, request| {
            let (decision, reasons) = explain_scps(levels, request);
            (decision.into_owned(), reasons)
        }))
    }

    /// The SCP path of the acting account with its parsed policies and the key of its
    /// decision; none for accounts SCPs never restrict.
    fn path(&mut self, question: &Question<'_>) -> Result<Option<Path<'e>>, OpError> {
        let estate = self.estate;
        let Some(org) = estate
            .organization_of(question.account)
            .filter(|o| !o.scps_disabled)
        else {
            return Ok(None);
        };
        let levels = self
            .attached
            .entry(&org.management)
            .or_insert_with(|| org.attached())
            .levels(estate, question.account);
        if levels.is_empty() {
            return Ok(None);
        }
        let cache = self.cache.borrow_mut();
        // The key holds every input of the decision: the organization, the question, each
        // level and its policies, and the account itself only when a policy can tell
        // accounts apart.
        let mut key = String::with_capacity(160);
        let _ = write!(
            key,
            "{}|{}|{}|{}",
            org.management, question.action, question.resource, question.region
        );
        let mut compiled = Vec::with_capacity(levels.len());
        let mut specific = false;
        for level in &levels {
            match level.at {
                LevelAt::Root(_) => key.push_str("|root:"),
                LevelAt::Ou(ou) => {
                    let _ = write!(key, "|ou {}:", ou.name);
                }
                LevelAt::Account(_) => key.push_str("|account:"),
            }
            let mut policies = Vec::with_capacity(level.policies.len());
            for scp in &level.policies {
                let c = cache.compiled(&org.management, scp);
                if let Err(e) = &c.policy {
                    if self.ignore_malformed {
                        continue;
                    }
                    return Err(malformed(format!("policy `{}`: {e}", scp.name)));
                }
                specific |= c.account_specific;
                key.push_str(&scp.name);
                key.push(',');
                policies.push((scp.name.as_str(), c));
            }
            compiled.push(policies);
        }
        if specific {
            key.push('|');
            key.push_str(question.account.as_str());
        }
        for (k, v) in question.context {
            let _ = write!(key, "|{k}={v}");
        }
        Ok(Some(Path {
            org,
            levels,
            compiled,
            key,
        }))
    }

    /// Checks `action` against the SCPs of the acting account: `AccessDeniedException`
    /// carrying the [`Decision`] (and naming the policy and statement, or the level without an
    /// Allow) when any needed action is denied.
    pub fn authorize(&mut self, action: &Action<'_>) -> Result<(), OpError> {
        for name in action.actions {
            let decision = self.decide(&Question {
                account: action.account,
                action: name,
                resource: &action.resource,
                region: action.region,
                context: action.context,
            })?;
            let message = match &decision {
                Decision::Allowed => continue,
                Decision::ExplicitlyDenied {
                    level,
                    policy,
                    statement,
                    ..
                } => format!(
                    "account `{}` is not authorized to perform `{name}`: explicitly denied by statement `{statement}` of service control policy `{policy}` attached at {level}",
                    action.account
                ),
                Decision::ImplicitlyDenied { level, .. } => format!(
                    "account `{}` is not authorized to perform `{name}`: no service control policy attached at {level} allows it",
                    action.account
                ),
            };
            return Err(denied_by(message, decision));
        }
        Ok(())
    }
}

/// The SCP path of one account, its policies parsed.
struct Path<'e> {
    org: &'e Organization,
    levels: Vec<ScpLevel<'e>>,
    compiled: Vec<Vec<(&'e str, Rc<Compiled>)>>,
    key: String,
}

impl Path<'_> {
    /// Hands `question` as a request, with the levels of the path, to `evaluate`.
    fn ask<R>(
        &self,
        estate: &Estate,
        question: &Question<'_>,
        evaluate: impl FnOnce(&[Level<'_>], &Request<'_>) -> R,
    ) -> R {
        let levels: Vec<Level<'_>> = self
            .levels
            .iter()
            .zip(&self.compiled)
            .map(|(level, policies)| Level {
                name: level.name(),
                policies: policies
                    .iter()
                    .filter_map(|(name, c)| c.policy.as_ref().ok().map(|p| (*name, p)))
                    .collect(),
            })
            .collect();
        let resource = if question.resource.contains("{account}") {
            Cow::Owned(
                question
                    .resource
                    .replace("{account}", question.account.as_str()),
            )
        } else {
            Cow::Borrowed(question.resource)
        };
        let mut ctx = principal_context(estate, Some(self.org), question.account, question.region);
        for (k, v) in question.context {
            ctx.insert(k, v.as_str());
        }
        evaluate(
            &levels,
            &Request {
                action: question.action,
                resource: &resource,
                context: &ctx,
            },
        )
    }
}

/// The ARN of the simulated caller of `account`: its root user (see the module's
/// documentation for why).
pub fn principal_arn(account: &AccountId) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// The request context SCP conditions can test for `account` acting in `region`: the global
/// keys of the simulated caller.
pub fn context(estate: &Estate, account: &AccountId, region: &str) -> Context {
    principal_context(estate, estate.organization_of(account), account, region)
}

fn principal_context(
    estate: &Estate,
    org: Option<&Organization>,
    account: &AccountId,
    region: &str,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert("aws:PrincipalAccount", account.as_str());
    ctx.insert("aws:PrincipalArn", principal_arn(account));
    ctx.insert("aws:RequestedRegion", region);
    if let Some(org) = org {
        ctx.insert("aws:PrincipalOrgID", &org.id);
        let mut path = format!("{}/{}/", org.id, org.root_id);
        let parent = estate
            .account(account)
            .and_then(|a| a.parent.as_deref())
            .unwrap_or("root");
        for ou in org.ou_path(parent) {
            path.push_str(&ou.id);
            path.push('/');
        }
        ctx.insert("aws:PrincipalOrgPaths", &path);
    }
    ctx
}

/// What a seat operation (`q:CreateAssignment`, `q:UpdateAssignment`, `q:DeleteAssignment`)
/// adds to the request context: the identity store id of the principal given or taken the
/// seat, as `identitystore:GroupId` for a group subscription and `identitystore:UserId` for a
/// user one, so that an SCP can allow seats only for approved groups. Empty when the profile
/// or the principal is unknown: the operation refuses it after authorization.
pub fn seat_context(
    estate: &Estate,
    account: &AccountId,
    region: &str,
    who: &Principal,
) -> Vec<(&'static str, String)> {
    let instance = estate
        .profiles
        .get(&ProfileKey::new(account, region))
        .and_then(|p| estate.instances.get(&p.instance));
    let Some(instance) = instance else {
        return Vec::new();
    };
    match who {
        Principal::Group(name) => instance
            .groups
            .get(name)
            .map(|g| vec![("identitystore:GroupId", g.id.to_string())]),
        Principal::User(name) => instance
            .users
            .get(name)
            .map(|u| vec![("identitystore:UserId", u.id.to_string())]),
    }
    .unwrap_or_default()
}

/// Checks `action` against the SCPs of the acting account with `cache` (see
/// [`Scps::authorize`]).
pub fn authorize(
    estate: &Estate,
    cache: &mut PolicyCache,
    action: &Action<'_>,
) -> Result<(), OpError> {
    Scps::new(estate, cache).authorize(action)
}

/// Whether `question` is allowed in `estate`, and by what denied: the one-off form of
/// [`Scps::decide`], for callers that ask once (for many questions, keep an [`Scps`] or an
/// [`crate::Engine`]).
pub fn decide(estate: &Estate, question: &Question<'_>) -> Result<Decision<'static>, OpError> {
    Scps::new(estate, PolicyCache::default()).decide(question)
}
