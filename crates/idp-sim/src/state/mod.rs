//! The simulated servers' state, one typed file per API ([`vcf`],
//! [`unleash`], [`broker`], [`vcenter`], [`okta`], [`entra`],
//! [`vcf_ops`], and the SCIM directories [`scim`]), plus what
//! they share: the bearer tokens that SDDC Manager, the broker and vCenter
//! issue and accept.
//!
//! Everything lives in one [`Model`] behind a `std::sync::Mutex` that is held
//! only for the short, synchronous check-and-update of one request, never
//! across an `.await`; so concurrent requests never lose an update.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use crate::config::SimConfig;
use crate::faults::Faults;
use crate::request_log::RequestLog;

pub(crate) mod broker;
pub(crate) mod entra;
pub(crate) mod okta;
pub(crate) mod scim;
pub(crate) mod unleash;
pub(crate) mod vcenter;
pub(crate) mod vcf;
pub(crate) mod vcf_access;
pub(crate) mod vcf_ops;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    /// `host:port` as it appears in the simulator's URLs.
    pub(crate) authority: String,
    model: Mutex<Model>,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .field("authority", &self.authority)
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn new(config: SimConfig, authority: String) -> Self {
        Shared {
            config,
            authority,
            model: Mutex::new(Model::seeded()),
            faults: Faults::default(),
            log: RequestLog::default(),
        }
    }

    /// Locks the model. Hold the guard briefly and never across `.await`.
    pub(crate) fn model(&self) -> MutexGuard<'_, Model> {
        self.model.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The SCIM URL handed out with sync client tokens.
    pub(crate) fn scim_url(&self) -> String {
        let scheme = if self.config.tls { "https" } else { "http" };
        format!("{scheme}://{}/usergroup/t/CUSTOMER/scim/v2", self.authority)
    }
}

/// The whole mutable state. Its `Debug` shows counts, never tokens.
pub(crate) struct Model {
    pub(crate) vcf: vcf::VcfState,
    /// Bearer tokens by value: VCF logins, broker OAuth 2.0 and sync client
    /// tokens, vCenter admin-client tokens (one store, as one SSO issues
    /// them all).
    pub(crate) access_tokens: HashMap<String, AccessToken>,
    /// VCF refresh tokens by id.
    pub(crate) refresh_tokens: HashMap<String, RefreshToken>,
    pub(crate) unleash: unleash::UnleashState,
    pub(crate) broker: broker::BrokerState,
    pub(crate) vcenter: vcenter::VcenterState,
    pub(crate) okta: okta::OktaState,
    pub(crate) entra: entra::EntraState,
    pub(crate) scim: scim::ScimState,
    pub(crate) vcf_ops: vcf_ops::OpsState,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("vcf", &self.vcf)
            .field("access_tokens", &self.access_tokens.len())
            .field("refresh_tokens", &self.refresh_tokens.len())
            .field("unleash", &self.unleash)
            .field("broker", &self.broker)
            .field("vcenter", &self.vcenter)
            .field("okta", &self.okta)
            .field("entra", &self.entra)
            .field("scim_directories", &self.scim.directories.len())
            .field("vcf_ops", &self.vcf_ops)
            .finish()
    }
}

impl Model {
    /// The initial state of every API.
    pub(crate) fn seeded() -> Self {
        Model {
            vcf: vcf::VcfState::seeded(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            unleash: unleash::UnleashState::default(),
            broker: broker::BrokerState::seeded(),
            vcenter: vcenter::VcenterState::default(),
            okta: okta::OktaState::seeded(),
            entra: entra::EntraState::seeded(),
            scim: scim::ScimState::default(),
            vcf_ops: vcf_ops::OpsState::seeded(),
        }
    }
}

/// An issued access token.
#[derive(Clone)]
pub(crate) struct AccessToken {
    pub(crate) username: String,
    /// The refresh token id of the login session.
    pub(crate) session: String,
    pub(crate) expires_at: SystemTime,
    pub(crate) revoked: bool,
}

/// A refresh token (its id is the map key).
#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub(crate) username: String,
    pub(crate) revoked: bool,
}
