//! The price book: what each plan costs and includes, the overage rate, regional factors and
//! the cross-profile billing rule.
//!
//! No price or credit amount lives in code: the shipped default is `prices/default.yaml`,
//! embedded at build time, and every command that shows money takes `--prices FILE`.
//!
//! Money is exact. Amounts are parsed from their decimal text (never through a binary float
//! that is summed) into integers: [`Money`] counts cents, [`Micros`] millionths (rates and
//! factors, which may have more than two decimals: $0.048 a credit in GovCloud), [`Credits`]
//! hundredths of a credit (Kiro meters credits in 0.01 increments). Every charge is rounded
//! half up to the cent once, where it arises; totals are exact sums of those cents.

use std::collections::BTreeMap;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};
use std::path::Path;

use saphyr::MarkedYaml;

use crate::diagnostic::{Diagnostic, Diagnostics, DocPath, did_you_mean};
use crate::io::{LoadError, load_with};
use crate::locate::{Locator, entries, location, scalar_text};
use crate::model::Plan;

/// The price book shipped with kiro-org (Kiro's 2026 list prices).
pub const DEFAULT_PRICES: &str = include_str!("../../../prices/default.yaml");

/// An amount of money in cents of the price book's currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// `cents` cents.
    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Whether it is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Appends [`Money::to_json`] as JSON text, without building a value: how the longest
    /// lists of a report write their amounts (see [`crate::layered`]).
    pub fn write_json(self, out: &mut Vec<u8>) {
        let abs = self.0.unsigned_abs();
        if abs >= EXACT_CENTS {
            // Not a number (see `to_json`): the rare amount written through `serde_json`.
            let _ = serde_json::to_writer(out, &self.to_json());
            return;
        }
        if self.0 < 0 {
            out.push(b'-');
        }
        out.extend_from_slice(itoa::Buffer::new().format(abs / 100).as_bytes());
        let cents = abs % 100;
        // The shortest decimal of the double, as `serde_json` prints it: one digit at least.
        let digits = [b'.', b'0' + (cents / 10) as u8, b'0' + (cents % 10) as u8];
        let len = if cents.is_multiple_of(10) { 2 } else { 3 };
        out.extend_from_slice(&digits[..len]);
    }

    /// The amount as a JSON number with at most two decimals (`40.0`, `12.5`, `0.48`), or
    /// from ten trillion on (where a double has no room left for the cents) as exact text.
    ///
    /// The conversion happens only here, for output: a decimal of at most 15 significant
    /// digits survives the nearest double, whose shortest representation `serde_json` prints.
    pub fn to_json(self) -> serde_json::Value {
        #[expect(
            clippy::cast_precision_loss,
            reason = "exact below 10^15 cents, checked"
        )]
        let value = if self.0.unsigned_abs() < EXACT_CENTS {
            self.0 as f64 / 100.0
        } else {
            return serde_json::Value::String(self.to_string());
        };
        serde_json::Number::from_f64(value)
            .map(serde_json::Value::Number)
            .unwrap_or_else(|| serde_json::Value::String(self.to_string()))
    }
}

/// Amounts below this many cents (ten trillion in the currency's units: 15 digits with the
/// cents) are JSON numbers; larger ones are text, exact to the cent.
const EXACT_CENTS: u64 = 1_000_000_000_000_000;

impl Money {
    /// Parses an amount as billing exports write it: signed, with any number of decimals
    /// (`20.0000000000`, `-2.8`, `1.5E-4`), rounded half away from zero to the cent. Billing
    /// data carries more decimals than a charge has cents; kiro-org rounds each line once, as
    /// it rounds its own charges.
    pub fn parse_rounded(text: &str) -> Option<Money> {
        let text = text.trim();
        if text.contains(['e', 'E']) {
            return Money::from_f64_rounded(text.parse().ok()?);
        }
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if (whole.is_empty() && frac.is_empty())
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let digit = |i: usize| i64::from(frac.as_bytes().get(i).map_or(0, |b| b - b'0'));
        let mut cents = whole
            .checked_mul(100)?
            .checked_add(digit(0) * 10 + digit(1))?;
        if digit(2) >= 5 {
            cents = cents.checked_add(1)?;
        }
        Some(Money(if negative { -cents } else { cents }))
    }

