//! The guard-rail SCPs for a deployment pattern, rehearsed on the simulator before anyone
//! sees them.
//!
//! - Deny `codewhisperer:CreateProfile` (signing up for Kiro) everywhere but in the accounts
//!   that are meant to hold a profile, via `StringNotEquals` on `aws:PrincipalAccount`.
//!   SCPs never restrict the management account, so pattern 4 needs no exception.
//! - Deny `sso:CreateInstance` (account instances of IAM Identity Center) except in the
//!   accounts meant to have one (pattern 3).
//!
//! Both are attached to the root so every current and future member account is covered.
//! Patterns 2 and 3 exist for department accounts: a root deny without them as exceptions
//! would block the very pattern it guards. When they are not named, the rails are a
//! **template** whose exceptions are [`PLACEHOLDERS`] to replace.
//!
//! [`advise`] generates the rails and rehearses them: on a scratch organization (or a copy of
//! the user's, with its OUs, accounts and SCPs), the rails are created and attached through
//! the engine, then each account walks the pattern's journeys (sign up and subscribe on the
//! organization instance; enable an account instance, sign up on it and subscribe). The
//! accounts meant to use the pattern must complete theirs; every other member account must
//! be refused with `AccessDeniedException` by one of the rails. Rails that fail their
//! rehearsal are a bug and are never given.

use kiro_engine::op::{self, Op};
use kiro_engine::{Decision, Engine, OpError};
use kiro_estate::query::Standing;
use kiro_estate::{AccountId, Estate, Organization};
use serde_json::{Value, json};

/// AWS documentation's example account ids, standing in for the department accounts of a
/// template: they cannot be anybody's member account, so a template attached unchanged denies
/// every member rather than exempting a stranger.
pub const PLACEHOLDERS: [&str; 2] = ["111122223333", "444455556666"];

/// A generated SCP and where to attach it.
#[derive(Clone, Debug, PartialEq)]
pub struct GuardRail {
    /// The policy's name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// The IAM policy document.
    pub document: Value,
    /// Targets: `root`, OU names or account ids.
    pub attach_to: Vec<String>,
    /// Why this pattern needs it.
    pub why: String,
    /// The accounts its `StringNotEquals aws:PrincipalAccount` condition exempts.
    pub exempt: Vec<AccountId>,
    /// The groups (`identitystore:GroupId`) it lets member accounts give seats to; empty
    /// but for the [`seat_rail`].
    pub seat_groups: Vec<String>,
}

impl GuardRail {
    /// As JSON: `name`, `description`, `document`, `attach-to`, `why`.
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "description": self.description,
            "document": self.document,
            "attach-to": self.attach_to,
            "why": self.why,
        })
    }
}

/// The guard rails of one pattern, with the accounts they exempt.
#[derive(Clone, Debug, PartialEq)]
pub struct GuardRails {
    /// The pattern, 1–4.
    pub pattern: u8,
    /// The SCPs; none for pattern 1, which has no organization to attach them to.
    pub rails: Vec<GuardRail>,
    /// The accounts meant to keep the pattern's actions: the department accounts of patterns
    /// 2 and 3, the allowed ones of pattern 4.
    pub exempt: Vec<AccountId>,
    /// Whether `exempt` are [`PLACEHOLDERS`] to replace with the department accounts.
    pub template: bool,
}

impl GuardRails {
    /// As JSON: `pattern`, `template`, `placeholders` (those of a template, else empty), `scps`.
    pub fn to_json(&self) -> Value {
        json!({
            "pattern": self.pattern,
            "template": self.template,
            "placeholders": self.placeholders(),
            "scps": self.rails.iter().map(GuardRail::to_json).collect::<Vec<_>>(),
        })
    }

    fn placeholders(&self) -> Vec<&str> {
        if self.template {
            self.exempt.iter().map(AccountId::as_str).collect()
        } else {
            Vec::new()
        }
    }

    /// What the reader of a template must do before attaching it (none for other rails).
    pub fn notice(&self) -> Option<String> {
        self.template.then(|| {
            format!(
                "replace the placeholder accounts {} in `aws:PrincipalAccount` with the department accounts meant to hold a profile{}, or name them with `--allow ACCOUNT`",
                backticked(&self.exempt),
                if self.pattern == 3 {
                    " and an account instance"
                } else {
                    ""
                }
            )
        })
    }

