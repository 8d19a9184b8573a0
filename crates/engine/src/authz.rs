//! Authorization: the one SCP answerer of kiro-org, and of the RCPs beside them.
//!
//! As in AWS, this runs before any other rule of an operation. SCPs never restrict a
//! management account or a standalone one; for a member account every level from the root down
//! to the account must allow the action and none may deny it. `apply`, `serve`, the audit, the
//! advice and `scp simulate` all ask here, so they cannot disagree.
//!
//! # Resource control policies
//!
//! Once an organization enables `RESOURCE_CONTROL_POLICY`, its RCPs restrict requests to the
//! resources of its member accounts for the services RCPs support ([`RCP_SERVICES`]), by the
//! same rules over the same levels. The AWS managed `RCPFullAWSAccess` is at every level (it
//! cannot be detached, so an estate never records it) and allows everything, so an RCP's
//! Deny is what decides. The management account's
//! resources are never restricted. The simulated caller acts on its own account's resources,
//! so a question's RCPs are its account's. Kiro's actions are of no such service, and no RCP
//! ever answers them.
//!
//! # The simulated caller
//!
//! Operations name accounts, not principals, so the caller is the account itself: its root
//! user, `arn:<partition>:iam::<account>:root` ([`principal_arn`], the estate's partition). SCPs apply to the root user of a
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
//! [`PolicyCache`] keeps each SCP and RCP parsed once per organization (until `update-policy`
//! or `delete-policy` starts it over) and the decisions already made. Accounts that share an organization, every level's
//! attachments above the account and the account's own attachments get the same answer,
//! unless a policy on their path tests a key that names the account (`aws:PrincipalAccount`,
//! `aws:PrincipalArn`) or an ARN, in which case the answer is kept per account. An
//! organization of 10,000 accounts in a handful of OUs thus costs a handful of evaluations.

use std::borrow::{BorrowMut, Cow};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

use kiro_estate::ids::{RCP_FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS_DOCUMENT};
use kiro_estate::query::{Attached, LevelAt, ScpLevel};
use kiro_estate::{AccountId, Estate, Organization, Principal, ProfileKey, Scp};
use kiro_policy::{
    Context, Decision, Level, Policy, Request, decide_scps, explain_rcps, explain_scps,
};

use crate::error::{OpError, denied_by, malformed};

/// The policy type of resource control policies.
const RCP_TYPE: &str = "RESOURCE_CONTROL_POLICY";

/// The services whose resources RCPs govern, by IAM service prefix: Amazon S3, AWS STS, AWS
/// KMS, Amazon SQS, AWS Secrets Manager, Amazon Cognito (user pools), Amazon CloudWatch Logs,
/// Amazon DynamoDB, Amazon ECR and Amazon OpenSearch Serverless. Kiro's own services
/// (`codewhisperer`, `q`, `sso`, `user-subscriptions`, `identitystore`) are not among them.
pub const RCP_SERVICES: [&str; 10] = [
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "cognito-idp",
    "logs",
    "dynamodb",
    "ecr",
    "aoss",
];

/// Whether RCPs govern `action` (`service:Action`): its service is one of [`RCP_SERVICES`].
pub fn rcp_governed(action: &str) -> bool {
    action
        .split_once(':')
        .is_some_and(|(service, _)| RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service)))
}

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
    /// An RCP: AWS requires its `Principal` to be `*`, which names every caller, so the
    /// statement reads as the SCP it otherwise is (the SCP parser refuses the element).
    fn rcp(content: &str) -> Self {
        let mut document: serde_json::Value = match serde_json::from_str(content) {
            Ok(document) => document,
            Err(e) => {
                return Compiled {
                    policy: Err(format!("not valid JSON: {e}")),
                    account_specific: false,
                };
            }
        };
        if let Some(statements) = document.get_mut("Statement") {
            let statements = match statements {
                serde_json::Value::Array(items) => items.iter_mut().collect(),
                one => vec![one],
            };
            for statement in statements {
                if let serde_json::Value::Object(map) = statement {
                    map.remove("Principal");
                }
            }
        }
        Self::new(&document)
    }

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
/// than evaluating. A policy is known by its name, so the engine starts the cache over after
/// an operation that changes a document or frees a name (`update-policy`, `delete-policy`).
#[derive(Default)]
pub struct PolicyCache {
    /// By management account, then policy name.
    compiled: HashMap<AccountId, HashMap<String, Rc<Compiled>>>,
    /// By everything a decision depends on (see [`Scps::decide`]).
    decisions: HashMap<String, Decision<'static>>,
}

impl PolicyCache {
    fn compiled(&mut self, org: &AccountId, scp: &Scp) -> Rc<Compiled> {
        self.compiled_as(org, &scp.name, || Compiled::new(&scp.document))
    }

