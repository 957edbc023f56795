//! The one place where flags and environment become client configuration.

use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;

use idp_client::{
    DEFAULT_ENTRA_GRAPH_URL, DEFAULT_ENTRA_LOGIN_URL, EntraClient, OktaClient, Secret,
    UnleashClient, VcfClient,
};

use crate::cli::ConnectionArgs;
use crate::failure::Failure;

/// Reads an environment variable; unset and empty are the same.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `1`, `true`, `yes` (any case) turn a flag variable on.
fn env_flag(name: &str) -> bool {
    env(name).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// Connection settings shared by both servers.
#[derive(Debug)]
pub struct Settings {
    connection: ConnectionArgs,
    timeout: Option<Duration>,
}

/// What differs between the two servers' settings.
struct Server {
    name: &'static str,
    url_flag: &'static str,
    url_env: &'static str,
    ca_env: &'static str,
    insecure_env: &'static str,
}

const VCF: Server = Server {
    name: "VCF",
    url_flag: "--vcf-url",
    url_env: "VCF_URL",
    ca_env: "VCF_CA_CERT",
    insecure_env: "VCF_INSECURE",
};

const UNLEASH: Server = Server {
    name: "Unleash",
    url_flag: "--unleash-url",
    url_env: "UNLEASH_URL",
    ca_env: "UNLEASH_CA_CERT",
    insecure_env: "UNLEASH_INSECURE",
};

const OKTA: Server = Server {
    name: "Okta",
    url_flag: "--okta-url",
    url_env: "OKTA_URL",
    ca_env: "OKTA_CA_CERT",
    insecure_env: "OKTA_INSECURE",
};

const ENTRA: Server = Server {
    name: "Microsoft Entra",
    url_flag: "--entra-graph-url",
    url_env: "ENTRA_GRAPH_URL",
    ca_env: "ENTRA_CA_CERT",
    insecure_env: "ENTRA_INSECURE",
};

/// TLS and transport choices for one server, resolved.
struct Transport {
    url: String,
    ca_pem: Option<Vec<u8>>,
    insecure: bool,
}

impl Settings {
    pub fn new(connection: ConnectionArgs, timeout_secs: Option<u64>) -> Self {
        Self {
            connection,
            timeout: timeout_secs.map(Duration::from_secs),
        }
    }

    /// Whether a VCF URL was given (flag or environment).
    pub fn has_vcf_url(&self) -> bool {
        self.connection
            .vcf_url
            .as_deref()
            .is_some_and(|u| !u.is_empty())
    }

    /// Whether an Unleash URL was given (flag or environment).
    pub fn has_unleash_url(&self) -> bool {
        self.connection
            .unleash_url
            .as_deref()
            .is_some_and(|u| !u.is_empty())
    }

    /// A VCF client from `--vcf-url`, `VCF_TOKEN` or `VCF_USERNAME` +
    /// `VCF_PASSWORD` (or the password on stdin with `--secret-stdin`).
    pub fn vcf_client(&self) -> Result<VcfClient, Failure> {
        let transport = self.transport(&VCF, self.connection.vcf_url.clone())?;
        let mut builder = VcfClient::builder(transport.url)
            .danger_accept_invalid_certs(transport.insecure)
            .allow_plain_http(self.connection.allow_http);
        if let Some(pem) = transport.ca_pem {
            builder = builder.ca_certificate_pem(pem);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.request_timeout(timeout);
        }
        builder = match (env("VCF_USERNAME"), env("VCF_TOKEN")) {
            (Some(username), _) => {
                let password = if self.connection.secret_stdin {
                    Some(read_secret_line()?)
                } else {
                    env("VCF_PASSWORD").map(Secret::new)
                };
                let password = password.ok_or_else(|| {
                    Failure::usage(
                        "VCF_USERNAME is set but VCF_PASSWORD is not (or pass --secret-stdin)",
                    )
                })?;
                builder.credentials(username, password)
            }
            (None, Some(token)) => builder.bearer_token(Secret::new(token)),
            (None, None) => {
                return Err(Failure::usage(
                    "no VCF credentials: set VCF_TOKEN, or VCF_USERNAME and VCF_PASSWORD",
                ));
            }
        };
        builder.build().map_err(Failure::from)
    }

    /// What every target of a declarative document gets from the flags:
    /// the request timeout, `--insecure` and `--allow-http` (URLs,
    /// credentials and CA certificates come from the document).
    pub fn fleet_client_settings(&self) -> idp_config::ConfigureClient {
        let timeout = self.timeout;
        let insecure = self.connection.insecure;
        let allow_http = self.connection.allow_http;
        std::sync::Arc::new(move |mut builder: idp_client::VcfClientBuilder| {
            builder = builder
                .danger_accept_invalid_certs(insecure)
                .allow_plain_http(allow_http);
            if let Some(timeout) = timeout {
                builder = builder.request_timeout(timeout);
            }
            builder
        })
    }

    /// An Unleash client from `--unleash-url` and `UNLEASH_API_TOKEN` (or
    /// the token on stdin with `--secret-stdin`).
    pub fn unleash_client(&self) -> Result<UnleashClient, Failure> {
        let transport = self.transport(&UNLEASH, self.connection.unleash_url.clone())?;
        let token = if self.connection.secret_stdin {
            read_secret_line()?
        } else {
            env("UNLEASH_API_TOKEN")
                .map(Secret::new)
                .ok_or_else(|| Failure::usage("no Unleash credentials: set UNLEASH_API_TOKEN"))?
        };
        let mut builder = UnleashClient::builder(transport.url)
            .api_token(token)
            .danger_accept_invalid_certs(transport.insecure)
            .allow_plain_http(self.connection.allow_http);
        if let Some(pem) = transport.ca_pem {
            builder = builder.ca_certificate_pem(pem);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.request_timeout(timeout);
        }
        builder.build().map_err(Failure::from)
    }

    /// An Okta client from `--okta-url` and `OKTA_API_TOKEN`: an API token
    /// (sent as `SSWS`), or an OAuth access token when the value starts with
    /// `Bearer `.
    pub fn okta_client(&self) -> Result<OktaClient, Failure> {
        let transport = self.transport(&OKTA, self.connection.okta_url.clone())?;
        let token = env("OKTA_API_TOKEN").ok_or_else(|| {
            Failure::usage("no Okta credentials: set OKTA_API_TOKEN (an API token, or `Bearer <access token>`)")
        })?;
        let is_bearer = token
            .trim_start()
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("bearer "));
        let mut builder = OktaClient::builder(transport.url);
        builder = if is_bearer {
            builder.access_token(Secret::new(token))
        } else {
            builder.api_token(Secret::new(token))
        };
        builder = builder
            .danger_accept_invalid_certs(transport.insecure)
            .allow_plain_http(self.connection.allow_http);
        if let Some(pem) = transport.ca_pem {
            builder = builder.ca_certificate_pem(pem);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.request_timeout(timeout);
        }
        builder.build().map_err(Failure::from)
    }

    /// An Entra client from `ENTRA_TENANT_ID`, `ENTRA_CLIENT_ID`,
    /// `ENTRA_CLIENT_SECRET`, and the hosts `ENTRA_LOGIN_URL` (default
    /// the global login host) and `--entra-graph-url` / `ENTRA_GRAPH_URL`
    /// (default the global Graph host).
    pub fn entra_client(&self) -> Result<EntraClient, Failure> {
        let graph_url = self
            .connection
            .entra_graph_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| DEFAULT_ENTRA_GRAPH_URL.to_owned());
        let transport = self.transport(&ENTRA, Some(graph_url))?;
        let login_url =
            env("ENTRA_LOGIN_URL").unwrap_or_else(|| DEFAULT_ENTRA_LOGIN_URL.to_owned());
        let need = |name: &str| {
            env(name).ok_or_else(|| {
                Failure::usage(format!(
                    "no Microsoft Entra credentials: set ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET ({name} is missing)"
                ))
            })
        };
        let tenant = need("ENTRA_TENANT_ID")?;
        let client_id = need("ENTRA_CLIENT_ID")?;
        let secret = need("ENTRA_CLIENT_SECRET")?;
        let mut builder = EntraClient::builder(tenant)
            .login_url(login_url)
            .graph_url(transport.url)
            .client_id(client_id)
            .client_secret(Secret::new(secret))
            .danger_accept_invalid_certs(transport.insecure)
            .allow_plain_http(self.connection.allow_http);
        if let Some(pem) = transport.ca_pem {
            builder = builder.ca_certificate_pem(pem);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.request_timeout(timeout);
        }
        builder.build().map_err(Failure::from)
    }

    fn transport(&self, server: &Server, url: Option<String>) -> Result<Transport, Failure> {
        let url = url.filter(|u| !u.is_empty()).ok_or_else(|| {
            Failure::usage(format!(
                "no {} URL: pass {} or set {}",
                server.name, server.url_flag, server.url_env
            ))
        })?;
        let insecure = self.connection.insecure || env_flag(server.insecure_env);
        if insecure {
            warn(format_args!(
                "warning: TLS certificate verification is disabled for {} (--insecure / {}); anyone on the path can read the credentials",
                server.name, server.insecure_env
            ));
        }
        let plain_remote = url
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
            && !is_loopback_url(&url);
        if plain_remote && !self.connection.allow_http {
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
        let ca_path = self
            .connection
            .ca_cert
            .clone()
            .or_else(|| env(server.ca_env).map(PathBuf::from));
        let ca_pem = ca_path
            .map(|path| {
                std::fs::read(&path).map_err(|e| {
                    Failure::usage(format!(
                        "cannot read CA certificate {}: {e}",
                        path.display()
                    ))
                })
            })
            .transpose()?;
        Ok(Transport {
            url,
            ca_pem,
            insecure,
        })
    }
}

/// A `warning:` line on stderr; a closed stderr is not a reason to panic.
fn warn(message: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// Whether an http:// URL names a loopback host.
fn is_loopback_url(url: &str) -> bool {
    // The caller has checked the (case-insensitive) `http://` prefix.
    let rest = url.get("http://".len()..).unwrap_or_default();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .unwrap_or_default()
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The first line of stdin, as a secret.
fn read_secret_line() -> Result<Secret, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the secret from stdin: {e}")))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    if secret.is_empty() {
        return Err(Failure::usage("--secret-stdin: stdin is empty"));
    }
    Ok(Secret::new(secret))
}

#[cfg(test)]
mod tests {
    use super::is_loopback_url;

    #[test]
    fn recognizes_loopback_hosts() {
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://localhost/unleash"));
        assert!(is_loopback_url("http://[::1]:9/"));
        assert!(!is_loopback_url("http://sddc.example.com"));
        assert!(!is_loopback_url("http://127.0.0.1.evil.example/"));
    }
}
