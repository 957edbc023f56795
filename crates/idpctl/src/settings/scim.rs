//! The SCIM endpoints `idpctl scim probe` and `--verify` read: the URL is
//! given (or delivered with the token); the CA and TLS choices come from
//! `--ca-cert` > `SCIM_CA_CERT` > the context's `ca-cert`, and
//! `--insecure` or `SCIM_INSECURE`; the token of `scim probe` from
//! `--token-file`, `--token-stdin` or `SCIM_TOKEN` (never a flag's value).

use idp_client::{ClientConfig, Secret};

use super::Settings;
use super::transport::{Server, Tail, read_ca, resolve_server, warn};
use crate::failure::Failure;

/// The variable `idpctl scim probe` reads the token from.
pub const SCIM_TOKEN_ENV: &str = "SCIM_TOKEN";

const SERVER: Server = Server {
    name: "SCIM",
    url_flag: "URL",
    url_env: "SCIM_URL",
    ca_env: "SCIM_CA_CERT",
    insecure_env: "SCIM_INSECURE",
    default_url: None,
};

impl Settings {
    /// The client configuration for SCIM endpoints (the URL's own rules,
    /// plain http:// only to loopback unless `--allow-http`, are the
    /// probe's to apply).
    pub fn scim_config(&self) -> Result<ClientConfig, Failure> {
        let layers = self.layers()?;
        let resolved = resolve_server(
            &SERVER,
            &layers,
            None,
            None,
            layers.context.and_then(|c| c.ca_for(None)),
        );
        if resolved.insecure {
            warn(format_args!(
                "warning: TLS certificate verification is disabled for the SCIM endpoint (--insecure / SCIM_INSECURE)"
            ));
        }
        let tail = Tail {
            insecure: resolved.insecure,
            allow_http: layers.global.allow_http,
            ca_pem: resolved.ca_cert.as_ref().map(read_ca).transpose()?,
            timeout: self.timeout,
        };
        Ok(tail.config()?)
    }

    /// `SCIM_TOKEN` from the environment, when set and not empty.
    pub fn scim_token_env(&self) -> Option<Secret> {
        (self.layers_or_none().env)(SCIM_TOKEN_ENV)
            .filter(|t| !t.trim().is_empty())
            .map(Secret::new)
    }
}