    /// An amount given as a binary float (Parquet exports type costs as doubles), rounded
    /// half away from zero to the cent; none when it is not finite or out of range.
    pub fn from_f64_rounded(value: f64) -> Option<Money> {
        let cents = (value * 100.0).round();
        #[expect(
            clippy::cast_possible_truncation,
            reason = "checked to be finite and within range first"
        )]
        (cents.is_finite() && cents.abs() < 9.0e15).then_some(Money(cents as i64))
    }
}

impl fmt::Display for Money {
    /// `1234.50`: always two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let text = format!("{sign}{}.{:02}", abs / 100, abs % 100);
        f.pad(&text)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// An exact decimal in millionths: a rate per credit or a regional factor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Micros(i64);

impl Micros {
    /// One (a factor that changes nothing).
    pub const ONE: Micros = Micros(1_000_000);

    /// `micros` millionths.
    pub const fn new(micros: i64) -> Micros {
        Micros(micros)
    }

    /// The value in millionths.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Parses a non-negative decimal with at most six decimals (`0.04`, `1.2`, `20`).
    pub fn parse(text: &str) -> Option<Micros> {
        parse_decimal(text, 6).map(Micros)
    }
}

impl fmt::Display for Micros {
    /// The shortest exact decimal: `0.048`, `1.2`, `20`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_decimal(self.0, 6))
    }
}

/// A number of credits, in hundredths (Kiro meters credits in 0.01 increments).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Credits(i64);

impl Credits {
    /// No credits.
    pub const ZERO: Credits = Credits(0);

    /// `hundredths` hundredths of a credit.
    pub const fn from_hundredths(hundredths: i64) -> Credits {
        Credits(hundredths)
    }

    /// The number in hundredths.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Parses a non-negative decimal with at most two decimals (`1000`, `12.34`).
    pub fn parse(text: &str) -> Option<Credits> {
        parse_decimal(text, 2).map(Credits)
    }

    /// What is left of `self` after `other`, never below zero.
    pub fn saturating_sub(self, other: Credits) -> Credits {
        Credits(self.0.saturating_sub(other.0).max(0))
    }

    /// The credits as a JSON number.
    pub fn to_json(self) -> serde_json::Value {
        Money(self.0).to_json()
    }
}

impl fmt::Display for Credits {
    /// `1000`, `12.5`: no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_decimal(self.0, 2))
    }
}

impl Add for Credits {
    type Output = Credits;
    fn add(self, rhs: Credits) -> Credits {
        Credits(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Credits {
    fn add_assign(&mut self, rhs: Credits) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

/// Parses `text` as a non-negative decimal with at most `places` decimals, scaled to an
/// integer by 10^`places`. Underscores and thousands commas are accepted between digits.
fn parse_decimal(text: &str, places: u32) -> Option<i64> {
    let text = text.trim().trim_start_matches('+');
    let cleaned: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    let (whole, frac) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > usize::try_from(places).ok()? {
        return None;
    }
    let scale = 10i64.checked_pow(places)?;
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    for _ in frac.len()..usize::try_from(places).ok()? {
        frac_value = frac_value.checked_mul(10)?;
    }
    whole.checked_mul(scale)?.checked_add(frac_value)
}

fn format_decimal(value: i64, places: u32) -> String {
    let scale = 10u64.pow(places);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let (whole, frac) = (abs / scale, abs % scale);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let width = usize::try_from(places).unwrap_or(0);
    let frac = format!("{frac:0width$}");
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

/// `numerator / denominator`, rounded half up (away from zero), for non-negative amounts.
fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    if denominator == 0 {
        return 0;
    }
    let q = numerator / denominator;
    let r = numerator % denominator;
    if r.abs() * 2 >= denominator.abs() {
        q + numerator.signum() * denominator.signum()
    } else {
        q
    }
}

fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// How a person subscribed in several profiles is billed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CrossProfile {
    /// Kiro's billing page and the seed: a person subscribed in two profiles is charged in each.
    #[default]
    ChargedInEach,
    /// Amazon Q Developer's older rule: within one organization a person is charged once, at
    /// their highest plan, on the profile holding that plan.
    OncePerOrganization,
}

impl CrossProfile {
    /// The name used in the price book and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChargedInEach => "charged-in-each",
            Self::OncePerOrganization => "once-per-organization",
        }
    }

    /// A sentence for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ChargedInEach => {
                "a person subscribed in several profiles is charged in each (Kiro billing page)"
            }
            Self::OncePerOrganization => {
                "a person subscribed in several profiles of one organization is charged once, at their highest plan (Amazon Q Developer rule)"
            }
        }
    }
}

