//! Chargeback by an Identity Center user attribute (`costCenter`, `department`, …), as AWS's
//! cost allocation by user attribute shows it in the CUR (`userAttribute/<Key>` tags).
//!
//! Every charge lands on exactly one row: the value of the attribute for the charge's user,
//! or the `unallocated` row (users without the attribute, lines that name no user). Amounts
//! spread in proportion (a discount over the gross charges) are rounded toward zero to the cent per
//! row, and what rounding leaves is put on the largest row and said so, so that the rows
//! always add up to the total.

use std::collections::{BTreeMap, BTreeSet};

use kiro_estate::Estate;
use kiro_estate::prices::Money;
use serde_json::{Value, json};

use crate::charges::Bill;
use crate::hash::HashMap;

/// The row of charges without the attribute.
pub const UNALLOCATED: &str = "unallocated";

/// One value of the attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The attribute's value; none for the unallocated row.
    pub value: Option<String>,
    /// Users charged.
    pub users: usize,
    /// The charges.
    pub amount: Money,
    /// Its share of what is spread in proportion (discounts), rounding residue included.
    pub share: Money,
}

impl Row {
    /// Charges and share.
    pub fn total(&self) -> Money {
        self.amount + self.share
    }

    /// The value, or `unallocated`.
    pub fn label(&self) -> &str {
        self.value.as_deref().unwrap_or(UNALLOCATED)
    }
}

/// Charges by the values of one attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chargeback {
    /// The attribute.
    pub key: String,
    /// The rows, by value; `unallocated` last.
    pub rows: Vec<Row>,
    /// What was spread in proportion.
    pub spread: Money,
    /// The rounding residue of the spread and the row it was put on.
    pub residue: Option<(String, Money)>,
}

impl Chargeback {
    /// Groups `charges` (user id or none, the attribute's value or none, amount) by value and
    /// spreads `spread` over the rows in proportion to their charges.
    pub fn new(
        key: &str,
        charges: impl IntoIterator<Item = (Option<String>, Option<String>, Money)>,
        spread: Money,
    ) -> Chargeback {
        let mut by: BTreeMap<Option<String>, (BTreeSet<String>, Money)> = BTreeMap::new();
        for (user, value, amount) in charges {
            let row = by.entry(value).or_default();
            if let Some(u) = user {
                row.0.insert(u);
            }
            row.1 += amount;
        }
        let mut rows: Vec<Row> = by
            .into_iter()
            .map(|(value, (users, amount))| Row {
                value,
                users: users.len(),
                amount,
                share: Money::ZERO,
            })
            .collect();
        // `None` sorts first in the map; the unallocated row goes last.
        let unallocated_first = rows.first().is_some_and(|r| r.value.is_none());
        rows.rotate_left(usize::from(unallocated_first));
        let gross: i128 = rows.iter().map(|r| i128::from(r.amount.cents())).sum();
        let mut residue = None;
        if !spread.is_zero() && gross != 0 {
            let mut given = Money::ZERO;
            for r in &mut rows {
                let exact = i128::from(spread.cents()) * i128::from(r.amount.cents()) / gross;
                r.share = Money::from_cents(i64::try_from(exact).unwrap_or(0));
                given += r.share;
            }
            let left = spread - given;
            if let Some(largest) = rows.iter_mut().rev().max_by_key(|r| r.amount)
                && !left.is_zero()
            {
                largest.share += left;
                residue = Some((largest.label().to_owned(), left));
            }
        } else if !spread.is_zero() {
            rows.push(Row {
                value: None,
                users: 0,
                amount: Money::ZERO,
                share: spread,
            });
        }
        Chargeback {
            key: key.to_owned(),
            rows,
            spread,
            residue,
        }
    }

    /// The model's bill by the attribute the estate's users hold.
    pub fn of_bill(bill: &Bill, estate: &Estate, key: &str) -> Chargeback {
        let attributes = attributes(estate, key);
        Chargeback::new(
            key,
            bill.lines.iter().map(|l| {
                let u = bill.user(l.user);
                (
                    Some(u.user_id.to_string()),
                    attributes.get(u.user_id.as_str()).map(|v| (*v).to_owned()),
                    l.total(),
                )
            }),
            Money::ZERO,
        )
    }

    /// All rows: what the total is.
    pub fn total(&self) -> Money {
        self.rows.iter().map(Row::total).sum()
    }

    /// How the rows were made to add up, for people.
    pub fn residue_note(&self) -> Option<String> {
        self.residue.as_ref().map(|(row, amount)| {
            format!(
                "the spread of {} was rounded toward zero per row; the residue of {amount} is on the largest row, `{row}`",
                self.spread
            )
        })
    }

    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "key": self.key,
            "rows": self.rows.iter().map(|r| json!({
                "value": r.label(),
                "users": r.users,
                "charges": r.amount.to_json(),
                "share": r.share.to_json(),
                "total": r.total().to_json(),
            })).collect::<Vec<_>>(),
            "spread": self.spread.to_json(),
            "residue": self.residue.as_ref().map(|(row, amount)| json!({"row": row, "amount": amount.to_json()})),
            "total": self.total().to_json(),
        })
    }
}

/// Each user id's value of attribute `key` in the estate, by the id and by its GUID alone
/// (the form without the identity store that some exports write).
pub fn attributes<'e>(estate: &'e Estate, key: &str) -> HashMap<&'e str, &'e str> {
    let mut out = HashMap::default();
    for u in estate.instances.iter().flat_map(|i| &i.users) {
        if let Some(v) = u.attributes.get(key) {
            out.insert(u.id.as_str(), v.as_str());
            if let Some(guid) = crate::usage::guid_tail(&u.id) {
                out.insert(guid, v.as_str());
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    fn c(user: &str, value: Option<&str>, cents: i64) -> (Option<String>, Option<String>, Money) {
        (
            Some(user.to_owned()),
            value.map(str::to_owned),
            Money::from_cents(cents),
        )
    }

    #[test]
    fn rows_add_up_with_the_residue_on_the_largest() {
        let cb = Chargeback::new(
            "costCenter",
            [
                c("a", Some("CC-1"), 2000),
                c("b", Some("CC-1"), 4000),
                c("c", Some("CC-2"), 2000),
                c("d", None, 2000),
            ],
            Money::from_cents(-1000),
        );
        let labels: Vec<&str> = cb.rows.iter().map(Row::label).collect();
        assert_eq!(labels, ["CC-1", "CC-2", UNALLOCATED]);
        // -10.00 over 60/20/20: -6.00, -2.00, -2.00, exact.
        assert_eq!(cb.residue, None);
        assert_eq!(cb.total(), Money::from_cents(9000));
        let odd = Chargeback::new(
            "k",
            [
                c("a", Some("x"), 100),
                c("b", Some("y"), 100),
                c("c", Some("z"), 100),
            ],
            Money::from_cents(-100),
        );
        assert_eq!(
            odd.total(),
            Money::from_cents(200),
            "the rows add up to the total"
        );
        assert_eq!(odd.residue, Some(("x".to_owned(), Money::from_cents(-1))));
        assert_eq!(odd.rows[0].users, 1);
    }
}
