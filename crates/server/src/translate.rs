//! Wire ids to the names an operation takes, with authorization first.
//!
//! AWS requests name users, groups, identity stores and profiles by ids; operations name them
//! as an estate does. Translating may fail (an unknown id), but AWS authorizes a request before
//! it looks at any id, so a caller that an SCP denies learns nothing about ids: it gets
//! `AccessDeniedException`. [`Unresolved`] keeps the first failure while the operation is
//! built with the ids as written in its place, and reports it only after the engine has
//! authorized that operation; such an operation is never applied.

use kiro_engine::Op;

use crate::error::ApiError;
use crate::store::Tx;

/// The first id of a request that did not resolve, if any.
#[derive(Debug, Default)]
pub struct Unresolved(Option<ApiError>);

impl Unresolved {
    /// What `found` resolved to, or `written` (what the request said) when it did not; the
    /// first failure is kept for [`Unresolved::authorize_first`].
    pub fn or_written<T>(&mut self, found: Result<T, ApiError>, written: T) -> T {
        found.unwrap_or_else(|e| {
            self.0.get_or_insert(e);
            written
        })
    }

    /// Authorization first: when an id did not resolve, authorizes `op` (which names it as
    /// written) and then reports why it did not resolve. Ok when every id resolved: `op` is
    /// ready to apply (and the engine authorizes it then).
    pub fn authorize_first(self, tx: &mut Tx<'_>, op: &Op) -> Result<(), ApiError> {
        match self.0 {
            None => Ok(()),
            Some(failure) => {
                tx.authorize(op)?;
                Err(failure)
            }
        }
    }
}
