//! CUR Parquet: only the columns used are decoded, row groups whose product-code statistics
//! exclude Kiro are skipped, and a row filter on the product code decodes the other columns
//! only for the rows that may be Kiro's.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float32Type, Float64Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, BooleanArray, MapArray, RecordBatch};
use arrow_schema::{ArrowError, DataType, TimeUnit};
use kiro_estate::LoadError;
use kiro_estate::prices::Money;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ArrowPredicateFn, ParquetRecordBatchReaderBuilder, RowFilter};
use parquet::file::statistics::Statistics;

use super::{
    AMAZON_Q, Col, CurLine, KIRO, Layout, Raw, ReadSummary, classify, invalid, month_of_text,
    wanted,
};
use crate::month::Month;

/// Reads one Parquet file, handing each Kiro line of `month` to `line`.
pub(super) fn read(
    path: &Path,
    month: Month,
    summary: &mut ReadSummary,
    line: &mut dyn FnMut(CurLine),
) -> Result<(), LoadError> {
    let corrupt = |e: &dyn std::fmt::Display| {
        invalid(
            path,
            None,
            format!("not a readable Parquet file: {e}"),
            Some("download the export again; nothing of this file was used"),
        )
    };
    let file = File::open(path).map_err(|cause| LoadError::Io {
        path: path.display().to_string(),
        cause,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| corrupt(&e))?;
    let fields: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let mut layout = Layout::find(fields.iter().map(String::as_str), path)?;
    // The `product` map is large and only a fallback for the region; CUR 2.0 Parquet has
    // `product_region_code`, and the usage type's prefix says it too.
    layout.0[Col::Product as usize] = None;
    let product_root = layout.get(Col::ProductCode).unwrap_or(0);
    let schema = builder.parquet_schema();
    let product_leaf =
        (0..schema.num_columns()).find(|&i| schema.get_column_root_idx(i) == product_root);
    let row_groups: Vec<usize> = (0..builder.metadata().num_row_groups())
        .filter(|&g| {
            let stats = product_leaf
                .and_then(|leaf| builder.metadata().row_group(g).column(leaf).statistics());
            may_hold_kiro(stats)
        })
        .collect();
    // Every row counts as read, Kiro or not: the skipped groups' and the filtered rows.
    summary.rows += builder
        .metadata()
        .row_groups()
        .iter()
        .map(|g| u64::try_from(g.num_rows()).unwrap_or(0))
        .sum::<u64>();
    let roots: Vec<usize> = layout.0.iter().flatten().copied().collect();
    let projection = ProjectionMask::roots(schema, roots);
    let filter = ArrowPredicateFn::new(
        ProjectionMask::roots(schema, [product_root]),
        |batch: RecordBatch| product_matches(batch.column(0)),
    );
    let reader = builder
        .with_row_groups(row_groups)
        .with_projection(projection)
        .with_row_filter(RowFilter::new(vec![Box::new(filter)]))
        .with_batch_size(8192)
        .build()
        .map_err(|e| corrupt(&e))?;
    let mut seen: u64 = 0;
    for batch in reader {
        let batch = batch.map_err(|e| corrupt(&e))?;
        let column = |c: Col| -> Option<&ArrayRef> {
            let name = &fields[layout.get(c)?];
            batch.column_by_name(name)
        };
        let text_of = |c: Col| -> Result<Option<Text<'_>>, LoadError> {
            column(c).map(|a| Text::of(a, c, path)).transpose()
        };
        let product = text_of(Col::ProductCode)?;
        let usage_type = text_of(Col::UsageType)?;
        let operation = text_of(Col::Operation)?;
        let item_type = text_of(Col::LineItemType)?;
        let resource = text_of(Col::ResourceId)?;
        let account = text_of(Col::UsageAccount)?;
        let payer = text_of(Col::Payer)?;
        let region = text_of(Col::RegionCode)?;
        let cost = column(Col::Cost);
        let amount = column(Col::UsageAmount);
        let period = column(Col::BillingPeriodStart).or(column(Col::UsageStart));
        let tags = column(Col::ResourceTags).and_then(|t| t.as_map_opt());
        for row in 0..batch.num_rows() {
            seen += 1;
            if let Some(m) = period.and_then(|p| month_at(p, row))
                && m != month
            {
                summary.other_month(m);
                continue;
            }
            let raw = Raw {
                usage_type: get(&usage_type, row),
                operation: get(&operation, row),
                line_item_type: get(&item_type, row),
                resource_id: get(&resource, row),
                account: get(&account, row),
                payer: get(&payer, row),
                cost: cost.and_then(|c| money_at(c, row)),
                quantity: amount.and_then(|a| float_at(a, row)),
                region: region.as_ref().and_then(|r| r.get(row)),
                product: None,
                attributes: tags.map(|t| attributes_at(t, row)).unwrap_or_default(),
            };
            let at = || -> (PathBuf, Option<usize>, String) {
                (path.to_owned(), None, format!("Kiro row {seen}: "))
            };
            if let Some(l) = classify(get(&product, row), &raw, &at, summary)? {
                summary.kiro_rows += 1;
                line(l);
            }
        }
    }
    Ok(())
}

