//! How counts read in messages: every command says "1 operation" and "2 operations" alike.

/// `n` with the noun in the number it takes: `count(1, "finding", "findings")` is
/// `1 finding`, `count(0, …)` is `0 findings`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(1, "operation", "operations"), "1 operation");
        assert_eq!(count(0, "operation", "operations"), "0 operations");
        assert_eq!(count(2, "info", "info"), "2 info");
    }
}
