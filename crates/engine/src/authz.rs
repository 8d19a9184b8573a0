//! Authorization: the SCPs that apply to the acting account, evaluated by the policy engine.
//!
//! As in AWS, this runs before any other rule of an operation. SCPs never restrict a
//! management account or a standalone one; for a member account every level from the root down
//! to the account must allow the action and none may deny it.

use std::collections::HashMap;
use std::rc::Rc;

use kiro_estate::{AccountId, Estate};
use kiro_policy::{Context, Decision, Level, Policy, Request};

use crate::error::{OpError, denied};

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
}

/// Parsed SCPs, kept across operations: parsing is far costlier than evaluating, and SCP
/// documents never change once created.
#[derive(Default)]
pub struct PolicyCache {
    parsed: HashMap<(AccountId, String), Rc<Policy>>,
}

impl PolicyCache {
    fn get(
        &mut self,
        org: &AccountId,
        name: &str,
        document: &serde_json::Value,
    ) -> Result<Rc<Policy>, OpError> {
        let key = (org.clone(), name.to_owned());
        if let Some(p) = self.parsed.get(&key) {
            return Ok(Rc::clone(p));
        }
        let parsed = match document {
            serde_json::Value::String(text) => Policy::parse(text),
            other => Policy::from_value(other),
        }
        .map_err(|e| crate::error::malformed(format!("policy `{name}`: {e}")))?;
        let parsed = Rc::new(parsed);
        self.parsed.insert(key, Rc::clone(&parsed));
        Ok(parsed)
    }

    /// Forgets everything (after the estate was replaced).
    pub fn clear(&mut self) {
        self.parsed.clear();
    }
}

/// A parsed SCP and its name.
type NamedPolicy = (String, Rc<Policy>);

/// The request context SCP conditions can test for `account` acting in `region`.
pub fn context(estate: &Estate, account: &AccountId, region: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("aws:PrincipalAccount", account.as_str());
    ctx.insert("aws:RequestedRegion", region);
    if let Some(org) = estate.organization_of(account) {
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

/// Checks `action` against the SCPs of the acting account: `AccessDeniedException` naming the
/// policy and statement (or the level without an Allow) when any needed action is denied.
pub fn authorize(
    estate: &Estate,
    cache: &mut PolicyCache,
    action: &Action<'_>,
) -> Result<(), OpError> {
    let levels = estate.scp_levels(action.account);
    if levels.is_empty() {
        return Ok(());
    }
    let Some(org) = estate.organization_of(action.account) else {
        return Ok(());
    };
    let mut parsed: Vec<(String, Vec<NamedPolicy>)> = Vec::with_capacity(levels.len());
    for level in &levels {
        let mut policies = Vec::with_capacity(level.policies.len());
        for scp in &level.policies {
            policies.push((
                scp.name.clone(),
                cache.get(&org.management, &scp.name, &scp.document)?,
            ));
        }
        parsed.push((level.name.clone(), policies));
    }
    let levels: Vec<Level<'_>> = parsed
        .iter()
        .map(|(name, policies)| Level {
            name: name.clone(),
            policies: policies
                .iter()
                .map(|(n, p)| (n.as_str(), p.as_ref()))
                .collect(),
        })
        .collect();
    let ctx = context(estate, action.account, action.region);
    for name in action.actions {
        let request = Request {
            action: name,
            resource: &action.resource,
            context: &ctx,
        };
        match kiro_policy::evaluate_scps(&levels, &request) {
            Decision::Allowed { .. } => {}
            Decision::ExplicitlyDenied {
                level,
                policy,
                statement,
                ..
            } => {
                return Err(denied(format!(
                    "account `{}` is not authorized to perform `{name}`: explicitly denied by statement `{statement}` of service control policy `{policy}` attached at {level}",
                    action.account
                )));
            }
            Decision::ImplicitlyDenied { level, .. } => {
                return Err(denied(format!(
                    "account `{}` is not authorized to perform `{name}`: no service control policy attached at {level} allows it",
                    action.account
                )));
            }
        }
    }
    Ok(())
}