impl fmt::Display for CrossProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one plan costs and includes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanPrice {
    /// The price of one person for one calendar month, before regional factors.
    pub monthly: Money,
    /// The credits included each month.
    pub credits: Credits,
}

/// A price book (SPEC.md): currency, plans, overage rate, cross-profile rule, regional factors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceBook {
    /// The currency, e.g. `USD`.
    pub currency: String,
    /// Every plan's price and credits.
    pub plans: BTreeMap<Plan, PlanPrice>,
    /// The price of one credit beyond the plan's, before regional factors.
    pub overage_per_credit: Micros,
    /// How a person subscribed in several profiles is billed.
    pub cross_profile: CrossProfile,
    /// Regional factors on prices, keyed by a region or a prefix ending in `*`.
    pub region_multipliers: BTreeMap<String, Micros>,
    /// Where the book came from (`built-in default` or a path), for reports.
    pub source: String,
}

impl PriceBook {
    /// The price book shipped with kiro-org.
    pub fn builtin() -> Result<PriceBook, Diagnostics> {
        let mut book = Self::from_text(DEFAULT_PRICES)?;
        book.source = "built-in default".to_owned();
        Ok(book)
    }

    /// Reads and validates the price book at `path`.
    pub fn load(path: &Path) -> Result<PriceBook, LoadError> {
        let mut book = load_with(path, |text, _| Self::from_text(text))?;
        book.source = path.display().to_string();
        Ok(book)
    }

    /// The book at `path`, or the built-in one.
    pub fn load_or_builtin(path: Option<&Path>) -> Result<PriceBook, LoadError> {
        match path {
            Some(p) => Self::load(p),
            None => Self::builtin().map_err(LoadError::Invalid),
        }
    }

    /// Parses and validates a price book, reporting every problem at once.
    pub fn from_text(text: &str) -> Result<PriceBook, Diagnostics> {
        let doc = Locator::parse(text)?;
        let mut parser = BookParser::default();
        let book = match doc.root() {
            Some(root) => parser.book(root),
            None => {
                parser.problems.push(Diagnostic::new(DocPath::root(), "the price book is empty").with_help(
                    "give `currency`, `plans` (pro, pro-plus, pro-max, power, each with `monthly` and `credits`) and `overage-per-credit`",
                ));
                None
            }
        };
        match book {
            Some(book) if parser.problems.is_empty() => Ok(book),
            _ => Err(Diagnostics(parser.problems)),
        }
    }

    /// The price and credits of `plan` (every plan is present in a validated book).
    pub fn plan(&self, plan: Plan) -> PlanPrice {
        self.plans.get(&plan).copied().unwrap_or(PlanPrice {
            monthly: Money::ZERO,
            credits: Credits::ZERO,
        })
    }

    /// The regional factor for `region`: an exact key first, then the longest matching prefix.
    pub fn multiplier(&self, region: &str) -> Micros {
        if let Some(m) = self.region_multipliers.get(region) {
            return *m;
        }
        self.region_multipliers
            .iter()
            .filter_map(|(k, m)| k.strip_suffix('*').map(|prefix| (prefix, m)))
            .filter(|(prefix, _)| region.starts_with(prefix))
            .max_by_key(|(prefix, _)| prefix.len())
            .map_or(Micros::ONE, |(_, m)| *m)
    }

    /// The monthly price of `plan` in `region`, rounded half up to the cent.
    pub fn monthly(&self, plan: Plan, region: &str) -> Money {
        let base = i128::from(self.plan(plan).monthly.cents());
        let factor = i128::from(self.multiplier(region).get());
        Money(saturate(div_round_half_up(base * factor, 1_000_000)))
    }

