//! E-mail addresses: what a valid one is, when two name the same person, and where AWS
//! requires one to be unique. The engine's operations, the server's handlers, validation of
//! hand-written estates and the analyses (duplicates across identity stores) all ask here.
//!
//! - **Valid**: one local part and one domain around the first `@`, neither empty, and no
//!   whitespace anywhere. This is the shape both Organizations (an account's root e-mail) and
//!   the Identity Store (a user's e-mail) accept; kiro-org asks no more of it.
//! - **The same person**: two e-mail addresses name the same person when they are equal
//!   ignoring case (and surrounding whitespace), which is how kiro-org recognises one person
//!   across identity stores. A user without an e-mail (optional in AWS) is nobody's twin.
//! - **Unique**: an account's root e-mail, across all accounts (Organizations refuses a
//!   second account with an e-mail in use). Identity Store users may share an e-mail.

use std::borrow::Cow;

use crate::model::{Account, Estate};

/// Why `text` is not an e-mail address, if it is not.
pub fn check(text: &str) -> Result<(), String> {
    let valid = match text.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !has_whitespace(text),
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!("`{text}` is not an email address"))
    }
}

/// Whether `text` holds whitespace (Unicode's, as `char::is_whitespace` says), looked for
/// byte by byte in ASCII text.
fn has_whitespace(text: &str) -> bool {
    if text.is_ascii() {
        // `char::is_whitespace` in ASCII: space, tab, line feed, vertical tab, form feed and
        // carriage return.
        text.bytes()
            .any(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
    } else {
        text.contains(char::is_whitespace)
    }
}

/// The key that identifies the person an e-mail address names: trimmed and lower-cased
/// (borrowed when it is already both, which most addresses are).
pub fn person(email: &str) -> Cow<'_, str> {
    let trimmed = email.trim();
    // Most addresses are ASCII, whose upper case is found byte by byte; a large estate holds
    // hundreds of thousands of them.
    let upper = if trimmed.is_ascii() {
        trimmed.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        trimmed.chars().any(char::is_uppercase)
    };
    if upper {
        Cow::Owned(trimmed.to_lowercase())
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The person an optional e-mail names: none for a missing or blank one, which matches nobody.
pub fn person_of(email: Option<&str>) -> Option<Cow<'_, str>> {
    email.map(person).filter(|p| !p.is_empty())
}

/// Whether two e-mail addresses name the same person.
pub fn same_person(a: &str, b: &str) -> bool {
    person(a) == person(b)
}

/// The account, other than `except`, whose root e-mail is `email`: AWS keeps account e-mails
/// unique.
pub fn account_with<'e>(
    estate: &'e Estate,
    email: &str,
    except: Option<&Account>,
) -> Option<&'e Account> {
    estate.accounts.iter().find(|a| {
        except.is_none_or(|x| x.id != a.id)
            && a.email.as_deref().is_some_and(|e| same_person(e, email))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_and_sameness() {
        assert!(check("a@b").is_ok());
        assert!(check("ab").is_err());
        assert!(check("@b").is_err());
        assert!(check("a@").is_err());
        assert!(check("a b@c").is_err());
        assert!(check("a\u{b}b@c").is_err());
        assert!(check("a@b\u{a0}c").is_err());
        assert!(check("é@b").is_ok());
        assert!(same_person("Alice@Example.com", " alice@example.com"));
        assert!(same_person("ÉLISE@example.com", "élise@example.com"));
        assert_eq!(person_of(Some("  ")), None);
        assert_eq!(person_of(None), None);
    }
}
