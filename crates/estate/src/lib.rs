//! The kiro-org estate: an organization (or standalone accounts), its IAM Identity Center
//! instances and directories, Kiro profiles, subscriptions and SCPs, as one file people can
//! read and edit.
//!
//! [`Estate::load`] reads a YAML or JSON file, reports every problem at once with file, line,
//! column and a suggestion, fills in the AWS ids the file leaves out, and checks every invariant
//! of the domain (a hand-written estate can break rules that the simulator would refuse).
#![deny(missing_docs)]

pub mod bounds;
pub mod diagnostic;
pub mod email;
pub mod generate;
pub mod ids;
pub mod io;
pub mod keyed;
pub mod layered;
pub mod locate;
pub mod members;
pub mod model;
pub mod op;
pub mod prices;
pub mod query;
pub mod schema;
pub mod scp;
pub mod validate;
pub mod words;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics, DocPath, Severity};
pub use ids::AccountId;
pub use io::{Format, LoadError};
pub use keyed::{HasKey, Keyed};
pub use members::Members;
pub use model::*;
pub use op::{Applied, Op, Target};

/// The version of the estate format this kiro-org reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// An estate file that could be read, and the domain rules it breaks (none for a valid one).
/// Commands that can compute on a readable estate (the audit, which reports the rule breaks as
/// findings) take this; the others refuse rule breaks ([`Estate::load`]).
#[derive(Clone, Debug)]
pub struct Readable {
    /// The estate, normalised.
    pub estate: Estate,
    /// What [`Estate::validate`] found, located.
    pub rule_breaks: Diagnostics,
    /// What [`scp::warnings`] found in its SCPs, located: AWS accepts these policies, so
    /// they never make the estate invalid.
    pub warnings: Diagnostics,
}

impl Estate {
    /// An estate with nothing in it.
    pub fn empty() -> Self {
        Self {
            version: FORMAT_VERSION,
            ..Self::default()
        }
    }

    /// Reads, normalises and validates the estate file at `path`: an estate that breaks a
    /// domain rule is refused with the rules it breaks.
    pub fn load(path: &Path) -> Result<Estate, LoadError> {
        let read = Self::read(path)?;
        read.rule_breaks
            .or_ok(read.estate)
            .map_err(LoadError::Invalid)
    }

    /// Parses, normalises and validates an estate from `text`, refusing one that breaks a
    /// domain rule.
    pub fn from_text(text: &str, format: Format) -> Result<Estate, Diagnostics> {
        let read = Self::read_text(text, format)?;
        read.rule_breaks.or_ok(read.estate)
    }

    /// Reads and normalises the estate file at `path`, and lists the domain rules it breaks
    /// without refusing it. The error is a file that cannot be read: syntax, types, unknown
    /// or missing keys, an unsupported version.
    pub fn read(path: &Path) -> Result<Readable, LoadError> {
        let read = io::load_with(path, Self::read_text)?;
        Ok(Readable {
            estate: read.estate,
            rule_breaks: read.rule_breaks.in_file(path),
            warnings: read.warnings.in_file(path),
        })
    }

    /// [`Estate::read`] from `text`.
    pub fn read_text(text: &str, format: Format) -> Result<Readable, Diagnostics> {
        let mut estate: Estate = io::parse(text, format, &schema::ESTATE)?;
        if estate.version != FORMAT_VERSION {
            let mut d = Diagnostic::new(
                DocPath::root().key("version"),
                format!("unsupported estate version `{}`", estate.version),
            )
            .with_help(format!("this kiro-org reads `version: {FORMAT_VERSION}`"));
            locate::Locator::new(text).locate_all(std::slice::from_mut(&mut d));
            return Err(Diagnostics(vec![d]));
        }
        estate.normalize();
        let mut problems = estate.validate();
        let mut warnings = scp::warnings(&estate);
        if !problems.is_empty() || !warnings.is_empty() {
            let locator = locate::Locator::new(text);
            locator.locate_all(&mut problems);
            locator.locate_all(&mut warnings);
        }
        Ok(Readable {
            estate,
            rule_breaks: Diagnostics(problems),
            warnings: Diagnostics(warnings),
        })
    }

