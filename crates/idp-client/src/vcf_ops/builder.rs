//! Configures a [`Client`].

use std::fmt;
use std::time::Duration;

use idp_api::Secret;

use super::auth::TokenApi;
use super::client::{Client, OpsAuth, TaskPolling};
use crate::auth::{DEFAULT_TOKEN_REFRESH_SKEW, OpsSession, scheme_header};
use crate::config::redact_url;
use crate::{ClientConfig, Error};

/// How long an operation that answers with a task waits for it by default.
pub const DEFAULT_TASK_TIMEOUT: Duration = Duration::from_secs(600);

enum Credentials {
    Bearer(Secret),
    OpsToken(Secret),
    Password {
        username: String,
        password: Secret,
        auth_source: Option<String>,
    },
}

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// Defaults: [`ClientConfig::default`], tokens acquired again 60 s before
/// they expire, tasks waited for up to 10 minutes, polled after 1 s and
/// then at most every 10 s.
pub struct ClientBuilder {
    base_url: String,
    config: ClientConfig,
    credentials: Option<Credentials>,
    refresh_skew: Duration,
    task_timeout: Duration,
    polling: TaskPolling,
}

impl ClientBuilder {
    pub(crate) fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            config: ClientConfig::default(),
            credentials: None,
            refresh_skew: DEFAULT_TOKEN_REFRESH_SKEW,
            task_timeout: DEFAULT_TASK_TIMEOUT,
            polling: TaskPolling::default(),
        }
    }

    /// Acquires an `OpsToken` with a user name and password
    /// (`POST /suite-api/api/auth/token/acquire`) on first use, sends it as
    /// `Authorization: OpsToken <token>`, and acquires a new one before the
    /// validity the server gave runs out and once after a 401. The
    /// authentication source is VCF Operations' local users unless
    /// [`auth_source`](Self::auth_source) names another.
    #[must_use]
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        let auth_source = match self.credentials.take() {
            Some(Credentials::Password { auth_source, .. }) => auth_source,
            _ => None,
        };
        self.credentials = Some(Credentials::Password {
            username: username.into(),
            password: password.into(),
            auth_source,
        });
        self
    }

    /// The authentication source the user of
    /// [`credentials`](Self::credentials) belongs to (`authSource`: an
    /// LDAP or vIDB source's name). Has an effect only with credentials.
    #[must_use]
    pub fn auth_source(mut self, source: impl Into<String>) -> Self {
        let source = source.into();
        if let Some(Credentials::Password { auth_source, .. }) = &mut self.credentials {
            *auth_source = Some(source).filter(|s| !s.trim().is_empty());
        }
        self
    }

    /// Uses an access token from VCF single sign-on, sent as
    /// `Authorization: Bearer <token>` (a `Bearer ` prefix is tolerated).
    /// It is never renewed: once it expires, calls fail with 401.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Bearer(token.into()));
        self
    }

    /// Uses an `OpsToken` acquired elsewhere, sent as
    /// `Authorization: OpsToken <token>` (the prefix is tolerated). It is
    /// never renewed nor released by this client.
    #[must_use]
    pub fn ops_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::OpsToken(token.into()));
        self
    }

    /// How long before an `OpsToken`'s expiry a new one is acquired
    /// (default 60 s).
    #[must_use]
    pub fn token_refresh_skew(mut self, skew: Duration) -> Self {
        self.refresh_skew = skew;
        self
    }

    /// How long an operation that answers with a task (a 202) waits for
    /// it to finish (default 10 minutes).
    #[must_use]
    pub fn task_timeout(mut self, timeout: Duration) -> Self {
        self.task_timeout = timeout;
        self
    }

    /// How often a task is polled: first after `initial`, then doubling up
    /// to `max` (defaults 1 s and 10 s). A zero `initial` is read as 1 ms.
    #[must_use]
    pub fn task_polling(mut self, initial: Duration, max: Duration) -> Self {
        let initial = initial.max(Duration::from_millis(1));
        self.polling = TaskPolling {
            initial,
            max: max.max(initial),
        };
        self
    }

    /// The transport settings: timeouts, trusted CAs, the insecure
    /// opt-out, plain HTTP, `User-Agent`, response bound and retry policy
    /// (default [`ClientConfig::default`]).
    #[must_use]
    pub fn config(mut self, config: &ClientConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Builds the client. Nothing is sent yet.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an invalid base URL, `http://` to a host that
    /// is not loopback (unless allowed), missing or empty credentials, or a
    /// TLS setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.config.endpoint(&self.base_url)?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::config(
                "no credentials: call credentials(username, password), bearer_token(token) or ops_token(token)",
            )
        })?;
        let client = self.config.build_client()?;
        let api = idp_api::vcf_ops::Client::new_with_client(
            &base_url,
            client,
            self.config.request_hooks(),
        );
        let auth = match credentials {
            Credentials::Bearer(token) => {
                OpsAuth::Fixed(scheme_header("Bearer", &token, "bearer token")?)
            }
            Credentials::OpsToken(token) => {
                OpsAuth::Fixed(scheme_header("OpsToken", &token, "OpsToken")?)
            }
            Credentials::Password {
                username,
                password,
                auth_source,
            } => {
                if username.trim().is_empty() {
                    return Err(Error::config("the user name is empty"));
                }
                if password.is_empty() {
                    return Err(Error::config("the password is empty"));
                }
                let tokens = TokenApi {
                    api: api.clone(),
                    retry: self.config.retry.clone(),
                    username,
                    password,
                    auth_source,
                };
                OpsAuth::Session(Box::new(OpsSession::new(tokens, self.refresh_skew)))
            }
        };
        Ok(Client::from_parts(
            api,
            base_url,
            self.config.retry,
            auth,
            self.task_timeout,
            self.polling,
        ))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            None => "none".to_owned(),
            Some(Credentials::Bearer(_)) => "bearer token <redacted>".to_owned(),
            Some(Credentials::OpsToken(_)) => "OpsToken <redacted>".to_owned(),
            Some(Credentials::Password {
                username,
                auth_source,
                ..
            }) => format!("user {username:?} ({auth_source:?}), password <redacted>"),
        };
        f.debug_struct("VcfOpsClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("credentials", &credentials)
            .field("token_refresh_skew", &self.refresh_skew)
            .field("task_timeout", &self.task_timeout)
            .field("config", &self.config)
            .finish()
    }
}
