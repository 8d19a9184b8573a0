//! Identifiers in AWS's formats, and the deterministic generation of the ones a file leaves out.
//!
//! A hand-written estate names things by natural keys (account ids, OU names, user names); AWS
//! gives every resource an opaque id (`o-…`, `ou-…`, `ssoins-…`, `d-…`, user UUIDs). kiro-org
//! derives missing ids from a stable hash of the natural key, so the same estate always gets the
//! same ids (snapshots, diffs and `plan` stay reproducible) and the ids look exactly like AWS's.

use std::fmt;

use crate::model::Name;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A 12-digit AWS account id. Kept as written so that validation can report a malformed one
/// with its location instead of failing the whole parse.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct AccountId(Name);

/// An account id is looked up by its text (`estate.accounts.get("123456789012")`); its hash
/// is its text's, as `Borrow` requires.
impl std::borrow::Borrow<str> for AccountId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AccountId {
    /// Wraps `id` without checking it; see [`AccountId::is_valid`].
    pub fn new(id: impl Into<Name>) -> Self {
        Self(id.into())
    }

    /// Whether this is exactly 12 ASCII digits.
    pub fn is_valid(&self) -> bool {
        is_account_id(&self.0)
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `s` is exactly 12 ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for AccountId {
    fn from(s: &str) -> Self {
        Self(Name::from(s))
    }
}

impl Serialize for AccountId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    /// Accepts a string. An unquoted YAML/JSON number is refused: it has lost its leading
    /// zeros (and YAML may read `0123…` as octal), so the file must say what it means.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(StringNotNumber("a 12-digit account id"))
            .map(AccountId)
    }
}

/// A string that a number must not stand for: an account id, or what may be one (an SCP
/// attachment's target). For `#[serde(deserialize_with)]`.
pub fn not_a_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer
        .deserialize_any(StringNotNumber("a string"))
        .map(Name::into_string)
}

