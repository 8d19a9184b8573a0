//! What AWS really bills for Kiro: the Kiro lines of a Cost and Usage Report (CUR 2.0, from
//! AWS Data Exports), read as a stream.
//!
//! A CUR is large (every service of every account, millions of lines) and Kiro is a sliver of
//! it, so the reader never holds the file: it hands each Kiro line of the requested month to
//! the caller and forgets it. It reads CSV, gzip-compressed CSV and Parquet (by extension), a
//! file or a directory of them as Data Exports lays them out
//! (`…/data/BILLING_PERIOD=YYYY-MM/*.csv.gz`; folders of other billing periods are skipped).
//!
//! Columns are found by header name, compared without case or punctuation, because exports
//! drift (CUR 2.0 `line_item_product_code`, the legacy `lineItem/ProductCode`); a FOCUS
//! 1.0–1.2 export with AWS's columns reads the same way (see [`ALIASES`]). What a Kiro
//! line looks like (sources in the project's billing research):
//!
//! | column | Kiro |
//! |---|---|
//! | `line_item_product_code` | `Kiro` (Amazon Q Developer: `AmazonQ`, seats with operation `number-q-dev-subscriptions`) |
//! | `line_item_usage_type` | `<REGION>-KiroEnterprise-Pro`, `-ProPlus`, `-ProMax`, `-Power` (seats), `-Credits` |
//! | `line_item_operation` | `monthly-subscription` (seats), `Credits` |
//! | `line_item_line_item_type` | `FlatRateSubscription` (seats), `Usage`, `EdpDiscount` and other discounts, `Refund`, `Tax` |
//! | `line_item_resource_id` | `arn:<partition>:identitystore:::user/<id>`: its tail is the Identity Center user id |
//! | `line_item_usage_account_id` | the account owning the profile |
//! | `bill_payer_account_id` | the payer (management) account |
//! | `line_item_unblended_cost` | the charge |
//!
//! `-ProMax` is an assumption: Pro Max was added in 2026 and no public CUR sample shows its
//! usage type yet; the other plans' usage types follow one pattern, so it is expected to.
//! A line of the month is one whose `bill_billing_period_start_date` (or, without that
//! column, `line_item_usage_start_date`) falls in it.

pub mod athena;
mod csv_file;
pub mod generate;
mod parquet_file;

use std::path::{Path, PathBuf};

use kiro_estate::diagnostic::{Diagnostic, DocPath, Location};
use kiro_estate::prices::Money;
use kiro_estate::{LoadError, Plan};

use crate::month::Month;

/// The plan of a billed seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeatPlan {
    /// A Kiro plan.
    Kiro(Plan),
    /// An Amazon Q Developer Pro subscription (the product before Kiro).
    QDeveloperPro,
}

impl SeatPlan {
    /// The plan's name as files write it (`pro-plus`, `q-developer-pro`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kiro(p) => p.as_str(),
            Self::QDeveloperPro => "q-developer-pro",
        }
    }

    /// The name consoles show.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Kiro(p) => p.display_name(),
            Self::QDeveloperPro => "Q Developer Pro",
        }
    }
}

/// What a billed line charges for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Charge {
    /// A seat (a subscription for the month).
    Seat(SeatPlan),
    /// Metered credits.
    Credits,
    /// A discount, refund, credit or tax: not a list charge, reported apart.
    Adjustment,
    /// A Kiro charge of a usage type kiro-org does not know: in the totals, not per seat.
    Other,
}

/// One Kiro line of the month.
#[derive(Clone, Debug, PartialEq)]
pub struct CurLine {
    /// What it charges for.
    pub charge: Charge,
    /// `line_item_line_item_type`.
    pub line_item_type: String,
    /// `line_item_usage_type`.
    pub usage_type: String,
    /// `line_item_usage_account_id`: the profile's account.
    pub account: String,
    /// `bill_payer_account_id`.
    pub payer: String,
    /// The profile's region, when the line says it.
    pub region: Option<String>,
    /// The Identity Center user id (the resource id's tail), for per-user lines.
    pub user_id: Option<String>,
    /// `line_item_unblended_cost`, to the cent.
    pub cost: Money,
    /// `line_item_usage_amount` (seat-months for a seat, credits for credits).
    pub quantity: Option<f64>,
    /// The Identity Center user attributes of `resource_tags` (`userAttribute/<Key>`, the
    /// prefix taken off), when cost allocation by user attribute is on.
    pub attributes: Vec<(String, String)>,
}

