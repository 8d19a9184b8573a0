//! Operation errors, named like the AWS exceptions a caller would get.

use std::fmt;

use kiro_policy::Decision;

/// The AWS exception an operation fails with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Unknown account, OU, policy, instance, user, group or profile.
    ResourceNotFound,
    /// An id or name that exists already.
    Conflict,
    /// The 11th profile on one organization instance in one region.
    ServiceQuotaExceeded,
    /// An SCP denies the action.
    AccessDenied,
    /// The request breaks a rule of the service.
    Validation,
    /// An Organizations constraint (nesting depth, SCP limits, already in an organization).
    ConstraintViolation,
    /// The SCP document is not valid JSON or not a valid SCP.
    MalformedPolicyDocument,
}

impl ErrorKind {
    /// The exception's name, as AWS's `__type` carries it.
    pub fn name(self) -> &'static str {
        match self {
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::Conflict => "ConflictException",
            Self::ServiceQuotaExceeded => "ServiceQuotaExceededException",
            Self::AccessDenied => "AccessDeniedException",
            Self::Validation => "ValidationException",
            Self::ConstraintViolation => "ConstraintViolationException",
            Self::MalformedPolicyDocument => "MalformedPolicyDocumentException",
        }
    }
}

/// Why an operation was refused. A refused operation changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct OpError {
    /// The exception.
    pub kind: ErrorKind,
    /// What was wrong, for people.
    pub message: String,
    /// For an `AccessDeniedException` from the SCPs: the decision, with the action and the
    /// level, policy and statement that deny it, so callers need not read the message.
    pub decision: Option<Box<Decision<'static>>>,
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl OpError {
    /// The exception's name.
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }
}

macro_rules! constructors {
    ($($fn:ident => $kind:ident),* $(,)?) => {
        $(
            #[doc = concat!("A `", stringify!($kind), "` error.")]
            pub fn $fn(message: impl Into<String>) -> OpError {
                OpError { kind: ErrorKind::$kind, message: message.into(), decision: None }
            }
        )*
    };
}

constructors! {
    not_found => ResourceNotFound,
    conflict => Conflict,
    quota => ServiceQuotaExceeded,
    denied => AccessDenied,
    invalid => Validation,
    constraint => ConstraintViolation,
    malformed => MalformedPolicyDocument,
}

/// An `AccessDeniedException` from the SCPs, carrying the `decision` that denies.
pub fn denied_by(message: impl Into<String>, decision: Decision<'static>) -> OpError {
    OpError {
        decision: Some(Box::new(decision)),
        ..denied(message)
    }
}
