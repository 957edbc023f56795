//! Simulator configuration: server profile, listen address, credentials, TLS.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::ids;

/// The default VCF user of the simulator.
pub const DEFAULT_VCF_USERNAME: &str = "administrator@vsphere.local";

/// Which SDDC Manager version the simulator imitates.
///
/// See the crate documentation for the exact differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Profile {
    /// VCF 5.1.
    #[serde(rename = "vcf-5.1")]
    Vcf51,
    /// VCF 5.2 (the default).
    #[default]
    #[serde(rename = "vcf-5.2")]
    Vcf52,
    /// VCF 9.0 (and SDDC Manager 9.1 alone).
    #[serde(rename = "vcf-9")]
    Vcf9,
    /// VCF 9.1: SDDC Manager as `vcf-9`, plus VCF Operations' fleet
    /// identity (`/suite-api`), which no other profile serves.
    #[serde(rename = "vcf-9.1")]
    Vcf91,
}

impl Profile {
    /// Every profile, oldest first.
    pub const ALL: [Profile; 4] = [
        Profile::Vcf51,
        Profile::Vcf52,
        Profile::Vcf9,
        Profile::Vcf91,
    ];

    /// The profile's name as accepted by [`FromStr`] (`"vcf-5.1"`, `"vcf-5.2"`, `"vcf-9"`,
    /// `"vcf-9.1"`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::Vcf51 => "vcf-5.1",
            Profile::Vcf52 => "vcf-5.2",
            Profile::Vcf9 => "vcf-9",
            Profile::Vcf91 => "vcf-9.1",
        }
    }

    /// 5.2 and later: `expireIn` next to `expireAt`, `syncClientTokenTTL` as a
    /// query parameter, `MICROSOFT_ENTRA_ID`/`PING_FEDERATE`, `federatedIdpSourceType`.
    pub(crate) const fn is_52_or_later(self) -> bool {
        !matches!(self, Profile::Vcf51)
    }

    /// VCF 9: 204 for add-source, empty 201 for add-provider, richer error bodies.
    pub(crate) const fn is_9(self) -> bool {
        matches!(self, Profile::Vcf9 | Profile::Vcf91)
    }

    /// Whether VCF Operations' fleet identity API is served (VCF 9.1).
    #[must_use]
    pub const fn serves_vcf_operations(self) -> bool {
        matches!(self, Profile::Vcf91)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = SimError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let version = lower.strip_prefix("vcf-").unwrap_or(&lower);
        match version {
            "5.1" | "5.1.0" | "51" => Ok(Profile::Vcf51),
            "5.2" | "5.2.0" | "5.2.1" | "52" => Ok(Profile::Vcf52),
            "9" | "9.0" | "9.0.0" => Ok(Profile::Vcf9),
            "9.1" | "9.1.0" | "91" => Ok(Profile::Vcf91),
            _ => Err(SimError::Config(format!(
                "unknown server profile {s:?}; expected one of vcf-5.1, vcf-5.2, vcf-9, vcf-9.1"
            ))),
        }
    }
}

/// Which Unleash edition the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnleashEdition {
    /// Unleash Enterprise: the SCIM settings API exists.
    #[default]
    Enterprise,
    /// Unleash open source: SCIM routes answer 404 `NotFoundError`.
    OpenSource,
}

impl UnleashEdition {
    /// `"enterprise"` or `"open-source"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            UnleashEdition::Enterprise => "enterprise",
            UnleashEdition::OpenSource => "open-source",
        }
    }
}

impl fmt::Display for UnleashEdition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UnleashEdition {
    type Err = SimError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "enterprise" | "ee" => Ok(UnleashEdition::Enterprise),
            "open-source" | "opensource" | "open_source" | "oss" => Ok(UnleashEdition::OpenSource),
            _ => Err(SimError::Config(format!(
                "unknown Unleash edition {s:?}; expected enterprise or open-source"
            ))),
        }
    }
}

/// A VCF user the simulator accepts at `POST /v1/tokens`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct VcfUser {
    pub(crate) username: String,
    pub(crate) password: String,
}

/// The simulator's configuration. Build it with [`SimConfig::builder`].
#[derive(Clone)]
pub struct SimConfig {
    pub(crate) profile: Profile,
    pub(crate) listen: SocketAddr,
    pub(crate) tls: bool,
    pub(crate) access_token_lifetime: Duration,
    pub(crate) users: Vec<VcfUser>,
    pub(crate) unleash_api_key: String,
    pub(crate) unleash_read_only_key: Option<String>,
    pub(crate) unleash_accepts_bearer: bool,
    pub(crate) unleash_edition: UnleashEdition,
    pub(crate) max_body_bytes: usize,
    pub(crate) default_sync_client_token_ttl: u64,
}

impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let users: Vec<&str> = self.users.iter().map(|u| u.username.as_str()).collect();
        f.debug_struct("SimConfig")
            .field("profile", &self.profile)
            .field("listen", &self.listen)
            .field("tls", &self.tls)
            .field("access_token_lifetime", &self.access_token_lifetime)
            .field("users", &users)
            .field("unleash_api_key", &"<redacted>")
            .field(
                "unleash_read_only_key",
                &self.unleash_read_only_key.as_ref().map(|_| "<redacted>"),
            )
            .field("unleash_accepts_bearer", &self.unleash_accepts_bearer)
            .field("unleash_edition", &self.unleash_edition)
            .field("max_body_bytes", &self.max_body_bytes)
            .field(
                "default_sync_client_token_ttl",
                &self.default_sync_client_token_ttl,
            )
            .finish()
    }
}

impl Default for SimConfig {
    /// The default configuration (profile `vcf-5.2`, `127.0.0.1:0`, plain HTTP,
    /// generated credentials).
    fn default() -> Self {
        SimConfigBuilder::default().finish()
    }
}

impl SimConfig {
    /// Starts a builder with the defaults.
    #[must_use]
    pub fn builder() -> SimConfigBuilder {
        SimConfigBuilder::default()
    }

    /// The server profile.
    #[must_use]
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The address to listen on.
    #[must_use]
    pub fn listen_addr(&self) -> SocketAddr {
        self.listen
    }

    /// Whether HTTPS is served.
    #[must_use]
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// Lifetime of access tokens issued by `POST /v1/tokens`.
    #[must_use]
    pub fn access_token_lifetime(&self) -> Duration {
        self.access_token_lifetime
    }

    /// The Unleash edition.
    #[must_use]
    pub fn unleash_edition(&self) -> UnleashEdition {
        self.unleash_edition
    }

    /// Whether `Authorization: Bearer <key>` is accepted by the Unleash routes.
    #[must_use]
    pub fn unleash_accepts_bearer(&self) -> bool {
        self.unleash_accepts_bearer
    }

    /// The largest request body accepted, in bytes.
    #[must_use]
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }
}

/// Builder for [`SimConfig`]; every setter is optional.
#[derive(Clone, Default)]
pub struct SimConfigBuilder {
    profile: Option<Profile>,
    listen: Option<SocketAddr>,
    tls: bool,
    access_token_lifetime: Option<Duration>,
    users: Vec<VcfUser>,
    unleash_api_key: Option<String>,
    unleash_read_only_key: Option<String>,
    unleash_accepts_bearer: bool,
    unleash_edition: UnleashEdition,
    max_body_bytes: Option<usize>,
    default_sync_client_token_ttl: Option<u64>,
}

