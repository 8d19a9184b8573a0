//! A source parsed into a tree that remembers where every node is, for error messages.
//!
//! Loading is fast because it deserialises straight into typed structs, which keep no
//! positions. Only when there is something to report is the source parsed into this tree
//! (JSON is YAML, so one parser serves both), once: the loader checks its keys and types
//! against the file's [`Shape`](crate::schema::Shape), and every problem's path is looked up
//! in it.

pub use saphyr::MarkedYaml;
use saphyr::{LoadableYamlNode, Scalar, YamlData};

use crate::diagnostic::{Diagnostic, Diagnostics, DocPath, Location, Segment};

/// The positions of a parsed source, ready to answer path look-ups.
pub struct Locator<'s> {
    source: &'s str,
    root: Option<MarkedYaml<'s>>,
}

impl<'s> Locator<'s> {
    /// Parses `source`; a source that does not parse yields no locations.
    pub fn new(source: &'s str) -> Self {
        Self::parse(source).unwrap_or(Self { source, root: None })
    }

    /// Parses `source`, or says where its syntax is wrong.
    pub fn parse(source: &'s str) -> Result<Self, Diagnostics> {
        let root = MarkedYaml::load_from_str(source)
            .map_err(|e| {
                let m = e.marker();
                Diagnostics(vec![
                    Diagnostic::new(DocPath::root(), format!("not valid YAML: {}", e.info())).at(
                        Some(Location {
                            line: m.line(),
                            column: m.col() + 1,
                        }),
                    ),
                ])
            })?
            .into_iter()
            .next();
        Ok(Self { source, root })
    }

    /// The parsed document, when there is one.
    pub fn root(&self) -> Option<&MarkedYaml<'s>> {
        self.root.as_ref()
    }

    /// The node at `path`, when it exists.
    pub fn node(&self, path: &DocPath) -> Option<&MarkedYaml<'s>> {
        let mut node = self.root.as_ref()?;
        for seg in &path.0 {
            node = child(node, seg)?.1;
        }
        Some(node)
    }

    /// Where `path` is, or its nearest ancestor that exists.
    /// For a mapping key, the position of the key itself.
    pub fn find(&self, path: &DocPath) -> Option<Location> {
        let mut node = self.root.as_ref()?;
        let mut at = location(node);
        for seg in &path.0 {
            match child(node, seg) {
                Some((key_at, next)) => {
                    at = key_at;
                    node = next;
                }
                None => break,
            }
        }
        Some(at)
    }

    /// Fills in the locations of `diagnostics`.
    pub fn locate_all(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            if d.location.is_none() {
                d.location = self.find(&d.path);
            }
        }
    }

    /// The source text of a scalar node, as written (without quotes when it is quoted), for
    /// messages that must show exactly what the file says (`012345678901`, not `12345678901`).
    pub fn raw(&self, node: &MarkedYaml<'_>) -> String {
        let (start, end) = (node.span.start.index(), node.span.end.index());
        let text: String = self
            .source
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect();
        let text = text.trim();
        if text.is_empty() {
            scalar_text(node).unwrap_or_default()
        } else {
            text.to_owned()
        }
    }
}

/// The child of `node` at `seg`, with where it is (a mapping key's own position).
fn child<'a, 's>(
    node: &'a MarkedYaml<'s>,
    seg: &Segment,
) -> Option<(Location, &'a MarkedYaml<'s>)> {
    match (&node.data, seg) {
        (YamlData::Mapping(map), Segment::Key(key)) => map.iter().find_map(|(k, v)| {
            (scalar_text(k).as_deref() == Some(key.as_str())).then(|| (location(k), v))
        }),
        (YamlData::Sequence(items), Segment::Index(i)) => items.get(*i).map(|v| (location(v), v)),
        (YamlData::Tagged(_, inner), _) => child(inner, seg),
        _ => None,
    }
}

/// Where `node` starts, 1-based.
pub fn location(node: &MarkedYaml<'_>) -> Location {
    Location {
        line: node.span.start.line(),
        column: node.span.start.col() + 1,
    }
}

/// A scalar node's text (a key, a name); none for mappings, lists and null.
pub fn scalar_text(node: &MarkedYaml<'_>) -> Option<String> {
    match &node.data {
        YamlData::Value(s) => match s {
            Scalar::String(s) => Some(s.to_string()),
            Scalar::Integer(i) => Some(i.to_string()),
            // The shortest representation that reads back as the same double is the decimal
            // the file wrote (for amounts of fewer than 16 digits), so nothing is lost here.
            Scalar::FloatingPoint(f) => Some(format!("{}", f.into_inner())),
            Scalar::Boolean(b) => Some(b.to_string()),
            Scalar::Null => None,
        },
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        YamlData::Tagged(_, inner) => scalar_text(inner),
        _ => None,
    }
}

/// Whether a node is null (an empty value, `~`, `null`).
pub fn is_null(node: &MarkedYaml<'_>) -> bool {
    match &node.data {
        YamlData::Value(Scalar::Null) => true,
        YamlData::Tagged(_, inner) => is_null(inner),
        _ => false,
    }
}

/// A mapping node's entries in file order (through a tag); none for anything else.
pub fn entries<'a, 'i>(
    node: &'a MarkedYaml<'i>,
) -> Option<Vec<(&'a MarkedYaml<'i>, &'a MarkedYaml<'i>)>> {
    match &node.data {
        YamlData::Mapping(map) => Some(map.iter().collect()),
        YamlData::Tagged(_, inner) => entries(inner),
        _ => None,
    }
}

/// A list node's items (through a tag); none for anything else.
pub fn items<'a, 'i>(node: &'a MarkedYaml<'i>) -> Option<&'a [MarkedYaml<'i>]> {
    match &node.data {
        YamlData::Sequence(items) => Some(items),
        YamlData::Tagged(_, inner) => items(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_yaml_and_json_paths() {
        let yaml = "accounts:\n  - id: \"1\"\n    name: a\n  - id: \"2\"\n    name: b\n";
        let loc = Locator::new(yaml);
        let p = DocPath::root().key("accounts").index(1).key("name");
        assert_eq!(loc.find(&p), Some(Location { line: 5, column: 5 }));
        let json = "{\n  \"accounts\": [\n    {\"id\": \"1\"},\n    {\"id\": \"2\", \"name\": \"b\"}\n  ]\n}";
        let loc = Locator::new(json);
        let p = DocPath::root().key("accounts").index(1).key("name");
        assert_eq!(
            loc.find(&p),
            Some(Location {
                line: 4,
                column: 17
            })
        );
    }

    #[test]
    fn raw_text_keeps_leading_zeros() {
        let loc = Locator::new("id: 012345678901\n");
        let node = loc.node(&DocPath::root().key("id")).unwrap();
        assert_eq!(loc.raw(node), "012345678901");
    }
}
