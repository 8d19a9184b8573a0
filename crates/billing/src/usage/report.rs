//! Kiro's daily user reports, read as AWS writes them to S3.
//!
//! A profile with user reports enabled gets one CSV per client type and day under
//! `AWSLogs/<account>/KiroLogs/user_report/<region>/YYYY/MM/DD/HH/`, named
//! `<CLIENT>_<account>_user_report_<YYYYMMDDHHmm>.csv` (`KIRO_IDE`, `KIRO_CLI`, `KIRO_WEB`,
//! `PLUGIN`). Give the reader a local copy of that prefix (any folder above it works), or
//! single files. Its header, as Kiro writes it:
//!
//! `Date,UserId,Client_Type,Chat_Conversations,Credits_Used,Overage_Cap,Overage_Credits_Used,Overage_Enabled,ProfileId,Subscription_Tier,Total_Messages,New_User,User_Email,<model>_messages…`
//!
//! The exports drift, so the reader goes by the header, compared without case: only `Date`,
//! `UserId` and `Credits_Used` must be there; a new `<model>_messages` column is expected
//! (one appears with each model), and any other unknown column is a warning, once. It accepts
//! a UTF-8 byte order mark, ids in extra quotes, short rows, an empty `User_Email` and dates
//! in the non-ISO form some exports use (`9/1/2026`: month first, as AWS's US exports write
//! it, unless the first number cannot be a month). A bad value is an error at its file, line
//! and column, and every one in the files is reported at once.
//!
//! Only users active that day appear: a seat with no row is not an error. `Credits_Used`
//! includes the overage (as both of AWS's samples read it). A re-export replaces the earlier
//! one: for each profile, client type and day, the rows of the latest export (by the
//! timestamp in its name, then by path) are used and the earlier ones dropped. What is left
//! is merged per user, profile and day over the client types.
//!
//! The profile of a row is the account and region of its folder, else those of its
//! `ProfileId` (`arn:aws:codewhisperer:<region>:<account>:profile/<id>`). The legacy
//! `by_user_analytic` report beside it has no credits and is skipped in folders.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use kiro_estate::diagnostic::{Diagnostic, Diagnostics, DocPath, Location, did_you_mean};
use kiro_estate::prices::{Credits, Money};
use kiro_estate::{LoadError, Plan};

use crate::month::Month;

/// One user's use of one profile on one day, every client type merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// The Identity Center user id (the tail of the CUR's `line_item_resource_id`).
    pub user_id: String,
    /// The email, when an export carries it.
    pub email: Option<String>,
    /// The profile's account, when the folder or `ProfileId` says it.
    pub account: Option<String>,
    /// The profile's region, likewise.
    pub region: Option<String>,
    /// The day.
    pub date: Date,
    /// The plan the report names.
    pub tier: Option<Plan>,
    /// Credits used, overage included.
    pub credits_used: Credits,
    /// Credits beyond the plan, when the export has the column.
    pub overage_credits: Option<Credits>,
    /// Whether overage was enabled for the user, when the export says.
    pub overage_enabled: Option<bool>,
    /// Messages sent (`Total_Messages`, else the sum of the `<model>_messages` columns).
    pub messages: u64,
    /// The client types merged into this day.
    pub clients: BTreeSet<String>,
    /// Where its first row is, for notes: the file (its position in [`Usage::files`]) and
    /// the line.
    pub source: (usize, u64),
}

impl Day {
    /// The month of the day.
    pub fn month(&self) -> Month {
        Month::of_date(self.date)
    }
}

/// The user reports read from files and folders.
#[derive(Clone, Debug, Default)]
pub struct Usage {
    /// The report files read, in order.
    pub files: Vec<PathBuf>,
    /// Files whose every row a later re-export replaced.
    pub replaced: Vec<PathBuf>,
    /// Rows read, before re-exports and merging.
    pub rows: u64,
    /// The days, by user, profile and date.
    pub days: Vec<Day>,
    /// Columns and values kiro-org does not know, each once.
    pub warnings: Vec<Diagnostic>,
}

/// A column the reader knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Date,
    UserId,
    ClientType,
    CreditsUsed,
    OverageCredits,
    OverageEnabled,
    ProfileId,
    Tier,
    TotalMessages,
    Email,
    /// `<model>_messages`.
    ModelMessages,
    /// Known, and not needed for billing.
    Ignored,
}

