//! Credentials: a fixed `Authorization` value, or a VCF session that logs
//! in, refreshes and logs out.

pub(crate) mod jwt;
pub(crate) mod vcf_session;

use http::HeaderValue;

use crate::Error;

pub(crate) use vcf_session::VcfSession;

/// Which credentials one execution uses.
#[derive(Clone, Copy)]
pub(crate) enum AuthRef<'a> {
    /// No `Authorization` header (logging in).
    None,
    /// A fixed header: a bearer token or an Unleash API key.
    Fixed(&'a HeaderValue),
    /// A VCF session, renewed as needed.
    Session(&'a VcfSession),
}

impl AuthRef<'_> {
    /// The header to send and the session generation it belongs to.
    pub(crate) async fn authorization(&self) -> Result<(Option<HeaderValue>, u64), Error> {
        match self {
            Self::None => Ok((None, 0)),
            Self::Fixed(value) => Ok((Some((*value).clone()), 0)),
            Self::Session(session) => {
                let (value, generation) = session.authorization().await?;
                Ok((Some(value), generation))
            }
        }
    }

    /// Whether a 401 can be answered by renewing the credentials.
    pub(crate) fn can_renew(&self) -> bool {
        matches!(self, Self::Session(_))
    }

    /// Renews the credentials after a 401 to a request sent with
    /// `generation`'s token (unless another caller already did).
    pub(crate) async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        match self {
            Self::Session(session) => session.renew_after_unauthorized(generation).await,
            Self::None | Self::Fixed(_) => Ok(()),
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
