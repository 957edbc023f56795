//! What every client shares: [`ClientConfig`] (timeouts, TLS, the retry
//! policy, the base URL rules) and the `reqwest` client built from it.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use url::{Host, Url};

use crate::Error;
use crate::runtime::retry::RetryPolicy;

/// The `User-Agent` of every request.
pub(crate) const USER_AGENT: &str = concat!("idp-client/", env!("CARGO_PKG_VERSION"));

/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default timeout of a whole request, response body included.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The default bound on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// Which certificate authorities a client trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RootCertificates {
    /// The operating system's trust store (through
    /// `rustls-platform-verifier`; on Linux and the other non-Apple Unixes,
    /// where that verifier is WebPKI over the store's certificates, the
    /// certificates are read once per process). The default.
    #[default]
    System,
    /// The Mozilla root program's certificates bundled into the binary
    /// (`webpki-root-certs`): the same on every machine, for containers
    /// without a trust store.
    Bundled,
}

/// The transport settings every client builder takes with `.config(&cfg)`:
/// timeouts, trusted certificate authorities, the insecure opt-out, the
/// plain-HTTP rule, the `User-Agent`, the response size bound and the retry
/// policy. One value serves any number of clients of any API, as the
/// `SdkConfig` of the AWS SDK does.
///
/// It also owns the base URL rules ([`ClientConfig::check_base_url`]), so
/// that callers need not re-implement them.
///
/// ```
/// use std::time::Duration;
/// use idp_client::ClientConfig;
///
/// let config = ClientConfig::builder()
///     .request_timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(config.request_timeout(), Duration::from_secs(30));
/// assert!(config.check_base_url("http://10.0.0.1").is_err());
/// assert!(config.check_base_url("http://127.0.0.1:8080").is_ok());
/// # Ok::<(), idp_client::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) roots: RootCertificates,
    pub(crate) ca_pems: Vec<Vec<u8>>,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) allow_plain_http: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            roots: RootCertificates::default(),
            ca_pems: Vec::new(),
            accept_invalid_certs: false,
            allow_plain_http: false,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: USER_AGENT.to_owned(),
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("roots", &self.roots)
            .field("extra_ca_pems", &self.ca_pems.len())
            .field("danger_accept_invalid_certs", &self.accept_invalid_certs)
            .field("allow_plain_http", &self.allow_plain_http)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl ClientConfig {
    /// Starts from the defaults: connect timeout 10 s, request timeout
    /// 60 s, the system's trust store, [`RetryPolicy::default`], 16 MiB
    /// response bound, `User-Agent` [`USER_AGENT`](crate::USER_AGENT).
    #[must_use]
    pub fn builder() -> ClientConfigBuilder {
        ClientConfigBuilder {
            config: Self::default(),
        }
    }

    /// A builder that starts from this configuration.
    #[must_use]
    pub fn to_builder(&self) -> ClientConfigBuilder {
        ClientConfigBuilder {
            config: self.clone(),
        }
    }

    /// This configuration with another retry policy (nothing to check,
    /// so no `Result`).
    #[must_use]
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Self {
        Self {
            retry: policy,
            ..self.clone()
        }
    }

    /// How long to wait for a connection.
    #[must_use]
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How long one request may take, response body included.
    #[must_use]
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Which certificate authorities are trusted.
    #[must_use]
    pub fn root_certificates(&self) -> RootCertificates {
        self.roots
    }

    /// How many extra CA certificate PEM documents were added.
    #[must_use]
    pub fn extra_ca_certificates(&self) -> usize {
        self.ca_pems.len()
    }

    /// Whether server certificates are accepted unverified.
    #[must_use]
    pub fn danger_accepts_invalid_certs(&self) -> bool {
        self.accept_invalid_certs
    }

    /// Whether plain `http://` is allowed to hosts that are not loopback.
    #[must_use]
    pub fn allows_plain_http(&self) -> bool {
        self.allow_plain_http
    }

    /// The retry policy.
    #[must_use]
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The largest response body read, in bytes.
    #[must_use]
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// The `User-Agent` sent with every request.
    #[must_use]
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Checks a base URL against the rules every client applies: `https`,
    /// or `http` only to a loopback host (127.0.0.0/8, `::1`, an
    /// IPv4-mapped loopback, `localhost`) unless plain HTTP is allowed; a
    /// host; no user name or password; no query or fragment.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the rule broken.
    pub fn check_base_url(&self, raw: &str) -> Result<Url, Error> {
        self.base_url(raw)
    }
}

