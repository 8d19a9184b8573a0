//! Compiled wildcard patterns: `*` matches any run of characters, `?` exactly one.
//!
//! Patterns are compiled once at parse time into segments; matching walks the segments with
//! the classic single-backtrack-point algorithm (linear in practice, never exponential) and
//! never allocates.

use crate::context::Context;
use crate::variables::{Seg, tokenize};

/// How letters compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// Exactly.
    Sensitive,
    /// ASCII letters ignore case (action names, ARN prefixes).
    Ascii,
    /// Any letters ignore case (`StringEqualsIgnoreCase`).
    Unicode,
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    segs: Vec<Seg>,
    has_vars: bool,
}

impl Pattern {
    /// Compiles `text`; see [`tokenize`] for the flags.
    pub fn new(text: &str, wildcards: bool, variables: bool) -> Self {
        Self::from_segs(tokenize(text, wildcards, variables))
    }

    pub(crate) fn from_segs(segs: Vec<Seg>) -> Self {
        let has_vars = segs.iter().any(|s| matches!(s, Seg::Var(_)));
        Pattern { segs, has_vars }
    }

    /// Whether `text` matches; `None` when a variable cannot be resolved, which callers treat
    /// as "cannot match" for plain and negated operators alike.
    pub fn matches(&self, text: &str, ctx: &Context, case: Case) -> Option<bool> {
        if self.has_vars
            && self
                .segs
                .iter()
                .any(|s| matches!(s, Seg::Var(v) if v.resolve(ctx).is_none()))
        {
            return None;
        }
        Some(glob(&self.segs, text, ctx, case))
    }
}

/// Splits segments at literal `:` into at most `max` parts (the last keeps its colons), for
/// ARNs, whose wildcards stay within one part.
pub(crate) fn split_colons(segs: &[Seg], max: usize) -> Vec<Vec<Seg>> {
    let mut parts: Vec<Vec<Seg>> = vec![Vec::new()];
    for seg in segs {
        match seg {
            Seg::Lit(lit) => {
                let mut rest: &str = lit;
                while parts.len() < max {
                    let Some(i) = rest.find(':') else { break };
                    if i > 0 {
                        push(&mut parts, Seg::Lit(rest[..i].into()));
                    }
                    parts.push(Vec::new());
                    rest = &rest[i + 1..];
                }
                if !rest.is_empty() {
                    push(&mut parts, Seg::Lit(rest.into()));
                }
            }
            other => push(&mut parts, other.clone()),
        }
    }
    parts
}

fn push(parts: &mut [Vec<Seg>], seg: Seg) {
    if let Some(last) = parts.last_mut() {
        last.push(seg);
    }
}

fn glob(segs: &[Seg], text: &str, ctx: &Context, case: Case) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    loop {
        if let Some(seg) = segs.get(pi) {
            let rest = &text[ti..];
            let step = match seg {
                Seg::Star => {
                    backtrack = Some((pi + 1, ti));
                    pi += 1;
                    continue;
                }
                Seg::One => rest.chars().next().map(char::len_utf8),
                Seg::Lit(lit) => prefix(rest, lit, case),
                Seg::Var(var) => var.resolve(ctx).and_then(|v| prefix(rest, v, case)),
            };
            if let Some(n) = step {
                pi += 1;
                ti += n;
                continue;
            }
        } else if ti == text.len() {
            return true;
        }
        // Mismatch: let the last star swallow one more character.
        match backtrack {
            Some((bp, bt)) => match text[bt..].chars().next() {
                Some(c) => {
                    let bt = bt + c.len_utf8();
                    backtrack = Some((bp, bt));
                    pi = bp;
                    ti = bt;
                }
                None => return false,
            },
            None => return false,
        }
    }
}