    /// The credits `plan` includes each month.
    pub fn credits(&self, plan: Plan) -> Credits {
        self.plan(plan).credits
    }

    /// The price of one overage credit in `region`, exact.
    pub fn overage_rate(&self, region: &str) -> Micros {
        let rate = i128::from(self.overage_per_credit.get());
        let factor = i128::from(self.multiplier(region).get());
        Micros(saturate(div_round_half_up(rate * factor, 1_000_000)))
    }

    /// The charge for `credits` overage credits in `region`, rounded half up to the cent.
    pub fn overage_charge(&self, credits: Credits, region: &str) -> Money {
        // hundredths of a credit × millionths per credit = 10^-8; a cent is 10^-2.
        let raw = i128::from(credits.hundredths()) * i128::from(self.overage_rate(region).get());
        Money(saturate(div_round_half_up(raw, 1_000_000)))
    }
}

const TOP_KEYS: [&str; 5] = [
    "currency",
    "plans",
    "overage-per-credit",
    "cross-profile",
    "region-multipliers",
];
const PLAN_KEYS: [&str; 2] = ["monthly", "credits"];

#[derive(Default)]
struct BookParser {
    problems: Vec<Diagnostic>,
}

impl BookParser {
    fn problem(
        &mut self,
        node: &MarkedYaml<'_>,
        path: DocPath,
        message: String,
        help: Option<String>,
    ) {
        self.problems.push(
            Diagnostic::new(path, message)
                .with_help_opt(help)
                .at(Some(location(node))),
        );
    }

    fn book(&mut self, root: &MarkedYaml<'_>) -> Option<PriceBook> {
        let Some(map) = entries(root) else {
            self.problem(
                root,
                DocPath::root(),
                "a price book is a mapping".to_owned(),
                Some("give `currency`, `plans` and `overage-per-credit`".to_owned()),
            );
            return None;
        };
        let mut currency = None;
        let mut plans = None;
        let mut overage = None;
        let mut cross_profile = CrossProfile::default();
        let mut multipliers = BTreeMap::new();
        for (k, v) in map {
            let key = scalar_text(k).unwrap_or_default();
            let path = DocPath::root().key(&key);
            match key.as_str() {
                "currency" => match scalar_text(v).filter(|s| !s.trim().is_empty()) {
                    Some(c) => currency = Some(c.trim().to_owned()),
                    None => self.problem(
                        v,
                        path,
                        "`currency` must be a name such as `USD`".to_owned(),
                        None,
                    ),
                },
                "plans" => plans = self.plans(v, &path),
                "overage-per-credit" => overage = self.micros(v, path, "overage-per-credit"),
                "cross-profile" => match scalar_text(v).as_deref() {
                    Some("charged-in-each") => cross_profile = CrossProfile::ChargedInEach,
                    Some("once-per-organization") => {
                        cross_profile = CrossProfile::OncePerOrganization
                    }
                    other => {
                        let word = other.unwrap_or("");
                        let help = did_you_mean(word, ["charged-in-each", "once-per-organization"])
                            .unwrap_or_else(|| {
                                "use `charged-in-each` or `once-per-organization`".to_owned()
                            });
                        self.problem(
                            v,
                            path,
                            format!("unknown cross-profile rule `{word}`"),
                            Some(help),
                        );
                    }
                },
                "region-multipliers" => multipliers = self.multipliers(v, &path),
                _ => {
                    let help = did_you_mean(&key, TOP_KEYS).or_else(|| {
                        Some(format!(
                            "the price book's keys are {}",
                            TOP_KEYS.map(|k| format!("`{k}`")).join(", ")
                        ))
                    });
                    self.problem(k, path, format!("unknown key `{key}`"), help);
                }
            }
        }
        for (name, missing) in [
            ("currency", currency.is_none()),
            ("plans", plans.is_none()),
            ("overage-per-credit", overage.is_none()),
        ] {
            let reported = self
                .problems
                .iter()
                .any(|p| p.path.0.first() == DocPath::root().key(name).0.first());
            if missing && !reported {
                self.problem(root, DocPath::root(), format!("missing `{name}`"), None);
            }
        }
        Some(PriceBook {
            currency: currency?,
            plans: plans?,
            overage_per_credit: overage?,
            cross_profile,
            region_multipliers: multipliers,
            source: String::new(),
        })
    }

