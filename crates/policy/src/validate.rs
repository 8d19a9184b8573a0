//! The SCP rules that are not grammar: known keys with did-you-mean, the size quota, and the
//! shapes of `Action` and `Resource` values.

use std::io;

use serde_json::Value;

/// The SCP size quota in characters.
///
/// AWS counts the document as the console stores it: the console strips insignificant
/// whitespace first, so we count the minified form. The CLI and SDKs send the text as
/// written, whitespace included, so a pretty-printed document that passes here can still be
/// refused by `aws organizations create-policy` unless it is minified first.
pub const SCP_SIZE_LIMIT: usize = 5_120;

/// Keys allowed at the top of a policy document.
pub(crate) const TOP_LEVEL_KEYS: &[&str] = &["Version", "Id", "Statement"];

/// Keys allowed in a statement of an SCP (no `Principal`, no `NotPrincipal`).
pub(crate) const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The policy language versions.
pub(crate) const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];

/// Characters of `v` serialised without insignificant whitespace.
pub fn minified_len(v: &Value) -> usize {
    let mut counter = CharCounter(0);
    match serde_json::to_writer(&mut counter, v) {
        Ok(()) => counter.0,
        Err(_) => serde_json::to_string(v).map_or(0, |s| s.chars().count()),
    }
}

/// Counts UTF-8 characters written, so measuring a document allocates nothing.
struct CharCounter(usize);

impl io::Write for CharCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The candidate closest to `input`, if close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = if candidate.eq_ignore_ascii_case(input) {
            2.0
        } else {
            strsim::jaro_winkler(&lower, &candidate.to_lowercase())
        };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.filter(|(score, _)| *score >= 0.8).map(|(_, c)| c)
}

/// Why an action string is not `*` or `service:action`, if it is not.
pub(crate) fn check_action(action: &str) -> Option<String> {
    if action == "*" {
        return None;
    }
    match action.split_once(':') {
        Some((service, name)) if !service.is_empty() && !name.is_empty() && !name.contains(':') => {
            None
        }
        _ => Some(format!(
            "action `{action}` must be `*` or look like `service:action`"
        )),
    }
}

/// Why a resource string is not `*` or an ARN, if it is not.
pub(crate) fn check_resource(resource: &str) -> Option<String> {
    if resource == "*" || resource.starts_with("arn:") || resource.starts_with("${") {
        None
    } else {
        Some(format!("resource `{resource}` must be `*` or an ARN"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_length_ignores_whitespace_and_counts_characters() {
        let v: Value = serde_json::from_str("{ \"a\" : [ 1 , \"é\" ] }").unwrap();
        assert_eq!(minified_len(&v), "{\"a\":[1,\"é\"]}".chars().count());
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("Statment", STATEMENT_KEYS.iter().copied()),
            None
        );
        assert_eq!(
            did_you_mean("Statment", TOP_LEVEL_KEYS.iter().copied()),
            Some("Statement")
        );
        assert_eq!(
            did_you_mean("effect", STATEMENT_KEYS.iter().copied()),
            Some("Effect")
        );
        assert_eq!(did_you_mean("zzz", STATEMENT_KEYS.iter().copied()), None);
    }
}