/// The user attributes among a line's tags, given as the CSV writes the `resource_tags` map
/// (JSON text).
fn user_attributes_json(json: &str) -> Vec<(String, String)> {
    if !json.contains(USER_ATTRIBUTE) {
        return Vec::new();
    }
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).unwrap_or_default();
    user_attributes(
        map.iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?))),
    )
}

/// The `userAttribute/` tags of `tags`, the prefix taken off.
fn user_attributes<'t>(tags: impl Iterator<Item = (&'t str, &'t str)>) -> Vec<(String, String)> {
    tags.filter_map(|(k, v)| Some((k.strip_prefix(USER_ATTRIBUTE)?.to_owned(), v.to_owned())))
        .collect()
}

/// How the CUR names the tags of Identity Center user attributes.
const USER_ATTRIBUTE: &str = "userAttribute/";

/// What reading the files found besides the lines.
#[derive(Clone, Debug, Default)]
pub struct ReadSummary {
    /// The files read.
    pub files: Vec<PathBuf>,
    /// Bytes read from disk.
    pub bytes: u64,
    /// Lines read, of every service and month.
    pub rows: u64,
    /// Kiro lines of the month.
    pub kiro_rows: u64,
    /// Months of the Kiro lines that were not the requested one.
    pub other_months: Vec<Month>,
    /// Lines worth a look (unknown usage types), at their file and line; at most
    /// [`MAX_WARNINGS`], the rest counted in `more_warnings`.
    pub warnings: Vec<Diagnostic>,
    /// Warnings beyond [`MAX_WARNINGS`].
    pub more_warnings: u64,
}

/// Warnings kept with their location; a broken export could otherwise warn millions of times.
pub const MAX_WARNINGS: usize = 50;

impl ReadSummary {
    fn warn(&mut self, d: Diagnostic) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(d.as_warning());
        } else {
            self.more_warnings += 1;
        }
    }

    fn other_month(&mut self, m: Month) {
        if !self.other_months.contains(&m) {
            self.other_months.push(m);
            self.other_months.sort();
        }
    }
}

/// The columns the reader uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    ProductCode,
    UsageType,
    Operation,
    LineItemType,
    ResourceId,
    UsageAccount,
    Payer,
    Cost,
    UsageAmount,
    UsageStart,
    BillingPeriodStart,
    RegionCode,
    Product,
    ResourceTags,
}

const COLUMNS: [Col; 14] = [
    Col::ProductCode,
    Col::UsageType,
    Col::Operation,
    Col::LineItemType,
    Col::ResourceId,
    Col::UsageAccount,
    Col::Payer,
    Col::Cost,
    Col::UsageAmount,
    Col::UsageStart,
    Col::BillingPeriodStart,
    Col::RegionCode,
    Col::Product,
    Col::ResourceTags,
];

impl Col {
    /// The CUR 2.0 name.
    fn name(self) -> &'static str {
        match self {
            Col::ProductCode => "line_item_product_code",
            Col::UsageType => "line_item_usage_type",
            Col::Operation => "line_item_operation",
            Col::LineItemType => "line_item_line_item_type",
            Col::ResourceId => "line_item_resource_id",
            Col::UsageAccount => "line_item_usage_account_id",
            Col::Payer => "bill_payer_account_id",
            Col::Cost => "line_item_unblended_cost",
            Col::UsageAmount => "line_item_usage_amount",
            Col::UsageStart => "line_item_usage_start_date",
            Col::BillingPeriodStart => "bill_billing_period_start_date",
            Col::RegionCode => "product_region_code",
            Col::Product => "product",
            Col::ResourceTags => "resource_tags",
        }
    }

    /// Whether a Kiro line cannot be understood without it.
    fn required(self) -> bool {
        matches!(
            self,
            Col::ProductCode | Col::UsageType | Col::LineItemType | Col::UsageAccount | Col::Cost
        )
    }

    /// The column a header names: compared as lowercase letters and digits only, so CUR 2.0
    /// and legacy names (`lineItem/ProductCode`, `product/region`) both match.
    fn of(header: &str) -> Option<Col> {
        let n = squash(header);
        ALIASES
            .into_iter()
            .find(|(alias, _)| *alias == n)
            .map(|(_, c)| c)
            .or_else(|| COLUMNS.into_iter().find(|c| squash(c.name()) == n))
    }
}

