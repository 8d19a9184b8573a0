//! The compiled policy model: a [`Policy`] of [`Statement`]s whose actions, resources and
//! conditions are already turned into matchers, so evaluating a request parses nothing.

use crate::condition::Condition;
use crate::error::Problem;
use crate::wildcard::Pattern;

/// A parsed, SCP-validated policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub(crate) document: serde_json::Value,
    pub(crate) id: Option<String>,
    pub(crate) statements: Vec<Statement>,
    pub(crate) warnings: Vec<Problem>,
}

impl Policy {
    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Things that do not make the document invalid but are probably mistakes, such as a
    /// template placeholder (`<my-corporate-cidr>`) left where an IP address or ARN belongs.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// The document's `Id`, if it has one.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The document as JSON, for storing or re-serialising: what was parsed, with its key order
    /// kept, so a round trip changes nothing a person would notice.
    pub fn to_json(&self) -> serde_json::Value {
        self.document.clone()
    }

    /// Characters of the document without insignificant whitespace, the size the SCP quota
    /// counts.
    pub fn minified_len(&self) -> usize {
        crate::validate::minified_len(&self.document)
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The statement allows what it matches.
    Allow,
    /// The statement denies what it matches.
    Deny,
}

impl Effect {
    /// `Allow` or `Deny`, as written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub(crate) sid: Option<String>,
    pub(crate) index: usize,
    pub(crate) effect: Effect,
    pub(crate) actions: ActionSet,
    pub(crate) resources: ResourceSet,
    pub(crate) conditions: Vec<Condition>,
}

impl Statement {
    /// The `Sid`, if any.
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// The position of the statement in its policy, from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// What a person calls the statement: its `Sid`, or `Statement[i]` without one.
    pub fn label(&self) -> String {
        match self.sid.as_deref() {
            Some(sid) if !sid.is_empty() => sid.to_owned(),
            _ => format!("Statement[{}]", self.index),
        }
    }

    /// `Allow` or `Deny`.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The action patterns as written, and whether they are a `NotAction`.
    pub fn actions(&self) -> (&[String], bool) {
        (&self.actions.written, self.actions.negated)
    }

    /// The resource patterns as written (`["*"]` when the statement has none), and whether
    /// they are a `NotResource`.
    pub fn resources(&self) -> (&[String], bool) {
        (&self.resources.written, self.resources.negated)
    }

    /// The conditions, one per operator and key; all must hold.
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }
}

/// `Action` or `NotAction`, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ActionSet {
    pub negated: bool,
    pub patterns: Vec<ActionPattern>,
    pub written: Vec<String>,
}

/// One action pattern: `*`, or `service:action` with wildcards on either side of the colon.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ActionPattern {
    All,
    Split { service: Pattern, action: Pattern },
}

/// `Resource` or `NotResource`, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResourceSet {
    pub negated: bool,
    pub patterns: Vec<ResourcePattern>,
    pub written: Vec<String>,
}

/// One resource pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ResourcePattern {
    /// `*`.
    All,
    /// An ARN: partition, service, region, account and resource patterns.
    Arn(Box<[Pattern; 5]>),
    /// A string that can match no ARN (too few parts and no trailing wildcard).
    Never,
}
