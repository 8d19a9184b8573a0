//! A JSON layout for large reports: the outer levels indented, every deeper value on one line.
//!
//! A bill of the largest estates lists 100,000 people charged twice and tens of thousands of
//! profiles and accounts. Fully indented, each of them spreads over a dozen lines of mostly
//! spaces; written on one line each, the file is a third smaller, as quick to write as compact
//! JSON, and still readable, greppable and diffable one entry per line.
//!
//! [`write`] lays out any serialisable value. [`Object`] writes a document entry by entry, so
//! that its longest list can be written line by line from bytes ([`string`] and
//! [`crate::prices::Money::write_json`] are the pieces): going through `serde` costs several
//! times more per byte, and that list is most of the output.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

/// Writes `value` to `out` with its outer `depth` levels indented as `serde_json`'s pretty
/// printer does and everything deeper compact, ending with a newline.
pub fn write<W: io::Write, T: Serialize + ?Sized>(
    mut out: W,
    value: &T,
    depth: usize,
) -> serde_json::Result<()> {
    write_at(&mut out, value, depth, 0)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// [`write`] of a value that stands `open` containers deep (no newline after it).
fn write_at<W: io::Write, T: Serialize + ?Sized>(
    out: W,
    value: &T,
    depth: usize,
    open: usize,
) -> serde_json::Result<()> {
    let layout = Layered {
        depth,
        open,
        has_value: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(out, layout))
}

/// A JSON object written in the layered layout one entry at a time, at `depth` 2: its entries
/// are indented, each item of their lists is on a line of its own.
pub struct Object<W: io::Write> {
    out: W,
    entries: usize,
}

/// The indentation of an entry of an [`Object`], and of an item of its lists.
const ENTRY: &[u8] = b"\n  ";
const ITEM: &[u8] = b"\n    ";

impl<W: io::Write> Object<W> {
    /// Starts the object.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Self { out, entries: 0 })
    }

    /// Writes the key of the next entry.
    fn key(&mut self, key: &str) -> io::Result<()> {
        let mut head = Vec::with_capacity(key.len() + 8);
        if self.entries > 0 {
            head.push(b',');
        }
        head.extend_from_slice(ENTRY);
        string(&mut head, key);
        head.extend_from_slice(b": ");
        self.entries += 1;
        self.out.write_all(&head)
    }

    /// Writes the entry `key: value`, laid out as [`write`] does at depth 2.
    pub fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        self.key(key).map_err(serde_json::Error::io)?;
        write_at(&mut self.out, value, 2, 1)
    }

    /// Writes the entry `key: [...]` whose items `item` writes, one call per item into an
    /// emptied buffer, each as compact JSON on its own line.
    pub fn lines<I>(
        &mut self,
        key: &str,
        items: impl IntoIterator<Item = I>,
        mut item: impl FnMut(&mut Vec<u8>, I),
    ) -> io::Result<()> {
        self.key(key)?;
        let mut line = Vec::with_capacity(4096);
        let mut first = true;
        for i in items {
            line.clear();
            line.extend_from_slice(if first { b"[" } else { b"," });
            line.extend_from_slice(ITEM);
            item(&mut line, i);
            self.out.write_all(&line)?;
            first = false;
        }
        let end: &[u8] = if first { b"[]" } else { b"\n  ]" };
        self.out.write_all(end)
    }

    /// Ends the object and the document with a newline.
    pub fn end(mut self) -> io::Result<W> {
        let end: &[u8] = if self.entries == 0 { b"}\n" } else { b"\n}\n" };
        self.out.write_all(end)?;
        Ok(self.out)
    }
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes it (which writes the rare
/// string that needs escaping; the others are copied as they are).
pub fn string(out: &mut Vec<u8>, s: &str) {
    if plain(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a `Vec` cannot fail, nor can serialising a `str`.
        let _ = serde_json::to_writer(out, s);
    }
}

/// Whether JSON writes `bytes` as they are: no control character, quote or backslash.
/// Looked at eight bytes at a time (millions of short strings make the longest reports).
fn plain(bytes: &[u8]) -> bool {
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().unwrap_or_default());
    let Some(last) = bytes.len().checked_sub(8) else {
        return bytes.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\');
    };
    let mut escaped = to_escape(word(&bytes[last..]));
    for w in bytes.chunks_exact(8) {
        escaped |= to_escape(word(w));
    }
    escaped == 0
}

/// The high bit of every byte of `w` that JSON escapes, and maybe of bytes after one (so only
/// whether it is zero means anything): below 0x20, or `"` or `\` (zero once XORed with it).
/// The tests of Hacker's Delight, §6-1.
fn to_escape(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    below(w, 0x20)
        | below(w ^ (ONES * u64::from(b'"')), 1)
        | below(w ^ (ONES * u64::from(b'\\')), 1)
}