    /// The command that prints these rails in full.
    pub fn command(&self, management: Option<&AccountId>) -> String {
        let mut out = format!("kiro-org scp generate --pattern {}", self.pattern);
        if !self.template {
            for a in &self.exempt {
                out.push_str(" --allow ");
                out.push_str(a.as_str());
            }
        }
        if let Some(m) = management {
            out.push_str(" --organization ");
            out.push_str(m.as_str());
        }
        out
    }

    /// The rail named `name`, if the pattern has it.
    pub fn rail(&self, name: &str) -> Option<&GuardRail> {
        self.rails.iter().find(|r| r.name == name)
    }
}

/// The name of the rail denying `codewhisperer:CreateProfile`.
pub const DENY_PROFILES: &str = "deny-kiro-profile-creation";
/// The name of the rail denying `sso:CreateInstance`.
pub const DENY_INSTANCES: &str = "deny-account-instances";
/// The name of the rail denying seats (`q:CreateAssignment`, `q:UpdateAssignment`) to groups
/// that are not approved.
pub const DENY_SEATS: &str = "deny-seats-outside-approved-groups";

/// The seat actions the seat rail guards: giving a seat and changing its plan.
const SEAT_ACTIONS: [&str; 2] = ["q:CreateAssignment", "q:UpdateAssignment"];

/// The rail that lets member accounts give Kiro seats only to the Identity Store groups
/// `groups` (their `identitystore:GroupId`): a group subscription of another group, and any
/// user subscription (which carries `identitystore:UserId`, no group), is denied.
pub fn seat_rail(groups: &[String]) -> GuardRail {
    GuardRail {
        name: DENY_SEATS.to_owned(),
        description: format!(
            "Member accounts give Kiro seats only to the approved groups {}",
            groups
                .iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        document: json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "DenySeatsOutsideApprovedGroups",
            "Effect": "Deny",
            "Action": SEAT_ACTIONS,
            "Resource": "*",
            "Condition": {"StringNotEquals": {"identitystore:GroupId": groups}},
        }]}),
        attach_to: vec!["root".to_owned()],
        why: "who gets a seat is decided centrally: a seat costs money every month, and the approved groups are the ones the platform team reviews".to_owned(),
        exempt: Vec::new(),
        seat_groups: groups.to_vec(),
    }
}

fn backticked(accounts: &[AccountId]) -> String {
    accounts
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn deny(sid: &str, action: &str, allow: &[AccountId]) -> Value {
    let mut statement = json!({"Sid": sid, "Effect": "Deny", "Action": action, "Resource": "*"});
    if !allow.is_empty() {
        let accounts: Vec<&str> = allow.iter().map(AccountId::as_str).collect();
        statement["Condition"] = json!({"StringNotEquals": {"aws:PrincipalAccount": accounts}});
    }
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

/// The guard rails for `pattern` (1–4), unrehearsed: [`advise`] is what gives them. `allow`
/// are the accounts exempt from them — for patterns 2 and 3 the department accounts, which
/// become [`PLACEHOLDERS`] of a template when none are named. `management` is named in the
/// explanation only (SCPs never restrict it). Pattern 1 has none (no Organizations); an
/// unknown pattern has none.
pub fn generate(pattern: u8, allow: &[AccountId], management: Option<&AccountId>) -> GuardRails {
    let template = matches!(pattern, 2 | 3) && allow.is_empty();
    let exempt: Vec<AccountId> = if template {
        PLACEHOLDERS.iter().map(|p| AccountId::new(*p)).collect()
    } else {
        allow.to_vec()
    };
    let mgmt = management.map_or_else(
        || "the management account".to_owned(),
        |m| format!("the management account `{m}`"),
    );
    let departments = if template {
        format!(
            "the department accounts (placeholders {}: replace them)",
            backticked(&exempt)
        )
    } else {
        format!("the department accounts {}", backticked(&exempt))
    };
    let except = match (template, exempt.is_empty()) {
        (true, _) => format!(" except {departments}"),
        (false, true) => String::new(),
        (false, false) => format!(" except {}", backticked(&exempt)),
    };
    let profiles = |why: String| GuardRail {
        name: DENY_PROFILES.to_owned(),
        description: format!("Member accounts{except} cannot sign up for Kiro"),
        document: deny(
            "DenyKiroProfileCreation",
            "codewhisperer:CreateProfile",
            &exempt,
        ),
        attach_to: vec!["root".to_owned()],
        why,
        exempt: exempt.clone(),
        seat_groups: Vec::new(),
    };
    let instances = |allowed: &[AccountId], why: String| GuardRail {
        name: DENY_INSTANCES.to_owned(),
        description: if allowed.is_empty() {
            "Member accounts cannot create account instances of IAM Identity Center".to_owned()
        } else {
            format!(
                "Member accounts{except} cannot create account instances of IAM Identity Center"
            )
        },
        document: deny("DenyMemberAccountInstances", "sso:CreateInstance", allowed),
        attach_to: vec!["root".to_owned()],
        why,
        exempt: allowed.to_vec(),
        seat_groups: Vec::new(),
    };
    let rails = match pattern {
        2 => vec![
            profiles(format!("only {departments} sign up for Kiro, on the organization instance; every other profile would spend the quota of 10 per region")),
            instances(&[], "department accounts must use the organization instance, not their own account instances".to_owned()),
        ],
        3 => vec![
            profiles(format!("only {departments} sign up for Kiro")),
            instances(&exempt, format!("only {departments} create their own account instances")),
        ],
        4 => vec![
            profiles(format!("only {mgmt} signs up for Kiro (SCPs never restrict it): profiles, settings and cost stay central")),
            instances(&[], format!("member accounts must not run their own directories; {mgmt} holds the organization instance")),
        ],
        _ => Vec::new(),
    };
    GuardRails {
        pattern,
        rails,
        exempt,
        template,
    }
}

/// Why guard rails were not given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AdviceError {
    /// The estate the rails were to be rehearsed on cannot host them (bad input).
    #[error("{0}")]
    Estate(String),
    /// The rails failed their rehearsal: they would not do what they are for. A bug.
    #[error(
        "the guard rails of pattern {pattern} failed their rehearsal: account `{account}`, {journey}: {problem}"
    )]
    Rehearsal {
        /// The pattern.
        pattern: u8,
        /// The account whose journey went wrong.
        account: AccountId,
        /// The journey, in words.
        journey: &'static str,
        /// What happened instead of what was expected.
        problem: String,
    },
}