/// Builds a [`ClientConfig`]; start with [`ClientConfig::builder`].
#[derive(Debug, Clone)]
pub struct ClientConfigBuilder {
    config: ClientConfig,
}

impl ClientConfigBuilder {
    /// How long to wait for a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How long one request may take, response body included (default
    /// 60 s). Each retry gets the full time again.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// Which certificate authorities to trust (default: the system's).
    #[must_use]
    pub fn root_certificates(mut self, roots: RootCertificates) -> Self {
        self.config.roots = roots;
        self
    }

    /// Also trusts the CA certificates in `pem` (one or several
    /// `-----BEGIN CERTIFICATE-----` blocks). May be called more than
    /// once; [`build`](Self::build) checks the PEM.
    #[must_use]
    pub fn ca_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.config.ca_pems.push(pem.as_ref().to_vec());
        self
    }

    /// **Dangerous**: accepts any server certificate, even expired,
    /// self-signed or for another host. Anyone on the network path can
    /// then read the credentials. For lab machines only; prefer
    /// [`ca_certificate_pem`](Self::ca_certificate_pem).
    #[must_use]
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.config.accept_invalid_certs = accept;
        self
    }

    /// Allows a plain `http://` base URL for a host that is not loopback
    /// (credentials then travel unencrypted). Loopback hosts are always
    /// allowed.
    #[must_use]
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.config.allow_plain_http = allow;
        self
    }

    /// The largest response body read, in bytes (default 16 MiB,
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]). A success body over it fails with
    /// [`Error::ResponseTooLarge`] — at once when its `Content-Length` says
    /// so, else as soon as the limit is crossed — so a hostile or broken
    /// server cannot exhaust memory. An error status keeps its
    /// [`Error::Api`], without the body.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// The `User-Agent` of every request (default
    /// [`USER_AGENT`](crate::USER_AGENT)); `build` refuses a value that is
    /// not a valid header value.
    #[must_use]
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.config.user_agent = agent.into();
        self
    }

    /// Checks the settings: every CA PEM must hold at least one
    /// certificate, the `User-Agent` must be a valid header value.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the PEM (by position) or the `User-Agent`.
    pub fn build(self) -> Result<ClientConfig, Error> {
        self.config.extra_certificates()?;
        if http::HeaderValue::from_str(&self.config.user_agent).is_err()
            || self.config.user_agent.trim().is_empty()
        {
            return Err(Error::config(
                "the User-Agent is empty or not a valid header value",
            ));
        }
        Ok(self.config)
    }
}

impl ClientConfig {
    /// The hooks of a generated client: the facade's request hook and the
    /// response body bound.
    pub(crate) fn request_hooks(&self) -> idp_api::RequestHooks {
        idp_api::RequestHooks::with_prepare(std::sync::Arc::new(crate::runtime::exec::Hook))
            .with_max_response_bytes(self.max_response_bytes)
    }

    /// Builds the `reqwest` client: rustls, the chosen roots plus extra CAs,
    /// timeouts, no redirects, the crate's `User-Agent`.
    pub(crate) fn build_client(&self) -> Result<reqwest::Client, Error> {
        idp_api::ensure_crypto_provider();
        let extra = self.extra_certificates()?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(self.user_agent.as_str())
            // A redirect would replay the request elsewhere; the APIs never
            // redirect, so a 3xx is reported instead.
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_rustls();
        builder = match self.roots {
            RootCertificates::System => system_roots(builder, extra)?,
            RootCertificates::Bundled => {
                let mut roots = Vec::with_capacity(webpki_root_certs::TLS_SERVER_ROOT_CERTS.len());
                for der in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
                    roots
                        .push(reqwest::Certificate::from_der(der).map_err(|e| {
                            Error::config(format!("bundled root certificate: {e}"))
                        })?);
                }
                builder.tls_certs_only(roots.into_iter().chain(extra))
            }
        };
        if self.accept_invalid_certs {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        builder.build().map_err(|e| {
            Error::config(format!("cannot build the HTTP client: {}", error_chain(&e)))
        })
    }

