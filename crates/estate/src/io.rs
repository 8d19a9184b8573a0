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

/// Reads the file at `path` and parses it with `parse` (given its text and format), naming
/// the file in every diagnostic: how every input file of kiro-org is loaded.
pub fn load_with<T>(
    path: &Path,
    parse: impl FnOnce(&str, Format) -> Result<T, Diagnostics>,
) -> Result<T, LoadError> {
    let text = read_text(path)?;
    parse(&text, Format::of(path)).map_err(|d| LoadError::Invalid(d.in_file(path)))
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

/// Deserialises `text` into `T`, the fast way: straight into the typed structs. On failure,
/// the source is parsed once into a located tree and checked against `shape`, so that the
/// diagnostics list every unknown key, missing key and wrongly typed value of the file, each
/// located, and not only the first one the deserialiser met.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    format: Format,
    shape: &Shape,
) -> Result<T, Diagnostics> {
    deserialize(text, format).map_err(|first| match first.0.into_iter().next() {
        Some(first) => problems(text, shape, first),
        None => Diagnostics::default(),
    })
}

/// Deserialises `text` into `T`; the error is the deserialiser's first problem, located (the
/// only diagnostic).
pub fn deserialize<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, Diagnostics> {
    match format {
        Format::Json => serde_json::from_str::<T>(text).map_err(|e| {
            let location = (e.line() > 0).then(|| Location {
                line: e.line(),
                column: e.column(),
            });
            Diagnostics(vec![
                Diagnostic::new(DocPath::root(), strip_position(&e.to_string())).at(location),
            ])
        }),
        Format::Yaml => {
            serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|e| {
                let location = e.location().map(|l| Location {
                    line: usize::try_from(l.line()).unwrap_or(0),
                    column: usize::try_from(l.column()).unwrap_or(0),
                });
                let message = first_line(&e.without_snippet().to_string());
                // serde-saphyr's words for it name Rust types; nested values re-wrap it.
                let diagnostic = if message.starts_with("cannot deserialize null into string") {
                    Diagnostic::new(DocPath::root(), "expected text, found null")
                        .with_help(NULL_HELP)
                } else {
                    Diagnostic::new(DocPath::root(), message)
                };
                Diagnostics(vec![diagnostic.at(location)])
            })
        }
    }
}

/// YAML reads a bare `null`, `Null`, `NULL` or `~` as no value: written where text belongs
/// (most often the IAM condition operator `Null`), it needs quotes.
const NULL_HELP: &str = "YAML reads a bare `null`, `Null`, `NULL` or `~` as no value; quote it to mean the word, as in the condition operator `\"Null\"`";

/// Every problem of `text` against `shape`, given the deserialiser's `first` one.
fn problems(text: &str, shape: &Shape, first: Diagnostic) -> Diagnostics {
    let doc = match Locator::parse(text) {
        Ok(doc) => doc,
        // A syntax error: the deserialiser's message says it best.
        Err(_) => return Diagnostics(vec![first]),
    };
    let mut out = schema::check(&doc, shape);
    doc.locate_all(&mut out);
    // The deserialiser's problem is usually one of the schema's again: keep it only when it
    // adds news (the schema does not know every rule of every value).
    let name = backticked(&first.message);
    let covered = out.iter().any(|d| {
        d.location.is_some() && d.location.map(|l| l.line) == first.location.map(|l| l.line)
            || name.is_some_and(|n| d.message.contains(&format!("`{n}`")))
    });
    if !covered {
        let help = unknown_field_help(&first.message);
        out.push(first.with_help_opt(help));
    }
    let mut out = Diagnostics(out);
    out.sort_by_location();
    out
}