/// The guard rails for `pattern` (see [`generate`]), given only once rehearsed: on a copy of
/// `estate`'s organization (the one `management` names, else its first) when an estate is
/// given, else on a scratch organization.
pub fn advise(
    pattern: u8,
    allow: &[AccountId],
    management: Option<&AccountId>,
    estate: Option<&Estate>,
) -> Result<GuardRails, AdviceError> {
    advise_with_seats(pattern, allow, management, estate, &[])
}

/// [`advise`], with the [`seat_rail`] for the approved groups `seat_groups` when there are
/// any. Seats of patterns 1 and 4 are given in accounts SCPs never restrict (a standalone or
/// the management account), so a seat rail there would hold nothing and is refused.
pub fn advise_with_seats(
    pattern: u8,
    allow: &[AccountId],
    management: Option<&AccountId>,
    estate: Option<&Estate>,
    seat_groups: &[String],
) -> Result<GuardRails, AdviceError> {
    let mut rails = generate(pattern, allow, management);
    if !seat_groups.is_empty() {
        if !matches!(pattern, 2 | 3) {
            return Err(AdviceError::Estate(format!(
                "pattern {pattern} gives seats in {}, which SCPs never restrict: a seat guard rail would hold nothing\nhelp: `--seat-groups` is for patterns 2 and 3, whose member accounts give seats",
                if pattern == 1 {
                    "a standalone account"
                } else {
                    "the management account"
                }
            )));
        }
        rails.rails.push(seat_rail(seat_groups));
    }
    if !rails.rails.is_empty() {
        rehearse(&rails, management, estate)?;
    }
    Ok(rails)
}

/// The guard rails of `org`'s own pattern ([`crate::patterns::organization_pattern`]),
/// exempting the department accounts the estate shows.
pub fn for_organization(estate: &Estate, org: &Organization) -> GuardRails {
    let (pattern, departments) = crate::patterns::organization_pattern(estate, org);
    generate(pattern, &departments, Some(&org.management))
}

/// What an account tries in a rehearsal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Journey {
    /// Sign up for Kiro on the organization instance and subscribe a user (patterns 2, 4).
    SignUp,
    /// Enable an account instance, add a user, sign up on it and subscribe (pattern 3).
    OwnInstance,
}

