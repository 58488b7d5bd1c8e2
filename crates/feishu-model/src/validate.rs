//! Validation of documented parameter rules, checked before anything is sent.

/// The kind of documented rule a parameter broke: what a program matches on
/// (the words of [`Invalid::rule`] are for people and may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleKind {
    /// A required value is missing or empty.
    Required,
    /// A text has fewer characters than allowed.
    TooShort,
    /// A text has more characters than allowed.
    TooLong,
    /// A list has fewer items than allowed.
    TooFew,
    /// A list has more items than allowed.
    TooMany,
    /// A number lies outside its allowed range.
    OutOfRange,
    /// A value is not of the documented form (a URL, an integer in text,
    /// an object).
    BadFormat,
    /// A value is well formed but not one the endpoint accepts here (an
    /// enum value it refuses).
    BadValue,
    /// A value breaks a rule that ties it to another field: set together,
    /// mutually exclusive, consistent, ordered.
    Conflict,
    /// A value appears twice where it may appear once.
    Duplicate,
    /// A rule outside the kinds above (failures made with [`Invalid::new`]).
    Other,
}

impl RuleKind {
    /// A stable snake-case name (`required`, `too_long`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Required => "required",
            RuleKind::TooShort => "too_short",
            RuleKind::TooLong => "too_long",
            RuleKind::TooFew => "too_few",
            RuleKind::TooMany => "too_many",
            RuleKind::OutOfRange => "out_of_range",
            RuleKind::BadFormat => "bad_format",
            RuleKind::BadValue => "bad_value",
            RuleKind::Conflict => "conflict",
            RuleKind::Duplicate => "duplicate",
            RuleKind::Other => "other",
        }
    }
}

impl std::fmt::Display for RuleKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parameter broke a documented rule; names the field, the kind of rule
/// and the rule in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The parameter, as the documentation names it (`name`, `id_list`, ...).
    pub field: String,
    /// The kind of rule it broke.
    pub kind: RuleKind,
    /// The rule it broke, in words.
    pub rule: String,
}

impl Invalid {
    /// A failure of `field` against a rule of `kind`, described by `rule`.
    pub fn of(kind: RuleKind, field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            kind,
            rule: rule.into(),
        }
    }

    /// A failure of a rule outside the kinds ([`RuleKind::Other`]); the
    /// model itself always names the kind.
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::Other, field, rule)
    }

    /// A required value is missing ([`RuleKind::Required`]).
    pub fn required(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::Required, field, rule)
    }

    /// A text is too short ([`RuleKind::TooShort`]).
    pub fn too_short(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::TooShort, field, rule)
    }

    /// A text is too long ([`RuleKind::TooLong`]).
    pub fn too_long(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::TooLong, field, rule)
    }

    /// A list has too few items ([`RuleKind::TooFew`]).
    pub fn too_few(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::TooFew, field, rule)
    }

    /// A list has too many items ([`RuleKind::TooMany`]).
    pub fn too_many(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::TooMany, field, rule)
    }

    /// A number is out of range ([`RuleKind::OutOfRange`]).
    pub fn out_of_range(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::OutOfRange, field, rule)
    }

    /// A value is not of the documented form ([`RuleKind::BadFormat`]).
    pub fn bad_format(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::BadFormat, field, rule)
    }

    /// A value the endpoint does not accept here ([`RuleKind::BadValue`]).
    pub fn bad_value(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::BadValue, field, rule)
    }

    /// A value conflicts with another field ([`RuleKind::Conflict`]).
    pub fn conflict(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::Conflict, field, rule)
    }

    /// A value appears twice ([`RuleKind::Duplicate`]).
    pub fn duplicate(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Invalid::of(RuleKind::Duplicate, field, rule)
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid parameter `{}`: {}", self.field, self.rule)
    }
}

impl std::error::Error for Invalid {}

/// Reads an optional Unix time given as decimal text (`unit` names it in the
/// error: "seconds", "milliseconds"): digits only, no sign or space.
///
/// ```
/// use feishu_model::validate::unix_time;
/// assert_eq!(unix_time("start_time", Some("1609296809"), "seconds").unwrap(), Some(1609296809));
/// assert_eq!(unix_time("start_time", None, "seconds").unwrap(), None);
/// assert_eq!(unix_time("end_time", Some("+5"), "seconds").unwrap_err().field, "end_time");
/// ```
pub fn unix_time(field: &str, value: Option<&str>, unit: &str) -> Result<Option<u64>, Invalid> {
    let Some(text) = value else {
        return Ok(None);
    };
    match text.parse::<u64>() {
        Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(n)),
        _ => Err(Invalid::bad_format(
            field,
            format!("must be a Unix time in {unit} (decimal digits), got `{text}`"),
        )),
    }
}