    /// The policy `name` of `org`, compiled by `compile` the first time. Names are unique
    /// across an organization's policy types, and the AWS managed RCP's
    /// (`RCPFullAWSAccess`) is no SCP's.
    fn compiled_as(
        &mut self,
        org: &AccountId,
        name: &str,
        compile: impl FnOnce() -> Compiled,
    ) -> Rc<Compiled> {
        // Looked up by reference first: the hot path of an audit allocates no key.
        if let Some(c) = self.compiled.get(org).and_then(|by_name| by_name.get(name)) {
            return Rc::clone(c);
        }
        let c = Rc::new(compile());
        self.compiled
            .entry(org.clone())
            .or_default()
            .insert(name.to_owned(), Rc::clone(&c));
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
        self.decide_by(question).map(|(decision, _)| decision)
    }

    /// [`Scps::decide`], and the kind of policy that decided: the SCPs first, then, when they
    /// allow, the RCPs of the resource's account (the acting account's own, in this model).
    fn decide_by(
        &mut self,
        question: &Question<'_>,
    ) -> Result<(Decision<'static>, &'static str), OpError> {
        let scps = self.path(question)?;
        let decision = self.decide_on(scps, question)?;
        if decision != Decision::Allowed {
            return Ok((decision, "service control policy"));
        }
        let rcps = self.rcp_path(question)?;
        Ok((self.decide_on(rcps, question)?, "resource control policy"))
    }

    /// The decision of the levels of `path`; allowed without one.
    fn decide_on(
        &mut self,
        path: Option<Path<'e>>,
        question: &Question<'_>,
    ) -> Result<Decision<'static>, OpError> {
        let Some(path) = path else {
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
        let (decision, mut reasons) = match self.path(question)? {
            None => (
                Decision::Allowed,
                vec![format!(
                    "SCPs never restrict account `{}`: it is standalone or a management account",
                    question.account
                )],
            ),
            Some(path) => path.ask(self.estate, question, |levels, request| {
                let (decision, reasons) = explain_scps(levels, request);
                (decision.into_owned(), reasons)
            }),
        };
        if decision != Decision::Allowed {
            return Ok((decision, reasons));
        }
        let Some(path) = self.rcp_path(question)? else {
            return Ok((decision, reasons));
        };
        let (decision, rcp_reasons) = path.ask(self.estate, question, |levels, request| {
            let (decision, reasons) = explain_rcps(levels, request);
            (decision.into_owned(), reasons)
        });
        reasons.extend(rcp_reasons);
        Ok((decision, reasons))
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
        let Some(levels) = self.levels(org, question.account) else {
            return Ok(None);
        };
        let cache = self.cache.borrow_mut();
        let policies = levels
            .iter()
            .map(|level| {
                level
                    .policies
                    .iter()
                    .map(|scp| (scp.name.as_str(), cache.compiled(&org.management, scp)))
                    .collect()
            })
            .collect();
        self.keyed(org, levels, policies, "scp", question).map(Some)
    }