impl Journey {
    fn words(self) -> &'static str {
        match self {
            Journey::SignUp => "signing up for Kiro on the organization instance",
            Journey::OwnInstance => "creating an account instance and signing up on it",
        }
    }

    fn ops(self, account: &AccountId, region: &str) -> Vec<Op> {
        let profile = |source: &str| {
            Op::CreateProfile(op::CreateProfile {
                account: account.clone(),
                region: region.to_owned(),
                identity_source: Some(source.to_owned()),
                as_user: None,
            })
        };
        let subscribe = Op::Subscribe(op::Subscribe {
            account: account.clone(),
            region: region.to_owned(),
            user_name: Some(REHEARSAL_USER.into()),
            group: None,
            plan: "pro".to_owned(),
            status: None,
            expect: None,
        });
        match self {
            Journey::SignUp => vec![profile("organization"), subscribe],
            Journey::OwnInstance => vec![
                Op::EnableIdentityCenter(op::EnableIdentityCenter {
                    account: account.clone(),
                    region: region.to_owned(),
                    kind: Some("account".to_owned()),
                    created: None,
                }),
                user(account),
                profile("account"),
                subscribe,
            ],
        }
    }
}

/// What a journey must come to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Every step succeeds.
    Possible,
    /// The first step is refused with `AccessDeniedException` by one of the rails.
    Blocked,
}

/// The user journeys subscribe, created in each instance they use.
const REHEARSAL_USER: &str = "kiro-rehearsal";

fn user(instance: &AccountId) -> Op {
    Op::CreateUser(op::CreateUser {
        instance: instance.clone(),
        user_name: REHEARSAL_USER.into(),
        email: Some("kiro-rehearsal@example.invalid".into()),
        display_name: None,
        attributes: Default::default(),
    })
}

/// When rehearsals happen: after the 2023-11-15 cutover, so that without SCPs every member
/// may create an account instance.
fn rehearsal_time() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_735_689_600).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The journeys of an account of `standing` for `pattern`, exempt from the rails or not.
fn expectations(pattern: u8, standing: Standing, exempt: bool) -> &'static [(Journey, Expect)] {
    use Expect::{Blocked, Possible};
    use Journey::{OwnInstance, SignUp};
    match (standing, pattern, exempt) {
        (Standing::Management, ..) => &[(SignUp, Possible)],
        (_, 3, true) => &[(OwnInstance, Possible)],
        (_, _, true) => &[(SignUp, Possible), (OwnInstance, Blocked)],
        (_, _, false) => &[(SignUp, Blocked), (OwnInstance, Blocked)],
    }
}

fn setup(engine: &mut Engine, op: &Op) -> Result<(), AdviceError> {
    engine
        .apply(op, rehearsal_time())
        .map(drop)
        .map_err(|e| AdviceError::Estate(format!("cannot stage the rehearsal: {e}")))
}

/// The organization the rails are rehearsed in, before they are attached: `estate`'s (its
/// accounts, OUs and SCPs, without its Kiro profiles and account instances, which journeys
/// recreate) or a scratch one with the exempt accounts and one other member.
fn stage(
    exempt: &[AccountId],
    management: Option<&AccountId>,
    estate: Option<&Estate>,
    region: &str,
) -> Result<(Engine, AccountId), AdviceError> {
    let (mut engine, management) = match estate {
        Some(estate) => {
            let org = match management {
                Some(m) => estate.organizations.get(m),
                None => estate.organizations.iter().next(),
            }
            .ok_or_else(|| {
                AdviceError::Estate(match management {
                    Some(m) => format!("the estate has no organization managed by `{m}`"),
                    None => "the estate has no organization to attach guard rails to".to_owned(),
                })
            })?;
            if let Some(a) = exempt
                .iter()
                .find(|a| estate.organization_of(a).map(|o| &o.management) != Some(&org.management))
            {
                return Err(AdviceError::Estate(format!(
                    "account `{a}` is not in the organization managed by `{}`",
                    org.management
                )));
            }
            let mut copy = estate.clone();
            let management = org.management.clone();
            copy.profiles.retain(|_| false);
            copy.instances.retain(|i| i.account == management);
            let mut engine = Engine::new(copy);
            if engine.estate().instances.is_empty() {
                setup(&mut engine, &enable(&management, region))?;
            }
            (engine, management)
        }
        None => {
            let management = management
                .cloned()
                .unwrap_or_else(|| spare(exempt, None, "100000000000"));
            let other = spare(exempt, Some(&management), "200000000000");
            let mut engine = Engine::new(Estate::empty());
            let create = |id: &AccountId, name: String, organization: Option<&AccountId>| {
                Op::CreateAccount(op::CreateAccount {
                    id: id.clone(),
                    name,
                    email: None,
                    organization: organization.cloned(),
                    parent: None,
                })
            };
            setup(
                &mut engine,
                &create(&management, "management".to_owned(), None),
            )?;
            setup(
                &mut engine,
                &Op::CreateOrganization(op::CreateOrganization {
                    management: management.clone(),
                    scps_enabled: None,
                    feature_set: None,
                }),
            )?;
            for (n, a) in exempt.iter().chain([&other]).enumerate() {
                if a == &management {
                    continue;
                }
                setup(
                    &mut engine,
                    &create(a, format!("member-{n}"), Some(&management)),
                )?;
            }
            setup(&mut engine, &enable(&management, region))?;
            (engine, management)
        }
    };
    let has_user = engine
        .estate()
        .instances
        .get(&management)
        .is_some_and(|i| i.users.contains(REHEARSAL_USER));
    if !has_user {
        setup(&mut engine, &user(&management))?;
    }
    Ok((engine, management))
}