fn get<'a>(text: &Option<Text<'a>>, row: usize) -> &'a str {
    text.as_ref().and_then(|t| t.get(row)).unwrap_or("")
}

/// Whether a row group with these product-code statistics may hold a Kiro line.
fn may_hold_kiro(stats: Option<&Statistics>) -> bool {
    let Some((min, max)) = stats.and_then(|s| Some((s.min_bytes_opt()?, s.max_bytes_opt()?)))
    else {
        return true;
    };
    [KIRO, AMAZON_Q]
        .iter()
        .any(|code| min <= code.as_bytes() && code.as_bytes() <= max)
}

fn product_matches(column: &ArrayRef) -> Result<BooleanArray, ArrowError> {
    let text = Text::any(column).ok_or_else(|| {
        ArrowError::SchemaError(format!(
            "`line_item_product_code` is {}, not text",
            column.data_type()
        ))
    })?;
    Ok((0..column.len())
        .map(|i| Some(text.get(i).is_some_and(|v| wanted(v.as_bytes()))))
        .collect())
}

/// A text column, whichever string layout the file uses.
enum Text<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
}

impl<'a> Text<'a> {
    fn any(array: &'a ArrayRef) -> Option<Text<'a>> {
        if let Some(a) = array.as_string_opt::<i32>() {
            Some(Text::Utf8(a))
        } else if let Some(a) = array.as_string_opt::<i64>() {
            Some(Text::Large(a))
        } else {
            array.as_string_view_opt().map(Text::View)
        }
    }

    fn of(array: &'a ArrayRef, col: Col, path: &Path) -> Result<Text<'a>, LoadError> {
        Text::any(array).ok_or_else(|| {
            invalid(
                path,
                None,
                format!("column `{}` is {}, not text", col.name(), array.data_type()),
                None,
            )
        })
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Text::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
            Text::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
            Text::View(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }
}

/// The user attributes of row `i` of the `resource_tags` map.
fn attributes_at(tags: &MapArray, i: usize) -> Vec<(String, String)> {
    if tags.is_null(i) {
        return Vec::new();
    }
    let entries = tags.value(i);
    let (Some(keys), Some(values)) = (Text::any(entries.column(0)), Text::any(entries.column(1)))
    else {
        return Vec::new();
    };
    super::user_attributes((0..entries.len()).filter_map(|j| Some((keys.get(j)?, values.get(j)?))))
}

fn float_at(array: &ArrayRef, i: usize) -> Option<f64> {
    if array.is_null(i) {
        return None;
    }
    match array.data_type() {
        DataType::Float64 => Some(array.as_primitive::<Float64Type>().value(i)),
        DataType::Float32 => Some(f64::from(array.as_primitive::<Float32Type>().value(i))),
        #[expect(clippy::cast_precision_loss, reason = "an amount, not an identifier")]
        DataType::Int64 => Some(array.as_primitive::<Int64Type>().value(i) as f64),
        DataType::Decimal128(_, scale) => {
            let v = array.as_primitive::<Decimal128Type>().value(i);
            #[expect(clippy::cast_precision_loss, reason = "an amount, not an identifier")]
            Some(v as f64 / 10f64.powi(i32::from(*scale)))
        }
        _ => Text::any(array)?.get(i)?.trim().parse().ok(),
    }
}

fn money_at(array: &ArrayRef, i: usize) -> Option<Money> {
    if array.is_null(i) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            Money::parse_rounded(Text::any(array)?.get(i)?)
        }
        _ => Money::from_f64_rounded(float_at(array, i)?),
    }
}

fn month_at(array: &ArrayRef, i: usize) -> Option<Month> {
    if array.is_null(i) {
        return None;
    }
    let at = match array.data_type() {
        DataType::Timestamp(unit, _) => {
            let (v, per_second) = match unit {
                TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().value(i), 1),
                TimeUnit::Millisecond => (
                    array.as_primitive::<TimestampMillisecondType>().value(i),
                    1_000,
                ),
                TimeUnit::Microsecond => (
                    array.as_primitive::<TimestampMicrosecondType>().value(i),
                    1_000_000,
                ),
                TimeUnit::Nanosecond => (
                    array.as_primitive::<TimestampNanosecondType>().value(i),
                    1_000_000_000,
                ),
            };
            jiff::Timestamp::from_second(v.div_euclid(per_second)).ok()?
        }
        DataType::Date32 => {
            let days = i64::from(array.as_primitive::<Date32Type>().value(i));
            jiff::Timestamp::from_second(days * 86_400).ok()?
        }
        _ => return month_of_text(Text::any(array)?.get(i)?),
    };
    Some(Month::of(at))
}
