//! Condition operators: parsing an operator name, compiling its values, and evaluating it
//! against the request context.
//!
//! The rules for a key the request does not carry, for multivalued keys and for negated
//! operators follow the IAM documentation
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>):
//!
//! - several keys and several operators are ANDed; several values of one key are ORed;
//! - a negated operator (`StringNotEquals`, `NotIpAddress`, ...) is true when no policy value
//!   matches, and true when the key is missing;
//! - a plain operator is false when the key is missing, unless it ends in `IfExists`;
//! - `ForAllValues:` is true when the key is missing (vacuous truth), `ForAnyValue:` false
//!   (true again with `IfExists`);
//! - an operator without a set qualifier never matches a multivalued key;
//! - a value that cannot be used (a variable with no value, a request value that is not a
//!   number for `Numeric*`) matches neither the operator nor its negation.

use std::net::IpAddr;

use crate::context::{Context, ContextValue};
use crate::variables::tokenize;
use crate::wildcard::{Case, Pattern, split_colons};

/// The comparison of a numeric or date operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// Equal.
    Eq,
    /// Request value less than the policy value.
    Lt,
    /// Less than or equal.
    Le,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
}

impl Cmp {
    fn test<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Cmp::Eq => request == policy,
            Cmp::Lt => request < policy,
            Cmp::Le => request <= policy,
            Cmp::Gt => request > policy,
            Cmp::Ge => request >= policy,
        }
    }
}

/// The operator family, which decides how values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `StringEquals`, `StringNotEquals`.
    String,
    /// `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`.
    StringIgnoreCase,
    /// `StringLike`, `StringNotLike`.
    StringLike,
    /// `Numeric*`.
    Numeric(Cmp),
    /// `Date*`.
    Date(Cmp),
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress`, `NotIpAddress`.
    Ip,
    /// `ArnEquals`, `ArnLike` and their negations (the same matching, wildcards allowed).
    Arn,
    /// `Null`.
    Null,
}

/// A set operator prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// `ForAnyValue:`.
    ForAnyValue,
    /// `ForAllValues:`.
    ForAllValues,
}

/// A parsed condition operator such as `ForAnyValue:StringNotLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// How values compare.
    pub family: Family,
    /// True for the `Not` forms.
    pub negated: bool,
    /// The `IfExists` suffix.
    pub if_exists: bool,
    /// The set operator prefix.
    pub set: Option<SetOp>,
}

/// Base operator names, canonical spelling.
pub(crate) const BASE_OPERATORS: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::String, false),
    ("StringNotEquals", Family::String, true),
    ("StringEqualsIgnoreCase", Family::StringIgnoreCase, false),
    ("StringNotEqualsIgnoreCase", Family::StringIgnoreCase, true),
    ("StringLike", Family::StringLike, false),
    ("StringNotLike", Family::StringLike, true),
    ("NumericEquals", Family::Numeric(Cmp::Eq), false),
    ("NumericNotEquals", Family::Numeric(Cmp::Eq), true),
    ("NumericLessThan", Family::Numeric(Cmp::Lt), false),
    ("NumericLessThanEquals", Family::Numeric(Cmp::Le), false),
    ("NumericGreaterThan", Family::Numeric(Cmp::Gt), false),
    ("NumericGreaterThanEquals", Family::Numeric(Cmp::Ge), false),
    ("DateEquals", Family::Date(Cmp::Eq), false),
    ("DateNotEquals", Family::Date(Cmp::Eq), true),
    ("DateLessThan", Family::Date(Cmp::Lt), false),
    ("DateLessThanEquals", Family::Date(Cmp::Le), false),
    ("DateGreaterThan", Family::Date(Cmp::Gt), false),
    ("DateGreaterThanEquals", Family::Date(Cmp::Ge), false),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::Binary, false),
    ("IpAddress", Family::Ip, false),
    ("NotIpAddress", Family::Ip, true),
    ("ArnEquals", Family::Arn, false),
    ("ArnLike", Family::Arn, false),
    ("ArnNotEquals", Family::Arn, true),
    ("ArnNotLike", Family::Arn, true),
    ("Null", Family::Null, false),
];