fn enable(management: &AccountId, region: &str) -> Op {
    Op::EnableIdentityCenter(op::EnableIdentityCenter {
        account: management.clone(),
        region: region.to_owned(),
        kind: Some("organization".to_owned()),
        created: None,
    })
}

/// An account id from `start` upwards that is neither exempt nor `taken`.
fn spare(exempt: &[AccountId], taken: Option<&AccountId>, start: &str) -> AccountId {
    let first: u64 = start.parse().unwrap_or(100_000_000_000);
    (0..)
        .map(|n| AccountId::new(format!("{:012}", first + n)))
        .find(|a| !exempt.contains(a) && Some(a) != taken)
        .unwrap_or_else(|| AccountId::new(start))
}

/// Rehearses `rails` (see the module's documentation) on a copy of `estate`'s organization
/// or a scratch one, as [`advise`] does: an error when they do not do what they are for.
pub fn rehearse(
    rails: &GuardRails,
    management: Option<&AccountId>,
    estate: Option<&Estate>,
) -> Result<(), AdviceError> {
    let region = estate
        .and_then(|e| e.simulator.kiro_regions.first())
        .map_or("us-east-1", String::as_str)
        .to_owned();
    let (mut engine, management) = stage(&rails.exempt, management, estate, &region)?;
    // The journeys subscribe a user, which the seat rail denies by design: it is rehearsed
    // on its own, once the journeys have passed.
    let (seats, journey_rails): (Vec<&GuardRail>, Vec<&GuardRail>) =
        rails.rails.iter().partition(|r| r.name == DENY_SEATS);
    for rail in journey_rails.iter().chain(&seats) {
        let existing = engine
            .estate()
            .organizations
            .get(&management)
            .is_some_and(|o| o.policies.contains(&rail.name));
        if existing {
            return Err(AdviceError::Estate(format!(
                "the organization already has an SCP named `{}`: detach and delete it, or compare it with the one generated here",
                rail.name
            )));
        }
    }
    for rail in &journey_rails {
        attach(&mut engine, &management, rail)?;
    }
    let staged = engine.into_estate();
    let accounts: Vec<AccountId> = std::iter::once(management.clone())
        .chain(
            staged
                .accounts
                .iter()
                .filter(|a| {
                    a.id != management
                        && staged.organization_of(&a.id).map(|o| &o.management) == Some(&management)
                })
                .map(|a| a.id.clone()),
        )
        .collect();
    // Refused operations change nothing, so every blocked journey can share one engine;
    // possible ones change the estate and each get their own copy.
    let mut shared = Engine::new(staged.clone());
    for account in &accounts {
        let exempt = rails.exempt.contains(account);
        for &(journey, expect) in expectations(rails.pattern, staged.standing(account), exempt) {
            let problem = match expect {
                Expect::Possible => {
                    let mut own = Engine::new(staged.clone());
                    walk(&mut own, journey, account, &region)
                        .err()
                        .map(|(_, step, e)| {
                            format!("step `{step}` was refused ({e}), but the pattern needs it")
                        })
                }
                Expect::Blocked => match walk(&mut shared, journey, account, &region) {
                    Err((0, _, e)) if blocked_by(&e, rails) => None,
                    Err((_, step, e)) => Some(format!(
                        "step `{step}` failed with {e} instead of being denied by a guard rail"
                    )),
                    Ok(()) => {
                        Some("it succeeded, but the guard rails are meant to block it".to_owned())
                    }
                },
            };
            if let Some(problem) = problem {
                return Err(AdviceError::Rehearsal {
                    pattern: rails.pattern,
                    account: account.clone(),
                    journey: journey.words(),
                    problem,
                });
            }
        }
    }
    if let Some(rail) = seats.first() {
        let mut engine = Engine::new(staged);
        attach(&mut engine, &management, rail)?;
        rehearse_seats(&mut engine, rails.pattern, &accounts, &region, rail)?;
    }
    Ok(())
}