    /// The levels root → OUs → `account` of `org` (SCPs and RCPs attach at the same ones),
    /// with what is attached to the organization looked up once; none outside its tree.
    fn levels(&mut self, org: &'e Organization, account: &AccountId) -> Option<Vec<ScpLevel<'e>>> {
        let levels = self
            .attached
            .entry(&org.management)
            .or_insert_with(|| org.attached())
            .levels(self.estate, account);
        (!levels.is_empty()).then_some(levels)
    }

    /// The RCP path of the acting account: the levels of its SCP path, each holding the AWS
    /// managed `RCPFullAWSAccess` and the RCPs attached there; none when RCPs do not
    /// govern the question ([`rcp_governed`]), are not enabled, or the account is no member
    /// (RCPs never restrict the management account's resources).
    fn rcp_path(&mut self, question: &Question<'_>) -> Result<Option<Path<'e>>, OpError> {
        let estate = self.estate;
        if !rcp_governed(question.action) {
            return Ok(None);
        }
        let Some(org) = estate
            .organization_of(question.account)
            .filter(|o| o.policy_types.iter().any(|t| t == RCP_TYPE))
        else {
            return Ok(None);
        };
        let Some(levels) = self.levels(org, question.account) else {
            return Ok(None);
        };
        let cache = self.cache.borrow_mut();
        let full = cache.compiled_as(&org.management, RCP_FULL_AWS_ACCESS, || {
            Compiled::rcp(RCP_FULL_AWS_ACCESS_DOCUMENT)
        });
        let policies = levels
            .iter()
            .map(|level| {
                let target = match level.at {
                    LevelAt::Root(_) => "root",
                    LevelAt::Ou(ou) => ou.name.as_str(),
                    LevelAt::Account(id) => id.as_str(),
                };
                let attached = org
                    .typed_policies
                    .iter()
                    .filter(|p| p.policy_type == RCP_TYPE && p.targets.iter().any(|t| t == target));
                std::iter::once((RCP_FULL_AWS_ACCESS, Rc::clone(&full)))
                    .chain(attached.map(|p| {
                        let c = cache
                            .compiled_as(&org.management, &p.name, || Compiled::rcp(&p.content));
                        (p.name.as_str(), c)
                    }))
                    .collect()
            })
            .collect();
        self.keyed(org, levels, policies, "rcp", question).map(Some)
    }

    /// The path of `levels` with their compiled `policies`, and the key of its decision,
    /// which holds every input of it: the kind of policy, the organization, the question,
    /// each level and its policies, and the account itself only when a policy can tell
    /// accounts apart. A policy that does not parse refuses the question, or is left out
    /// when malformed policies are ignored.
    fn keyed(
        &self,
        org: &'e Organization,
        levels: Vec<ScpLevel<'e>>,
        policies: Vec<Vec<(&'e str, Rc<Compiled>)>>,
        kind: &str,
        question: &Question<'_>,
    ) -> Result<Path<'e>, OpError> {
        let mut key = String::with_capacity(160);
        let _ = write!(
            key,
            "{kind}|{}|{}|{}|{}",
            org.management, question.action, question.resource, question.region
        );
        let mut compiled = Vec::with_capacity(levels.len());
        let mut specific = false;
        for (level, at_level) in levels.iter().zip(policies) {
            match level.at {
                LevelAt::Root(_) => key.push_str("|root:"),
                LevelAt::Ou(ou) => {
                    let _ = write!(key, "|ou {}:", ou.name);
                }
                LevelAt::Account(_) => key.push_str("|account:"),
            }
            let mut kept = Vec::with_capacity(at_level.len());
            for (name, c) in at_level {
                if let Err(e) = &c.policy {
                    if self.ignore_malformed {
                        continue;
                    }
                    return Err(malformed(format!("policy `{name}`: {e}")));
                }
                specific |= c.account_specific;
                key.push_str(name);
                key.push(',');
                kept.push((name, c));
            }
            compiled.push(kept);
        }
        if specific {
            key.push('|');
            key.push_str(question.account.as_str());
        }
        for (k, v) in question.context {
            let _ = write!(key, "|{k}={v}");
        }
        Ok(Path {
            org,
            levels,
            compiled,
            key,
        })
    }

    /// Checks `action` against the SCPs of the acting account: `AccessDeniedException`
    /// carrying the [`Decision`] (and naming the policy and statement, or the level without an
    /// Allow) when any needed action is denied.
    pub fn authorize(&mut self, action: &Action<'_>) -> Result<(), OpError> {
        for name in action.actions {
            let (decision, kind) = self.decide_by(&Question {
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
                    "account `{}` is not authorized to perform `{name}`: explicitly denied by statement `{statement}` of {kind} `{policy}` attached at {level}",
                    action.account
                ),
                Decision::ImplicitlyDenied { level, .. } => format!(
                    "account `{}` is not authorized to perform `{name}`: no {kind} attached at {level} allows it",
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
            if sent_with(question.action, k) {
                ctx.insert(k, v.as_str());
            }
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

/// Whether AWS puts condition key `key` in the request context of `action`: a global key
/// (`aws:…`) always; a service's key only for the actions the IAM catalog lists it under. One
/// operation asks for several actions (`q:CreateAssignment` and
/// `user-subscriptions:CreateClaim`), and `identitystore:GroupId` belongs to the first only,
/// `user-subscriptions:CreateForSelf` to the second only: a condition on a key an action
/// does not carry sees it absent, as in AWS. An action the catalog does not know keeps every
/// key.
fn sent_with(action: &str, key: &str) -> bool {
    if key.starts_with("aws:") {
        return true;
    }
    let Some((prefix, name)) = action.split_once(':') else {
        return true;
    };
    match kiro_policy::Catalog::get()
        .service(prefix)
        .and_then(|s| s.action(name))
    {
        Some(a) => a.supports(key),
        None => true,
    }
}

/// The ARN of the simulated caller of `account`: its root user (see the module's
/// documentation for why).
pub fn principal_arn(estate: &Estate, account: &AccountId) -> String {
    kiro_estate::ids::arn::root_user(estate.partition(), account)
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
    ctx.insert("aws:PrincipalArn", principal_arn(estate, account));
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

/// What a seat operation (`q:CreateAssignment`, `q:UpdateAssignment`, `q:DeleteAssignment`
/// with their `user-subscriptions:*Claim`) adds to the request context: the identity store id
/// of the principal given or taken the seat, as `identitystore:GroupId` for a group
/// subscription and `identitystore:UserId` for a user one, so that an SCP can allow seats
/// only for approved groups; and `user-subscriptions:CreateForSelf` `false`, since an
/// administrator gives the seat (a user claiming a seat for themselves is no operation of the
/// model). Each action sees only the keys the catalog lists for it ([`sent_with`]). Empty when
/// the profile or the principal is unknown: the operation refuses it after authorization.
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
            .map(|g| ("identitystore:GroupId", g.id.to_string())),
        Principal::User(name) => instance
            .users
            .get(name)
            .map(|u| ("identitystore:UserId", u.id.to_string())),
    }
    .map(|id| vec![id, ("user-subscriptions:CreateForSelf", "false".to_owned())])
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
