//! Errors of parsing and validating a policy document.
//!
//! A document can be wrong in three distinct ways, and callers react differently to each: it is
//! not JSON at all (show the line and column), it is JSON but not a valid SCP (show every
//! problem at once), or it is valid but over the SCP size quota (suggest splitting it).

use std::fmt;

/// One thing wrong with a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the document, as a JSON path such as `Statement[1].Condition`.
    pub path: String,
    /// What is wrong, lowercase, user input in backticks.
    pub message: String,
    /// A suggestion, such as a did-you-mean.
    pub help: Option<String>,
    /// 1-based line of the offending text, when the document came from text.
    pub line: Option<usize>,
    /// 1-based column of the offending text, when the document came from text.
    pub column: Option<usize>,
    /// A stable code for problems found with the IAM catalog (`UNKNOWN_ACTION`).
    pub code: Option<&'static str>,
    /// Text to look for when locating the problem in the source (a quoted key or value).
    pub(crate) needle: Option<String>,
}

impl Problem {
    /// A problem at `path` (empty for the whole document), without help or location.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
            help: None,
            line: None,
            column: None,
            code: None,
            needle: None,
        }
    }

    /// The steps of [`Problem::path`], for callers that locate the document in a file of their
    /// own. The key of a condition (after `Condition` and its operator) is one step whatever
    /// it holds: `aws:ResourceTag/a.b` has a dot of its own.
    pub fn steps(&self) -> Vec<Step<'_>> {
        let mut out = Vec::new();
        let mut rest = self.path.as_str();
        while !rest.is_empty() {
            if let Some((n, after)) = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .and_then(|(n, after)| Some((n.parse().ok()?, after)))
            {
                out.push(Step::Index(n));
                rest = after;
                continue;
            }
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let condition_key =
                out.len() >= 2 && matches!(out[out.len() - 2], Step::Key(k) if k == "Condition");
            let end = if condition_key {
                r.len()
            } else {
                r.find(['.', '[']).filter(|&e| e > 0).unwrap_or(r.len())
            };
            out.push(Step::Key(&r[..end]));
            rest = &r[end..];
        }
        out
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub(crate) fn at(mut self, needle: impl Into<String>) -> Self {
        self.needle = Some(needle.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "{line}:{column}: ")?;
        }
        if let Some(code) = self.code {
            write!(f, "[{code}] ")?;
        }
        if self.path.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{}: {}", self.path, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// One step of a [`Problem`]'s path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'p> {
    /// A key of an object.
    Key(&'p str),
    /// A position in a list.
    Index(usize),
}

/// Why a document is not a usable SCP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The text is not JSON.
    #[error("malformed policy document at line {line}, column {column}: {message}")]
    Malformed {
        /// What the JSON parser expected, lowercase.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The document is JSON but breaks the policy grammar or an SCP rule.
    #[error("invalid policy document: {}", list(.0))]
    Invalid(Vec<Problem>),
    /// The document is over the SCP size quota, counted without insignificant whitespace.
    #[error(
        "policy document is too large: {characters} characters without whitespace, the SCP limit is {limit}"
    )]
    TooLarge {
        /// Characters of the minified document.
        characters: usize,
        /// The quota.
        limit: usize,
    },
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl PolicyError {
    /// True for [`PolicyError::TooLarge`], so callers can suggest splitting the policy.
    pub fn is_too_large(&self) -> bool {
        matches!(self, PolicyError::TooLarge { .. })
    }

    /// Every problem, one per entry, with line and column where known; a malformed or too
    /// large document gives one entry.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            PolicyError::Malformed {
                message,
                line,
                column,
            } => vec![Problem {
                path: String::new(),
                message: format!("malformed json: {message}"),
                help: None,
                line: Some(*line),
                column: Some(*column),
                code: None,
                needle: None,
            }],
            PolicyError::Invalid(problems) => problems.clone(),
            PolicyError::TooLarge { .. } => vec![
                Problem::new(String::new(), self.to_string())
                    .help("split the statements over several policies"),
            ],
        }
    }
}

/// Fills in line and column of each problem from the source text.
///
/// Problems are found on the parsed value, which has no positions, so the text is scanned
/// once more to map each JSON path (`Statement[1].Condition`) to where it is written; a
/// problem about a value (an action, a resource) then looks for the value from there.
pub(crate) fn locate(problems: &mut [Problem], text: &str) {
    let index = scan(text);
    for problem in problems {
        let mut path = problem.path.as_str();
        let start = loop {
            if let Some(&offset) = index.get(path) {
                break Some(offset);
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None if path.is_empty() => break None,
                None => path = "",
            }
        };
        let offset = match (&problem.needle, start) {
            (Some(needle), Some(start)) => text
                .get(start..)
                .and_then(|rest| rest.find(needle.as_str()))
                .map(|i| start + i)
                .or(Some(start)),
            (Some(needle), None) => text.find(needle.as_str()),
            (None, start) => start,
        };
        if let Some(offset) = offset {
            let before = &text[..offset];
            problem.line = Some(before.matches('\n').count() + 1);
            problem.column = Some(
                before.rfind('\n').map_or(before.chars().count(), |nl| {
                    before[nl + 1..].chars().count()
                }) + 1,
            );
        }
    }
}

/// Byte offsets of every key and array element of a JSON text, by path.
fn scan(text: &str) -> std::collections::HashMap<String, usize> {
    let mut index = std::collections::HashMap::new();
    index.insert(String::new(), 0);
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    scanner.value("", &mut index);
    index
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&mut self) -> Option<u8> {
        while let Some(b) = self.bytes.get(self.at) {
            if b.is_ascii_whitespace() {
                self.at += 1;
            } else {
                return Some(*b);
            }
        }
        None
    }

    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => return serde_json::from_str(self.text.get(start..self.at)?).ok(),
                _ => {}
            }
        }
        None
    }

    fn value(
        &mut self,
        path: &str,
        index: &mut std::collections::HashMap<String, usize>,
    ) -> Option<()> {
        match self.peek()? {
            b'{' => {
                self.at += 1;
                loop {
                    match self.peek()? {
                        b'}' => {
                            self.at += 1;
                            return Some(());
                        }
                        b',' => self.at += 1,
                        _ => {
                            let key_at = self.at;
                            let key = self.string()?;
                            let child = if path.is_empty() {
                                key
                            } else {
                                format!("{path}.{key}")
                            };
                            index.entry(child.clone()).or_insert(key_at);
                            self.peek()?;
                            self.at += 1; // the colon
                            self.value(&child, index)?;
                        }
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut n = 0;
                loop {
                    match self.peek()? {
                        b']' => {
                            self.at += 1;
                            return Some(());
                        }
                        b',' => self.at += 1,
                        _ => {
                            let child = format!("{path}[{n}]");
                            index.entry(child.clone()).or_insert(self.at);
                            self.value(&child, index)?;
                            n += 1;
                        }
                    }
                }
            }
            b'"' => self.string().map(drop),
            _ => {
                while let Some(b) = self.bytes.get(self.at) {
                    if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}