/// Creates `rail` in `management`'s organization and attaches it where it says.
fn attach(
    engine: &mut Engine,
    management: &AccountId,
    rail: &GuardRail,
) -> Result<(), AdviceError> {
    setup(
        engine,
        &Op::CreatePolicy(op::CreatePolicy {
            organization: management.clone(),
            name: rail.name.clone(),
            document: rail.document.clone(),
            description: Some(rail.description.clone()),
            policy_type: None,
        }),
    )?;
    for target in &rail.attach_to {
        setup(
            engine,
            &Op::AttachPolicy(op::PolicyTarget {
                organization: management.clone(),
                policy: rail.name.clone(),
                target: op::AccountOrName(AccountId::new(target.as_str())),
            }),
        )?;
    }
    Ok(())
}

/// A seat rehearsal case: the request context, whether the seat must be allowed, and the
/// journey in words.
type SeatCase = (Vec<(&'static str, String)>, bool, &'static str);

/// The seat rail's rehearsal, asked of the engine's answerer with the request context a seat
/// operation carries: every member account may give a seat to each approved group and to no
/// other group or user, each refusal by the rail.
fn rehearse_seats(
    engine: &mut Engine,
    pattern: u8,
    accounts: &[AccountId],
    region: &str,
    rail: &GuardRail,
) -> Result<(), AdviceError> {
    let approved = &rail.seat_groups;
    let stranger = (0..)
        .map(|n| format!("unapproved-group-{n}"))
        .find(|g| !approved.contains(g))
        .unwrap_or_default();
    let mut cases: Vec<SeatCase> = approved
        .iter()
        .map(|g| {
            (
                vec![("identitystore:GroupId", g.clone())],
                true,
                "giving a seat to an approved group",
            )
        })
        .collect();
    cases.push((
        vec![("identitystore:GroupId", stranger)],
        false,
        "giving a seat to another group",
    ));
    cases.push((
        vec![("identitystore:UserId", "rehearsal-user".to_owned())],
        false,
        "giving a seat to a user",
    ));
    let resource = kiro_estate::ids::arn::profile(region, "{account}", "*");
    let members: Vec<AccountId> = accounts
        .iter()
        .filter(|a| engine.estate().standing(a) != Standing::Management)
        .cloned()
        .collect();
    for account in &members {
        for (context, allowed, journey) in &cases {
            for action in SEAT_ACTIONS {
                let decision = engine
                    .decide(&kiro_engine::Question {
                        account,
                        action,
                        resource: &resource,
                        region,
                        context,
                    })
                    .map_err(|e| AdviceError::Estate(format!("cannot rehearse seats: {e}")))?;
                let denied_by_rail = matches!(&decision,
                    Decision::ExplicitlyDenied { policy, .. } if policy.as_ref() == DENY_SEATS);
                let problem = if *allowed {
                    (decision != Decision::Allowed).then(|| {
                        format!(
                            "`{action}` was {}, but the group is approved",
                            decision.kind()
                        )
                    })
                } else {
                    (!denied_by_rail).then(|| {
                        format!(
                            "`{action}` was {} instead of being denied by the seat rail",
                            decision.kind()
                        )
                    })
                };
                if let Some(problem) = problem {
                    return Err(AdviceError::Rehearsal {
                        pattern,
                        account: account.clone(),
                        journey,
                        problem,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Runs `journey`'s operations in order, stopping at the first refusal (with its index and
/// operation).
fn walk(
    engine: &mut Engine,
    journey: Journey,
    account: &AccountId,
    region: &str,
) -> Result<(), (usize, &'static str, OpError)> {
    for (n, op) in journey.ops(account, region).into_iter().enumerate() {
        engine
            .apply(&op, rehearsal_time())
            .map_err(|e| (n, op.name(), e))?;
    }
    Ok(())
}

/// Whether `e` is an SCP denial by one of `rails`, read from the decision the denial carries.
fn blocked_by(e: &OpError, rails: &GuardRails) -> bool {
    match e.decision.as_deref() {
        Some(Decision::ExplicitlyDenied { policy, .. }) => {
            rails.rails.iter().any(|r| r.name == policy.as_ref())
        }
        _ => false,
    }
}