/// The header names, as Kiro writes them.
const NAMES: [(&str, Col); 13] = [
    ("Date", Col::Date),
    ("UserId", Col::UserId),
    ("Client_Type", Col::ClientType),
    ("Chat_Conversations", Col::Ignored),
    ("Credits_Used", Col::CreditsUsed),
    ("Overage_Cap", Col::Ignored),
    ("Overage_Credits_Used", Col::OverageCredits),
    ("Overage_Enabled", Col::OverageEnabled),
    ("ProfileId", Col::ProfileId),
    ("Subscription_Tier", Col::Tier),
    ("Total_Messages", Col::TotalMessages),
    ("New_User", Col::Ignored),
    ("User_Email", Col::Email),
];

const REQUIRED: [Col; 3] = [Col::Date, Col::UserId, Col::CreditsUsed];

fn column(name: &str) -> Option<Col> {
    let name = name.trim();
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, c)| *c)
        .or_else(|| {
            name.to_ascii_lowercase()
                .ends_with("_messages")
                .then_some(Col::ModelMessages)
        })
}

fn name_of(col: Col) -> &'static str {
    NAMES.iter().find(|(_, c)| *c == col).map_or("", |(n, _)| n)
}

/// What a file's folder and name say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Place {
    account: Option<String>,
    region: Option<String>,
    client: Option<String>,
    /// The export's timestamp (`YYYYMMDDHHmm`), from the name.
    stamp: Option<String>,
}

const CLIENTS: [&str; 4] = ["KIRO_IDE", "KIRO_CLI", "KIRO_WEB", "PLUGIN"];

fn place_of(path: &Path) -> Place {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let mut place = Place::default();
    if let Some(i) = parts.iter().position(|p| *p == "user_report")
        && i >= 2
        && parts[i - 1] == "KiroLogs"
    {
        place.account = Some(parts[i - 2].to_owned());
        place.region = parts.get(i + 1).map(|r| (*r).to_owned());
    }
    if let Some(name) = path.file_stem().and_then(|n| n.to_str()) {
        place.client = CLIENTS
            .iter()
            .find(|c| name.starts_with(*c))
            .map(|c| (*c).to_owned());
        place.stamp = name.rsplit_once("_user_report_").map(|(_, s)| s.to_owned());
        if place.account.is_none() {
            place.account = place
                .client
                .as_deref()
                .and_then(|c| name.get(c.len() + 1..))
                .and_then(|rest| rest.split('_').next())
                .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_owned);
        }
    }
    place
}

/// A row of one file, before re-exports are settled.
struct Row {
    line: u64,
    user_id: String,
    email: Option<String>,
    account: Option<String>,
    region: Option<String>,
    client: String,
    date: Date,
    tier: Option<Plan>,
    credits_used: Credits,
    overage_credits: Option<Credits>,
    overage_enabled: Option<bool>,
    messages: u64,
}

/// One file's rows.
struct File {
    path: PathBuf,
    place: Place,
    rows: Vec<Row>,
}

