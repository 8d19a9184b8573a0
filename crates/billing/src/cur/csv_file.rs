//! CUR CSV and CSV.gz: one pass over the bytes, each line's product code looked at first.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use kiro_estate::LoadError;
use kiro_estate::prices::Money;

use super::{Col, CurLine, Layout, Raw, ReadSummary, classify, invalid, month_of_text, wanted};
use crate::month::Month;

/// Reads one CSV file (inflating it when `gz`), handing each Kiro line of `month` to `line`.
pub(super) fn read(
    path: &Path,
    gz: bool,
    month: Month,
    summary: &mut ReadSummary,
    line: &mut dyn FnMut(CurLine),
) -> Result<(), LoadError> {
    let file = File::open(path).map_err(|cause| LoadError::Io {
        path: path.display().to_string(),
        cause,
    })?;
    if !gz {
        return parse(path, false, Box::new(file), month, summary, line);
    }
    // Inflating and parsing each take about half the time: on their own threads, a CUR.gz
    // reads at the speed of the slower one. Data Exports may concatenate gzip members.
    let inflate = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, file));
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(4);
        scope.spawn(move || pump(inflate, &send));
        parse(
            path,
            true,
            Box::new(Chunks::new(receive)),
            month,
            summary,
            line,
        )
    })
}

/// Reads `input` in large chunks and sends them on, then its error if it fails; stops when
/// the receiver is gone.
fn pump(mut input: impl Read, send: &std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>) {
    loop {
        let mut chunk = vec![0; CHUNK];
        let mut filled = 0;
        let result = loop {
            match input.read(&mut chunk[filled..]) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    filled += n;
                    if filled == CHUNK {
                        break Ok(());
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        chunk.truncate(filled);
        let done = filled < CHUNK || result.is_err();
        if filled > 0 && send.send(Ok(chunk)).is_err() {
            return;
        }
        if let Err(e) = result {
            let _ = send.send(Err(e));
            return;
        }
        if done {
            return;
        }
    }
}

const CHUNK: usize = 4 << 20;

/// The chunks another thread inflated, read in order.
struct Chunks {
    receive: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Chunks {
    fn new(receive: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>) -> Self {
        Chunks {
            receive,
            chunk: Vec::new(),
            at: 0,
        }
    }
}

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.receive.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The sender is done: the end of the stream.
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Parses the CSV `input` of `path`.
fn parse(
    path: &Path,
    gz: bool,
    input: Box<dyn Read + '_>,
    month: Month,
    summary: &mut ReadSummary,
    line: &mut dyn FnMut(CurLine),
) -> Result<(), LoadError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(input);
    let broken = |e: &csv::Error, after: u64| {
        let what = if gz {
            "the compressed file is cut short or corrupt"
        } else {
            "the file cannot be read"
        };
        invalid(
            path,
            usize::try_from(after).ok(),
            format!("{what}: {e}"),
            Some("download the export again; nothing of this file was used"),
        )
    };
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(broken(&e, 1)),
    };
    let layout = Layout::find(
        headers.iter().map(|h| std::str::from_utf8(h).unwrap_or("")),
        path,
    )?;
    let col = |c: Col| layout.get(c);
    let product_at = col(Col::ProductCode).unwrap_or(0);
    let month_col = [Col::BillingPeriodStart, Col::UsageStart]
        .into_iter()
        .find(|c| col(*c).is_some());
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(broken(&e, reader.position().line())),
        }
        summary.rows += 1;
        if !record.get(product_at).is_some_and(wanted) {
            continue;
        }
        let at_line = record.position().map_or(0, |p| p.line());
        let text = |c: Col| -> &str {
            col(c)
                .and_then(|i| record.get(i))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("")
        };
        match month_col.and_then(|c| month_of_text(text(c))) {
            Some(m) if m != month => {
                summary.other_month(m);
                continue;
            }
            _ => {}
        }
        let raw = Raw {
            usage_type: text(Col::UsageType),
            operation: text(Col::Operation),
            line_item_type: text(Col::LineItemType),
            resource_id: text(Col::ResourceId),
            account: text(Col::UsageAccount),
            payer: text(Col::Payer),
            cost: Money::parse_rounded(text(Col::Cost)),
            quantity: text(Col::UsageAmount).trim().parse().ok(),
            region: col(Col::RegionCode).map(|_| text(Col::RegionCode)),
            product: col(Col::Product).map(|_| text(Col::Product)),
            attributes: super::user_attributes_json(text(Col::ResourceTags)),
        };
        let at = || -> (PathBuf, Option<usize>, String) {
            (
                path.to_owned(),
                usize::try_from(at_line).ok(),
                String::new(),
            )
        };
        if let Some(l) = classify(text(Col::ProductCode), &raw, &at, summary)? {
            summary.kiro_rows += 1;
            line(l);
        }
    }
    Ok(())
}