/// Other names of the columns, squashed: the legacy CUR's `product/region`, and the columns
/// of a FOCUS 1.0–1.2 export with AWS's own (`x_ServiceCode` is the product code,
/// `ChargeCategory` stands for the line item type, see [`line_item_type`]).
const ALIASES: [(&str, Col); 14] = [
    ("productregion", Col::RegionCode),
    ("xservicecode", Col::ProductCode),
    ("xusagetype", Col::UsageType),
    ("xoperation", Col::Operation),
    ("chargecategory", Col::LineItemType),
    ("resourceid", Col::ResourceId),
    ("subaccountid", Col::UsageAccount),
    ("billingaccountid", Col::Payer),
    ("billedcost", Col::Cost),
    ("pricingquantity", Col::UsageAmount),
    ("chargeperiodstart", Col::UsageStart),
    ("billingperiodstart", Col::BillingPeriodStart),
    ("regionid", Col::RegionCode),
    ("tags", Col::ResourceTags),
];

/// The CUR line item type a FOCUS `ChargeCategory` stands for; a CUR's own types unchanged.
fn line_item_type(value: &str) -> &str {
    match value {
        "Purchase" => "FlatRateSubscription",
        "Adjustment" => "Refund",
        other => other,
    }
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Where each used column is in a file (by position in its header or schema).
#[derive(Clone, Debug, Default)]
struct Layout([Option<usize>; 14]);

impl Layout {
    /// Finds the columns among `headers`; a file without a required one is not a CUR.
    fn find<'h>(
        headers: impl IntoIterator<Item = &'h str>,
        file: &Path,
    ) -> Result<Layout, LoadError> {
        let mut layout = Layout::default();
        for (i, h) in headers.into_iter().enumerate() {
            if let Some(c) = Col::of(h) {
                layout.0[c as usize].get_or_insert(i);
            }
        }
        let missing: Vec<&str> = COLUMNS
            .into_iter()
            .filter(|c| c.required() && layout.get(*c).is_none())
            .map(Col::name)
            .collect();
        if missing.is_empty() {
            return Ok(layout);
        }
        let what = if layout.get(Col::ProductCode).is_none() {
            "not a Cost and Usage Report".to_owned()
        } else {
            "an incomplete Cost and Usage Report".to_owned()
        };
        Err(invalid(
            file,
            Some(1),
            format!(
                "{what}: no column {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(
                "export CUR 2.0 from AWS Data Exports (CSV, CSV.gz or Parquet) with its standard columns",
            ),
        ))
    }

    fn get(&self, c: Col) -> Option<usize> {
        self.0[c as usize]
    }
}

/// One line's fields as a reader found them.
#[derive(Default)]
struct Raw<'a> {
    usage_type: &'a str,
    operation: &'a str,
    line_item_type: &'a str,
    resource_id: &'a str,
    account: &'a str,
    payer: &'a str,
    cost: Option<Money>,
    quantity: Option<f64>,
    region: Option<&'a str>,
    /// The `product` map as JSON text (CSV exports write maps so).
    product: Option<&'a str>,
    /// The user attributes of `resource_tags`.
    attributes: Vec<(String, String)>,
}

/// The product codes whose lines are Kiro's.
const KIRO: &str = "Kiro";
const AMAZON_Q: &str = "AmazonQ";
const Q_DEVELOPER_SEATS: &str = "number-q-dev-subscriptions";

