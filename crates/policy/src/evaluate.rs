//! Evaluating one statement against one request.
//!
//! The request is split once ([`Prepared`]) into the action's service and name and the
//! resource's ARN parts; statements then compare compiled patterns against borrowed slices, so
//! the hot path does not allocate.

use crate::context::Context;
use crate::policy::{ActionPattern, Effect, ResourcePattern, Statement};
use crate::wildcard::Case;

/// What is being asked: an action on a resource, with condition keys.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `service:Action`, e.g. `sso:CreateInstance`.
    pub action: &'a str,
    /// The resource ARN, or `*` for "any resource" (actions that take no resource, or a
    /// question about resources in general).
    pub resource: &'a str,
    /// The condition keys.
    pub context: &'a Context,
}

/// The request resource after splitting.
#[derive(Debug, Clone, Copy)]
enum RequestResource<'a> {
    /// `*`: the question is about every resource.
    All,
    /// An ARN's partition, service, region, account and resource.
    Arn([&'a str; 5]),
    /// Anything else: only a `*` pattern matches it.
    Other,
}

/// A request split once for many statements.
#[derive(Debug, Clone, Copy)]
pub struct Prepared<'a> {
    service: &'a str,
    name: Option<&'a str>,
    resource: RequestResource<'a>,
    context: &'a Context,
}

impl<'a> Prepared<'a> {
    /// Splits the request's action and resource.
    pub fn new(request: &Request<'a>) -> Self {
        let (service, name) = match request.action.split_once(':') {
            Some((s, n)) => (s, Some(n)),
            None => (request.action, None),
        };
        let resource = if request.resource == "*" {
            RequestResource::All
        } else {
            let mut parts = request.resource.splitn(6, ':');
            match (
                parts.next(),
                parts.next(),
                parts.next(),
                parts.next(),
                parts.next(),
                parts.next(),
            ) {
                (Some("arn"), Some(p), Some(s), Some(r), Some(a), Some(res)) => {
                    RequestResource::Arn([p, s, r, a, res])
                }
                _ => RequestResource::Other,
            }
        };
        Prepared {
            service,
            name,
            resource,
            context: request.context,
        }
    }
}

impl Statement {
    /// Whether the statement applies to the request: action, resource and every condition.
    pub fn matches(&self, request: &Request<'_>) -> bool {
        self.matches_prepared(&Prepared::new(request))
    }

    /// [`Statement::matches`] for a request split once for many statements.
    pub fn matches_prepared(&self, request: &Prepared<'_>) -> bool {
        self.action_matches(request)
            && self.resource_matches(request)
            && self.conditions.iter().all(|c| c.evaluate(request.context))
    }

    /// The `Action` entries, as written, that match the request: what decided that the
    /// statement applies (`codewhisperer:Create*` for `codewhisperer:CreateProfile`). Empty
    /// for a `NotAction`, which applies by what it does not list.
    pub(crate) fn matching_actions(&self, request: &Prepared<'_>) -> Vec<&str> {
        if self.actions.negated {
            return Vec::new();
        }
        self.actions
            .patterns
            .iter()
            .zip(&self.actions.written)
            .filter(|(p, _)| action_pattern_matches(p, request))
            .map(|(_, written)| written.as_str())
            .collect()
    }

    pub(crate) fn action_matches(&self, request: &Prepared<'_>) -> bool {
        let any = self
            .actions
            .patterns
            .iter()
            .any(|p| action_pattern_matches(p, request));
        any != self.actions.negated
    }

    /// Resource matching; for a request about every resource (`*`), an `Allow` applies when
    /// it could allow some resource, a `Deny` only when it denies every resource, so that an
    /// answer of "allowed" never hides a deny of a narrower resource set.
    pub(crate) fn resource_matches(&self, request: &Prepared<'_>) -> bool {
        let set = &self.resources;
        match request.resource {
            RequestResource::All => {
                let has_all = set.patterns.contains(&ResourcePattern::All);
                match (self.effect, set.negated) {
                    (Effect::Allow, false) => !set.patterns.is_empty(),
                    (Effect::Allow, true) => !has_all,
                    (Effect::Deny, false) => has_all,
                    (Effect::Deny, true) => false,
                }
            }
            // A pattern whose variable has no value matches neither as `Resource` nor as
            // `NotResource`, like a condition value that cannot be compared.
            _ if set.negated => set
                .patterns
                .iter()
                .all(|p| resource_pattern_matches(p, request) == Some(false)),
            _ => set
                .patterns
                .iter()
                .any(|p| resource_pattern_matches(p, request) == Some(true)),
        }
    }
}

fn action_pattern_matches(pattern: &ActionPattern, request: &Prepared<'_>) -> bool {
    match pattern {
        ActionPattern::All => true,
        ActionPattern::Split { service, action } => {
            let Some(name) = request.name else {
                return false;
            };
            service.matches(request.service, request.context, Case::Ascii) == Some(true)
                && action.matches(name, request.context, Case::Ascii) == Some(true)
        }
    }
}

/// Whether one pattern matches the request resource; `None` when a variable in the resource
/// part has no value.
fn resource_pattern_matches(pattern: &ResourcePattern, request: &Prepared<'_>) -> Option<bool> {
    match (pattern, &request.resource) {
        (ResourcePattern::All, _) => Some(true),
        (ResourcePattern::Arn(parts), RequestResource::Arn(values)) => {
            // Partition, service, region and account compare without case; the resource
            // part is case-sensitive like the names it holds.
            for (p, v) in parts.iter().zip(values.iter()).take(4) {
                if p.matches(v, request.context, Case::Ascii) != Some(true) {
                    return Some(false);
                }
            }
            parts[4].matches(values[4], request.context, Case::Sensitive)
        }
        _ => Some(false),
    }
}
