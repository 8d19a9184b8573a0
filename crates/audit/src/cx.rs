//! What rules share: the estate, the price book, and facts computed once for all rules
//! (the bill, SCP decisions).

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};

use kiro_billing::{Bill, BillOptions, PriceBook};
use kiro_engine::{Decision, PolicyCache, Question, Scps};
use kiro_estate::{AccountId, Diagnostic, Estate, Governance, Organization, Profile};

use crate::finding::Severity;

/// The audit context handed to every rule.
pub struct Cx<'e> {
    /// The estate under audit.
    pub estate: &'e Estate,
    /// Prices for money in findings.
    pub book: &'e PriceBook,
    /// The domain rules the estate file breaks, located, as the loader found them; none when
    /// the estate did not come from a file (see [`Cx::rule_breaks`]).
    located_rule_breaks: Option<&'e [Diagnostic]>,
    /// What the policy engine warns about the estate's SCPs, located, as the loader found
    /// them; none when the estate did not come from a file (see [`Cx::scp_warnings`]).
    located_warnings: Option<&'e [Diagnostic]>,
    bill: OnceCell<Bill>,
    scp: RefCell<Scps<'e, PolicyCache>>,
}

impl<'e> Cx<'e> {
    /// A context over `estate` priced with `book`.
    pub fn new(estate: &'e Estate, book: &'e PriceBook) -> Self {
        Self {
            estate,
            book,
            located_rule_breaks: None,
            located_warnings: None,
            bill: OnceCell::new(),
            scp: RefCell::new(Scps::new(estate, PolicyCache::default()).ignoring_malformed()),
        }
    }

    /// A context over `estate`, which breaks `rule_breaks` and whose SCPs have `warnings`
    /// (both located by the loader), priced with `book`.
    pub fn with_diagnostics(
        estate: &'e Estate,
        rule_breaks: &'e [Diagnostic],
        warnings: &'e [Diagnostic],
        book: &'e PriceBook,
    ) -> Self {
        Self {
            located_rule_breaks: Some(rule_breaks),
            located_warnings: Some(warnings),
            ..Self::new(estate, book)
        }
    }

    /// The domain rules the estate breaks: the loader's located diagnostics, or (for an
    /// estate built in memory) the validator's.
    pub fn rule_breaks(&self) -> Cow<'e, [Diagnostic]> {
        match self.located_rule_breaks {
            Some(found) => Cow::Borrowed(found),
            None => Cow::Owned(self.estate.validate()),
        }
    }

    /// What the policy engine warns about the estate's SCPs (the IAM catalog's unknown
    /// actions, keys that do not fit their operator…): the loader's located warnings, or
    /// (for an estate built in memory) [`kiro_estate::scp::warnings`].
    pub fn scp_warnings(&self) -> Cow<'e, [Diagnostic]> {
        match self.located_warnings {
            Some(found) => Cow::Borrowed(found),
            None => Cow::Owned(kiro_estate::scp::warnings(self.estate)),
        }
    }

    /// The current month's bill, computed on first use.
    pub fn bill(&self) -> &Bill {
        self.bill.get_or_init(|| {
            kiro_billing::bill_current(self.estate, self.book, BillOptions::default())
        })
    }

    /// The SCP decision for `account` doing `action` on `resource` (may contain `{account}`)
    /// in `region`, from the engine's answerer. A policy that does not parse is left out:
    /// validation reports it.
    pub fn decide(
        &self,
        account: &AccountId,
        action: &str,
        resource: &str,
        region: &str,
    ) -> Decision<'static> {
        self.decide_with(account, action, resource, region, &[])
    }

    /// [`Cx::decide`] for a request that carries `context` besides the account's own keys
    /// (a seat operation's `identitystore:GroupId`).
    pub fn decide_with(
        &self,
        account: &AccountId,
        action: &str,
        resource: &str,
        region: &str,
        context: &[(&'static str, String)],
    ) -> Decision<'static> {
        self.scp
            .borrow_mut()
            .decide(&Question {
                account,
                action,
                resource,
                region,
                context,
            })
            // Unreachable: an answerer ignoring malformed policies has nothing to refuse.
            .unwrap_or(Decision::Allowed)
    }

    /// The governance intent declared by `account`'s organization.
    pub fn governance(&self, account: &AccountId) -> Option<Governance> {
        self.estate
            .organization_of(account)
            .and_then(|o| o.governance)
    }

    /// The Kiro regions where `account` can act: those of its partition (GovCloud regions
    /// only for an estate whose organization instance lives in GovCloud, commercial ones
    /// otherwise), since an account belongs to exactly one partition.
    pub fn regions_of(&self, account: &AccountId) -> Vec<String> {
        let gov = self
            .estate
            .organization_of(account)
            .and_then(|o| self.estate.organization_instance(o))
            .is_some_and(|i| i.partition() == kiro_estate::ids::Partition::GovCloud);
        self.estate
            .simulator
            .kiro_regions
            .iter()
            .filter(|r| {
                (kiro_estate::ids::partition(r) == kiro_estate::ids::Partition::GovCloud) == gov
            })
            .cloned()
            .collect()
    }

    /// The Kiro profiles of `org`'s accounts. Several rules count or compare an
    /// organization's profiles; they all mean the same set, so it is decided here.
    pub fn profiles_in<'a>(
        &'a self,
        org: &'a Organization,
    ) -> impl Iterator<Item = &'e Profile> + 'a {
        self.estate.profiles.iter().filter(move |p| {
            self.estate
                .organization_of(&p.account)
                .is_some_and(|o| o.management == org.management)
        })
    }

    /// The Kiro profiles served by the Identity Center instance of `instance` (its account).
    pub fn profiles_served_by<'a>(
        &'a self,
        instance: &'a AccountId,
    ) -> impl Iterator<Item = &'e Profile> + 'a {
        self.estate
            .profiles
            .iter()
            .filter(move |p| &p.instance == instance)
    }

    /// The display name of an account: `id (name)` when the estate knows the name.
    pub fn account_label(&self, account: &AccountId) -> String {
        match self.estate.account(account) {
            Some(a) if !a.name.is_empty() => format!("`{account}` ({})", a.name),
            _ => format!("`{account}`"),
        }
    }
}

/// Grades a governance finding by the declared intent: central → `central`, delegated →
/// `delegated`, undeclared → `Warning` (the audit cannot tell whether it is intended).
pub fn graded(governance: Option<Governance>, central: Severity, delegated: Severity) -> Severity {
    match governance {
        Some(Governance::Central) => central,
        Some(Governance::Delegated) => delegated,
        None => Severity::Warning,
    }
}
