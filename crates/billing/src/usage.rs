//! Credits used, from a usage report: overage and right-sizing.
//!
//! The file is CSV with a header row. Column names are matched case-insensitively, ignoring
//! spaces, `_` and `-`, so Kiro's per-user activity report works as exported:
//!
//! | meaning | accepted columns |
//! |---|---|
//! | the person (one at least) | `UserId` / `User_Id` / `PrincipalId`; `UserName` / `User_Name`; `Email` / `Email_Address` / `UserEmail` |
//! | the profile (optional) | `Account` / `Account_Id` / `AWS_Account_Id`; `Region` / `Profile_Region` |
//! | the month (optional) | `Month` (`YYYY-MM`) or `Date` (`YYYY-MM-DD`; daily rows are summed) |
//! | credits (one at least) | `Credits_Used` (all credits of the period); `Overage_Credits_Used` (credits beyond the plan) |
//!
//! A row names a person by user id, else email (case-insensitive), else user name, and is
//! narrowed to a profile by account and region where those columns are present. When a row
//! still matches several seats it is counted on the person's most expensive one, and a note
//! says so. With `--month`, rows of other months are ignored; without it, the latest month in
//! the file is used. Rows without a month count for any month.
//!
//! Overage is charged only where the profile's settings allow it; elsewhere the credits
//! beyond the plan are reported as not billed (the user was capped). No usage file, no
//! overage: nothing is invented.

use std::collections::HashMap;
use std::path::Path;

use kiro_estate::diagnostic::{Diagnostic, Diagnostics, DocPath, Location};
use kiro_estate::prices::{Credits, Money, PriceBook};
use kiro_estate::{LoadError, Plan};
use serde_json::{Value, json};

use crate::month::Month;
use crate::seats::{Line, ProfileInfo, Roster};

/// One row of a usage report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UsageRow {
    /// The 1-based line in the file.
    pub line: u64,
    /// The user id.
    pub user_id: Option<String>,
    /// The user name.
    pub user_name: Option<String>,
    /// The email.
    pub email: Option<String>,
    /// The profile's account.
    pub account: Option<String>,
    /// The profile's region.
    pub region: Option<String>,
    /// The month.
    pub month: Option<Month>,
    /// Credits used.
    pub credits_used: Option<Credits>,
    /// Credits beyond the plan.
    pub overage_credits: Option<Credits>,
}

/// A usage report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Where it came from.
    pub source: String,
    /// Its rows.
    pub rows: Vec<UsageRow>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    UserId,
    UserName,
    Email,
    Account,
    Region,
    Month,
    Date,
    Credits,
    Overage,
}

fn column(name: &str) -> Option<Col> {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Some(match n.as_str() {
        "userid" | "principalid" => Col::UserId,
        "username" => Col::UserName,
        "email" | "emailaddress" | "useremail" => Col::Email,
        "account" | "accountid" | "awsaccountid" => Col::Account,
        "region" | "profileregion" => Col::Region,
        "month" | "billingmonth" => Col::Month,
        "date" | "day" => Col::Date,
        "creditsused" | "credits" | "totalcreditsused" => Col::Credits,
        "overagecreditsused" | "overagecredits" => Col::Overage,
        _ => return None,
    })
}

impl Usage {
    /// Reads a usage report from `path` through the one located loader: every bad row of the
    /// file is reported at once, each at its line and column.
    pub fn load(path: &Path) -> Result<Usage, LoadError> {
        kiro_estate::io::load_with(path, |text, _| {
            Self::parse(text, &path.display().to_string())
        })
    }