    /// Writes the estate to `path` atomically, as YAML or JSON by extension.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = self.to_text(Format::of(path))?;
        io::write_atomic(path, &text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
    }

    /// The estate as file text.
    pub fn to_text(&self, format: Format) -> Result<String, String> {
        io::to_text(self, format)
    }

    /// Every problem of this estate (see [`validate`]).
    pub fn validate(&self) -> Vec<Diagnostic> {
        validate::validate(self)
    }

    /// Fills in what a hand-written file may leave implicit: AWS ids derived from natural keys,
    /// a management account's membership of its own organization, and — for an organization
    /// that declares no policies at all — the AWS managed `FullAWSAccess` attached to its root,
    /// OUs and accounts, as AWS attaches it.
    pub fn normalize(&mut self) {
        for org in self.organizations.iter_mut() {
            if org.id.is_empty() {
                org.id = ids::organization_id(&org.management);
            }
            if org.root_id.is_empty() {
                org.root_id = ids::root_id(&org.management);
            }
            let root = org.root_id.clone();
            for ou in org.ous.iter_mut() {
                if ou.id.is_empty() {
                    ou.id = ids::ou_id(&root, &org.management, &ou.name);
                }
            }
            for p in org.policies.iter_mut() {
                if p.id.is_empty() {
                    p.id = if p.aws_managed && p.name == ids::FULL_AWS_ACCESS {
                        ids::FULL_AWS_ACCESS_ID.to_owned()
                    } else {
                        ids::policy_id(&org.management, &p.name)
                    };
                }
            }
        }
        let managements: Vec<AccountId> = self
            .organizations
            .iter()
            .map(|o| o.management.clone())
            .collect();
        for m in &managements {
            if let Some(acct) = self.accounts.get_mut(m)
                && acct.organization.is_none()
            {
                acct.organization = Some(m.clone());
            }
        }
        self.attach_implicit_full_access();
        for inst in self.instances.iter_mut() {
            if inst.id.is_empty() {
                inst.id = ids::instance_id(&inst.account, &inst.region);
            }
            if inst.identity_store.is_empty() {
                inst.identity_store = ids::identity_store_id(&inst.account, &inst.region);
            }
            let store = inst.identity_store.clone();
            for u in inst.users.iter_mut() {
                if u.id.is_empty() {
                    u.id = ids::principal_id(&store, "user", &u.user_name);
                }
            }
            for g in inst.groups.iter_mut() {
                if g.id.is_empty() {
                    g.id = ids::principal_id(&store, "group", &g.name);
                }
            }
        }
        for p in self.profiles.iter_mut() {
            if p.id.is_empty() {
                p.id = ids::profile_id(&p.account, &p.region);
            }
        }
    }

    fn attach_implicit_full_access(&mut self) {
        for org in self.organizations.iter_mut() {
            if !org.policies.is_empty() || !org.attachments.is_empty() {
                continue;
            }
            let _ = org.policies.insert(Scp::full_aws_access());
            let mut targets = vec!["root".to_owned()];
            targets.extend(org.ous.iter().map(|ou| ou.name.clone()));
            targets.extend(
                self.accounts
                    .iter()
                    .filter(|a| a.organization.as_ref() == Some(&org.management))
                    .map(|a| a.id.to_string()),
            );
            org.attachments
                .extend(targets.into_iter().map(|target| Attachment {
                    policy: ids::FULL_AWS_ACCESS.to_owned(),
                    target,
                }));
        }
    }
}

impl Scp {
    /// The AWS managed `FullAWSAccess` policy: Allow `*` on `*`.
    pub fn full_aws_access() -> Scp {
        Scp {
            name: ids::FULL_AWS_ACCESS.to_owned(),
            id: ids::FULL_AWS_ACCESS_ID.to_owned(),
            description: Some("Allows access to every operation".to_owned()),
            aws_managed: true,
            document: serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
            }),
        }
    }
}
