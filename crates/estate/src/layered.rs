//! A JSON layout for large reports: the outer levels indented, every deeper value on one line.
//!
//! A bill of the largest estates lists 100,000 people charged twice and tens of thousands of
//! profiles and accounts. Fully indented, each of them spreads over a dozen lines of mostly
//! spaces; written on one line each, the file is a third smaller, as quick to write as compact
//! JSON, and still readable, greppable and diffable one entry per line.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Writes `value` to `out` with its outer `depth` levels indented as `serde_json`'s pretty
/// printer does and everything deeper compact, ending with a newline.
pub fn write<W: io::Write, T: Serialize + ?Sized>(
    mut out: W,
    value: &T,
    depth: usize,
) -> serde_json::Result<()> {
    let layout = Layered {
        depth,
        open: 0,
        pretty: PrettyFormatter::new(),
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, layout);
    value.serialize(&mut ser)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// The formatter: [`PrettyFormatter`] for the containers opened at a level below `depth`,
/// [`CompactFormatter`] inside the others.
struct Layered {
    depth: usize,
    /// Containers open around the value being written.
    open: usize,
    pretty: PrettyFormatter<'static>,
}

impl Layered {
    /// Whether the innermost open container is laid out indented.
    fn indented(&self) -> bool {
        self.open <= self.depth
    }
}

/// Sends a formatter event to the pretty printer when `$indented`, else to the compact one.
macro_rules! layout {
    ($self:ident, $indented:expr, $method:ident($($arg:expr),*)) => {
        if $indented {
            $self.pretty.$method($($arg),*)
        } else {
            CompactFormatter.$method($($arg),*)
        }
    };
}

impl Formatter for Layered {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open += 1;
        layout!(self, self.indented(), begin_array(w))
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        let indented = self.indented();
        self.open -= 1;
        layout!(self, indented, end_array(w))
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        layout!(self, self.indented(), begin_array_value(w, first))
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, self.indented(), end_array_value(w))
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open += 1;
        layout!(self, self.indented(), begin_object(w))
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        let indented = self.indented();
        self.open -= 1;
        layout!(self, indented, end_object(w))
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        layout!(self, self.indented(), begin_object_key(w, first))
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, self.indented(), begin_object_value(w))
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, self.indented(), end_object_value(w))
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
        let value = json!({"x": [[1, {"y": [true, null, "s\"t"]}], []], "z": {"w": {}}});
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
}