impl Usage {
    /// Reads the user reports in `paths`: files, or folders searched for `.csv` files.
    /// Every bad row of every file is reported at once.
    pub fn read(paths: &[PathBuf]) -> Result<Usage, LoadError> {
        let mut files = Vec::new();
        for path in paths {
            let meta = std::fs::metadata(path).map_err(|cause| LoadError::Io {
                path: path.display().to_string(),
                cause,
            })?;
            if meta.is_dir() {
                let before = files.len();
                walk(path, &mut files)?;
                if files.len() == before {
                    return Err(LoadError::Invalid(Diagnostics(vec![
                        Diagnostic::new(DocPath::root(), "no user report (`.csv`) in this folder")
                            .in_file(path)
                            .with_help("point `--usage` at a copy of `AWSLogs/<account>/KiroLogs/user_report/`, or at a file"),
                    ])));
                }
            } else {
                files.push(path.clone());
            }
        }
        let mut usage = Usage::default();
        let mut problems = Vec::new();
        let mut parsed = Vec::new();
        for path in files {
            let text = std::fs::read(&path).map_err(|cause| LoadError::Io {
                path: path.display().to_string(),
                cause,
            })?;
            let text = match String::from_utf8(text) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(
                        Diagnostic::new(DocPath::root(), format!("not UTF-8 text: {e}"))
                            .in_file(&path),
                    );
                    continue;
                }
            };
            match parse_file(&text, &path, &mut usage) {
                Ok(f) => parsed.push(f),
                Err(d) => problems.extend(d.0),
            }
            usage.files.push(path);
        }
        if !problems.is_empty() {
            return Err(LoadError::Invalid(Diagnostics(problems)));
        }
        usage.settle(parsed);
        Ok(usage)
    }

    /// Parses one report's text; `path` says where it came from (its folder and name give
    /// the profile and client type, as in S3).
    pub fn parse(text: &str, path: &Path) -> Result<Usage, Diagnostics> {
        let mut usage = Usage::default();
        let file = parse_file(text, path, &mut usage).map_err(|d| d.in_file(path))?;
        usage.files.push(path.to_owned());
        usage.settle(vec![file]);
        Ok(usage)
    }

    /// The latest month with a row.
    pub fn latest_month(&self) -> Option<Month> {
        self.days.iter().map(Day::month).max()
    }

    /// Drops what re-exports replaced, then merges the client types per user, profile and day.
    fn settle(&mut self, files: Vec<File>) {
        // The latest export of each profile, client type and day.
        type Key = (Option<String>, Option<String>, String, Date);
        let order = |f: &File| (f.place.stamp.clone(), f.path.clone());
        let mut latest: BTreeMap<Key, usize> = BTreeMap::new();
        for (i, f) in files.iter().enumerate() {
            for r in &f.rows {
                let key = (
                    r.account.clone(),
                    r.region.clone(),
                    r.client.clone(),
                    r.date,
                );
                let best = latest.entry(key).or_insert(i);
                if order(&files[*best]) < order(f) {
                    *best = i;
                }
            }
        }
        let mut days: BTreeMap<(String, Option<String>, Option<String>, Date), Day> =
            BTreeMap::new();
        for (i, f) in files.iter().enumerate() {
            let mut used = false;
            for r in &f.rows {
                let key = (
                    r.account.clone(),
                    r.region.clone(),
                    r.client.clone(),
                    r.date,
                );
                if latest.get(&key) != Some(&i) {
                    continue;
                }
                used = true;
                let day = days
                    .entry((
                        r.user_id.clone(),
                        r.account.clone(),
                        r.region.clone(),
                        r.date,
                    ))
                    .or_insert_with(|| Day {
                        user_id: r.user_id.clone(),
                        email: None,
                        account: r.account.clone(),
                        region: r.region.clone(),
                        date: r.date,
                        tier: None,
                        credits_used: Credits::ZERO,
                        overage_credits: None,
                        overage_enabled: None,
                        messages: 0,
                        clients: BTreeSet::new(),
                        source: (i, r.line),
                    });
                day.email = day.email.take().or_else(|| r.email.clone());
                day.tier = day.tier.max(r.tier);
                day.credits_used += r.credits_used;
                day.overage_credits = match (day.overage_credits, r.overage_credits) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
                day.overage_enabled = match (day.overage_enabled, r.overage_enabled) {
                    (Some(a), Some(b)) => Some(a || b),
                    (a, b) => a.or(b),
                };
                day.messages += r.messages;
                day.clients.insert(r.client.clone());
            }
            if !used && !f.rows.is_empty() {
                self.replaced.push(f.path.clone());
            }
        }
        self.days = days.into_values().collect();
    }
}