impl fmt::Debug for SimConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfigBuilder")
            .field("profile", &self.profile)
            .field("listen", &self.listen)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl SimConfigBuilder {
    /// The server profile (default `vcf-5.2`).
    #[must_use]
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, an ephemeral port).
    #[must_use]
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = Some(addr);
        self
    }

    /// Serve HTTPS with a CA and certificate generated at start (default `false`).
    #[must_use]
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Lifetime of access tokens (default one hour). Use a second or two in
    /// tests of expiry.
    #[must_use]
    pub fn access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.access_token_lifetime = Some(lifetime);
        self
    }

    /// Adds a VCF user. Without any, the simulator has one,
    /// `administrator@vsphere.local`, with a generated password.
    #[must_use]
    pub fn vcf_user(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.users.push(VcfUser {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    /// The Unleash admin API key (default: generated, `*:*.<hex>`).
    #[must_use]
    pub fn unleash_api_key(mut self, key: impl Into<String>) -> Self {
        self.unleash_api_key = Some(key.into());
        self
    }

    /// A known Unleash key without admin permission (a client or backend
    /// token): SCIM routes answer it 403 with a bare `{message}`, as Unleash
    /// does for the wrong token type.
    #[must_use]
    pub fn unleash_read_only_key(mut self, key: impl Into<String>) -> Self {
        self.unleash_read_only_key = Some(key.into());
        self
    }

    /// Accept `Authorization: Bearer <key>` as newer Unleash servers do
    /// (default `false`: only the raw key).
    #[must_use]
    pub fn unleash_accepts_bearer(mut self, accept: bool) -> Self {
        self.unleash_accepts_bearer = accept;
        self
    }

    /// The Unleash edition (default Enterprise).
    #[must_use]
    pub fn unleash_edition(mut self, edition: UnleashEdition) -> Self {
        self.unleash_edition = edition;
        self
    }

    /// The largest request body accepted (default 1 MiB); larger bodies get
    /// a vendor-shaped 413.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// The sync client token TTL in seconds used when neither the request nor
    /// the provider spec gives one (default 86400).
    #[must_use]
    pub fn default_sync_client_token_ttl(mut self, seconds: u64) -> Self {
        self.default_sync_client_token_ttl = Some(seconds);
        self
    }

    /// Validates and builds the configuration.
    pub fn build(self) -> Result<SimConfig, SimError> {
        for user in &self.users {
            if user.username.trim().is_empty() {
                return Err(SimError::Config("a VCF username must not be empty".into()));
            }
            if user.password.is_empty() {
                return Err(SimError::Config(format!(
                    "the password of VCF user {} must not be empty",
                    user.username
                )));
            }
        }
        if let Some(lifetime) = self.access_token_lifetime
            && lifetime.is_zero()
        {
            return Err(SimError::Config(
                "the access token lifetime must be positive".into(),
            ));
        }
        if let Some(key) = &self.unleash_api_key
            && key.trim().is_empty()
        {
            return Err(SimError::Config(
                "the Unleash API key must not be empty".into(),
            ));
        }
        if let Some(key) = &self.unleash_read_only_key {
            if key.trim().is_empty() {
                return Err(SimError::Config(
                    "the Unleash read-only key must not be empty".into(),
                ));
            }
            if Some(key) == self.unleash_api_key.as_ref() {
                return Err(SimError::Config(
                    "the Unleash read-only key must differ from the admin key".into(),
                ));
            }
        }
        if self.max_body_bytes == Some(0) {
            return Err(SimError::Config("max_body_bytes must be positive".into()));
        }
        if self.default_sync_client_token_ttl == Some(0) {
            return Err(SimError::Config(
                "the default sync client token TTL must be positive".into(),
            ));
        }
        Ok(self.finish())
    }

    fn finish(self) -> SimConfig {
        let users = if self.users.is_empty() {
            vec![VcfUser {
                username: DEFAULT_VCF_USERNAME.to_owned(),
                password: ids::generate_password(),
            }]
        } else {
            self.users
        };
        SimConfig {
            profile: self.profile.unwrap_or_default(),
            listen: self
                .listen
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
            tls: self.tls,
            access_token_lifetime: self
                .access_token_lifetime
                .unwrap_or(Duration::from_secs(3600)),
            users,
            unleash_api_key: self
                .unleash_api_key
                .unwrap_or_else(ids::generate_unleash_key),
            unleash_read_only_key: self.unleash_read_only_key,
            unleash_accepts_bearer: self.unleash_accepts_bearer,
            unleash_edition: self.unleash_edition,
            max_body_bytes: self.max_body_bytes.unwrap_or(1024 * 1024),
            default_sync_client_token_ttl: self.default_sync_client_token_ttl.unwrap_or(86_400),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_round_trips() {
        for p in Profile::ALL {
            assert_eq!(p.to_string().parse::<Profile>().unwrap(), p);
        }
        assert_eq!("5.1".parse::<Profile>().unwrap(), Profile::Vcf51);
        assert_eq!("VCF-9".parse::<Profile>().unwrap(), Profile::Vcf9);
        assert!("vcf-4.5".parse::<Profile>().is_err());
        assert_eq!(
            serde_json::to_string(&Profile::Vcf52).unwrap(),
            "\"vcf-5.2\""
        );
    }

    #[test]
    fn edition_parses() {
        assert_eq!(
            "open-source".parse::<UnleashEdition>().unwrap(),
            UnleashEdition::OpenSource
        );
        assert_eq!(
            "Enterprise".parse::<UnleashEdition>().unwrap(),
            UnleashEdition::Enterprise
        );
        assert!("pro".parse::<UnleashEdition>().is_err());
    }

    #[test]
    fn builder_defaults_and_validation() {
        let c = SimConfig::builder().build().unwrap();
        assert_eq!(c.profile(), Profile::Vcf52);
        assert_eq!(c.users.len(), 1);
        assert_eq!(c.users[0].username, DEFAULT_VCF_USERNAME);
        assert!(c.users[0].password.len() >= 12);
        assert!(c.unleash_api_key.starts_with("*:*."));
        assert!(!format!("{c:?}").contains(&c.users[0].password));
        assert!(!format!("{c:?}").contains(&c.unleash_api_key));
        assert!(SimConfig::builder().vcf_user("a", "").build().is_err());
        assert!(
            SimConfig::builder()
                .access_token_lifetime(Duration::ZERO)
                .build()
                .is_err()
        );
        assert!(
            SimConfig::builder()
                .unleash_api_key("k")
                .unleash_read_only_key("k")
                .build()
                .is_err()
        );
    }
}
