//! The lengths AWS allows for names and other strings, checked where an estate gains one.
//!
//! AWS refuses an account named with 51 characters, an OU with 129, a user name with 129: a
//! simulator that accepted them would let a plan pass here that fails there. Each bound is
//! the API's own (`AccountName`, `OrganizationalUnitName`, `PolicyName`, … in the service
//! models), counted in characters as AWS counts them; the engine checks them as operations
//! arrive and the validator in hand-written files, with the same words.

/// A string's allowed length, in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    /// What the string is, for messages: "an account name".
    pub what: &'static str,
    /// The fewest characters (1: it may not be empty).
    pub min: usize,
    /// The most characters.
    pub max: usize,
    /// The API whose limit this is, for the help text.
    pub source: &'static str,
}

/// `AccountName` of Organizations' `CreateAccount`: 1–50.
pub const ACCOUNT_NAME: Bound = Bound {
    what: "an account name",
    min: 1,
    max: 50,
    source: "AWS Organizations",
};

/// `Name` of an organizational unit: 1–128.
pub const OU_NAME: Bound = Bound {
    what: "an OU name",
    min: 1,
    max: 128,
    source: "AWS Organizations",
};

/// `Name` of a policy: 1–128.
pub const POLICY_NAME: Bound = Bound {
    what: "a policy name",
    min: 1,
    max: 128,
    source: "AWS Organizations",
};

/// `Description` of a policy: 0–512.
pub const POLICY_DESCRIPTION: Bound = Bound {
    what: "a policy description",
    min: 0,
    max: 512,
    source: "AWS Organizations",
};

/// `UserName` of an Identity Store user: 1–128.
pub const USER_NAME: Bound = Bound {
    what: "a user name",
    min: 1,
    max: 128,
    source: "the Identity Store",
};

/// `DisplayName` of an Identity Store user or group: 1–1024.
pub const DISPLAY_NAME: Bound = Bound {
    what: "a display name",
    min: 1,
    max: 1024,
    source: "the Identity Store",
};

/// A group's `DisplayName`, its name in the estate: 1–1024.
pub const GROUP_NAME: Bound = Bound {
    what: "a group name",
    min: 1,
    max: 1024,
    source: "the Identity Store",
};

impl Bound {
    /// Whether `value` fits; the message says by how much it does not. Blank text counts as
    /// empty: AWS's patterns refuse a name of spaces only.
    pub fn check(&self, value: &str) -> Result<(), String> {
        let n = if value.trim().is_empty() {
            0
        } else {
            value.chars().count()
        };
        if n < self.min {
            return Err(format!("{} cannot be empty", self.what));
        }
        if n > self.max {
            return Err(format!(
                "{} is at most {} characters in {}; this one has {}",
                self.what,
                self.max,
                self.source,
                crate::words::count(n, "character", "characters")
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_counted_in_characters_within_aws_bounds() {
        assert!(ACCOUNT_NAME.check(&"a".repeat(50)).is_ok());
        assert_eq!(
            ACCOUNT_NAME.check(&"a".repeat(51)),
            Err("an account name is at most 50 characters in AWS Organizations; this one has 51 characters".to_owned())
        );
        // Characters, not bytes: fifty kanji fit.
        assert!(ACCOUNT_NAME.check(&"経".repeat(50)).is_ok());
        assert_eq!(
            USER_NAME.check("  "),
            Err("a user name cannot be empty".to_owned())
        );
        assert!(POLICY_DESCRIPTION.check("").is_ok());
    }
}
