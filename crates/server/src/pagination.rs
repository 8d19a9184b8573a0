//! `NextToken` / `MaxResults` pagination, the same for every list operation.
//!
//! A token is opaque to clients but checked by the server: it names the operation it came from
//! and the offset of the next item, with a checksum, so a token from another operation, a
//! truncated one or an invented one is refused with the service's error instead of silently
//! restarting the listing. Lists are in a stable order (insertion order of the estate), so an
//! offset is enough between pages.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use serde_json::Value;

use crate::Ctx;
use crate::error::ApiError;

/// How one service pages: its page size limits and the error it reports bad input with.
#[derive(Clone, Copy, Debug)]
pub struct Paging {
    /// Items per page when the caller gives no `MaxResults`.
    pub default: usize,
    /// The largest `MaxResults` the operation accepts.
    pub max: usize,
    /// The exception for a bad token or an out-of-range `MaxResults` (`InvalidInputException`
    /// in Organizations, `ValidationException` elsewhere).
    pub error: &'static str,
}

/// Organizations: at most 20 per page.
pub const ORGANIZATIONS: Paging = Paging {
    default: 20,
    max: 20,
    error: "InvalidInputException",
};
/// SSO Admin and Identity Store: at most 100 per page.
pub const SSO: Paging = Paging {
    default: 100,
    max: 100,
    error: "ValidationException",
};
/// An application's access scopes: at most 10 per page.
pub const SSO_SCOPES: Paging = Paging {
    default: 10,
    max: 10,
    error: "ValidationException",
};
/// The user-subscriptions list: at most 1000 per page.
pub const SUBSCRIPTIONS: Paging = Paging {
    default: 1000,
    max: 1000,
    error: "ValidationException",
};

fn checksum(op: &str, offset: usize) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in op.bytes().chain(offset.to_string().bytes()) {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The token that resumes `op` at `offset`.
pub fn token(op: &str, offset: usize) -> String {
    STANDARD.encode(format!("{op}:{offset}:{:08x}", checksum(op, offset)))
}

/// The offset a token resumes at, if it is one of ours for `op`.
fn offset(op: &str, token: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(token).ok()?).ok()?;
    let mut parts = text.rsplitn(3, ':');
    let sum = parts.next()?;
    let offset: usize = parts.next()?.parse().ok()?;
    let from = parts.next()?;
    (from == op && sum == format!("{:08x}", checksum(op, offset))).then_some(offset)
}

/// Where a page starts and how long it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// The first item's index.
    pub start: usize,
    /// At most this many items.
    pub size: usize,
}

impl PageRequest {
    /// Reads `NextToken` and `MaxResults` for `op`.
    pub fn new(
        op: &str,
        paging: Paging,
        next_token: Option<&str>,
        max_results: Option<i64>,
    ) -> Result<Self, ApiError> {
        let size = match max_results {
            None => paging.default,
            Some(n) if n >= 1 && usize::try_from(n).is_ok_and(|n| n <= paging.max) => {
                usize::try_from(n).unwrap_or(paging.default)
            }
            Some(n) => {
                return Err(ApiError::bad_request(
                    paging.error,
                    format!(
                        "1 validation error detected: value '{n}' at 'maxResults' failed to satisfy constraint: member must have value between 1 and {}",
                        paging.max
                    ),
                ));
            }
        };
        let start = match next_token {
            None => 0,
            Some(t) => offset(op, t).ok_or_else(|| {
                ApiError::bad_request(
                    paging.error,
                    "the next token is invalid or expired: start the listing again without it",
                )
            })?,
        };
        Ok(Self { start, size })
    }

    /// This page of `items` and the token for the next one (none on the last page).
    pub fn apply<T>(
        &self,
        op: &str,
        items: impl IntoIterator<Item = T>,
    ) -> (Vec<T>, Option<String>) {
        let mut iter = items.into_iter().skip(self.start);
        let page: Vec<T> = iter.by_ref().take(self.size).collect();
        let more = iter.next().is_some();
        let next = more.then(|| token(op, self.start + page.len()));
        (page, next)
    }
}

/// The page request of the operation `ctx` serves. Tokens are bound to the operation's name,
/// so every list operation reads its `NextToken` / `MaxResults` through this one call.
pub fn page(
    ctx: &Ctx,
    paging: Paging,
    next_token: &Option<String>,
    max_results: Option<i64>,
) -> Result<PageRequest, ApiError> {
    PageRequest::new(ctx.operation, paging, next_token.as_deref(), max_results)
}

/// `body` with `NextToken` added when there is a next page: the answer of every list operation
/// of the AWS services served here.
pub fn with_token(body: Value, next: Option<String>) -> Value {
    with_token_as(body, "NextToken", next)
}

/// `body` with the next page's token added under `key`, when there is one (the subscription
/// APIs spell it `nextToken` in some answers).
pub fn with_token_as(mut body: Value, key: &str, next: Option<String>) -> Value {
    if let (Some(t), Value::Object(map)) = (next, &mut body) {
        map.insert(key.to_owned(), Value::String(t));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_through_everything_once() {
        let items: Vec<u32> = (0..45).collect();
        let mut seen = Vec::new();
        let mut next = None;
        loop {
            let req = PageRequest::new("ListUsers", SSO, next.as_deref(), Some(20)).unwrap();
            let (page, token) = req.apply("ListUsers", items.iter().copied());
            seen.extend(page);
            match token {
                Some(t) => next = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn refuses_foreign_and_forged_tokens() {
        let t = token("ListUsers", 20);
        assert!(PageRequest::new("ListGroups", SSO, Some(&t), None).is_err());
        assert!(PageRequest::new("ListUsers", SSO, Some("garbage!"), None).is_err());
        let forged = STANDARD.encode("ListUsers:40:00000000");
        assert_eq!(
            PageRequest::new("ListUsers", SSO, Some(&forged), None)
                .unwrap_err()
                .code,
            "ValidationException"
        );
        assert_eq!(
            PageRequest::new("ListAccounts", ORGANIZATIONS, None, Some(21))
                .unwrap_err()
                .code,
            "InvalidInputException"
        );
    }
}
