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
    let input: Box<dyn Read> = if gz {
        // Data Exports may concatenate gzip members: read them all.
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            1 << 20,
            file,
        )))
    } else {
        Box::new(file)
    };
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