/// Visits a string, and refuses a number with the account-id advice.
struct StringNotNumber(&'static str);

impl StringNotNumber {
    fn number<E: de::Error>(digits: String) -> E {
        let padded = format!("{digits:0>12}");
        E::custom(format!(
            "`{digits}` is a number, but {}",
            crate::schema::account_id_number_help(&padded)
        ))
    }
}

impl Visitor<'_> for StringNotNumber {
    type Value = Name;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
        Ok(Name::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Name, E> {
        Err(Self::number(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Name, E> {
        Err(Self::number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Name, E> {
        Err(Self::number(v.to_string()))
    }
}

/// FNV-1a, chosen because it is tiny, stable across Rust versions and platforms (unlike
/// `DefaultHasher`), and good enough to spread ids: uniqueness is checked, not assumed.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// splitmix64: turns one hash into as many well-mixed words as an id needs.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `len` characters drawn from `alphabet`, determined by `parts`.
pub fn derive(alphabet: &[u8], len: usize, parts: &[&str]) -> String {
    let mut state = fnv1a(parts);
    (0..len)
        .map(|_| {
            let word = splitmix(&mut state);
            let index = usize::try_from(word % alphabet.len() as u64).unwrap_or(0);
            char::from(alphabet[index])
        })
        .collect()
}

/// Lowercase letters and digits, as in organization, root, OU and policy ids.
pub const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Lowercase hexadecimal digits, as in instance, identity-store and application ids.
pub const HEX: &[u8] = b"0123456789abcdef";
/// Uppercase letters and digits, as in Kiro profile ids.
pub const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// `o-` and 10 characters: an organization id.
pub fn organization_id(management: &AccountId) -> String {
    format!(
        "o-{}",
        derive(LOWER_ALNUM, 10, &["org", management.as_str()])
    )
}

/// `r-` and 4 characters: the root of an organization.
pub fn root_id(management: &AccountId) -> String {
    format!(
        "r-{}",
        derive(LOWER_ALNUM, 4, &["root", management.as_str()])
    )
}

/// `ou-<root>-<8>`: an organizational unit.
pub fn ou_id(root_id: &str, management: &AccountId, name: &str) -> String {
    let root = root_id.strip_prefix("r-").unwrap_or(root_id);
    format!(
        "ou-{root}-{}",
        derive(LOWER_ALNUM, 8, &["ou", management.as_str(), name])
    )
}

/// `p-` and 10 characters: a customer-managed SCP. Ten, because the ARN AWS's service model
/// accepts for a customer policy has 10 to 32 after `p-` (the id alone may have 8).
pub fn policy_id(management: &AccountId, name: &str) -> String {
    format!(
        "p-{}",
        derive(LOWER_ALNUM, 10, &["policy", management.as_str(), name])
    )
}

/// The id of the `n`th handshake of the organization of `management` (`h-…`), as AWS's
/// pattern `h-[0-9a-z]{8,32}` has it.
pub fn handshake_id(management: &AccountId, n: usize) -> String {
    format!(
        "h-{}",
        derive(
            LOWER_ALNUM,
            12,
            &["handshake", management.as_str(), &n.to_string()]
        )
    )
}

/// The id of the `n`th responsibility transfer the management account `management` invited
/// (`rt-…`).
pub fn transfer_id(management: &AccountId, n: usize) -> String {
    format!(
        "rt-{}",
        derive(
            LOWER_ALNUM,
            12,
            &["transfer", management.as_str(), &n.to_string()]
        )
    )
}

/// The id of the resource policy of the organization of `management` (`rp-…`).
pub fn resource_policy_id(management: &AccountId) -> String {
    format!(
        "rp-{}",
        derive(LOWER_ALNUM, 8, &["resource-policy", management.as_str()])
    )
}

/// The id of the AWS managed `FullAWSAccess` SCP, the same in every organization.
pub const FULL_AWS_ACCESS_ID: &str = "p-FullAWSAccess";
/// The name of the AWS managed SCP attached to every new root, OU and account.
pub const FULL_AWS_ACCESS: &str = "FullAWSAccess";

/// The id of the AWS managed `RCPFullAWSAccess` RCP, the same in every organization.
pub const RCP_FULL_AWS_ACCESS_ID: &str = "p-RCPFullAWSAccess";
/// The name of the AWS managed RCP at the root, every OU and every account while RCPs are
/// enabled; it cannot be detached, so an estate never records its attachments.
pub const RCP_FULL_AWS_ACCESS: &str = "RCPFullAWSAccess";
/// The document of `RCPFullAWSAccess`: everything, for every principal.
pub const RCP_FULL_AWS_ACCESS_DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// `ssoins-` and 16 hex digits: an Identity Center instance.
pub fn instance_id(owner: &AccountId, region: &str) -> String {
    format!(
        "ssoins-{}",
        derive(HEX, 16, &["instance", owner.as_str(), region])
    )
}

/// `d-` and 10 hex digits: an identity store.
pub fn identity_store_id(owner: &AccountId, region: &str) -> String {
    format!("d-{}", derive(HEX, 10, &["store", owner.as_str(), region]))
}

/// A user or group id in Identity Store's format: 10 hex digits, a dash, and a UUID.
pub fn principal_id(store: &str, kind: &str, name: &str) -> Name {
    let h = derive(HEX, 42, &[kind, store, name]);
    compact_str::format_compact!(
        "{}-{}-{}-4{}-{}-{}",
        &h[0..10],
        &h[10..18],
        &h[18..22],
        &h[22..25],
        &h[25..29],
        &h[29..41]
    )
}

/// 12 uppercase characters: a Kiro profile id.
pub fn profile_id(account: &AccountId, region: &str) -> String {
    derive(UPPER_ALNUM, 12, &["profile", account.as_str(), region])
}

/// `apl-` and 16 hex digits: the Identity Center application that registers a profile.
pub fn application_id(account: &AccountId, region: &str) -> String {
    format!(
        "apl-{}",
        derive(HEX, 16, &["application", account.as_str(), region])
    )
}

/// The id of the customer managed application `name` of the instance of `owner` (`apl-…`).
pub fn custom_application_id(owner: &AccountId, name: &str) -> String {
    format!(
        "apl-{}",
        derive(HEX, 16, &["custom-application", owner.as_str(), name])
    )
}

/// The id of permission set `name` of the instance of `owner` (`ps-…`, 16 hex digits).
pub fn permission_set_id(owner: &AccountId, name: &str) -> String {
    format!(
        "ps-{}",
        derive(HEX, 16, &["permission-set", owner.as_str(), name])
    )
}

/// The id of a trusted token issuer of the instance of `owner`, created as `name` at `at`
/// (`tti-` and a UUID): it keeps its id when renamed, and a later one of that name gets another.
pub fn trusted_token_issuer_id(owner: &AccountId, name: &str, at: &str) -> String {
    let h = derive(HEX, 32, &["trusted-token-issuer", owner.as_str(), name, at]);
    format!(
        "tti-{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// An AWS partition: a separate AWS with its own regions, accounts and ARNs. An organization,
/// its Identity Center instances and its Kiro profiles live in one (see
/// [`crate::Estate::partition`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Partition {
    /// The commercial regions (`aws`).
    #[default]
    Aws,
    /// The China regions (`aws-cn`).
    China,
    /// AWS GovCloud (US) (`aws-us-gov`).
    GovCloud,
}

impl Partition {
    /// The partition as ARNs name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::China => "aws-cn",
            Self::GovCloud => "aws-us-gov",
        }
    }
}

impl Partition {
    /// The partition an ARN names (`aws`, `aws-cn`, `aws-us-gov`); none for another name.
    pub fn named(name: &str) -> Option<Self> {
        [Self::Aws, Self::China, Self::GovCloud]
            .into_iter()
            .find(|p| p.as_str() == name)
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The partition a region belongs to: `aws-cn` for the China regions, `aws-us-gov` for
/// GovCloud, `aws` for every other.
pub fn partition(region: &str) -> Partition {
    if region.starts_with("cn-") {
        Partition::China
    } else if region.starts_with("us-gov-") {
        Partition::GovCloud
    } else {
        Partition::Aws
    }
}

/// ARNs in the formats AWS returns them. A global resource's ARN takes the estate's partition;
/// a regional one (a profile) takes it from its own region, so that the two can never disagree.
pub mod arn {
    use super::{AccountId, Partition};

    /// `arn:<partition>:sso:::instance/ssoins-…`
    pub fn instance(partition: Partition, instance_id: &str) -> String {
        format!("arn:{partition}:sso:::instance/{instance_id}")
    }
    /// `arn:<partition>:sso:::permissionSet/ssoins-…/ps-…`
    pub fn permission_set(partition: Partition, instance_id: &str, id: &str) -> String {
        format!("arn:{partition}:sso:::permissionSet/{instance_id}/{id}")
    }
    /// `arn:<partition>:sso::<account>:trustedTokenIssuer/ssoins-…/tti-…`
    pub fn trusted_token_issuer(
        partition: Partition,
        owner: &AccountId,
        instance_id: &str,
        id: &str,
    ) -> String {
        format!("arn:{partition}:sso::{owner}:trustedTokenIssuer/{instance_id}/{id}")
    }
    /// `arn:<partition>:identitystore::<account>:identitystore/d-…`
    pub fn identity_store(partition: Partition, owner: &AccountId, store: &str) -> String {
        format!("arn:{partition}:identitystore::{owner}:identitystore/{store}")
    }
    /// `arn:<partition>:identitystore:::<kind>/<id>`: a user, group or membership of an
    /// identity store (`kind` is `user`, `group` or `membership`).
    pub fn identity(partition: Partition, kind: &str, id: &str) -> String {
        format!("arn:{partition}:identitystore:::{kind}/{id}")
    }
    /// `arn:<partition>:sso::<account>:application/ssoins-…/apl-…`
    pub fn application(
        partition: Partition,
        owner: &AccountId,
        instance_id: &str,
        application_id: &str,
    ) -> String {
        format!("arn:{partition}:sso::{owner}:application/{instance_id}/{application_id}")
    }
    /// `arn:<partition>:sso::aws:applicationProvider/<name>`: an AWS application provider.
    pub fn application_provider(partition: Partition, name: &str) -> String {
        format!("arn:{partition}:sso::aws:applicationProvider/{name}")
    }
    /// `arn:<partition>:codewhisperer:<region>:<account>:profile/<id>`, the partition the
    /// region's. `account` is text so that a pattern (`{account}`) or `*` can stand in it, and
    /// `profile_id` may be `*`.
    pub fn profile(region: &str, account: &str, profile_id: &str) -> String {
        let partition = super::partition(region);
        format!("arn:{partition}:codewhisperer:{region}:{account}:profile/{profile_id}")
    }
    /// `arn:<partition>:iam::aws:policy/<name>`: an AWS managed IAM policy.
    pub fn managed_policy(partition: Partition, name: &str) -> String {
        format!("arn:{partition}:iam::aws:policy/{name}")
    }
    /// `arn:<partition>:iam::<account>:role/<name>`: an IAM role.
    pub fn role(partition: Partition, account: &str, name: &str) -> String {
        format!("arn:{partition}:iam::{account}:role/{name}")
    }
    /// `arn:<partition>:iam::<account>:root`: an account's root user.
    pub fn root_user(partition: Partition, account: &AccountId) -> String {
        format!("arn:{partition}:iam::{account}:root")
    }
    /// `arn:<partition>:organizations::<mgmt>:organization/o-…`
    pub fn organization(partition: Partition, management: &AccountId, org_id: &str) -> String {
        format!("arn:{partition}:organizations::{management}:organization/{org_id}")
    }
    /// `arn:<partition>:organizations::<mgmt>:account/o-…/<account>`
    pub fn account(
        partition: Partition,
        management: &AccountId,
        org_id: &str,
        account: &AccountId,
    ) -> String {
        format!("arn:{partition}:organizations::{management}:account/{org_id}/{account}")
    }
    /// `arn:<partition>:organizations::<mgmt>:root/o-…/r-…`
    pub fn root(
        partition: Partition,
        management: &AccountId,
        org_id: &str,
        root_id: &str,
    ) -> String {
        format!("arn:{partition}:organizations::{management}:root/{org_id}/{root_id}")
    }
    /// `arn:<partition>:organizations::<mgmt>:ou/o-…/ou-…`
    pub fn ou(partition: Partition, management: &AccountId, org_id: &str, ou_id: &str) -> String {
        format!("arn:{partition}:organizations::{management}:ou/{org_id}/{ou_id}")
    }
    /// A policy of another type than SCP: its type, lowercase, is part of the ARN; the AWS
    /// managed `RCPFullAWSAccess` is AWS's.
    pub fn typed_policy(
        partition: Partition,
        management: &AccountId,
        org_id: &str,
        policy_type: &str,
        policy_id: &str,
    ) -> String {
        let kind = policy_type.to_ascii_lowercase();
        if policy_id == super::RCP_FULL_AWS_ACCESS_ID {
            format!("arn:{partition}:organizations::aws:policy/{kind}/{policy_id}")
        } else {
            format!(
                "arn:{partition}:organizations::{management}:policy/{org_id}/{kind}/{policy_id}"
            )
        }
    }
    /// `arn:<partition>:organizations::<mgmt>:handshake/o-…/<action>/h-…`, the action
    /// lowercase (`invite`, `enable_all_features`).
    pub fn handshake(
        partition: Partition,
        management: &AccountId,
        org_id: &str,
        action: &str,
        id: &str,
    ) -> String {
        format!(
            "arn:{partition}:organizations::{management}:handshake/{org_id}/{}/{id}",
            action.to_ascii_lowercase()
        )
    }
    /// `arn:<partition>:organizations::<mgmt>:transfer/o-…/billing/<direction>/rt-…`, as the
    /// management account `management` of organization `org_id` sees the transfer: `inbound`
    /// when it manages the responsibility, `outbound` when its own is transferred.
    pub fn transfer(
        partition: Partition,
        management: &AccountId,
        org_id: &str,
        direction: &str,
        id: &str,
    ) -> String {
        format!(
            "arn:{partition}:organizations::{management}:transfer/{org_id}/billing/{direction}/{id}"
        )
    }
    /// `arn:<partition>:organizations::<mgmt>:resourcepolicy/o-…/rp-…`
    pub fn resource_policy(
        partition: Partition,
        management: &AccountId,
        org_id: &str,
        id: &str,
    ) -> String {
        format!("arn:{partition}:organizations::{management}:resourcepolicy/{org_id}/{id}")
    }
    /// A customer-managed SCP, or the AWS managed `FullAWSAccess`.
    pub fn policy(
        partition: Partition,
        management: &AccountId,
        org_id: &str,
        policy_id: &str,
    ) -> String {
        if policy_id == super::FULL_AWS_ACCESS_ID {
            format!("arn:{partition}:organizations::aws:policy/service_control_policy/{policy_id}")
        } else {
            format!(
                "arn:{partition}:organizations::{management}:policy/{org_id}/service_control_policy/{policy_id}"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_aws_shapes_and_are_stable() {
        let m = AccountId::new("123456789012");
        let org = organization_id(&m);
        assert_eq!(org.len(), 12);
        assert!(org.starts_with("o-"));
        assert_eq!(org, organization_id(&m));
        assert_ne!(org, organization_id(&AccountId::new("123456789013")));
        let root = root_id(&m);
        let ou = ou_id(&root, &m, "eng");
        assert!(ou.starts_with(&format!("ou-{}-", &root[2..])));
        assert_eq!(ou.len(), 3 + 4 + 1 + 8);
        assert_eq!(instance_id(&m, "us-east-1").len(), 7 + 16);
        assert_eq!(identity_store_id(&m, "us-east-1").len(), 12);
        let user = principal_id("d-1234567890", "user", "hanako");
        assert_eq!(user.len(), 10 + 1 + 36);
        assert_eq!(profile_id(&m, "us-east-1").len(), 12);
    }

    #[test]
    fn regions_map_to_their_partitions() {
        assert_eq!(partition("us-east-1").as_str(), "aws");
        assert_eq!(partition("eu-central-1").as_str(), "aws");
        assert_eq!(partition("cn-north-1").as_str(), "aws-cn");
        assert_eq!(partition("cn-northwest-1").as_str(), "aws-cn");
        assert_eq!(partition("us-gov-west-1").as_str(), "aws-us-gov");
        assert_eq!(Partition::named("aws-us-gov"), Some(Partition::GovCloud));
        assert_eq!(Partition::named("aws-iso"), None);
        assert_eq!(
            arn::instance(partition("cn-north-1"), "ssoins-1"),
            "arn:aws-cn:sso:::instance/ssoins-1"
        );
        assert_eq!(
            arn::profile("us-gov-west-1", "111122223333", "*"),
            "arn:aws-us-gov:codewhisperer:us-gov-west-1:111122223333:profile/*"
        );
    }

    #[test]
    fn account_ids_are_exactly_twelve_digits() {
        assert!(is_account_id("012345678901"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
    }
}
