//! Reading and writing estate files (YAML or JSON, chosen by extension).

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Diagnostics, DocPath, Location, did_you_mean};
use crate::locate::Locator;
use crate::schema::{self, Shape};

/// A file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// YAML (`.yaml`, `.yml`, and anything not `.json`).
    Yaml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// The format a path's extension names: JSON for `.json`, YAML otherwise.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Why a file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read. The cause is part of the message rather than a `source`,
    /// so that error chains (anyhow's `{:#}`) do not print it twice.
    #[error("cannot read `{path}`: {cause}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// The file was read but is not valid.
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl LoadError {
    /// The diagnostics, when the file was read.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            LoadError::Io { .. } => &[],
            LoadError::Invalid(d) => &d.0,
        }
    }
}

/// Reads `path` as text.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|cause| LoadError::Io {
        path: path.display().to_string(),
        cause,
    })
}

/// YAML parser options sized for the largest estates (millions of nodes), while keeping
/// serde-saphyr's guards against alias bombs and runaway nesting.
pub fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = Some(4 << 30);
    budget.max_events = 200_000_000;
    budget.max_nodes = 100_000_000;
    budget.max_total_scalar_bytes = 4 << 30;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Deserialises `text` into `T`. On failure, the diagnostics list the parse error and every
/// key that `shape` does not allow, each located in the source.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    format: Format,
    shape: &Shape,
) -> Result<T, Vec<Diagnostic>> {
    let result = match format {
        Format::Json => serde_json::from_str::<T>(text).map_err(|e| {
            let location = (e.line() > 0).then(|| Location {
                line: e.line(),
                column: e.column(),
            });
            (strip_position(&e.to_string()), location)
        }),
        Format::Yaml => {
            serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|e| {
                let location = e.location().map(|l| Location {
                    line: usize::try_from(l.line()).unwrap_or(0),
                    column: usize::try_from(l.column()).unwrap_or(0),
                });
                (first_line(&e.without_snippet().to_string()), location)
            })
        }
    };
    result.map_err(|(message, location)| {
        let locator = Locator::new(text);
        let mut unknown = Vec::new();
        if let Some(root) = locator.root() {
            schema::unknown_keys(root, shape, &DocPath::root(), &mut unknown);
        }
        locator.locate_all(&mut unknown);
        // The parse error is usually the first unknown key again: keep it only when it adds news.
        let is_unknown_field = message.contains("unknown field");
        let mut out = Vec::new();
        if !is_unknown_field || unknown.is_empty() {
            let help = unknown_field_help(&message);
            out.push(Diagnostic {
                file: None,
                path: DocPath::root(),
                location,
                message,
                help,
            });
        }
        out.extend(unknown);
        out
    })
}

/// serde's "unknown field `x`, expected one of `a`, `b`" turned into a did-you-mean.
fn unknown_field_help(message: &str) -> Option<String> {
    let (field, expected) = crate::diagnostic::unknown_field(message)?;
    did_you_mean(&field, expected.iter().map(String::as_str))
}

/// serde_json appends " at line L column C", which the diagnostic shows on its own.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

/// Serialises `value` in `format`, ending with a newline as text files do.
pub fn to_text<T: Serialize>(value: &T, format: Format) -> Result<String, String> {
    match format {
        Format::Json => serde_json::to_string_pretty(value)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string()),
        Format::Yaml => serde_saphyr::to_string(value)
            .map(|mut s| {
                if !s.ends_with('\n') {
                    s.push('\n');
                }
                s
            })
            .map_err(|e| e.to_string()),
    }
}

/// Writes `text` to `path` atomically: a temporary file in the same directory, flushed to disk,
/// then renamed over the target, so a crash leaves either the old file or the new one.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    // A temporary file is private (0600); the estate keeps the target's permissions, or gets
    // the usual ones for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|meta| meta.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{Estate, Format};

    /// serde-saphyr's default budget stops at 250,000 nodes; a large organization's directory
    /// has millions.
    #[test]
    fn yaml_estates_past_the_default_node_budget_load() {
        let mut text = String::from(
            "accounts: [{id: \"111111111111\", name: a}]\ninstances:\n  - account: \"111111111111\"\n    kind: account\n    region: us-east-1\n    created: 2024-01-01\n    users:\n",
        );
        for i in 0..60_000 {
            text.push_str(&format!(
                "      - {{user-name: u{i}, email: u{i}@example.com}}\n"
            ));
        }
        let estate = Estate::from_text(&text, Format::Yaml).unwrap();
        assert_eq!(estate.instances.iter().next().unwrap().users.len(), 60_000);
    }
}
