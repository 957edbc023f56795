//! Static credentials: an `Authorization` value made once from a secret
//! (a bearer token, an API key, HTTP Basic), always marked sensitive.

use base64::Engine as _;
use http::HeaderValue;
use idp_api::Secret;

use crate::Error;

/// An `Authorization` header value marked sensitive, from a secret.
pub(crate) fn sensitive_header(value: &str, what: &str) -> Result<HeaderValue, Error> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        Error::config(format!(
            "the {what} contains characters that are not allowed in an HTTP header"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// A credential without the `<scheme> ` prefix (any case) a user may have
/// pasted with it, and without surrounding space.
pub(crate) fn strip_scheme<'a>(credential: &'a str, scheme: &str) -> &'a str {
    let trimmed = credential.trim();
    // `get` is `None` unless the scheme's length ends on a character
    // boundary, so the prefix slice below cannot panic on any input.
    match trimmed.get(scheme.len()..) {
        Some(rest)
            if rest.starts_with(' ') && trimmed[..scheme.len()].eq_ignore_ascii_case(scheme) =>
        {
            rest.trim_start()
        }
        _ => trimmed,
    }
}

/// `Authorization: <scheme> <credential>`, marked sensitive, from a
/// credential that may carry the scheme already; an empty one is refused
/// ("the {what} is empty").
pub(crate) fn scheme_header(
    scheme: &str,
    credential: &Secret,
    what: &str,
) -> Result<HeaderValue, Error> {
    let credential = strip_scheme(credential.expose(), scheme);
    if credential.is_empty() {
        return Err(Error::config(format!("the {what} is empty")));
    }
    sensitive_header(&format!("{scheme} {credential}"), what)
}

/// `Basic base64(user:secret)`, marked sensitive.
pub(crate) fn basic_header(user: &str, secret: &Secret) -> Result<HeaderValue, Error> {
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", secret.expose()));
    sensitive_header(&format!("Basic {encoded}"), "credentials")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_scheme_prefix_only() {
        assert_eq!(strip_scheme("Bearer abc", "Bearer"), "abc");
        assert_eq!(strip_scheme("bearer  abc ", "Bearer"), "abc");
        assert_eq!(strip_scheme("abc", "Bearer"), "abc");
        assert_eq!(strip_scheme("SSWS abc", "SSWS"), "abc");
        assert_eq!(strip_scheme("  ssws   abc ", "SSWS"), "abc");
        assert_eq!(strip_scheme("SSWSabc", "SSWS"), "SSWSabc");
    }

    #[test]
    fn a_multibyte_character_across_the_prefix_is_kept_not_a_panic() {
        // "SS€ x": the scheme's length (4) falls inside the euro sign.
        assert_eq!(strip_scheme("SS\u{20ac} x", "SSWS"), "SS\u{20ac} x");
        assert_eq!(strip_scheme("Bea\u{df}r x", "Bearer"), "Bea\u{df}r x");
    }

    #[test]
    fn scheme_header_strips_refuses_empty_and_is_sensitive() {
        let header = scheme_header("Bearer", &Secret::new("bearer abc"), "bearer token").unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer abc");
        assert!(header.is_sensitive());
        let empty = scheme_header("SSWS", &Secret::new("  "), "Okta token").unwrap_err();
        assert!(
            empty.to_string().contains("the Okta token is empty"),
            "{empty}"
        );
    }

    #[test]
    fn basic_is_base64_of_user_colon_secret() {
        let header = basic_header("app", &Secret::new("s3cr3t")).unwrap();
        assert_eq!(header.to_str().unwrap(), "Basic YXBwOnMzY3IzdA==");
        assert!(header.is_sensitive());
    }
}
