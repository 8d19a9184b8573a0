//! The modelled bill as a FOCUS 1.2 dataset (CSV), with the columns AWS adds to its own FOCUS
//! export, so that a FinOps tool reads the model as it reads AWS's bill.
//!
//! One row per charged seat (`ChargeCategory` `Purchase`, `ChargeFrequency` `Recurring`) and
//! one per seat with overage (`Usage`, `Usage-Based`, `PricingUnit` `Credits`), as AWS bills
//! them: `SubAccountId` is the profile's account, `BillingAccountId` the payer (the
//! management account, or a standalone account itself), `ResourceId` the user's ARN,
//! `x_UsageType` and `x_Operation` the CUR's usage type and operation, `Tags` the user's
//! attributes as `userAttribute/<Key>`. The rows' `BilledCost` add up to the bill.

use std::collections::BTreeMap;
use std::io::Write;

use kiro_estate::Estate;
use kiro_estate::prices::{Money, PriceBook};

use crate::charges::Bill;
use crate::cur::{
    CREDITS_OPERATION, SEAT_OPERATION, credits_usage_type, seat_usage_type, usage_type_prefix,
};
use crate::month::Month;

/// The columns, in order: FOCUS 1.2's, then AWS's `x_` columns.
pub const COLUMNS: [&str; 38] = [
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceCategory",
    "ServiceName",
    "ServiceSubcategory",
    "SkuId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
    "x_ServiceCode",
    "x_UsageType",
];

/// AWS's FOCUS column of the operation, written last.
const OPERATION: &str = "x_Operation";

/// Writes `bill` (of `month`) as FOCUS 1.2 CSV.
pub fn write(
    bill: &Bill,
    estate: &Estate,
    book: &PriceBook,
    month: Month,
    out: impl Write,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = COLUMNS.to_vec();
    header.push(OPERATION);
    w.write_record(&header)?;
    let names: BTreeMap<&str, &str> = estate
        .accounts
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let payer: BTreeMap<&str, &str> = estate
        .accounts
        .iter()
        .map(|a| {
            (
                a.id.as_str(),
                a.organization
                    .as_ref()
                    .map_or(a.id.as_str(), |o| o.as_str()),
            )
        })
        .collect();
    let attributes: BTreeMap<&str, &BTreeMap<String, String>> = estate
        .instances
        .iter()
        .flat_map(|i| &i.users)
        .map(|u| (u.id.as_str(), &u.attributes))
        .collect();
    let start = format!("{month}-01T00:00:00Z");
    let end = format!("{}-01T00:00:00Z", month.next());
    for l in &bill.lines {
        let key = bill.profile(l.profile);
        let user = bill.user(l.user);
        let account = key.account.as_str();
        let billing = payer.get(account).copied().unwrap_or(account);
        let tags = attributes.get(user.user_id.as_str()).map_or_else(
            || "{}".to_owned(),
            |a| {
                serde_json::Value::Object(
                    a.iter()
                        .map(|(k, v)| (format!("userAttribute/{k}"), v.clone().into()))
                        .collect(),
                )
                .to_string()
            },
        );
        let prefix = usage_type_prefix(&key.region);
        // The user's partition is its profile's region's, the estate's.
        let partition = kiro_estate::ids::partition(&key.region);
        let resource = kiro_estate::ids::arn::identity(partition, "user", &user.user_id);
        let row = |cost: Money,
                   list: Money,
                   category: &str,
                   frequency: &str,
                   description: String,
                   consumed: Option<String>,
                   unit: &str,
                   unit_price: String,
                   contracted_price: String,
                   quantity: String,
                   usage_type: &str,
                   operation: &str| {
            let cost = cost.to_string();
            let consumed_unit = consumed.as_ref().map_or("", |_| unit);
            vec![
                cost.clone(),
                billing.to_owned(),
                names.get(billing).copied().unwrap_or("").to_owned(),
                bill.currency.clone(),
                end.clone(),
                start.clone(),
                category.to_owned(),
                String::new(),
                description,
                frequency.to_owned(),
                end.clone(),
                start.clone(),
                consumed.unwrap_or_default(),
                consumed_unit.to_owned(),
                cost.clone(),
                contracted_price,
                cost,
                "AWS".to_owned(),
                list.to_string(),
                unit_price,
                "Standard".to_owned(),
                quantity,
                unit.to_owned(),
                "AWS".to_owned(),
                "AWS".to_owned(),
                key.region.clone(),
                resource.clone(),
                user.user_name.to_string(),
                "User".to_owned(),
                "AI and Machine Learning".to_owned(),
                "Kiro".to_owned(),
                "Generative AI".to_owned(),
                usage_type.to_owned(),
                account.to_owned(),
                names.get(account).copied().unwrap_or("").to_owned(),
                tags.clone(),
                "Kiro".to_owned(),
                usage_type.to_owned(),
                operation.to_owned(),
            ]
        };
        let seat_type = seat_usage_type(prefix, l.plan);
        w.write_record(row(
            l.charge,
            l.list_price,
            "Purchase",
            "Recurring",
            format!("Kiro {} subscription", l.plan.display_name()),
            None,
            "Users",
            l.list_price.to_string(),
            // What the seat costs after the cross-profile rule (nothing where another
            // profile's charge covers it): ContractedCost = ContractedUnitPrice × 1.
            l.charge.to_string(),
            "1".to_owned(),
            &seat_type,
            SEAT_OPERATION,
        ))?;
        if !l.overage_charge.is_zero() {
            let credits = l.overage_credits.to_string();
            w.write_record(row(
                l.overage_charge,
                l.overage_charge,
                "Usage",
                "Usage-Based",
                "Kiro credits beyond the plan (overage)".to_owned(),
                Some(credits.clone()),
                "Credits",
                book.overage_rate(&key.region).to_string(),
                book.overage_rate(&key.region).to_string(),
                credits,
                &credits_usage_type(prefix),
                CREDITS_OPERATION,
            ))?;
        }
    }
    w.flush()?;
    Ok(())
}
