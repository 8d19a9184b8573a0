//! A source parsed into a tree that remembers where every node is, for error messages.
//!
//! Loading is fast because it deserialises straight into typed structs, which keep no
//! positions. Only when there is something to report is the source parsed into this tree
//! (JSON is YAML, so one parser serves both), once: the loader checks its keys and types
//! against the file's [`Shape`](crate::schema::Shape), and every problem's path is looked up
//! in it.

pub use saphyr::MarkedYaml;
use saphyr::{LoadableYamlNode, Scalar, YamlData};

use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Diagnostics, DocPath, Location, Segment};
use crate::io::Format;

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

/// Where each of `paths` is in `source`, written in `format` ([`Locator::find`]'s answer, or
/// none for a path the source lacks), without building the located tree: the lines of a
/// hundred thousand entries of a large estate cost little more memory than the paths.
pub fn find_all(source: &str, format: Format, paths: &[DocPath]) -> Vec<Option<Location>> {
    match format {
        Format::Json => json_find_all(source, paths),
        Format::Yaml => yaml_find_all(source, paths),
    }
}

/// [`find_all`] for JSON: each container on the way to a wanted path is split into its raw
/// members once (serde_json's [`RawValue`] borrows them from the source, so a member's
/// position is its offset in it), and only the members on a wanted path are opened further.
fn json_find_all(source: &str, paths: &[DocPath]) -> Vec<Option<Location>> {
    let mut offsets = vec![None; paths.len()];
    if let Ok(root) = serde_json::from_str::<&RawValue>(source) {
        let wanted: Vec<usize> = (0..paths.len()).collect();
        json_walk(source, root, None, 0, paths, &wanted, &mut offsets);
    }
    let lines = LineIndex::new(source);
    offsets
        .into_iter()
        .map(|o| o.map(|offset| lines.location(source, offset)))
        .collect()
}

/// Records in `out` the offset of `value` (or of its key, `key_at`, for a path ending in a
/// key) for each of `wanted` (positions in `paths`) that ends at `depth`, and walks into
/// `value` for the others.
fn json_walk(
    source: &str,
    value: &RawValue,
    key_at: Option<usize>,
    depth: usize,
    paths: &[DocPath],
    wanted: &[usize],
    out: &mut [Option<usize>],
) {
    let offset =
        |raw: &RawValue| (raw.get().as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
    let mut deeper: Vec<usize> = Vec::new();
    for &i in wanted {
        if paths[i].0.len() == depth {
            out[i] = Some(key_at.unwrap_or_else(|| offset(value)));
        } else {
            deeper.push(i);
        }
    }
    if deeper.is_empty() {
        return;
    }
    let text = value.get();
    if text.starts_with('[') {
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) else {
            return;
        };
        let mut by_item: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for i in deeper {
            if let Some(Segment::Index(n)) = paths[i].0.get(depth) {
                by_item.entry(*n).or_default().push(i);
            }
        }
        for (n, wanted) in by_item {
            if let Some(item) = items.get(n) {
                json_walk(source, item, None, depth + 1, paths, &wanted, out);
            }
        }
    } else if text.starts_with('{') {
        let Ok(JsonMembers(members)) = serde_json::from_str::<JsonMembers<'_>>(text) else {
            return;
        };
        for (key, member) in members {
            let wanted: Vec<usize> = deeper
                .iter()
                .copied()
                .filter(|&i| matches!(paths[i].0.get(depth), Some(Segment::Key(k)) if *k == key))
                .collect();
            if !wanted.is_empty() {
                let key_at = key_before(source, offset(member));
                json_walk(source, member, key_at, depth + 1, paths, &wanted, out);
            }
        }
    }
}

/// Where the key of the member whose value starts at `value` begins (its opening quote),
/// reading back over `"key" :` from the value.
fn key_before(source: &str, value: usize) -> Option<usize> {
    let before = source.get(..value)?.trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let quoted = before.strip_suffix('"')?;
    // The opening quote: the last `"` that no backslash escapes.
    let bytes = quoted.as_bytes();
    (0..bytes.len()).rev().find(|&i| {
        bytes[i] == b'"' && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
    })
}

/// An object's members in source order, each value borrowed raw.
struct JsonMembers<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for JsonMembers<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = JsonMembers<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    out.push(entry);
                }
                Ok(JsonMembers(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// The start of each line of a source, to turn byte offsets into 1-based lines and columns
/// (columns in characters, as the YAML parser counts them).
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(source: &str) -> Self {
        let starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1));
        Self(starts.collect())
    }

    fn location(&self, source: &str, offset: usize) -> Location {
        let line = self.0.partition_point(|&start| start <= offset).max(1);
        let start = self.0[line - 1];
        let column = source.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        Location { line, column }
    }
}