    fn micros(&mut self, node: &MarkedYaml<'_>, path: DocPath, what: &str) -> Option<Micros> {
        let text = scalar_text(node).unwrap_or_default();
        let value = Micros::parse(&text);
        if value.is_none() {
            self.problem(
                node,
                path,
                format!(
                    "`{what}` must be a non-negative decimal with at most 6 decimals, not `{text}`"
                ),
                None,
            );
        }
        value
    }

    fn plans(
        &mut self,
        node: &MarkedYaml<'_>,
        path: &DocPath,
    ) -> Option<BTreeMap<Plan, PlanPrice>> {
        let Some(map) = entries(node) else {
            self.problem(
                node,
                path.clone(),
                "`plans` must map each plan (`pro`, `pro-plus`, `pro-max`, `power`) to its `monthly` price and `credits`".to_owned(),
                None,
            );
            return None;
        };
        let names: Vec<&str> = Plan::ALL.iter().map(|p| p.as_str()).collect();
        let mut plans = BTreeMap::new();
        let mut complete = true;
        for &(k, v) in &map {
            let key = scalar_text(k).unwrap_or_default();
            let plan_path = path.key(&key);
            let Some(plan) = Plan::parse(&key) else {
                let help = did_you_mean(&key, names.iter().copied()).or_else(|| {
                    Some(format!(
                        "the plans are {}",
                        names.iter().map(|n| format!("`{n}`")).join(", ")
                    ))
                });
                self.problem(k, plan_path, format!("unknown plan `{key}`"), help);
                complete = false;
                continue;
            };
            match self.plan(v, &plan_path) {
                Some(price) => {
                    plans.insert(plan, price);
                }
                None => complete = false,
            }
        }
        let missing: Vec<String> = Plan::ALL
            .iter()
            .filter(|p| {
                !plans.contains_key(p)
                    && !map
                        .iter()
                        .any(|(k, _)| scalar_text(k).as_deref() == Some(p.as_str()))
            })
            .map(|p| format!("`{p}`"))
            .collect();
        if !missing.is_empty() {
            self.problem(
                node,
                path.clone(),
                format!(
                    "missing plan{} {}",
                    if missing.len() > 1 { "s" } else { "" },
                    missing.join(", ")
                ),
                Some("every plan needs a price: pro, pro-plus, pro-max, power".to_owned()),
            );
            complete = false;
        }
        complete.then_some(plans)
    }

