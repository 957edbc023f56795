//! Checks of caller input every client shares.

use crate::Error;

/// Checks a value that becomes one path segment. progenitor's encoding
/// leaves `.` alone, and URL normalization would collapse `.` and `..`
/// segments (and read `\` as `/`), so those are refused before sending.
pub(crate) fn path_segment(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if value == "." || value == ".." {
        return Err(Error::invalid_input(
            field,
            "must not be \".\" or \"..\" (URL normalization would remove the segment)",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            field,
            "must not contain control characters",
        ));
    }
    if value.contains('\\') {
        return Err(Error::invalid_input(
            field,
            "must not contain a backslash (URLs read it as /)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        assert!(path_segment("domainName", "a/b?c#d%e f..g").is_ok());
        assert!(path_segment("domainName", "..").is_err());
        assert!(path_segment("domainName", ".").is_err());
        assert!(path_segment("domainName", "").is_err());
        assert!(path_segment("domainName", "a\nb").is_err());
        assert!(path_segment("domainName", "a\\b").is_err());
    }
}