/// If `text` starts with `lit`, the number of bytes of `text` it covers.
fn prefix(text: &str, lit: &str, case: Case) -> Option<usize> {
    match case {
        Case::Sensitive => text.starts_with(lit).then_some(lit.len()),
        Case::Ascii => {
            let n = lit.len();
            (text.len() >= n && text.as_bytes()[..n].eq_ignore_ascii_case(lit.as_bytes()))
                .then_some(n)
        }
        Case::Unicode => {
            let mut chars = text.char_indices();
            for l in lit.chars() {
                let (_, t) = chars.next()?;
                if t != l && !t.to_lowercase().eq(l.to_lowercase()) {
                    return None;
                }
            }
            Some(chars.next().map_or(text.len(), |(i, _)| i))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook recursive definition of `*` and `?`.
    fn reference(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|k| reference(&p[1..], &t[k..])),
            Some('?') => !t.is_empty() && reference(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && reference(&p[1..], &t[1..]),
        }
    }

    proptest! {
        #[test]
        fn glob_agrees_with_the_recursive_definition(p in "[ab*?é]{0,8}", t in "[abé]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            let fast = Pattern::new(&p, true, false).matches(&t, &Context::new(), Case::Sensitive);
            prop_assert_eq!(fast, Some(reference(&pc, &tc)));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,200}") {
            let _ = crate::Policy::parse(&text);
        }

        #[test]
        fn parsing_policy_shaped_text_never_panics(
            text in r#"\{"(Statement|Version|Sid)": ?\[?\{"(Effect|Action|Resource|Condition|NotAction)": ?("[A-Za-z:*?${}/,' ]{0,12}"|\{"[A-Za-z:]{0,14}": ?\{"[a-z:]{0,6}": ?"[0-9./:a-z*]{0,10}"\}\}|\[\])\}?\]?\}?"#
        ) {
            let _ = crate::Policy::parse(&text);
        }
    }

    fn m(p: &str, t: &str) -> bool {
        Pattern::new(p, true, false)
            .matches(t, &Context::new(), Case::Sensitive)
            .unwrap()
    }

    #[test]
    fn star_and_question() {
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(m("a*c", "abbbc"));
        assert!(m("a*c", "ac"));
        assert!(!m("a*c", "acb"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(!m("*a*b*", "xxbxxaxx"));
        assert!(m("?é?", "aéb"));
        assert!(m("a*b*c", "abcabcabc"));
        assert!(!m("abc", "ABC"));
    }

    #[test]
    fn case_modes() {
        let p = Pattern::new("s3:Get*", true, false);
        assert_eq!(
            p.matches("S3:GETOBJECT", &Context::new(), Case::Ascii),
            Some(true)
        );
        let p = Pattern::new("Straße", false, false);
        assert_eq!(
            p.matches("STRAßE", &Context::new(), Case::Unicode),
            Some(true)
        );
    }

    #[test]
    fn literal_star_without_wildcards() {
        let p = Pattern::new("a*", false, false);
        assert_eq!(
            p.matches("a*", &Context::new(), Case::Sensitive),
            Some(true)
        );
        assert_eq!(
            p.matches("ab", &Context::new(), Case::Sensitive),
            Some(false)
        );
    }

    #[test]
    fn variables_substitute_literally() {
        let mut ctx = Context::new();
        ctx.insert("aws:username", "a*");
        let p = Pattern::new("home/${aws:username}/*", true, true);
        assert_eq!(p.matches("home/a*/x", &ctx, Case::Sensitive), Some(true));
        assert_eq!(p.matches("home/ab/x", &ctx, Case::Sensitive), Some(false));
        assert_eq!(
            p.matches("home/a*/x", &Context::new(), Case::Sensitive),
            None
        );
    }

    #[test]
    fn splits_arn_parts_outside_variables() {
        let segs = tokenize("arn:aws:iam::${aws:PrincipalAccount}:role/a:b", true, true);
        let parts = split_colons(&segs, 6);
        assert_eq!(parts.len(), 6);
        assert_eq!(parts[3], vec![]);
        assert!(matches!(parts[4].as_slice(), [Seg::Var(_)]));
        assert_eq!(parts[5], vec![Seg::Lit("role/a:b".into())]);
    }
}