/// Whether a line of `product` is a candidate (decided before anything else is decoded).
fn wanted(product: &[u8]) -> bool {
    product == KIRO.as_bytes() || product == AMAZON_Q.as_bytes()
}

/// The line a raw Kiro or Amazon Q line stands for; none for Amazon Q lines that are not
/// seats or adjustments (its snapshot and chat lines are not Kiro's). An unknown Kiro usage
/// type is a warning at `at`, and the line counts as what its line item type says.
fn classify(
    product: &str,
    raw: &Raw<'_>,
    at: &dyn Fn() -> (PathBuf, Option<usize>, String),
    summary: &mut ReadSummary,
) -> Result<Option<CurLine>, LoadError> {
    let item_type = line_item_type(raw.line_item_type);
    let adjustment = is_adjustment(item_type);
    let charge = if product == AMAZON_Q {
        if adjustment {
            Charge::Adjustment
        } else if raw.operation == Q_DEVELOPER_SEATS {
            Charge::Seat(SeatPlan::QDeveloperPro)
        } else {
            return Ok(None);
        }
    } else if adjustment {
        Charge::Adjustment
    } else {
        match kiro_usage(raw.usage_type) {
            Some(c) => c,
            None => {
                let (file, line, place) = at();
                summary.warn(located(
                    &file,
                    line,
                    format!(
                        "{place}unknown Kiro usage type `{}` (operation `{}`, line item type `{}`): counted in the totals, not per seat",
                        raw.usage_type, raw.operation, raw.line_item_type
                    ),
                    Some("expected `<REGION>-KiroEnterprise-Pro`, `-ProPlus`, `-ProMax`, `-Power` or `-Credits`"),
                ));
                Charge::Other
            }
        }
    };
    let Some(cost) = raw.cost else {
        let (file, line, place) = at();
        return Err(invalid(
            &file,
            line,
            format!("{place}`line_item_unblended_cost` is not an amount"),
            None,
        ));
    };
    let user_id = raw
        .resource_id
        .rsplit_once('/')
        .map(|(_, tail)| tail)
        .filter(|t| !t.is_empty() && raw.resource_id.contains("identitystore"))
        .map(str::to_owned);
    let region = raw
        .region
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .or_else(|| raw.product.and_then(product_region))
        .or_else(|| region_of_usage_type(raw.usage_type).map(str::to_owned));
    Ok(Some(CurLine {
        charge,
        line_item_type: item_type.to_owned(),
        usage_type: raw.usage_type.to_owned(),
        account: raw.account.to_owned(),
        payer: raw.payer.to_owned(),
        region,
        user_id,
        cost,
        quantity: raw.quantity,
        attributes: raw.attributes.clone(),
    }))
}

/// Whether a line item type is a discount, refund, credit or tax rather than a list charge.
fn is_adjustment(line_item_type: &str) -> bool {
    line_item_type.ends_with(DISCOUNT) || ADJUSTMENTS.contains(&line_item_type)
}

/// The line item types of adjustments besides discounts (`…Discount`).
const ADJUSTMENTS: [&str; 4] = ["Refund", "Credit", "Tax", "Fee"];
/// How the names of discount line item types end.
const DISCOUNT: &str = "Discount";

/// `line_item_operation` of a seat line.
pub const SEAT_OPERATION: &str = "monthly-subscription";
/// `line_item_operation` of a credits line.
pub const CREDITS_OPERATION: &str = "Credits";

/// The usage type of a seat of `plan` under the region prefix `prefix`
/// (`USE1-KiroEnterprise-ProPlus`); the inverse of [`kiro_usage`].
pub fn seat_usage_type(prefix: &str, plan: Plan) -> String {
    let tier = match plan {
        Plan::Pro => "Pro",
        Plan::ProPlus => "ProPlus",
        Plan::ProMax => "ProMax",
        Plan::Power => "Power",
    };
    format!("{prefix}-KiroEnterprise-{tier}")
}

/// The usage type of credits under the region prefix `prefix`.
pub fn credits_usage_type(prefix: &str) -> String {
    format!("{prefix}-KiroEnterprise-Credits")
}

