//! Policy variables: `${aws:PrincipalAccount}`, defaults `${key, 'default'}` and the escapes
//! `${*}`, `${?}`, `${$}`.
//!
//! Values are split into segments once, at parse time, so evaluation only looks the variable
//! up in the request context. A substituted value is always literal: a `*` in a tag value
//! never acts as a wildcard, and neither does the `*` written as `${*}`.

use crate::context::{Context, ContextValue};

/// A piece of a policy string after tokenizing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// Literal text.
    Lit(Box<str>),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    One,
    /// A policy variable.
    Var(Var),
}

/// A policy variable reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Var {
    /// The key, lowercase for the allocation-free lookup.
    pub key: Box<str>,
    /// The default after the comma, if any.
    pub default: Option<Box<str>>,
}

impl Var {
    /// The value the variable stands for in `ctx`, `None` when it cannot be resolved (missing
    /// or multivalued key and no default): then nothing the value is part of can match.
    pub fn resolve<'c>(&'c self, ctx: &'c Context) -> Option<&'c str> {
        match ctx.get_lower(&self.key) {
            Some(ContextValue::Single(v)) if !v.is_empty() => Some(v),
            _ => self.default.as_deref(),
        }
    }
}

/// Splits `text` into segments. Without `wildcards`, `*` and `?` are literal characters; without
/// `variables`, `${...}` is literal text.
pub(crate) fn tokenize(text: &str, wildcards: bool, variables: bool) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if wildcards && (c == '*' || c == '?') {
            flush(&mut segs, &mut lit);
            segs.push(if c == '*' { Seg::Star } else { Seg::One });
            rest = &rest[1..];
            continue;
        }
        if variables
            && rest.starts_with("${")
            && let Some(end) = rest[2..].find('}')
        {
            {
                let inner = &rest[2..2 + end];
                rest = &rest[2 + end + 1..];
                match inner {
                    "*" | "?" | "$" => lit.push_str(inner),
                    _ => {
                        flush(&mut segs, &mut lit);
                        segs.push(Seg::Var(parse_var(inner)));
                    }
                }
                continue;
            }
        }
        lit.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut segs, &mut lit);
    segs
}

fn flush(segs: &mut Vec<Seg>, lit: &mut String) {
    if !lit.is_empty() {
        segs.push(Seg::Lit(std::mem::take(lit).into_boxed_str()));
    }
}

fn parse_var(inner: &str) -> Var {
    let (name, default) = match inner.split_once(',') {
        Some((name, default)) => {
            let default = default.trim();
            let default = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .map(|d| d.to_owned().into_boxed_str());
            (name, default)
        }
        None => (inner, None),
    };
    Var {
        key: name.trim().to_lowercase().into_boxed_str(),
        default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_literals() {
        assert_eq!(
            tokenize("a${*}b${?}${$}", true, true),
            vec![Seg::Lit("a*b?$".into())]
        );
    }

    #[test]
    fn variables_with_defaults() {
        let segs = tokenize("x/${aws:PrincipalTag/team, 'none'}/*", true, true);
        assert_eq!(
            segs,
            vec![
                Seg::Lit("x/".into()),
                Seg::Var(Var {
                    key: "aws:principaltag/team".into(),
                    default: Some("none".into())
                }),
                Seg::Lit("/".into()),
                Seg::Star
            ]
        );
        let mut ctx = Context::new();
        let Seg::Var(v) = &segs[1] else {
            unreachable!()
        };
        assert_eq!(v.resolve(&ctx), Some("none"));
        ctx.insert("AWS:PrincipalTag/Team", "red");
        assert_eq!(v.resolve(&ctx), Some("red"));
    }

    #[test]
    fn without_variables_dollar_is_literal() {
        assert_eq!(
            tokenize("${a}*", false, false),
            vec![Seg::Lit("${a}*".into())]
        );
    }

    #[test]
    fn unclosed_variable_is_literal() {
        assert_eq!(tokenize("a${b", true, true), vec![Seg::Lit("a${b".into())]);
    }
}
