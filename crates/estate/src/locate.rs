//! Finding the line and column of a document path, for error messages.
//!
//! Loading is fast because it deserialises straight into typed structs, which keep no
//! positions. Only when there is something to report is the source parsed again into a tree
//! that remembers where every node is (JSON is YAML, so one parser serves both), and each
//! problem's path is looked up there.

use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};

use crate::diagnostic::{Diagnostic, DocPath, Location, Segment};

/// The positions of a parsed source, ready to answer path look-ups.
pub struct Locator<'s> {
    root: Option<MarkedYaml<'s>>,
}

impl<'s> Locator<'s> {
    /// Parses `source`; a source that does not parse yields no locations.
    pub fn new(source: &'s str) -> Self {
        let root = MarkedYaml::load_from_str(source)
            .ok()
            .and_then(|mut docs| (!docs.is_empty()).then(|| docs.swap_remove(0)));
        Self { root }
    }

    /// The parsed document, when the source parsed.
    pub fn root(&self) -> Option<&MarkedYaml<'s>> {
        self.root.as_ref()
    }

    /// Where `path` is, or its nearest ancestor that exists.
    /// For a mapping key, the position of the key itself.
    pub fn find(&self, path: &DocPath) -> Option<Location> {
        let mut node = self.root.as_ref()?;
        let mut at = node.span.start;
        for seg in &path.0 {
            let next = match (&node.data, seg) {
                (YamlData::Mapping(map), Segment::Key(key)) => map.iter().find_map(|(k, v)| {
                    (scalar_text(k).as_deref() == Some(key.as_str())).then_some((k.span.start, v))
                }),
                (YamlData::Sequence(items), Segment::Index(i)) => {
                    items.get(*i).map(|v| (v.span.start, v))
                }
                _ => None,
            };
            match next {
                Some((key_at, child)) => {
                    at = key_at;
                    node = child;
                }
                None => break,
            }
        }
        Some(Location {
            line: at.line(),
            column: at.col() + 1,
        })
    }

    /// Fills in the locations of `diagnostics`.
    pub fn locate_all(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            if d.location.is_none() {
                d.location = self.find(&d.path);
            }
        }
    }
}

fn scalar_text(node: &MarkedYaml<'_>) -> Option<String> {
    match &node.data {
        YamlData::Value(s) => Some(match s {
            saphyr::Scalar::String(s) => s.to_string(),
            saphyr::Scalar::Integer(i) => i.to_string(),
            saphyr::Scalar::Boolean(b) => b.to_string(),
            saphyr::Scalar::FloatingPoint(f) => f.to_string(),
            saphyr::Scalar::Null => "null".to_owned(),
        }),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
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
}