/// What a Kiro usage type charges for: the part after `KiroEnterprise-`.
fn kiro_usage(usage_type: &str) -> Option<Charge> {
    let (_, tier) = usage_type.split_once("KiroEnterprise-")?;
    Some(match tier {
        "Pro" => Charge::Seat(SeatPlan::Kiro(Plan::Pro)),
        "ProPlus" => Charge::Seat(SeatPlan::Kiro(Plan::ProPlus)),
        "ProMax" => Charge::Seat(SeatPlan::Kiro(Plan::ProMax)),
        "Power" => Charge::Seat(SeatPlan::Kiro(Plan::Power)),
        "Credits" => Charge::Credits,
        _ => return None,
    })
}

/// The region AWS's usage-type prefix stands for (the Kiro regions and their neighbours).
pub fn region_of_usage_type(usage_type: &str) -> Option<&'static str> {
    let (prefix, _) = usage_type.split_once('-')?;
    Some(match prefix {
        "USE1" => "us-east-1",
        "USE2" => "us-east-2",
        "USW1" => "us-west-1",
        "USW2" => "us-west-2",
        "EUC1" => "eu-central-1",
        "EU" | "EUW1" => "eu-west-1",
        "EUW2" => "eu-west-2",
        "EUW3" => "eu-west-3",
        "EUN1" => "eu-north-1",
        "APN1" => "ap-northeast-1",
        "APS2" => "ap-southeast-2",
        "UGW1" => "us-gov-west-1",
        "UGE1" => "us-gov-east-1",
        _ => return None,
    })
}

/// The usage-type prefix of a region (the inverse of [`region_of_usage_type`]).
pub fn usage_type_prefix(region: &str) -> &'static str {
    const PREFIXES: [&str; 12] = [
        "USE1", "USE2", "USW1", "USW2", "EUC1", "EU", "EUW2", "EUW3", "EUN1", "APN1", "APS2",
        "UGW1",
    ];
    PREFIXES
        .into_iter()
        .find(|p| region_of_usage_type(&format!("{p}-x")) == Some(region))
        .unwrap_or("USE1")
}

/// `region` from the `product` map written as JSON text.
fn product_region(json: &str) -> Option<String> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).ok()?;
    map.get("region")
        .and_then(|v| v.as_str())
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

/// The month a date or timestamp written as text falls in (`2026-03-01T00:00:00.000Z`,
/// `2026-03-01 00:00:00`, `2026-03-01`).
fn month_of_text(text: &str) -> Option<Month> {
    Month::parse(text.trim().get(..7)?).ok()
}

fn located(file: &Path, line: Option<usize>, message: String, help: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(DocPath::root(), message)
        .at(line.map(|line| Location { line, column: 1 }))
        .in_file(file);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

fn invalid(file: &Path, line: Option<usize>, message: String, help: Option<&str>) -> LoadError {
    LoadError::Invalid(kiro_estate::Diagnostics(vec![located(
        file, line, message, help,
    )]))
}

/// The file formats of a CUR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    CsvGz,
    Parquet,
}

fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".csv.gz") {
        Some(Format::CsvGz)
    } else if name.ends_with(".csv") {
        Some(Format::Csv)
    } else if name.ends_with(".parquet") || name.ends_with(".snappy.parquet") {
        Some(Format::Parquet)
    } else {
        None
    }
}

