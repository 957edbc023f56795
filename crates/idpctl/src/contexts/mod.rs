//! The configuration file of named contexts: what it holds, reading it
//! (refusing unsafe permissions and literal secrets, and reading the flat
//! keys of earlier versions, [`written`]) and writing it (atomically, mode
//! 0600, always in the current shape).
//!
//! Where the file is, which context applies and how its values rank
//! against flags and the environment is decided in `crate::settings`.
//!
//! A context holds one table per API, each an endpoint and one kind of
//! credentials (`idp_config::connection`), and a CA file for every API of
//! the context that names none of its own:
//!
//! ```toml
//! current-context = "prod"
//!
//! [contexts.prod]
//! ca-cert = "/etc/ssl/corp-ca.pem"
//!
//! [contexts.prod.vcf]
//! url = "https://sddc.example.com"
//! username = "administrator@vsphere.local"
//! password = "env:PROD_VCF_PASSWORD"
//!
//! [contexts.prod.unleash]
//! url = "https://unleash.example.com/unleash"
//! api-token = "file:/run/secrets/unleash"
//!
//! [contexts.prod.broker]
//! url = "https://vcenter.example.com"
//! tenant = "CUSTOMER"
//! client-id = "automation"
//! client-secret = "env:PROD_BROKER_CLIENT_SECRET"
//!
//! [contexts.prod.ops]
//! url = "https://ops.example.com"
//! username = "admin"
//! password = "env:PROD_OPS_PASSWORD"
//!
//! [contexts.prod.okta]
//! url = "https://example.okta.com"
//! api-token = "env:OKTA_API_TOKEN"
//!
//! [contexts.prod.entra]
//! tenant-id = "…"
//! client-id = "…"
//! client-secret = "env:ENTRA_CLIENT_SECRET"
//! ```
//!
//! The keys of every table are in `idp_config::connection::section`.

mod written;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use idp_config::connection::{Broker, Endpoint, Entra, Okta, Ops, Unleash, Vcf};
use idp_config::{PemRef, SecretRef};
use serde::{Deserialize, Serialize};

use crate::delivery::file::write_private;
use crate::failure::Failure;

/// What a literal secret in the file or in `config set` is answered with.
const LITERAL_HINT: &str = "use env:NAME or file:PATH";

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ContextsFile {
    /// The context used when neither `--context` nor `IDPCTL_CONTEXT` names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_context: Option<String>,
    /// The contexts by name.
    #[serde(default)]
    pub contexts: BTreeMap<String, Context>,
}

/// One environment: where the server of each API is and how to log in.
/// Secrets are references only (`env:NAME`, `file:PATH`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", try_from = "written::Written")]
pub struct Context {
    /// Extra CA certificate(s) to trust (PEM file) for every API of the
    /// context whose table names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
    /// SDDC Manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vcf: Option<Vcf>,
    /// Unleash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unleash: Option<Unleash>,
    /// The VCF Identity Broker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broker: Option<Broker>,
    /// Okta, for `--deliver okta:APP_ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub okta: Option<Okta>,
    /// Microsoft Entra ID and Graph, for `--deliver entra:ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entra: Option<Entra>,
    /// VCF Operations (VCF 9.1 fleet identity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ops: Option<Ops>,
}

impl Context {
    /// The CA certificates for an API whose table is `endpoint`: the
    /// table's own, else the context's.
    pub fn ca_for(&self, endpoint: Option<&Endpoint>) -> Option<PemRef> {
        endpoint
            .and_then(|e| e.ca_cert.clone())
            .or_else(|| self.ca_cert.as_ref().map(PemRef::file))
    }

    /// The secret references with their keys (`vcf.password`).
    pub fn secrets(&self) -> Vec<(String, &SecretRef)> {
        let tables = [
            ("vcf", self.vcf.as_ref().map(Vcf::secrets)),
            ("unleash", self.unleash.as_ref().map(Unleash::secrets)),
            ("broker", self.broker.as_ref().map(Broker::secrets)),
            ("okta", self.okta.as_ref().map(Okta::secrets)),
            ("entra", self.entra.as_ref().map(Entra::secrets)),
            ("ops", self.ops.as_ref().map(Ops::secrets)),
        ];
        tables
            .into_iter()
            .flat_map(|(api, secrets)| {
                secrets
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |(key, secret)| (format!("{api}.{}", key.kebab()), secret))
            })
            .collect()
    }
}

/// Parses a secret reference given on the command line; a literal is
/// refused (it would be stored in the file).
pub fn parse_reference(text: &str) -> Result<SecretRef, String> {
    let reference = SecretRef::parse(text);
    if reference.is_literal() {
        return Err(format!("a literal secret is refused: {LITERAL_HINT}"));
    }
    Ok(reference)
}

/// Reads the file; a missing file is an empty one.
///
/// Refused (exit 2): a file that group or others may write (anyone who can
/// change it can send the credentials to another server), one that is not
/// TOML of this shape, and one holding a literal secret.
pub fn load(path: &Path) -> Result<ContextsFile, Failure> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ContextsFile::default());
        }
        Err(e) => {
            return Err(Failure::usage(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    if meta.permissions().mode() & 0o022 != 0 {
        return Err(Failure::usage(format!(
            "refusing {}: it is group- or world-writable (mode {:o}); run `chmod 600 {}`",
            path.display(),
            meta.permissions().mode() & 0o777,
            path.display()
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    // The error's own Display quotes the offending line, which may hold a
    // secret: say where and what only.
    let file: ContextsFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(0, |span| {
            text.get(..span.start)
                .map_or(0, |before| before.matches('\n').count())
                + 1
        });
        Failure::usage(format!(
            "{} line {line}: {}",
            path.display(),
            e.message().trim_end()
        ))
    })?;
    for (name, context) in &file.contexts {
        for (field, secret) in context.secrets() {
            if secret.is_literal() {
                return Err(Failure::usage(format!(
                    "{}: context `{name}`: {field} holds a literal secret, which is refused: {LITERAL_HINT}",
                    path.display()
                )));
            }
        }
    }
    Ok(file)
}

/// Writes the file atomically with mode 0600, creating its directory
/// (mode 0700) when missing.
pub fn save(path: &Path, file: &ContextsFile) -> Result<(), Failure> {
    let text = toml::to_string(file)
        .map_err(|e| Failure::other(format!("cannot render {}: {e}", path.display())))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        use std::os::unix::fs::DirBuilderExt as _;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Failure::other(format!("cannot create {}: {e}", dir.display())))?;
    }
    let header = b"# idpctl contexts (`idpctl config --help`). Secrets are references only: env:NAME or file:PATH.\n";
    write_private(path, &[header, text.as_bytes()])
        .map_err(|e| Failure::other(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests;