/// The first word in backticks of a message: the key or value it is about.
fn backticked(message: &str) -> Option<&str> {
    message.split('`').nth(1).filter(|w| !w.is_empty())
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

/// How many levels of an estate's JSON are indented: down to the lists of an instance, a
/// profile and an organization, so that each user, group, subscription and OU is one line
/// (see [`crate::layered`]). Fully indented, the largest estates are two-fifths spaces, one
/// group's member names a line each.
const JSON_DEPTH: usize = 4;

/// Serialises `value` in `format`, ending with a newline as text files do.
pub fn to_text<T: Serialize>(value: &T, format: Format) -> Result<String, String> {
    match format {
        Format::Json => {
            let mut out = Vec::new();
            crate::layered::write(&mut out, value, JSON_DEPTH).map_err(|e| e.to_string())?;
            String::from_utf8(out).map_err(|e| e.to_string())
        }
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
            "version: 1\naccounts: [{id: \"111111111111\", name: a}]\ninstances:\n  - account: \"111111111111\"\n    kind: account\n    region: us-east-1\n    created: 2024-01-01\n    users:\n",
        );
        for i in 0..60_000 {
            text.push_str(&format!(
                "      - {{user-name: u{i}, email: u{i}@example.com}}\n"
            ));
        }
        let estate = Estate::from_text(&text, Format::Yaml).unwrap();
        assert_eq!(estate.instances.iter().next().unwrap().users.len(), 60_000);
    }

    fn problems(text: &str, format: Format) -> String {
        Estate::from_text(text, format).unwrap_err().to_string()
    }

    #[test]
    fn every_unknown_key_and_type_error_is_reported_in_one_run() {
        let text = "version: 1\naccounts:\n  - {id: \"111111111111\", name: a, emial: x}\n  - {id: \"222222222222\", nme: b}\ninstances:\n  - account: \"111111111111\"\n    kind: acount\n    region: us-east-1\n    created: yesterday\n    kiro-session-days: many\n    identity-enhanced-sessions: maybe\n";
        let out = problems(text, Format::Yaml);
        for expected in [
            "3:35: at `accounts[0].emial`: unknown key `emial`",
            "did you mean `email`?",
            "4:26: at `accounts[1].nme`: unknown key `nme`",
            "4:5: at `accounts[1]`: missing `name`",
            "7:11: at `instances[0].kind`: unknown value `acount`",
            "did you mean `account`?",
            "9:14: at `instances[0].created`: expected a date (YYYY-MM-DD), found a string `yesterday`",
            "10:24: at `instances[0].kiro-session-days`: expected a whole number",
            "11:33: at `instances[0].identity-enhanced-sessions`: expected `true` or `false`",
        ] {
            assert!(out.contains(expected), "{expected}\n{out}");
        }
        assert_eq!(out.matches("error: ").count(), 7, "{out}");
    }

    /// A hand-written file may hold every Identity Center setting the server keeps: regions,
    /// attributes for access control, trusted token issuers, an application's settings and a
    /// permission set's customer managed policies and boundary; validation checks what they
    /// name.
    #[test]
    fn identity_center_settings_load_and_are_validated() {
        let text = r#"version: 1
accounts: [{id: "111111111111", name: a}]
organizations: [{management: "111111111111"}]
instances:
  - account: "111111111111"
    kind: organization
    region: us-east-1
    created: 2024-01-01
    replica-regions: {eu-west-1: "2026-01-02T00:00:00Z"}
    access-control-attributes: [{key: CostCenter, source: "${path:enterprise.costCenter}"}]
    trusted-token-issuers:
      - {name: okta, id: tti-00000000-0000-0000-0000-000000000000, issuer-url: "https://idp.example.com", claim-attribute-path: email, identity-store-attribute-path: emails.value, created: "2026-01-02T00:00:00Z"}
    applications:
      - name: wiki
        id: apl-0000000000000000
        provider: "arn:aws:sso::aws:applicationProvider/custom"
        enabled: true
        created: "2026-01-02T00:00:00Z"
        access-scopes: {"sso:account:access": []}
        grants:
          "urn:ietf:params:oauth:grant-type:jwt-bearer":
            authorized-token-issuers: [{trusted-token-issuer: okta, audiences: [wiki]}]
        assignment-required: false
    permission-sets:
      - name: Dev
        id: ps-0000000000000000
        session-duration: PT1H
        created: "2026-01-02T00:00:00Z"
        customer-managed-policies: [{name: deploy, path: /team/}]
        permissions-boundary: {customer-managed: {name: limits}}
"#;
        let estate = Estate::from_text(text, Format::Yaml).unwrap();
        let inst = estate.instances.iter().next().unwrap();
        assert_eq!(inst.replica_regions.len(), 1);
        let again =
            Estate::from_text(&estate.to_text(Format::Yaml).unwrap(), Format::Yaml).unwrap();
        assert_eq!(again, estate);
        let unknown = problems(
            &text.replace("issuer: okta,", "issuer: okat,"),
            Format::Yaml,
        );
        assert!(
            unknown.contains("22:40")
                && unknown.contains("names unknown trusted token issuer `okat`")
                && unknown.contains("did you mean `okta`?"),
            "{unknown}"
        );
        let policy = text.replace(
            "assignment-required: false",
            "assignment-required: false\n        iam-authentication: \"[]\"",
        );
        let out = problems(&policy, Format::Yaml);
        assert!(
            out.contains("the actor policy must be a JSON object"),
            "{out}"
        );
        // An account instance holds none of an organization instance's own.
        let account = text
            .replace("organizations: [{management: \"111111111111\"}]\n", "")
            .replace("kind: organization", "kind: account");
        let out = problems(&account, Format::Yaml);
        for key in [
            "replica-regions",
            "access-control-attributes",
            "permission-sets",
        ] {
            assert!(
                out.contains(&format!(
                    "at `instances[0].{key}`: the account instance of `111111111111` cannot hold"
                )),
                "{key}: {out}"
            );
        }
        let typo = text.replace("claim-attribute-path", "claim-path");
        let out = problems(&typo, Format::Yaml);
        assert!(out.contains("unknown key `claim-path`"), "{out}");
    }

    #[test]
    fn a_bare_null_where_text_belongs_says_to_quote_it() {
        let text = "version: 1\naccounts: [{id: \"111111111111\", name: a, organization: o}]\norganizations:\n  - management: \"111111111111\"\n    policies:\n      - name: p\n        document: {Version: \"2012-10-17\", Statement: [{Effect: Deny, Action: \"*\", Resource: \"*\", Condition: {Null: {\"aws:SourceIp\": \"true\"}}}]}\n";
        let out = problems(text, Format::Yaml);
        assert!(out.contains("expected text, found null"), "{out}");
        assert!(out.contains("quote it to mean the word"), "{out}");
        assert!(out.contains("7:"), "{out}");
    }

    #[test]
    fn json_type_errors_are_located_too() {
        let text = "{\"version\": 1, \"accounts\": [{\"id\": 123456789012, \"name\": 5, \"organizaton\": \"x\"}]}";
        let out = problems(text, Format::Json);
        assert!(
            out.contains(
                "1:36: at `accounts[0].id`: `123456789012` is a number, but account ids are strings"
            ),
            "{out}"
        );
        assert!(out.contains("did you mean `organization`?"), "{out}");
    }

    #[test]
    fn the_version_is_required_and_checked() {
        let out = problems("accounts: []\n", Format::Yaml);
        assert!(
            out.contains("missing `version`") && out.contains("add `version: 1`"),
            "{out}"
        );
        let out = problems("version: 2\naccounts: []\n", Format::Yaml);
        assert!(
            out.contains("1:1: at `version`: unsupported estate version `2`"),
            "{out}"
        );
    }

    #[test]
    fn account_ids_written_as_numbers_are_refused_wherever_they_appear() {
        let text = "version: 1\naccounts:\n  - {id: 123456789012, name: m}\n  - {id: 012345678901, name: a, organization: 123456789012}\norganizations:\n  - management: 0o17\n    attachments: [{policy: FullAWSAccess, target: 012345678901}]\n";
        let out = problems(text, Format::Yaml);
        for expected in [
            "3:10: at `accounts[0].id`: `123456789012` is a number",
            "4:10: at `accounts[1].id`: `012345678901` is a number",
            "account ids are strings: quote it, `\"012345678901\"`",
            "at `accounts[1].organization`: `123456789012` is a number",
            "at `organizations[0].management`: `0o17` is a number",
            "at `organizations[0].attachments[0].target`: `012345678901` is a number",
        ] {
            assert!(out.contains(expected), "{expected}\n{out}");
        }
    }

    #[test]
    fn diagnostics_after_a_duplicate_point_at_the_right_item() {
        let text = "version: 1\naccounts:\n  - {id: \"111111111111\", name: a}\n  - {id: \"111111111111\", name: b}\n  - {id: \"222222222222\", name: c, parent: x}\n";
        let out = problems(text, Format::Yaml);
        assert!(
            out.contains("4:5: at `accounts[1]`: duplicate account"),
            "{out}"
        );
        assert!(
            out.contains(
                "5:35: at `accounts[2].parent`: standalone account `222222222222` has a parent"
            ),
            "{out}"
        );
    }
}