/// The CUR files of `paths`, in order: each file as given (whatever its extension: a
/// `.gz` is inflated, a `.parquet` read as Parquet, anything else read as CSV), and the
/// CSV, CSV.gz and Parquet files below each directory, sorted, skipping folders
/// `BILLING_PERIOD=…` of other months.
fn files(paths: &[PathBuf], month: Month) -> Result<Vec<(PathBuf, Format)>, LoadError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|cause| LoadError::Io {
            path: path.display().to_string(),
            cause,
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(path, month, &mut out)?;
            if out.len() == before {
                return Err(invalid(
                    path,
                    None,
                    format!(
                        "no CUR file (`.csv`, `.csv.gz`, `.parquet`) of {month} in this directory"
                    ),
                    Some(
                        "point `--cur` at the export's folder, e.g. `…/data/BILLING_PERIOD=YYYY-MM`, or at a file",
                    ),
                ));
            }
        } else {
            let format = format_of(path).unwrap_or_else(|| {
                if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
                {
                    Format::CsvGz
                } else {
                    Format::Csv
                }
            });
            out.push((path.clone(), format));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, month: Month, out: &mut Vec<(PathBuf, Format)>) -> Result<(), LoadError> {
    let io = |cause| LoadError::Io {
        path: dir.display().to_string(),
        cause,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            let other_period = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("BILLING_PERIOD="))
                .is_some_and(|p| p.get(..7) != Some(&month.to_string()));
            if !other_period {
                walk(&path, month, out)?;
            }
        } else if let Some(f) = format_of(&path) {
            out.push((path, f));
        }
    }
    Ok(())
}

/// Reads the Kiro lines of `month` from `paths` (files or directories), handing each to
/// `line` as it is read.
pub fn read(
    paths: &[PathBuf],
    month: Month,
    mut line: impl FnMut(CurLine),
) -> Result<ReadSummary, LoadError> {
    let mut summary = ReadSummary::default();
    for (path, format) in files(paths, month)? {
        summary.bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        match format {
            Format::Csv | Format::CsvGz => {
                csv_file::read(
                    &path,
                    format == Format::CsvGz,
                    month,
                    &mut summary,
                    &mut line,
                )?;
            }
            Format::Parquet => parquet_file::read(&path, month, &mut summary, &mut line)?,
        }
        summary.files.push(path);
    }
    Ok(summary)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_in_cur2_and_legacy_spelling() {
        assert_eq!(Col::of("line_item_product_code"), Some(Col::ProductCode));
        assert_eq!(Col::of("lineItem/ProductCode"), Some(Col::ProductCode));
        assert_eq!(Col::of("\u{feff}identity_line_item_id"), None);
        assert_eq!(Col::of("product/region"), Some(Col::RegionCode));
        assert_eq!(Col::of("Line_Item_Unblended_Cost "), Some(Col::Cost));
    }

    #[test]
    fn usage_types_name_plans_and_regions() {
        let plan = |u: &str| kiro_usage(u);
        assert_eq!(
            plan("USE1-KiroEnterprise-Pro"),
            Some(Charge::Seat(SeatPlan::Kiro(Plan::Pro)))
        );
        assert_eq!(
            plan("EUC1-KiroEnterprise-ProPlus"),
            Some(Charge::Seat(SeatPlan::Kiro(Plan::ProPlus)))
        );
        assert_eq!(
            plan("USE1-KiroEnterprise-ProMax"),
            Some(Charge::Seat(SeatPlan::Kiro(Plan::ProMax)))
        );
        assert_eq!(
            plan("USE1-KiroEnterprise-Power"),
            Some(Charge::Seat(SeatPlan::Kiro(Plan::Power)))
        );
        assert_eq!(plan("USE1-KiroEnterprise-Credits"), Some(Charge::Credits));
        assert_eq!(plan("USE1-KiroEnterprise-Prox"), None);
        assert_eq!(
            region_of_usage_type("EUC1-KiroEnterprise-Pro"),
            Some("eu-central-1")
        );
        assert_eq!(usage_type_prefix("eu-central-1"), "EUC1");
        assert_eq!(usage_type_prefix("us-east-1"), "USE1");
        assert!(is_adjustment("EdpDiscount") && is_adjustment("Refund"));
        assert!(!is_adjustment("FlatRateSubscription") && !is_adjustment("Usage"));
    }

    #[test]
    fn months_come_from_dates_as_exports_write_them() {
        let m = Month::parse("2026-03").unwrap();
        for text in [
            "2026-03-01T00:00:00.000Z",
            "2026-03-01 00:00:00",
            "2026-03-31",
        ] {
            assert_eq!(month_of_text(text), Some(m));
        }
        assert_eq!(month_of_text("3/1/2026"), None);
    }
}