impl Operator {
    /// Parses an operator name. Names compare case-insensitively, as AWS accepts them.
    ///
    /// The error is a message and an optional did-you-mean.
    pub fn parse(name: &str) -> Result<Operator, (String, Option<String>)> {
        let (set, rest) = strip_prefix_ci(name, "ForAnyValue:")
            .map(|r| (Some(SetOp::ForAnyValue), r))
            .or_else(|| {
                strip_prefix_ci(name, "ForAllValues:").map(|r| (Some(SetOp::ForAllValues), r))
            })
            .unwrap_or((None, name));
        let (if_exists, base) = match strip_suffix_ci(rest, "IfExists") {
            Some(base) => (true, base),
            None => (false, rest),
        };
        let found = BASE_OPERATORS
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(base));
        let Some(&(_, family, negated)) = found else {
            let candidates: Vec<String> = BASE_OPERATORS
                .iter()
                .flat_map(|(n, _, _)| [(*n).to_owned(), format!("{n}IfExists")])
                .collect();
            let suggestion =
                crate::validate::did_you_mean(rest, candidates.iter().map(String::as_str)).map(
                    |s| {
                        let prefix = &name[..name.len() - rest.len()];
                        format!("did you mean `{prefix}{s}`?")
                    },
                );
            return Err((format!("unknown condition operator `{name}`"), suggestion));
        };
        if family == Family::Null && (if_exists || set.is_some()) {
            return Err((
                format!(
                    "condition operator `{name}` is not allowed: `Null` takes no `IfExists` suffix and no set operator"
                ),
                Some("use plain `Null`".to_owned()),
            ));
        }
        Ok(Operator {
            family,
            negated,
            if_exists,
            set,
        })
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// An IP network from `IpAddress` values; a bare address is a one-address network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    pub(crate) fn parse(text: &str) -> Option<Net> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Net { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Parses a number the way numeric condition values are written.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let n = text.trim().parse::<f64>().ok()?;
    n.is_finite().then_some(n)
}

/// Parses a date: epoch seconds, or ISO 8601 (a date, a date-time in UTC or with an offset).
/// Answers milliseconds since the epoch.
pub(crate) fn parse_date(text: &str) -> Option<i128> {
    let text = text.trim();
    if !text.is_empty()
        && text
            .trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit())
    {
        return text.parse::<i128>().ok().map(|s| s * 1000);
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(i128::from(ts.as_millisecond()));
    }
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        return jiff::tz::TimeZone::UTC
            .to_timestamp(dt)
            .ok()
            .map(|ts| i128::from(ts.as_millisecond()));
    }
    None
}

/// An ARN pattern for the `Arn*` operators: five parts after `arn:`, each a wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArnPattern {
    parts: Vec<Pattern>,
}

impl ArnPattern {
    /// `None` for a value without the six ARN parts: it can match nothing.
    pub(crate) fn new(text: &str) -> Option<ArnPattern> {
        let parts = split_colons(&tokenize(text, true, true), 6);
        if parts.len() < 6 {
            return None;
        }
        Some(ArnPattern {
            parts: parts.into_iter().skip(1).map(Pattern::from_segs).collect(),
        })
    }

    fn matches(&self, arn: &str, ctx: &Context) -> Option<bool> {
        let mut request = arn.splitn(6, ':');
        request.next()?;
        let mut all = true;
        for pattern in &self.parts {
            let part = request.next()?;
            if !pattern.matches(part, ctx, Case::Sensitive)? {
                all = false;
            }
        }
        Some(all)
    }
}

/// The compiled values of one condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Values {
    Patterns(Vec<Pattern>),
    Numbers(Vec<Option<f64>>),
    Dates(Vec<Option<i128>>),
    Bools(Vec<Option<bool>>),
    Binary(Vec<Box<str>>),
    Ips(Vec<Option<Net>>),
    Arns(Vec<Option<ArnPattern>>),
}

impl Values {
    /// Compiles `values` for `family`. A value the family cannot read is an error, except a
    /// template placeholder such as `<my-corporate-cidr>` (public SCP examples are full of
    /// them): that is a warning, and the value matches nothing.
    pub(crate) fn compile(
        family: Family,
        values: &[String],
    ) -> Result<(Values, Vec<String>), String> {
        let mut warnings = Vec::new();
        let mut typed = |parse: &dyn Fn(&str) -> Option<()>, what: &str| -> Result<(), String> {
            for v in values {
                if parse(v).is_none() {
                    if is_placeholder(v) {
                        warnings.push(format!(
                            "placeholder `{v}` is not {what}; it matches nothing until it is replaced"
                        ));
                    } else {
                        return Err(format!("`{v}` is not {what}"));
                    }
                }
            }
            Ok(())
        };
        let compiled = match family {
            Family::String | Family::StringIgnoreCase => Values::Patterns(
                values
                    .iter()
                    .map(|v| Pattern::new(v, false, true))
                    .collect(),
            ),
            Family::StringLike => {
                Values::Patterns(values.iter().map(|v| Pattern::new(v, true, true)).collect())
            }
            Family::Numeric(_) => {
                typed(&|v| parse_number(v).map(drop), "a number")?;
                Values::Numbers(values.iter().map(|v| parse_number(v)).collect())
            }
            Family::Date(_) => {
                typed(
                    &|v| parse_date(v).map(drop),
                    "a date (ISO 8601 or epoch seconds)",
                )?;
                Values::Dates(values.iter().map(|v| parse_date(v)).collect())
            }
            Family::Bool | Family::Null => {
                typed(&|v| parse_bool(v).map(drop), "`true` or `false`")?;
                Values::Bools(values.iter().map(|v| parse_bool(v)).collect())
            }
            Family::Binary => Values::Binary(values.iter().map(|v| v.as_str().into()).collect()),
            Family::Ip => {
                typed(&|v| Net::parse(v).map(drop), "an IP address or CIDR block")?;
                Values::Ips(values.iter().map(|v| Net::parse(v)).collect())
            }
            Family::Arn => Values::Arns(values.iter().map(|v| ArnPattern::new(v)).collect()),
        };
        Ok((compiled, warnings))
    }