    /// Parses a usage report; `file` is where it came from. Columns are found by header name
    /// (AWS's exports drift), so unknown columns are ignored; every row is checked, and every
    /// problem is reported.
    pub fn parse(text: &str, file: &str) -> Result<Usage, Diagnostics> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| one(at(text, 1, 0, format!("cannot read the header row: {e}"))))?
            .clone();
        let cols: Vec<Option<Col>> = headers.iter().map(column).collect();
        let has = |c: Col| cols.contains(&Some(c));
        let mut problems = Vec::new();
        if !(has(Col::UserId) || has(Col::UserName) || has(Col::Email)) {
            problems.push(
                at(
                    text,
                    1,
                    0,
                    format!(
                        "no column names the person (found {})",
                        headers
                            .iter()
                            .map(|h| format!("`{h}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_help("add a `UserId`, `UserName` or `Email` column"),
            );
        }
        if !(has(Col::Credits) || has(Col::Overage)) {
            problems.push(
                at(text, 1, 0, "no credits column".to_owned())
                    .with_help("add a `Credits_Used` or `Overage_Credits_Used` column"),
            );
        }
        if !problems.is_empty() {
            return Err(Diagnostics(problems));
        }
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
            let line = record.position().map_or(0, |p| p.line());
            let mut row = UsageRow {
                line,
                ..UsageRow::default()
            };
            for (i, value) in record.iter().enumerate() {
                let Some(Some(col)) = cols.get(i) else {
                    continue;
                };
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
                    Col::UserId => row.user_id = Some(value.to_owned()),
                    Col::UserName => row.user_name = Some(value.to_owned()),
                    Col::Email => row.email = Some(value.to_owned()),
                    Col::Account => row.account = Some(value.to_owned()),
                    Col::Region => row.region = Some(value.to_owned()),
                    Col::Month => match Month::parse(value) {
                        Ok(m) => row.month = Some(m),
                        Err(m) => problems.push(at(text, line, i, m)),
                    },
                    Col::Date => match value.get(..10).unwrap_or(value).parse() {
                        Ok(date) => row.month = Some(Month::of_date(date)),
                        Err(_) => problems.push(bad("a date (`YYYY-MM-DD`)")),
                    },
                    Col::Credits | Col::Overage => match Credits::parse(value) {
                        Some(c) if *col == Col::Credits => row.credits_used = Some(c),
                        Some(c) => row.overage_credits = Some(c),
                        None => problems.push(bad("a number of credits (at most 2 decimals)")),
                    },
                }
            }
            if row.user_id.is_none() && row.user_name.is_none() && row.email.is_none() {
                problems.push(at(text, line, 0, "the row names no person".to_owned()));
            }
            rows.push(row);
        }
        Diagnostics(problems).or_ok(Usage {
            source: file.to_owned(),
            rows,
        })
    }

    /// The month whose rows a bill of `month` uses: `month`, or the latest in the file.
    fn month_for(&self, month: Option<Month>) -> Option<Month> {
        month.or_else(|| self.rows.iter().filter_map(|r| r.month).max())
    }
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

#[derive(Default, Clone, Copy)]
struct Tally {
    used: Option<Credits>,
    overage: Option<Credits>,
}

fn add(a: Option<Credits>, b: Option<Credits>) -> Option<Credits> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// Adds each row's credits to the line it belongs to and prices overage. Returns notes about
/// rows that matched nothing or more than one seat.
pub fn apply(
    usage: &Usage,
    lines: &mut [Line],
    profiles: &[ProfileInfo],
    roster: &Roster,
    book: &PriceBook,
    month: Option<Month>,
) -> Vec<String> {
    let key = |line: &Line| &profiles[line.profile.index()].key;
    let mut notes = Vec::new();
    let billed = usage.month_for(month);
    if month.is_none()
        && let Some(m) = billed
    {
        notes.push(format!(
            "usage: the latest month in `{}`, {m}, is applied",
            usage.source
        ));
    }
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let user = roster.user(l.user);
        by_id.entry(user.user_id.as_str()).or_default().push(i);
        by_email
            .entry(user.email.trim().to_lowercase())
            .or_default()
            .push(i);
        by_name.entry(user.user_name.as_str()).or_default().push(i);
    }
    let mut tallies: HashMap<usize, Tally> = HashMap::new();
    let mut unmatched = 0usize;
    for row in &usage.rows {
        if let (Some(m), Some(b)) = (row.month, billed)
            && m != b
        {
            continue;
        }
        let candidates: &[usize] =
            if let Some(c) = row.user_id.as_deref().and_then(|id| by_id.get(id)) {
                c
            } else if let Some(c) = row
                .email
                .as_deref()
                .and_then(|e| by_email.get(&e.trim().to_lowercase()))
            {
                c
            } else if let Some(c) = row.user_name.as_deref().and_then(|n| by_name.get(n)) {
                c
            } else {
                &[]
            };
        let matching: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                row.account
                    .as_deref()
                    .is_none_or(|a| key(&lines[i]).account.as_str() == a)
            })
            .filter(|&i| {
                row.region
                    .as_deref()
                    .is_none_or(|r| key(&lines[i]).region == r)
            })
            .collect();
        let Some(&first) = matching.first() else {
            unmatched += 1;
            if unmatched <= 5 {
                notes.push(format!(
                    "usage line {}: no charged subscription matches {}",
                    row.line,
                    describe(row)
                ));
            }
            continue;
        };
        let target = if matching.len() > 1 {
            let best = matching
                .iter()
                .copied()
                .max_by_key(|&i| (lines[i].list_price, lines[i].plan, std::cmp::Reverse(i)))
                .unwrap_or(first);
            notes.push(format!(
                "usage line {}: {} has seats in {} profiles and the row names no account and region; counted on {}",
                row.line,
                describe(row),
                matching.len(),
                key(&lines[best]),
            ));
            best
        } else {
            first
        };
        let t = tallies.entry(target).or_default();
        t.used = add(t.used, row.credits_used);
        t.overage = add(t.overage, row.overage_credits);
    }
    if unmatched > 5 {
        notes.push(format!(
            "usage: {} more rows match no charged subscription",
            unmatched - 5
        ));
    }
    for (i, t) in tallies {
        let region = &key(&lines[i]).region;
        let line = &mut lines[i];
        let included = book.credits(line.plan);
        let over = t
            .overage
            .unwrap_or_else(|| t.used.unwrap_or(Credits::ZERO).saturating_sub(included));
        line.credits_used = t.used.or(Some(included + over));
        line.overage_credits = over;
        if line.overage_allowed {
            line.overage_charge = book.overage_charge(over, region);
        } else {
            line.uncharged_overage = over;
        }
    }
    notes
}

