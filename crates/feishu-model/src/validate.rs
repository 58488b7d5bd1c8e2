//! Validation of documented parameter rules, checked before anything is sent.

/// A parameter broke a documented rule; names the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The parameter, as the documentation names it (`name`, `id_list`, ...).
    pub field: String,
    /// The rule it broke, in words.
    pub rule: String,
}

impl Invalid {
    /// A new validation failure for `field`.
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid parameter `{}`: {}", self.field, self.rule)
    }
}

impl std::error::Error for Invalid {}

/// Checks that a string has between `min` and `max` characters (inclusive).
pub fn char_len(field: &str, value: &str, min: usize, max: usize) -> Result<(), Invalid> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(Invalid::new(
            field,
            format!("length must be {min}..={max} characters, got {n}"),
        ));
    }
    Ok(())
}

/// Like [`char_len`] for an optional value: `None` passes.
pub fn opt_char_len(
    field: &str,
    value: Option<&str>,
    min: usize,
    max: usize,
) -> Result<(), Invalid> {
    value.map_or(Ok(()), |v| char_len(field, v, min, max))
}

/// Checks that a list has between `min` and `max` items (inclusive).
pub fn count<T>(field: &str, items: &[T], min: usize, max: usize) -> Result<(), Invalid> {
    let n = items.len();
    if n < min || n > max {
        return Err(Invalid::new(
            field,
            format!("must hold {min}..={max} items, got {n}"),
        ));
    }
    Ok(())
}

/// Like [`count`] for an optional list: `None` passes.
pub fn opt_count<T>(
    field: &str,
    items: Option<&[T]>,
    min: usize,
    max: usize,
) -> Result<(), Invalid> {
    items.map_or(Ok(()), |v| count(field, v, min, max))
}

/// Checks that a number lies in `min..=max`.
pub fn range<N: PartialOrd + std::fmt::Display>(
    field: &str,
    value: N,
    min: N,
    max: N,
) -> Result<(), Invalid> {
    if value < min || value > max {
        return Err(Invalid::new(
            field,
            format!("must be in {min}..={max}, got {value}"),
        ));
    }
    Ok(())
}

/// Checks that a required value is present and, for strings, not empty.
pub fn required<T: AsRef<str>>(field: &str, value: Option<&T>) -> Result<(), Invalid> {
    match value {
        Some(v) if !v.as_ref().is_empty() => Ok(()),
        _ => Err(Invalid::new(field, "is required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_name_the_field_and_the_limits() {
        let e = char_len("name", "abcdef", 1, 5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid parameter `name`: length must be 1..=5 characters, got 6"
        );
        assert!(char_len("name", "群组名字", 1, 4).is_ok());
        assert_eq!(
            count("id_list", &[1; 51], 1, 50).unwrap_err().field,
            "id_list"
        );
        assert!(range("page_size", 0, 1, 100).is_err());
        assert!(required::<String>("uuid", None).is_err());
        assert!(required("uuid", Some(&"x".to_string())).is_ok());
    }
}