/// The formatter: indented as `serde_json`'s pretty printer (two spaces a level) for the
/// containers opened at a level up to `depth`, compact inside the others.
struct Layered {
    depth: usize,
    /// Containers open around the value being written.
    open: usize,
    /// Whether the innermost indented container has a value yet.
    has_value: bool,
}

impl Layered {
    /// Whether the innermost open container is laid out indented.
    fn indented(&self) -> bool {
        self.open <= self.depth
    }

    /// A new line at the indentation of the `open` containers.
    fn indent<W: ?Sized + io::Write>(w: &mut W, open: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..open {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn begin(&mut self, w: &mut (impl ?Sized + io::Write), bracket: &[u8]) -> io::Result<()> {
        self.open += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn end(&mut self, w: &mut (impl ?Sized + io::Write), bracket: &[u8]) -> io::Result<()> {
        let indented = self.indented();
        self.open -= 1;
        if indented && self.has_value {
            Self::indent(w, self.open)?;
        }
        // The container that closes is a value of the one around it.
        self.has_value = true;
        w.write_all(bracket)
    }

    fn begin_value(&mut self, w: &mut (impl ?Sized + io::Write), first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.indented() {
            Self::indent(w, self.open)?;
        }
        Ok(())
    }
}

impl Formatter for Layered {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_value(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_value(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.indented() {
            w.write_all(b": ")
        } else {
            CompactFormatter.begin_object_value(w)
        }
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn layered(value: &serde_json::Value, depth: usize) -> String {
        let mut out = Vec::new();
        super::write(&mut out, value, depth).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn outer_levels_are_indented_and_deeper_ones_compact() {
        let value = json!({"total": 1.5, "rows": [{"a": 1, "b": [1, 2]}, {"a": 2, "b": []}], "none": [], "empty": {}});
        assert_eq!(
            layered(&value, 2),
            "{\n  \"total\": 1.5,\n  \"rows\": [\n    {\"a\":1,\"b\":[1,2]},\n    {\"a\":2,\"b\":[]}\n  ],\n  \"none\": [],\n  \"empty\": {}\n}\n"
        );
    }

    #[test]
    fn every_depth_reads_back_as_the_same_value() {
        let value = json!({"x": [[1, {"y": [true, null, "s\"t"]}], []], "z": {"w": {}, "v": [[]]}});
        for depth in 0..5 {
            let text = layered(&value, depth);
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&text).unwrap(),
                value,
                "{text}"
            );
        }
        assert_eq!(layered(&value, 0).lines().count(), 1);
        assert_eq!(
            layered(&value, 9),
            format!("{}\n", serde_json::to_string_pretty(&value).unwrap())
        );
    }

    #[test]
    fn an_object_written_entry_by_entry_is_the_layered_value() {
        let value = json!({"total": 1.5, "rows": [{"a": 1}, []], "notes": [], "x": {"y": [1]}, "lines": [{"s": "a\"b\n"}, {"s": "é"}]});
        let mut object = super::Object::new(Vec::new()).unwrap();
        for (key, v) in value.as_object().unwrap() {
            if key != "lines" {
                object.entry(key, v).unwrap();
            }
        }
        object
            .lines("lines", ["a\"b\n", "é"], |out, s| {
                out.extend_from_slice(b"{\"s\":");
                super::string(out, s);
                out.push(b'}');
            })
            .unwrap();
        let text = String::from_utf8(object.end().unwrap()).unwrap();
        assert_eq!(text, layered(&value, 2));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in [
            "",
            "plain",
            "q\"uote",
            "back\\slash",
            "tab\tnew\nline",
            "\u{1}",
            "é ü 日本",
            "\u{7f}",
            "eight!!!",
            "a longer text, then \"",
            "\u{1f}and long enough",
        ] {
            let mut out = Vec::new();
            super::string(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(s in "(\\PC|[\\x00-\\x7f]){0,40}") {
            let mut out = Vec::new();
            super::string(&mut out, &s);
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn an_empty_object_and_an_empty_list_stay_on_their_line() {
        let mut object = super::Object::new(Vec::new()).unwrap();
        object
            .lines("none", std::iter::empty::<u8>(), |_, _| {})
            .unwrap();
        let text = String::from_utf8(object.end().unwrap()).unwrap();
        assert_eq!(text, "{\n  \"none\": []\n}\n");
        let empty = super::Object::new(Vec::new()).unwrap().end().unwrap();
        assert_eq!(empty, b"{}\n");
        assert_eq!(layered(&json!({}), 2), "{}\n");
    }
}