    fn plan(&mut self, node: &MarkedYaml<'_>, path: &DocPath) -> Option<PlanPrice> {
        let Some(map) = entries(node) else {
            self.problem(
                node,
                path.clone(),
                "a plan is a mapping with `monthly` and `credits`".to_owned(),
                None,
            );
            return None;
        };
        let mut monthly = None;
        let mut credits = None;
        let mut ok = true;
        for (k, v) in map {
            let key = scalar_text(k).unwrap_or_default();
            let p = path.key(&key);
            match key.as_str() {
                "monthly" => {
                    let text = scalar_text(v).unwrap_or_default();
                    monthly = parse_decimal(&text, 2).map(Money);
                    if monthly.is_none() {
                        self.problem(
                            v,
                            p,
                            format!("`monthly` must be a non-negative amount with at most 2 decimals, not `{text}`"),
                            None,
                        );
                        ok = false;
                    }
                }
                "credits" => {
                    let text = scalar_text(v).unwrap_or_default();
                    credits = Credits::parse(&text);
                    if credits.is_none() {
                        self.problem(
                            v,
                            p,
                            format!("`credits` must be a non-negative number with at most 2 decimals, not `{text}`"),
                            None,
                        );
                        ok = false;
                    }
                }
                _ => {
                    let help = did_you_mean(&key, PLAN_KEYS)
                        .or_else(|| Some("a plan has `monthly` and `credits`".to_owned()));
                    self.problem(k, p, format!("unknown key `{key}`"), help);
                    ok = false;
                }
            }
        }
        for (name, missing) in [
            ("monthly", monthly.is_none()),
            ("credits", credits.is_none()),
        ] {
            if missing && !self.problems.iter().any(|d| d.path == path.key(name)) {
                self.problem(node, path.clone(), format!("missing `{name}`"), None);
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        Some(PlanPrice {
            monthly: monthly?,
            credits: credits?,
        })
    }

    fn multipliers(&mut self, node: &MarkedYaml<'_>, path: &DocPath) -> BTreeMap<String, Micros> {
        let mut out = BTreeMap::new();
        let Some(map) = entries(node) else {
            self.problem(
                node,
                path.clone(),
                "`region-multipliers` must map a region (or a prefix ending in `*`) to a factor"
                    .to_owned(),
                Some("e.g. `us-gov-*: 1.2`".to_owned()),
            );
            return out;
        };
        for (k, v) in map {
            let key = scalar_text(k).unwrap_or_default();
            let p = path.key(&key);
            let valid = !key.is_empty()
                && key
                    .trim_end_matches('*')
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && key.matches('*').count() <= 1;
            if !valid {
                self.problem(
                    k,
                    p.clone(),
                    format!("`{key}` is not a region or a region prefix ending in `*`"),
                    Some("e.g. `us-gov-west-1` or `us-gov-*`".to_owned()),
                );
                continue;
            }
            if let Some(m) = self.micros(v, p, "region multiplier") {
                out.insert(key, m);
            }
        }
        out
    }
}

trait JoinExt {
    fn join(self, sep: &str) -> String;
}

impl<I: Iterator<Item = String>> JoinExt for I {
    fn join(self, sep: &str) -> String {
        self.collect::<Vec<_>>().join(sep)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn builtin_book_has_list_prices() {
        let book = PriceBook::builtin().unwrap();
        assert_eq!(book.currency, "USD");
        assert_eq!(
            book.monthly(Plan::Pro, "us-east-1"),
            Money::from_cents(2000)
        );
        assert_eq!(
            book.monthly(Plan::ProPlus, "eu-central-1"),
            Money::from_cents(4000)
        );
        assert_eq!(
            book.monthly(Plan::ProMax, "us-east-1"),
            Money::from_cents(10000)
        );
        assert_eq!(
            book.monthly(Plan::Power, "us-east-1"),
            Money::from_cents(20000)
        );
        assert_eq!(
            book.credits(Plan::Power),
            Credits::from_hundredths(1_000_000)
        );
        assert_eq!(book.cross_profile, CrossProfile::ChargedInEach);
        // GovCloud: about 20% higher.
        assert_eq!(
            book.monthly(Plan::Pro, "us-gov-west-1"),
            Money::from_cents(2400)
        );
        assert_eq!(book.overage_rate("us-gov-east-1"), Micros::new(48_000));
        assert_eq!(
            book.overage_charge(Credits::parse("100.5").unwrap(), "us-east-1"),
            Money::from_cents(402)
        );
        assert_eq!(
            book.overage_charge(Credits::parse("0.13").unwrap(), "us-east-1"),
            Money::from_cents(1)
        );
    }

    #[test]
    fn money_prints_two_decimals_and_json_numbers() {
        assert_eq!(Money::from_cents(4000).to_string(), "40.00");
        assert_eq!(Money::from_cents(5).to_string(), "0.05");
        assert_eq!(Money::from_cents(4000).to_json().to_string(), "40.0");
        assert_eq!(Money::from_cents(1234).to_json().to_string(), "12.34");
        assert_eq!(Money::from_cents(10).to_json().to_string(), "0.1");
    }

    proptest::proptest! {
        #[test]
        fn money_written_as_bytes_is_its_json_number(cents in proptest::prop_oneof![
            -100_000i64..100_000,
            proptest::num::i64::ANY,
            999_999_999_999_000i64..1_000_000_000_001_000,
        ]) {
            let mut out = Vec::new();
            Money::from_cents(cents).write_json(&mut out);
            proptest::prop_assert_eq!(
                String::from_utf8(out).unwrap(),
                Money::from_cents(cents).to_json().to_string()
            );
        }
    }

    #[test]
    fn billing_amounts_round_to_the_cent() {
        let m = |t| Money::parse_rounded(t).map(Money::cents);
        assert_eq!(m("20.0000000000"), Some(2000));
        assert_eq!(m("-480.0149"), Some(-48001));
        assert_eq!(m("0.125"), Some(13));
        assert_eq!(m("-0.125"), Some(-13));
        assert_eq!(m("1.5E-2"), Some(2));
        assert_eq!(m("7"), Some(700));
        assert_eq!(m(""), None);
        assert_eq!(m("12a"), None);
        assert_eq!(Money::from_f64_rounded(f64::NAN), None);
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(Micros::parse("0.04"), Some(Micros::new(40_000)));
        assert_eq!(Micros::parse("1.2"), Some(Micros::new(1_200_000)));
        assert_eq!(Micros::parse("1,000"), Some(Micros::new(1_000_000_000)));
        assert_eq!(Micros::parse("-1"), None);
        assert_eq!(Micros::parse("0.0000001"), None);
        assert_eq!(Credits::parse("12.5"), Some(Credits::from_hundredths(1250)));
        assert_eq!(Credits::parse("abc"), None);
        assert_eq!(Micros::new(48_000).to_string(), "0.048");
    }

    #[test]
    fn unknown_keys_and_missing_plans_are_located_with_suggestions() {
        let text = "currency: USD\novrage-per-credit: 0.04\nplans:\n  pro: {monthly: 20, credits: 1000}\n  pro-pluss: {monthly: 40, credits: 2000}\n  power: {monthly: 200, credit: 10000}\n";
        let err = PriceBook::from_text(text).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("2:1: at `ovrage-per-credit`: unknown key"),
            "{text}"
        );
        assert!(
            text.contains("did you mean `overage-per-credit`?"),
            "{text}"
        );
        assert!(text.contains("unknown plan `pro-pluss`"), "{text}");
        assert!(text.contains("did you mean `pro-plus`?"), "{text}");
        assert!(
            text.contains("missing plans `pro-plus`, `pro-max`"),
            "{text}"
        );
        assert!(text.contains("did you mean `credits`?"), "{text}");
    }

    #[test]
    fn bad_values_are_reported() {
        let text = "currency: USD\noverage-per-credit: lots\ncross-profile: once-per-org\nplans:\n  pro: {monthly: 20.001, credits: 1000}\n  pro-plus: {monthly: 40, credits: 2000}\n  pro-max: {monthly: 100, credits: 5000}\n  power: {monthly: 200, credits: 10000}\nregion-multipliers:\n  'US GOV': 1.2\n";
        let err = PriceBook::from_text(text).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`overage-per-credit` must be"), "{text}");
        assert!(
            text.contains("did you mean `once-per-organization`?"),
            "{text}"
        );
        assert!(text.contains("at most 2 decimals, not `20.001`"), "{text}");
        assert!(text.contains("`US GOV` is not a region"), "{text}");
    }

    #[test]
    fn exact_region_beats_prefix() {
        let text = "currency: EUR\noverage-per-credit: 0.04\ncross-profile: once-per-organization\nplans:\n  pro: {monthly: 19.99, credits: 1000}\n  pro-plus: {monthly: 40, credits: 2000}\n  pro-max: {monthly: 100, credits: 5000}\n  power: {monthly: 200, credits: 10000}\nregion-multipliers:\n  us-gov-*: 1.2\n  us-gov-west-1: 1.5\n";
        let book = PriceBook::from_text(text).unwrap();
        assert_eq!(book.cross_profile, CrossProfile::OncePerOrganization);
        assert_eq!(
            book.monthly(Plan::Pro, "us-gov-east-1"),
            Money::from_cents(2399)
        );
        assert_eq!(
            book.monthly(Plan::Pro, "us-gov-west-1"),
            Money::from_cents(2999)
        );
        assert_eq!(
            book.monthly(Plan::Pro, "eu-central-1"),
            Money::from_cents(1999)
        );
    }
}