fn describe(row: &UsageRow) -> String {
    let who = row
        .user_id
        .as_deref()
        .map(|i| format!("user id `{i}`"))
        .or_else(|| row.email.as_deref().map(|e| format!("email `{e}`")))
        .or_else(|| row.user_name.as_deref().map(|n| format!("user `{n}`")))
        .unwrap_or_default();
    match (&row.account, &row.region) {
        (Some(a), Some(r)) => format!("{who} in {a}/{r}"),
        (Some(a), None) => format!("{who} in account {a}"),
        (None, Some(r)) => format!("{who} in {r}"),
        (None, None) => who,
    }
}

/// A person who would cost less on another plan, given the credits they used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RightSize {
    /// The profile's account.
    pub account: kiro_estate::AccountId,
    /// The profile's region.
    pub region: String,
    /// The user.
    pub user_name: String,
    /// The current plan.
    pub plan: Plan,
    /// Credits used.
    pub credits_used: Credits,
    /// Subscription and overage now.
    pub current_cost: Money,
    /// The cheaper plan.
    pub suggested: Plan,
    /// Subscription and overage on it.
    pub suggested_cost: Money,
}

impl RightSize {
    /// What the change saves each month.
    pub fn saving(&self) -> Money {
        self.current_cost - self.suggested_cost
    }

    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "account": self.account.as_str(),
            "region": self.region,
            "user-name": self.user_name,
            "plan": self.plan.as_str(),
            "credits-used": self.credits_used.to_json(),
            "current-cost": self.current_cost.to_json(),
            "suggested-plan": self.suggested.as_str(),
            "suggested-cost": self.suggested_cost.to_json(),
            "saving": self.saving().to_json(),
        })
    }
}

/// What a person using `used` credits costs on `plan` in `line`'s profile (in `region`), or
/// none when the plan would cap them below their usage (overage not allowed).
fn cost_on(
    book: &PriceBook,
    line: &Line,
    region: &str,
    plan: Plan,
    used: Credits,
) -> Option<Money> {
    let over = used.saturating_sub(book.credits(plan));
    if line.overage_allowed {
        Some(book.monthly(plan, region) + book.overage_charge(over, region))
    } else if over == Credits::ZERO {
        Some(book.monthly(plan, region))
    } else {
        None
    }
}

/// Every charged seat with known usage that another plan would serve for less.
pub fn right_size(
    lines: &[Line],
    profiles: &[ProfileInfo],
    roster: &Roster,
    book: &PriceBook,
) -> Vec<RightSize> {
    let mut out = Vec::new();
    for line in lines.iter().filter(|l| l.covered_by.is_none()) {
        let Some(used) = line.credits_used else {
            continue;
        };
        let key = &profiles[line.profile.index()].key;
        let current = line.list_price + line.overage_charge;
        let best = Plan::ALL
            .into_iter()
            .filter(|p| *p != line.plan)
            .filter_map(|p| {
                cost_on(book, line, &key.region, p, used).map(|c| (c, std::cmp::Reverse(p), p))
            })
            .min();
        if let Some((cost, _, plan)) = best
            && cost < current
        {
            out.push(RightSize {
                account: key.account.clone(),
                region: key.region.clone(),
                user_name: roster.user(line.user).user_name.clone(),
                plan: line.plan,
                credits_used: used,
                current_cost: current,
                suggested: plan,
                suggested_cost: cost,
            });
        }
    }
    out
}