/// Checks that a string has between `min` and `max` characters (inclusive).
pub fn char_len(field: &str, value: &str, min: usize, max: usize) -> Result<(), Invalid> {
    let n = value.chars().count();
    let rule = || format!("length must be {min}..={max} characters, got {n}");
    if n < min {
        return Err(Invalid::too_short(field, rule()));
    }
    if n > max {
        return Err(Invalid::too_long(field, rule()));
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
    let rule = || format!("must hold {min}..={max} items, got {n}");
    if n < min {
        return Err(Invalid::too_few(field, rule()));
    }
    if n > max {
        return Err(Invalid::too_many(field, rule()));
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
        return Err(Invalid::out_of_range(
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
        _ => Err(Invalid::required(field, "is required")),
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

    #[test]
    fn a_short_text_is_too_short_and_a_long_one_too_long() {
        let short = char_len("name", "a", 2, 5).unwrap_err();
        assert_eq!(short.kind, RuleKind::TooShort);
        assert_eq!(short.rule, "length must be 2..=5 characters, got 1");
        let long = opt_char_len("name", Some("abcdef"), 2, 5).unwrap_err();
        assert_eq!(long.kind, RuleKind::TooLong);
        assert_eq!(long.field, "name");
    }

    #[test]
    fn a_short_list_has_too_few_and_a_long_one_too_many() {
        let few = count("id_list", &[0u8; 0], 1, 50).unwrap_err();
        assert_eq!(few.kind, RuleKind::TooFew);
        assert_eq!(few.rule, "must hold 1..=50 items, got 0");
        let many = opt_count("id_list", Some(&[0u8; 51][..]), 1, 50).unwrap_err();
        assert_eq!(many.kind, RuleKind::TooMany);
    }

    #[test]
    fn a_number_outside_its_range_is_out_of_range() {
        let e = range("page_size", 101, 1, 100).unwrap_err();
        assert_eq!(e.kind, RuleKind::OutOfRange);
        assert_eq!(
            e.to_string(),
            "invalid parameter `page_size`: must be in 1..=100, got 101"
        );
    }

    #[test]
    fn a_missing_or_empty_value_is_required() {
        let none = required::<String>("uuid", None).unwrap_err();
        assert_eq!(
            (none.kind, none.rule.as_str()),
            (RuleKind::Required, "is required")
        );
        let empty = required("uuid", Some(&String::new())).unwrap_err();
        assert_eq!(empty.kind, RuleKind::Required);
    }

    #[test]
    fn every_constructor_names_its_kind() {
        let made = [
            (Invalid::required("f", "r"), RuleKind::Required, "required"),
            (
                Invalid::too_short("f", "r"),
                RuleKind::TooShort,
                "too_short",
            ),
            (Invalid::too_long("f", "r"), RuleKind::TooLong, "too_long"),
            (Invalid::too_few("f", "r"), RuleKind::TooFew, "too_few"),
            (Invalid::too_many("f", "r"), RuleKind::TooMany, "too_many"),
            (
                Invalid::out_of_range("f", "r"),
                RuleKind::OutOfRange,
                "out_of_range",
            ),
            (
                Invalid::bad_format("f", "r"),
                RuleKind::BadFormat,
                "bad_format",
            ),
            (
                Invalid::bad_value("f", "r"),
                RuleKind::BadValue,
                "bad_value",
            ),
            (Invalid::conflict("f", "r"), RuleKind::Conflict, "conflict"),
            (
                Invalid::duplicate("f", "r"),
                RuleKind::Duplicate,
                "duplicate",
            ),
            (Invalid::new("f", "r"), RuleKind::Other, "other"),
        ];
        for (invalid, kind, name) in made {
            assert_eq!(invalid.kind, kind);
            assert_eq!(kind.to_string(), name);
            assert_eq!(invalid.to_string(), "invalid parameter `f`: r");
        }
    }

    #[test]
    fn the_kind_does_not_depend_on_the_words() {
        let a = Invalid::too_many("chat_menu_top_levels", "must hold 1..=3 items, got 4");
        let b = Invalid::too_many("chat_menu_top_levels", "more than three menus");
        assert_eq!(a.kind, b.kind);
        assert_ne!(a, b);
    }
}