    fn len(&self) -> usize {
        match self {
            Values::Patterns(v) => v.len(),
            Values::Numbers(v) => v.len(),
            Values::Dates(v) => v.len(),
            Values::Bools(v) => v.len(),
            Values::Binary(v) => v.len(),
            Values::Ips(v) => v.len(),
            Values::Arns(v) => v.len(),
        }
    }

    /// Whether policy value `i` matches the request value, in the positive sense; `None` when
    /// the comparison cannot be made.
    fn test(&self, family: Family, i: usize, request: &str, ctx: &Context) -> Option<bool> {
        match (self, family) {
            (Values::Patterns(p), Family::StringIgnoreCase) => {
                p.get(i)?.matches(request, ctx, Case::Unicode)
            }
            (Values::Patterns(p), _) => p.get(i)?.matches(request, ctx, Case::Sensitive),
            (Values::Numbers(n), Family::Numeric(cmp)) => {
                Some(cmp.test(parse_number(request)?, (*n.get(i)?)?))
            }
            (Values::Dates(d), Family::Date(cmp)) => {
                Some(cmp.test(parse_date(request)?, (*d.get(i)?)?))
            }
            (Values::Bools(b), _) => Some(parse_bool(request)? == (*b.get(i)?)?),
            (Values::Binary(b), _) => Some(&**b.get(i)? == request),
            (Values::Ips(nets), _) => Some(
                nets.get(i)?
                    .as_ref()?
                    .contains(request.trim().parse().ok()?),
            ),
            (Values::Arns(a), _) => a.get(i)?.as_ref()?.matches(request, ctx),
            _ => None,
        }
    }
}

/// A template placeholder such as `<my-corporate-cidr>`.
pub(crate) fn is_placeholder(v: &str) -> bool {
    v.len() > 2 && v.starts_with('<') && v.ends_with('>')
}

fn parse_bool(v: &str) -> Option<bool> {
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// One operator applied to one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator as written in the policy.
    pub operator_name: String,
    /// The parsed operator.
    pub operator: Operator,
    /// The key as written in the policy.
    pub key: String,
    /// The values as written (numbers and booleans turned into strings).
    pub values: Vec<String>,
    key_lower: Box<str>,
    compiled: Values,
}

impl Condition {
    pub(crate) fn new(
        operator_name: String,
        operator: Operator,
        key: String,
        values: Vec<String>,
    ) -> Result<(Condition, Vec<String>), String> {
        let (compiled, warnings) = Values::compile(operator.family, &values)?;
        let condition = Condition {
            operator_name,
            operator,
            key_lower: key.to_lowercase().into_boxed_str(),
            key,
            values,
            compiled,
        };
        Ok((condition, warnings))
    }

    /// Whether the condition holds for the request context.
    pub fn evaluate(&self, ctx: &Context) -> bool {
        let op = self.operator;
        let value = ctx.get_lower(&self.key_lower);
        if op.family == Family::Null {
            // `"Null": {"k": "true"}` asks "is k absent?".
            let absent = value.is_none();
            return matches!(&self.compiled, Values::Bools(b) if b.contains(&Some(absent)));
        }
        match (value, op.set) {
            (None, None) => op.if_exists || op.negated,
            (None, Some(SetOp::ForAnyValue)) => op.if_exists,
            (None, Some(SetOp::ForAllValues)) => true,
            (Some(ContextValue::Single(v)), None) => self.base(v, ctx),
            (Some(ContextValue::Multi(_)), None) => false,
            (Some(v), Some(SetOp::ForAnyValue)) => v.values().iter().any(|v| self.base(v, ctx)),
            (Some(v), Some(SetOp::ForAllValues)) => v.values().iter().all(|v| self.base(v, ctx)),
        }
    }

    /// The base operator on one request value: any policy value matches, or for a negated
    /// operator, every policy value can be compared and none matches.
    fn base(&self, request: &str, ctx: &Context) -> bool {
        let family = self.operator.family;
        let n = self.compiled.len();
        if self.operator.negated {
            (0..n).all(|i| self.compiled.test(family, i, request, ctx) == Some(false))
        } else {
            (0..n).any(|i| self.compiled.test(family, i, request, ctx) == Some(true))
        }
    }

    /// A short description for reasons, e.g. ``StringNotEquals `aws:PrincipalAccount` [`1`]``.
    pub fn describe(&self) -> String {
        let values = self
            .values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("{} `{}` [{}]", self.operator_name, self.key, values)
    }
}
