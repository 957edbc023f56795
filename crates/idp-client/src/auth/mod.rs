//! Credentials, on top of the pipeline: a fixed `Authorization` value, or a
//! VCF session that logs in, refreshes and logs out (through
//! [`crate::exec::send`], without credentials of its own).

pub(crate) mod broker_session;
pub(crate) mod jwt;
pub(crate) mod renewal;
pub(crate) mod vcf_session;

use std::future::Future;

use http::HeaderValue;
use progenitor_client::ResponseValue;

use crate::exec::{self, Attempts, ErrorBody, Received};
use crate::op::Op;
use crate::{Error, RetryPolicy, Secret};

pub(crate) use broker_session::{BrokerCredentials, BrokerSession};
pub(crate) use vcf_session::VcfSession;

/// Which credentials one execution uses.
#[derive(Clone, Copy)]
pub(crate) enum AuthRef<'a> {
    /// A fixed header: a bearer token or an Unleash API key.
    Fixed(&'a HeaderValue),
    /// A VCF session, renewed as needed.
    Session(&'a VcfSession),
    /// A VCF Identity Broker session, renewed as needed.
    Broker(&'a BrokerSession),
}

/// Runs one operation with credentials: stamps the `Authorization` header
/// on [`exec`]'s attempts and, for a session, renews it and replays the
/// operation once after a 401 (the 401 proves the request was rejected, so
/// the replay is not a retry), all in the operation's one span.
pub(crate) async fn execute<X, E, F, Fut>(
    retry: &RetryPolicy,
    auth: AuthRef<'_>,
    op: &'static Op,
    mut call: F,
) -> Result<X::Value, Error>
where
    X: Received,
    E: ErrorBody,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<E>>>,
{
    exec::traced(op, |span| async move {
        let mut attempts = Attempts::new(span);
        let (header, generation) = auth.authorization().await?;
        let first = attempts
            .run(retry, op, || {
                exec::with_authorization(header.clone(), call())
            })
            .await;
        let renewable = match &first {
            Err(error) if error.is_unauthorized() => {
                matches!(auth, AuthRef::Session(_) | AuthRef::Broker(_))
            }
            _ => false,
        };
        if !renewable {
            return first;
        }
        tracing::debug!("401 Unauthorized: renewing the session and replaying once");
        attempts.replaying();
        auth.renew_after_unauthorized(generation).await?;
        let (header, _) = auth.authorization().await?;
        attempts
            .run(retry, op, || {
                exec::with_authorization(header.clone(), call())
            })
            .await
    })
    .await
}

impl AuthRef<'_> {
    /// The header to send and the session generation it belongs to.
    async fn authorization(&self) -> Result<(HeaderValue, u64), Error> {
        match self {
            Self::Fixed(value) => Ok(((*value).clone(), 0)),
            Self::Session(session) => session.authorization().await,
            Self::Broker(session) => session.authorization().await,
        }
    }

    /// Renews after a 401 of `generation`'s token (a fixed header cannot be).
    async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        match self {
            Self::Fixed(_) => Ok(()),
            Self::Session(session) => session.renew_after_unauthorized(generation).await,
            Self::Broker(session) => session.renew_after_unauthorized(generation).await,
        }
    }
}

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
}
