//! Problems found in an input file, with where they are and what would fix them.

use std::fmt;
use std::path::{Path, PathBuf};

/// One step of a path into a YAML/JSON document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A list position.
    Index(usize),
}

/// A path into a document, e.g. `profiles[3].instance`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DocPath(pub Vec<Segment>);

impl DocPath {
    /// The document's root.
    pub fn root() -> Self {
        Self(Vec::new())
    }
    /// This path followed by mapping key `key`.
    pub fn key(&self, key: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Segment::Key(key.to_owned()));
        Self(v)
    }
    /// This path followed by list position `index`.
    pub fn index(&self, index: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Segment::Index(index));
        Self(v)
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A line and column, both 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// How bad a problem is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Reported, but what the file says is still used (a command that can compute despite a
    /// broken rule says so as a warning).
    Warning,
    /// The file, or the command that reads it, cannot go on.
    #[default]
    Error,
}

impl Severity {
    /// `error` or `warning`, as the diagnostic's first word.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in an input file: every loader of kiro-org (estate, operations, price book,
/// audit configuration, SCP case, usage report) speaks this one type, so that every command
/// reports problems the same way (`file:line:column`, what was expected, a did-you-mean).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file it is in, when it came from one.
    pub file: Option<PathBuf>,
    /// Where in the document.
    pub path: DocPath,
    /// Line and column, when they could be found.
    pub location: Option<Location>,
    /// What is wrong (lowercase, user input in backticks).
    pub message: String,
    /// What would fix it.
    pub help: Option<String>,
    /// Error or warning.
    pub severity: Severity,
    /// The domain rule it breaks, by the audit rule's kebab-case name, when an audit rule
    /// reports the same thing (so the audit does not report it twice).
    pub rule: Option<&'static str>,
    /// A stable code its checker gives it (the IAM catalog's `UNKNOWN_ACTION`), shown in
    /// brackets before the message.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// A problem at `path`.
    pub fn new(path: DocPath, message: impl Into<String>) -> Self {
        Self {
            file: None,
            path,
            location: None,
            message: message.into(),
            help: None,
            severity: Severity::Error,
            rule: None,
            code: None,
        }
    }

    /// Places the problem at `location`.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Names the audit rule that reports the same problem.
    pub fn breaking(mut self, rule: &'static str) -> Self {
        self.rule = Some(rule);
        self
    }

    /// Gives the problem its checker's stable code.
    pub fn with_code(mut self, code: Option<&'static str>) -> Self {
        self.code = code;
        self
    }

    /// The same problem, as a warning.
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a suggestion when there is one (a suggestion it has already stays otherwise).
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Names the file.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_owned());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity.as_str())?;
        match (&self.file, self.location) {
            (Some(file), Some(loc)) => {
                write!(f, "{}:{}:{}: ", file.display(), loc.line, loc.column)?
            }
            (Some(file), None) => write!(f, "{}: ", file.display())?,
            (None, Some(loc)) => write!(f, "{}:{}: ", loc.line, loc.column)?,
            (None, None) => {}
        }
        if !self.path.0.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        if let Some(code) = self.code {
            write!(f, "[{code}] ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as the field and the expected names,
/// so that loaders can point at the field and suggest the closest name.
pub fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, expected) = rest.split_once('`')?;
    let expected = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((field.to_owned(), expected))
}

/// Several diagnostics, shown one after another.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Names `file` in every diagnostic.
    pub fn in_file(self, file: &Path) -> Self {
        Self(self.0.into_iter().map(|d| d.in_file(file)).collect())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(value)` when there are none, else these diagnostics.
    pub fn or_ok<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Sorts by position in the file (unlocated last), keeping the order of equal positions.
    pub fn sort_by_location(&mut self) {
        self.0.sort_by_key(|d| {
            d.location
                .map_or((usize::MAX, usize::MAX), |l| (l.line, l.column))
        });
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
