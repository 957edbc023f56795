//! Where an API's server is and how to reach it: its URL, CA certificates
//! and TLS verification by precedence, the warnings and refusals about
//! them, and the one `ClientConfig` each client is built with.

use std::time::Duration;

use idp_client::ClientConfig;
use idp_config::PemRef;

use super::Layers;
use super::precedence::{Precedence, env_flag};
use crate::failure::Failure;

/// What differs between the APIs' transport settings.
pub struct Server {
    /// The API in messages (`VCF`, `Okta`).
    pub name: &'static str,
    pub url_flag: &'static str,
    pub url_env: &'static str,
    pub ca_env: &'static str,
    pub insecure_env: &'static str,
    /// The URL when no layer gives one.
    pub default_url: Option<&'static str>,
}

/// One server's transport settings after precedence.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub url: Option<String>,
    pub ca_cert: Option<PemRef>,
    pub insecure: bool,
}

/// The URL: `url_flag` > the server's variable > `url_context` > its
/// default; the CA: `--ca-cert` > the server's variable > `ca_context`;
/// TLS verification off with `--insecure` or the server's variable (never
/// the context).
pub fn resolve_server(
    server: &Server,
    layers: &Layers<'_>,
    url_flag: Option<String>,
    url_context: Option<String>,
    ca_context: Option<PemRef>,
) -> Resolved {
    let env = layers.env;
    Resolved {
        url: Precedence {
            flag: url_flag,
            env: env(server.url_env),
            context: url_context,
            default: server.default_url.map(str::to_owned),
        }
        .resolve(),
        ca_cert: Precedence {
            flag: layers.global.ca_cert.as_ref().map(PemRef::file),
            env: env(server.ca_env).map(PemRef::file),
            context: ca_context,
            default: None,
        }
        .resolve(),
        insecure: layers.global.insecure || env_flag(env, server.insecure_env),
    }
}

/// A server's URL and the client configuration to reach it.
pub struct Transport {
    pub url: String,
    pub tail: Tail,
}

/// What every client builder gets from the settings: TLS verification,
/// plain http, extra CA certificates and the request timeout.
#[derive(Clone)]
pub struct Tail {
    pub insecure: bool,
    pub allow_http: bool,
    pub ca_pem: Option<Vec<u8>>,
    pub timeout: Option<Duration>,
}

impl Tail {
    /// The client configuration these choices make.
    pub fn config(&self) -> Result<ClientConfig, idp_client::Error> {
        let mut config = ClientConfig::builder()
            .danger_accept_invalid_certs(self.insecure)
            .allow_plain_http(self.allow_http);
        if let Some(pem) = &self.ca_pem {
            config = config.ca_certificate_pem(pem);
        }
        if let Some(timeout) = self.timeout {
            config = config.request_timeout(timeout);
        }
        config.build()
    }
}

/// `resolved` as a transport: the URL is required; `--insecure` warns;
/// plain http:// to a host that is not loopback is refused without
/// `--allow-http` and warns with it; the CA file is read now.
pub fn transport(
    server: &Server,
    resolved: Resolved,
    allow_http: bool,
    timeout: Option<Duration>,
) -> Result<Transport, Failure> {
    let url = resolved.url.ok_or_else(|| {
        Failure::usage(format!(
            "no {} URL: pass {}, set {} or use a context (idpctl config)",
            server.name, server.url_flag, server.url_env
        ))
    })?;
    let insecure = resolved.insecure;
    if insecure {
        warn(format_args!(
            "warning: TLS certificate verification is disabled for {} (--insecure / {}); anyone on the path can read the credentials",
            server.name, server.insecure_env
        ));
    }
    let plain_remote = is_plain_remote(&url);
    if plain_remote && !allow_http {
        return Err(Failure::usage(format!(
            "refusing plain http:// to the non-loopback {} host in {}: credentials would travel unencrypted; use https:// or pass --allow-http",
            server.name, server.url_flag
        )));
    }
    if plain_remote {
        warn(format_args!(
            "warning: plain http:// to a non-loopback {} host (--allow-http): credentials and tokens travel unencrypted",
            server.name
        ));
    }
    let ca_pem = resolved.ca_cert.as_ref().map(read_ca).transpose()?;
    Ok(Transport {
        url,
        tail: Tail {
            insecure,
            allow_http,
            ca_pem,
            timeout,
        },
    })
}

/// Whether `url` is plain http:// to a host that is not loopback, by the
/// client library's own rule: refused by default, accepted once plain
/// HTTP is allowed (any other fault of the URL is the client's to report).
fn is_plain_remote(url: &str) -> bool {
    let allowing = ClientConfig::builder().allow_plain_http(true).build();
    ClientConfig::default().check_base_url(url).is_err()
        && allowing.is_ok_and(|c| c.check_base_url(url).is_ok())
}

/// The PEM text of a CA reference (a file, or the text itself).
pub fn read_ca(pem: &PemRef) -> Result<Vec<u8>, Failure> {
    match pem.path() {
        Some(path) => std::fs::read(&path).map_err(|e| {
            Failure::usage(format!(
                "cannot read CA certificate {}: {e}",
                path.display()
            ))
        }),
        None => Ok(pem.0.clone().into_bytes()),
    }
}

/// A `warning:` line on stderr; a closed stderr is not a reason to panic.
pub(super) fn warn(message: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{message}");
}

#[cfg(test)]
mod tests {
    use super::is_plain_remote;

    #[test]
    fn plain_http_to_loopback_only_by_the_client_librarys_rule() {
        for url in [
            "http://127.0.0.1:8080/x",
            "http://localhost/unleash",
            "http://[::1]:9/",
            "http://[::ffff:127.0.0.1]:9/",
            "HTTP://127.0.0.1/",
            "https://sddc.example.com",
            // Not a URL at all: the client's error, not this one.
            "sddc.example.com",
        ] {
            assert!(!is_plain_remote(url), "{url}");
        }
        for url in [
            "http://sddc.example.com",
            "http://127.0.0.1.evil.example/",
            "http://[::ffff:10.0.0.1]/",
        ] {
            assert!(is_plain_remote(url), "{url}");
        }
    }
}