/// [`find_all`] for YAML, in one pass over the parser's events.
fn yaml_find_all(source: &str, paths: &[DocPath]) -> Vec<Option<Location>> {
    use saphyr_parser::{Event, Parser};
    let mut wanted: std::collections::HashMap<&DocPath, Vec<usize>> = Default::default();
    for (i, path) in paths.iter().enumerate() {
        wanted.entry(path).or_default().push(i);
    }
    let mut out = vec![None; paths.len()];
    let mut record = |path: &DocPath, marker: saphyr::Marker| {
        for &i in wanted.get(path).into_iter().flatten() {
            out[i] = Some(Location {
                line: marker.line(),
                column: marker.col() + 1,
            });
        }
    };
    let mut open: Vec<Open> = Vec::new();
    let mut path = DocPath::root();
    for event in Parser::new_from_str(source) {
        let Ok((event, span)) = event else { break };
        match event {
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::SequenceStart(..)
            | Event::MappingStart(..) => {
                // A mapping's key names the next value; a key path is where the key is.
                if let Some(Open::Map(key @ None)) = open.last_mut() {
                    let text = match &event {
                        Event::Scalar(text, ..) => text.to_string(),
                        _ => String::new(),
                    };
                    record(&path.key(&text), span.start);
                    *key = Some(text);
                    if matches!(event, Event::Scalar(..) | Event::Alias(_)) {
                        continue;
                    }
                }
                // A value: of a list item, of a key, or the document itself.
                match open.last() {
                    Some(Open::List(next)) => {
                        path.0.push(Segment::Index(*next));
                        record(&path, span.start);
                    }
                    Some(Open::Map(key)) => {
                        path.0.push(Segment::Key(key.clone().unwrap_or_default()))
                    }
                    None => record(&path, span.start),
                }
                match event {
                    Event::SequenceStart(..) => open.push(Open::List(0)),
                    Event::MappingStart(..) => open.push(Open::Map(None)),
                    _ => finished(&mut open, &mut path),
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
                finished(&mut open, &mut path);
            }
            _ => {}
        }
    }
    out
}

/// A container [`find_all`] is in: a list with the position of its next item, or a mapping
/// with the key whose value comes next (none while the key is awaited).
enum Open {
    List(usize),
    Map(Option<String>),
}

/// After a value of the innermost open container: back to the container's path, and on to
/// its next item or key.
fn finished(open: &mut [Open], path: &mut DocPath) {
    let Some(last) = open.last_mut() else { return };
    path.0.pop();
    match last {
        Open::List(next) => *next += 1,
        Open::Map(key) => *key = None,
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

    /// Every path of the document under `node`, each list item and each key.
    fn all_paths(node: &MarkedYaml<'_>, at: &DocPath, out: &mut Vec<DocPath>) {
        out.push(at.clone());
        match &node.data {
            YamlData::Mapping(map) => {
                for (k, v) in map {
                    all_paths(v, &at.key(&scalar_text(k).unwrap_or_default()), out);
                }
            }
            YamlData::Sequence(items) => {
                for (i, v) in items.iter().enumerate() {
                    all_paths(v, &at.index(i), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn find_all_answers_as_find_does_for_every_path() {
        let yaml = "accounts:\n  - id: '1'\n    name: a\n  - {id: '2', name: b}\nprofiles:\n  - account: '1'\n    subscriptions:\n      - {user-name: u, plan: pro}\n      - group: g\n        plan: power\nempty: []\nnothing:\n";
        let json = r#"{"accounts": [{"id": "1", "note": "日本\"語", "tags": {"a": [1, 2, {"b": null}]}}, {"id": "2"}],
  "profiles": [], "x": "y"}"#;
        for source in [yaml, json] {
            let doc = Locator::parse(source).unwrap();
            let mut paths = Vec::new();
            all_paths(doc.root().unwrap(), &DocPath::root(), &mut paths);
            assert!(paths.len() > 8, "{paths:?}");
            let expected: Vec<Option<Location>> = paths.iter().map(|p| doc.find(p)).collect();
            for format in [Format::Yaml, Format::Json]
                .into_iter()
                .take(if source == json { 2 } else { 1 })
            {
                assert_eq!(
                    find_all(source, format, &paths),
                    expected,
                    "{source} as {format:?}"
                );
            }
        }
        let missing = DocPath::root().key("accounts").index(7);
        assert_eq!(
            find_all(yaml, Format::Yaml, std::slice::from_ref(&missing)),
            [None]
        );
        assert_eq!(find_all(json, Format::Json, &[missing]), [None]);
    }
}