/// The report files below `dir`, sorted; the legacy `by_user_analytic` folders skipped.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
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
            if path.file_name().and_then(|n| n.to_str()) != Some("by_user_analytic") {
                walk(&path, out)?;
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads one file's rows; warnings (unknown columns and tiers, once each) go to `usage`.
fn parse_file(text: &str, path: &Path, usage: &mut Usage) -> Result<File, Diagnostics> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let place = place_of(path);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| one(at(text, 1, 0, format!("cannot read the header row: {e}"))))?
        .clone();
    let cols: Vec<Option<Col>> = headers.iter().map(column).collect();
    let unknown: Vec<(usize, &str)> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| cols[*i].is_none())
        .collect();
    let missing: Vec<Col> = REQUIRED
        .into_iter()
        .filter(|c| !cols.contains(&Some(*c)))
        .collect();
    if !missing.is_empty() {
        let legacy = missing.contains(&Col::CreditsUsed)
            && headers
                .iter()
                .any(|h| h.starts_with("Chat_AICodeLines") || h.starts_with("Inline_"));
        if legacy || unknown.len() == headers.len() {
            let d = at(text, 1, 0, "not a Kiro user report".to_owned());
            return Err(one(if legacy {
                d.with_help("this is the legacy `by_user_analytic` report, which has no credits; use the `user_report` files beside it")
            } else {
                d.with_help(format!("a user report's header starts `{}`", header_line()))
            }));
        }
        return Err(Diagnostics(
            missing
                .iter()
                .map(|c| {
                    let name = name_of(*c);
                    at(text, 1, 0, format!("no `{name}` column"))
                        .with_help_opt(did_you_mean(name, unknown.iter().map(|(_, h)| *h)))
                })
                .collect(),
        ));
    }
    for (i, h) in &unknown {
        if !usage
            .warnings
            .iter()
            .any(|w| w.message.contains(&format!("`{h}`")))
        {
            let help = did_you_mean(h, NAMES.iter().map(|(n, _)| *n));
            usage.warnings.push(
                at(text, 1, *i, format!("unknown column `{h}`: ignored"))
                    .with_help_opt(help)
                    .in_file(path)
                    .as_warning(),
            );
        }
    }
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(at(text, line, 0, e.to_string()));
                continue;
            }
        };
        usage.rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut row = Row {
            line,
            user_id: String::new(),
            email: None,
            account: place.account.clone(),
            region: place.region.clone(),
            client: place.client.clone().unwrap_or_default(),
            date: Date::default(),
            tier: None,
            credits_used: Credits::ZERO,
            overage_credits: None,
            overage_enabled: None,
            messages: 0,
        };
        let mut date = None;
        let mut bad_date = false;
        let mut model_messages = 0;
        let mut total_messages = None;
        for (i, raw) in record.iter().enumerate() {
            let Some(Some(col)) = cols.get(i) else {
                continue;
            };
            let value = unquote(raw);
            if value.is_empty() {
                continue;
            }
            let header = headers.get(i).unwrap_or("");
            let bad = |expected: &str| {
                at(
                    text,
                    line,
                    i,
                    format!("`{value}` in column `{header}` is not {expected}"),
                )
            };
            match col {
                Col::Date => match parse_date(value) {
                    Some(d) => date = Some(d),
                    None => {
                        bad_date = true;
                        problems.push(bad(
                            "a date (`YYYY-MM-DD`, or `M/D/YYYY` as some exports write it)",
                        ));
                    }
                },
                Col::UserId => value.clone_into(&mut row.user_id),
                Col::ClientType => value.clone_into(&mut row.client),
                Col::Email => row.email = Some(value.to_owned()),
                Col::CreditsUsed | Col::OverageCredits => match credits(value) {
                    Some(c) if *col == Col::CreditsUsed => row.credits_used = c,
                    Some(c) => row.overage_credits = Some(c),
                    None => problems.push(bad("a number of credits")),
                },
                Col::OverageEnabled => match value.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "1" | "y" => row.overage_enabled = Some(true),
                    "false" | "no" | "0" | "n" => row.overage_enabled = Some(false),
                    _ => problems.push(bad("`true` or `false`")),
                },
                Col::ProfileId => {
                    if let Some((region, account)) = profile_arn(value) {
                        row.region = row.region.or(Some(region));
                        row.account = row.account.or(Some(account));
                    }
                }
                Col::Tier => match tier(value) {
                    Some(p) => row.tier = Some(p),
                    None => {
                        if !usage
                            .warnings
                            .iter()
                            .any(|w| w.message.contains(&format!("tier `{value}`")))
                        {
                            usage.warnings.push(
                                at(text, line, i, format!("unknown subscription tier `{value}`: the estate's plan is used"))
                                    .with_help("expected `PRO`, `PRO_PLUS`, `PRO_MAX` or `POWER`")
                                    .in_file(path)
                                    .as_warning(),
                            );
                        }
                    }
                },
                Col::TotalMessages | Col::ModelMessages => match count(value) {
                    Some(n) if *col == Col::TotalMessages => total_messages = Some(n),
                    Some(n) => model_messages += n,
                    None => problems.push(bad("a count")),
                },
                Col::Ignored => {}
            }
        }
        row.messages = total_messages.unwrap_or(model_messages);
        if row.user_id.is_empty() {
            problems.push(at(text, line, 0, "the row has no `UserId`".to_owned()));
            continue;
        }
        let Some(date) = date else {
            if !bad_date {
                problems.push(at(text, line, 0, "the row has no `Date`".to_owned()));
            }
            continue;
        };
        row.date = date;
        rows.push(row);
    }
    Diagnostics(problems).in_file(path).or_ok(File {
        path: path.to_owned(),
        place,
        rows,
    })
}