    /// The extra CA certificates, parsed.
    fn extra_certificates(&self) -> Result<Vec<reqwest::Certificate>, Error> {
        let mut extra = Vec::new();
        for (index, pem) in self.ca_pems.iter().enumerate() {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                Error::config(format!(
                    "CA certificate PEM #{}: not valid PEM: {e}",
                    index + 1
                ))
            })?;
            if certs.is_empty() {
                return Err(Error::config(format!(
                    "CA certificate PEM #{}: no certificate found (expected -----BEGIN CERTIFICATE-----)",
                    index + 1
                )));
            }
            extra.extend(certs);
        }
        Ok(extra)
    }

    /// A base URL checked by [`Self::base_url`], as text without trailing
    /// slashes (the generated clients append `/v1/...`).
    pub(crate) fn endpoint(&self, raw: &str) -> Result<String, Error> {
        Ok(without_trailing_slash(&self.base_url(raw)?))
    }

    /// Checks and normalizes a base URL: `http` or `https`, a host, no user
    /// info, query or fragment, plain `http` only for loopback hosts unless
    /// allowed; no trailing `/`.
    pub(crate) fn base_url(&self, raw: &str) -> Result<Url, Error> {
        let url = Url::parse(raw.trim())
            .map_err(|e| Error::config(format!("base URL is not a valid URL: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" => {
                if !self.allow_plain_http && !is_loopback(url.host()) {
                    return Err(Error::config(
                        "plain http:// is refused for a host that is not loopback \
                         (127.0.0.0/8, ::1, localhost): use https://, or allow_plain_http(true) \
                         to send credentials unencrypted",
                    ));
                }
            }
            other => {
                return Err(Error::config(format!(
                    "base URL scheme must be https or http, not {other:?}"
                )));
            }
        }
        if url.host().is_none() {
            return Err(Error::config("base URL has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::config(
                "base URL must not contain a user name or password; configure credentials on the builder",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::config("base URL must not have a query or fragment"));
        }
        Ok(url)
    }
}

/// The system's trust store plus `extra`.
///
/// Where `rustls-platform-verifier` is WebPKI over the certificates
/// `rustls-native-certs` loads (Linux and the other Unixes but Apple's and
/// Android), it reads and parses the whole store (`/etc/ssl/certs`, ~150
/// files) for every client built: ~7 ms of CPU each, which dominated a
/// plan over 50 targets (BENCHMARKS.md, "Fleet plan"). There the same
/// certificates are loaded once per process and handed to the same WebPKI
/// verification, as for [`RootCertificates::Bundled`]; elsewhere the
/// platform verifier (the OS's own verification) is used.
#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
fn system_roots(
    builder: reqwest::ClientBuilder,
    extra: Vec<reqwest::Certificate>,
) -> Result<reqwest::ClientBuilder, Error> {
    static NATIVE: std::sync::OnceLock<Vec<reqwest::Certificate>> = std::sync::OnceLock::new();
    let native = NATIVE.get_or_init(|| {
        let loaded = rustls_native_certs::load_native_certs();
        for error in &loaded.errors {
            tracing::warn!(%error, "loading a system CA certificate");
        }
        // As the platform verifier does, certificates that do not parse
        // are left out (reqwest would refuse to build a client with one).
        loaded
            .certs
            .into_iter()
            .filter(|der| rustls::RootCertStore::empty().add(der.clone()).is_ok())
            .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok())
            .collect()
    });
    if native.is_empty() && extra.is_empty() {
        return Err(Error::config(
            "no CA certificates were loaded from the system trust store \
             (use the bundled roots or add a CA certificate)",
        ));
    }
    Ok(builder.tls_certs_only(native.iter().cloned().chain(extra)))
}

/// The system's trust store plus `extra`, through the platform verifier.
#[cfg(not(all(unix, not(target_vendor = "apple"), not(target_os = "android"))))]
#[allow(clippy::unnecessary_wraps)] // the same signature as the Unix variant
fn system_roots(
    builder: reqwest::ClientBuilder,
    extra: Vec<reqwest::Certificate>,
) -> Result<reqwest::ClientBuilder, Error> {
    Ok(if extra.is_empty() {
        builder
    } else {
        builder.tls_certs_merge(extra)
    })
}

/// The URL as text without trailing slashes (generated clients append
/// `/v1/...` to it).
pub(crate) fn without_trailing_slash(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

/// Whether a URL's host is loopback: 127.0.0.0/8, `::1` (or an IPv4-mapped
/// loopback such as `::ffff:127.0.0.1`), or `localhost`. `false` for text
/// that is not a URL.
///
/// ```
/// assert!(idp_client::is_loopback_url("http://[::ffff:127.0.0.1]:8080/x"));
/// assert!(!idp_client::is_loopback_url("https://sddc.example.com"));
/// ```
#[must_use]
pub fn is_loopback_url(raw: &str) -> bool {
    Url::parse(raw.trim()).is_ok_and(|url| is_loopback(url.host()))
}

/// Whether a host is loopback: 127.0.0.0/8, ::1 (or an IPv4-mapped
/// loopback), or `localhost`.
pub(crate) fn is_loopback(host: Option<Host<&str>>) -> bool {
    match host {
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost")
        }
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        None => false,
    }
}

/// A base URL for `Debug` output: without user info or query, which
/// could hold secrets.
pub(crate) fn redact_url(raw: &str) -> String {
    match Url::parse(raw.trim()) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => "<not a valid URL>".to_owned(),
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, allow: bool) -> Result<Url, Error> {
        ClientConfig {
            allow_plain_http: allow,
            ..ClientConfig::default()
        }
        .base_url(raw)
    }

    #[test]
    fn plain_http_only_for_loopback() {
        assert!(check("http://127.0.0.1:8080", false).is_ok());
        assert!(check("http://127.8.9.10", false).is_ok());
        assert!(check("http://[::1]:3000/x", false).is_ok());
        assert!(check("http://LOCALHOST", false).is_ok());
        assert!(check("http://sddc.example.com", false).is_err());
        assert!(check("http://10.0.0.1", false).is_err());
        assert!(check("http://localhost.example.com", false).is_err());
        assert!(check("http://sddc.example.com", true).is_ok());
        assert!(check("https://sddc.example.com", false).is_ok());
        assert!(check("ftp://sddc.example.com", true).is_err());
        assert!(check("https://user:pw@sddc.example.com", true).is_err());
        assert!(check("https://sddc.example.com/?a=b", true).is_err());
        assert!(check("not a url", true).is_err());
    }

    #[test]
    fn ipv4_mapped_loopback_is_loopback() {
        assert!(is_loopback_url("http://[::ffff:127.0.0.1]:8080/x"));
        assert!(is_loopback_url("http://127.0.0.2/"));
        assert!(is_loopback_url("http://localhost./"));
        assert!(!is_loopback_url("http://[::ffff:10.0.0.1]/"));
        assert!(!is_loopback_url("http://sddc.example.com/"));
        assert!(!is_loopback_url("not a url"));
        assert!(check("http://[::ffff:127.0.0.1]:8080", false).is_ok());
    }

    #[test]
    fn builder_checks_pem_and_user_agent() {
        let bad_pem = ClientConfig::builder()
            .ca_certificate_pem("not a certificate")
            .build()
            .unwrap_err()
            .to_string();
        assert!(bad_pem.contains("CA certificate PEM #1"), "{bad_pem}");
        let bad_agent = ClientConfig::builder()
            .user_agent("line\nbreak")
            .build()
            .unwrap_err()
            .to_string();
        assert!(bad_agent.contains("User-Agent"), "{bad_agent}");
        let config = ClientConfig::builder()
            .user_agent("ops-bot/1.0")
            .connect_timeout(Duration::from_secs(3))
            .allow_plain_http(true)
            .build()
            .unwrap();
        assert_eq!(config.user_agent(), "ops-bot/1.0");
        assert_eq!(config.connect_timeout(), Duration::from_secs(3));
        assert!(config.check_base_url("http://sddc.example.com").is_ok());
        let again = config.to_builder().allow_plain_http(false).build().unwrap();
        assert!(again.check_base_url("http://sddc.example.com").is_err());
        assert_eq!(again.user_agent(), "ops-bot/1.0");
    }

    #[test]
    fn trailing_slashes_are_dropped() {
        let url = check("https://h/unleash/", false).unwrap();
        assert_eq!(without_trailing_slash(&url), "https://h/unleash");
        let url = check("https://h", false).unwrap();
        assert_eq!(without_trailing_slash(&url), "https://h");
    }
}
