//! Operations files: a YAML or JSON list of operations, each with `op`, its parameters and an
//! optional `at`.
//!
//! The whole file is read and checked before anything is applied, and every malformed item is
//! reported at once with its line and column.

use kiro_estate::diagnostic::{Diagnostic, DocPath, did_you_mean};
use kiro_estate::locate::Locator;
use kiro_estate::{Diagnostics, Format};
use serde_json::Value;

use kiro_estate::Op;

/// One operation of a file, with its time.
#[derive(Clone, Debug, PartialEq)]
pub struct OpItem {
    /// When it happens; none means now.
    pub at: Option<jiff::Timestamp>,
    /// The operation.
    pub op: Op,
}

/// Parses an `at` value: an RFC 3339 timestamp, or a date (midnight UTC).
pub fn parse_at(text: &str) -> Option<jiff::Timestamp> {
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    let date = text.parse::<jiff::civil::Date>().ok()?;
    date.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// Parses an operations file.
pub fn parse(text: &str, format: Format) -> Result<Vec<OpItem>, Diagnostics> {
    let items: Value = kiro_estate::io::deserialize(text, format).map_err(|mut d| {
        let syntax = match format {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        };
        for d in &mut d.0 {
            d.message = format!("not valid {syntax}: {}", d.message);
        }
        d
    })?;
    let items = match items {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        _ => {
            return Err(Diagnostics(vec![
                Diagnostic::new(
                    DocPath::root(),
                    "an operations file is a list of operations",
                )
                .with_help("start each operation with `- op: <name>`"),
            ]));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        match parse_item(item, &DocPath::root().index(index)) {
            Ok(op) => out.push(op),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Locator::new(text).locate_all(&mut problems);
        Err(Diagnostics(problems))
    }
}

/// Checks that time never goes backwards: each operation's time (its `at`, or `now` without
/// one) is at or after the one before it, and the first at or after `since` (the estate's
/// last event), so the event log `apply` writes stays in the order things happened — which
/// the month bill's replay relies on. Every operation out of order is reported, located in
/// `text`.
pub fn check_order(
    items: &[OpItem],
    text: &str,
    now: jiff::Timestamp,
    since: Option<jiff::Timestamp>,
) -> Result<(), Diagnostics> {
    let mut previous: Option<(jiff::Timestamp, String)> =
        since.map(|at| (at, format!("the estate's last event ({at})")));
    let mut problems = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = item.at.unwrap_or(now);
        if let Some((before, what)) = &previous
            && at < *before
        {
            let (path, when) = match item.at {
                Some(_) => (DocPath::root().index(index).key("at"), format!("`at` {at}")),
                None => (
                    DocPath::root().index(index),
                    format!("no `at`, so now ({at}),"),
                ),
            };
            problems.push(
                Diagnostic::new(
                    path,
                    format!("operation {index} (`{}`) has {when} earlier than {what}", item.op.name()),
                )
                .with_help("operations happen in the order of the file: give each an `at` no earlier than the one before"),
            );
            continue;
        }
        previous = Some((at, format!("operation {index}'s ({at})")));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Locator::new(text).locate_all(&mut problems);
        Err(Diagnostics(problems))
    }
}

/// Parses one item (a mapping with `op`).
#[expect(
    clippy::result_large_err,
    reason = "one diagnostic per item, collected by `parse`; never on a hot path"
)]
pub fn parse_item(item: Value, path: &DocPath) -> Result<OpItem, Diagnostic> {
    let Value::Object(mut map) = item else {
        return Err(Diagnostic::new(
            path.clone(),
            "an operation is a mapping with an `op` key",
        ));
    };
    let at = match map.remove("at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(parse_at(&s).ok_or_else(|| {
            Diagnostic::new(path.key("at"), format!("`{s}` is not a timestamp")).with_help(
                "write an RFC 3339 timestamp (2026-01-05T09:00:00Z) or a date (2026-01-05)",
            )
        })?),
        Some(other) => {
            return Err(
                Diagnostic::new(path.key("at"), format!("`{other}` is not a timestamp")).with_help(
                    "write an RFC 3339 timestamp (2026-01-05T09:00:00Z) or a date (2026-01-05)",
                ),
            );
        }
    };
    let name = match map.get("op") {
        Some(Value::String(name)) => name.clone(),
        Some(_) => {
            return Err(Diagnostic::new(
                path.key("op"),
                "`op` is the operation's name, a string",
            ));
        }
        None => {
            return Err(Diagnostic::new(path.clone(), "missing `op`")
                .with_help("every operation names itself, e.g. `op: create-account`"));
        }
    };
    if !Op::NAMES.contains(&name.as_str()) {
        return Err(
            Diagnostic::new(path.key("op"), format!("unknown operation `{name}`"))
                .with_help_opt(did_you_mean(&name, Op::NAMES)),
        );
    }
    serde_json::from_value::<Op>(Value::Object(map))
        .map(|op| OpItem { at, op })
        .map_err(|e| {
            let message = e.to_string();
            let (field_path, help) = match kiro_estate::diagnostic::unknown_field(&message) {
                Some((field, expected)) => (
                    path.key(&field),
                    did_you_mean(&field, expected.iter().map(String::as_str)).or_else(|| {
                        Some(format!(
                            "`{name}` takes {}",
                            expected
                                .iter()
                                .map(|e| format!("`{e}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    }),
                ),
                None => (path.clone(), None),
            };
            Diagnostic::new(field_path, format!("{name}: {message}")).with_help_opt(help)
        })
}