fn header_line() -> String {
    NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(",")
}

/// A value without the extra quotes some exports put around ids (`"'abc'"`, `"""abc"""`).
fn unquote(value: &str) -> &str {
    value.trim_matches(|c| c == '"' || c == '\'').trim()
}

/// A number of credits as reports write them (any number of decimals, rounded to the
/// hundredth Kiro meters); none when negative or not a finite number.
fn credits(value: &str) -> Option<Credits> {
    let m = Money::parse_rounded(value)?;
    (m.cents() >= 0).then(|| Credits::from_hundredths(m.cents()))
}

/// A count (`12`, or `12.0` as some exports write integers).
fn count(value: &str) -> Option<u64> {
    value.parse::<u64>().ok().or_else(|| {
        let f: f64 = value.parse().ok()?;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked to be a finite, non-negative whole number in range first"
        )]
        (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1e15).then_some(f as u64)
    })
}

/// A report's date: `2026-09-01` (with or without a time), `2026/09/01`, or the non-ISO
/// `9/1/2026` (month first, unless the first number is above 12).
pub fn parse_date(value: &str) -> Option<Date> {
    let day = value.split(['T', ' ']).next().unwrap_or(value);
    let parts: Vec<&str> = day.split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let n = |s: &str| s.parse::<i16>().ok();
    let (y, m, d) = if a.len() == 4 {
        (n(a)?, n(b)?, n(c)?)
    } else if c.len() == 4 && day.contains('/') {
        let (first, second) = (n(a)?, n(b)?);
        if first > 12 {
            (n(c)?, second, first)
        } else {
            (n(c)?, first, second)
        }
    } else {
        return None;
    };
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// The plan a report's `Subscription_Tier` names (`PRO`, `PRO_PLUS`, `PRO+`, `PRO MAX`…).
fn tier(value: &str) -> Option<Plan> {
    let v: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Some(match v.as_str() {
        "PRO" => Plan::Pro,
        "PROPLUS" | "PRO+" => Plan::ProPlus,
        "PROMAX" => Plan::ProMax,
        "POWER" => Plan::Power,
        _ => return None,
    })
}

/// Region and account of a profile ARN.
fn profile_arn(value: &str) -> Option<(String, String)> {
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_partition, service, region, account) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    (service == "codewhisperer" && !region.is_empty() && !account.is_empty())
        .then(|| (region.to_owned(), account.to_owned()))
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

/// A problem at field `field` (0-based) of `line` (1-based) of the CSV `text`, located at the
/// field's first character.
fn at(text: &str, line: u64, field: usize, message: String) -> Diagnostic {
    let line_no = usize::try_from(line).unwrap_or(0).max(1);
    let column = text
        .lines()
        .nth(line_no - 1)
        .map_or(1, |l| field_column(l, field));
    Diagnostic::new(DocPath::root(), message).at(Some(Location {
        line: line_no,
        column,
    }))
}

/// The 1-based column of field `field` in one CSV line: commas inside quotes do not separate
/// fields, and the blanks that the reader trims are skipped.
fn field_column(line: &str, field: usize) -> usize {
    let mut quoted = false;
    let mut index = 0;
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if index == field {
            start = i;
            break;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                index += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    let blanks = line[start..].len() - line[start..].trim_start().len();
    line[..start + blanks].chars().count() + 1
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    const HEADER: &str = "Date,UserId,Client_Type,Chat_Conversations,Credits_Used,Overage_Cap,Overage_Credits_Used,Overage_Enabled,ProfileId,Subscription_Tier,Total_Messages,New_User,User_Email,auto_messages,claude_sonnet_4.6_messages";

    fn path(client: &str, day: &str, stamp: &str) -> PathBuf {
        PathBuf::from(format!(
            "AWSLogs/111122223333/KiroLogs/user_report/us-east-1/2026/09/{day}/00/{client}_111122223333_user_report_{stamp}.csv"
        ))
    }

    #[test]
    fn dates_iso_and_not() {
        let d = |s| parse_date(s).map(|d| d.to_string());
        assert_eq!(d("2026-09-01").as_deref(), Some("2026-09-01"));
        assert_eq!(d("2026-09-01T00:00:00Z").as_deref(), Some("2026-09-01"));
        assert_eq!(d("2026/09/01").as_deref(), Some("2026-09-01"));
        assert_eq!(d("9/1/2026").as_deref(), Some("2026-09-01"));
        assert_eq!(d("10/1/2026").as_deref(), Some("2026-10-01"));
        assert_eq!(d("25/1/2026").as_deref(), Some("2026-01-25"));
        assert_eq!(d("September"), None);
        assert_eq!(d("2026-13-01"), None);
    }

    #[test]
    fn the_folder_and_name_give_profile_and_client() {
        let p = place_of(&path("KIRO_CLI", "02", "202609020200"));
        assert_eq!(p.account.as_deref(), Some("111122223333"));
        assert_eq!(p.region.as_deref(), Some("us-east-1"));
        assert_eq!(p.client.as_deref(), Some("KIRO_CLI"));
        assert_eq!(p.stamp.as_deref(), Some("202609020200"));
        let bare = place_of(Path::new(
            "PLUGIN_444455556666_user_report_202609020200.csv",
        ));
        assert_eq!(bare.account.as_deref(), Some("444455556666"));
        assert_eq!(bare.region, None);
    }

    #[test]
    fn bom_quotes_drift_and_a_new_model_column() {
        let text = format!(
            "\u{feff}{HEADER},gpt_5.6_luna_messages,Shiny_New\n2026-09-01,\"'u-1'\",KIRO_IDE,3,120.456,0,,false,arn:aws:codewhisperer:us-east-1:111122223333:profile/ABCDEFGHIJKL,PRO_PLUS,,,,4,5,6,x\n"
        );
        let u = Usage::parse(&text, &path("KIRO_IDE", "02", "202609020200")).unwrap();
        assert_eq!(u.days.len(), 1);
        let d = &u.days[0];
        assert_eq!(d.user_id, "u-1");
        assert_eq!(d.credits_used, Credits::from_hundredths(12046));
        assert_eq!(d.overage_credits, None);
        assert_eq!(d.tier, Some(Plan::ProPlus));
        assert_eq!(
            d.messages, 15,
            "the model columns add up when there is no total"
        );
        assert_eq!(d.email, None);
        assert_eq!(u.warnings.len(), 1, "{:?}", u.warnings);
        assert!(u.warnings[0].message.contains("`Shiny_New`"));
    }

    #[test]
    fn columns_in_another_order_and_optional_ones_missing() {
        let text = "User_Email,Credits_Used,UserId,Date\nhanako@example.com,10,u-2,9/3/2026\n";
        let u = Usage::parse(text, Path::new("r.csv")).unwrap();
        assert_eq!(u.days[0].date.to_string(), "2026-09-03");
        assert_eq!(u.days[0].email.as_deref(), Some("hanako@example.com"));
        assert!(u.warnings.is_empty());
    }

    #[test]
    fn bad_rows_are_located_and_missing_columns_suggested() {
        let text = "Date,UserId,Credits_Used\n2026-09-01,u-1,12x\nMarch,u-2,1\n2026-09-01,,1\n";
        let err = Usage::parse(text, Path::new("r.csv"))
            .unwrap_err()
            .to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines,
            [
                "error: r.csv:2:16: `12x` in column `Credits_Used` is not a number of credits",
                "error: r.csv:3:1: `March` in column `Date` is not a date (`YYYY-MM-DD`, or `M/D/YYYY` as some exports write it)",
                "error: r.csv:4:1: the row has no `UserId`",
            ],
            "{err}"
        );
        let err = Usage::parse("Date,User_Id,Credits_Used\n", Path::new("r.csv"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no `UserId` column") && err.contains("did you mean `User_Id`?"),
            "{err}"
        );
        let legacy = Usage::parse("UserId,Date,Chat_AICodeLines\n", Path::new("l.csv"))
            .unwrap_err()
            .to_string();
        assert!(legacy.contains("by_user_analytic"), "{legacy}");
    }
}
