//! The configuration file of named contexts: where it is, what it holds,
//! reading it (refusing unsafe permissions and literal secrets) and writing
//! it (atomically, mode 0600).
//!
//! Where the file is, which context applies and how its values rank
//! against flags and the environment is decided in `crate::settings`, the
//! one place for settings.
//!
//! ```toml
//! current-context = "prod"
//!
//! [contexts.prod]
//! vcf-url = "https://sddc.example.com"
//! vcf-username = "administrator@vsphere.local"
//! vcf-password = "env:PROD_VCF_PASSWORD"
//! ca-cert = "/etc/ssl/corp-ca.pem"
//! unleash-url = "https://unleash.example.com/unleash"
//! unleash-api-token = "file:/run/secrets/unleash"
//! broker-url = "https://vcenter.example.com"
//! broker-tenant = "CUSTOMER"
//! broker-client-id = "automation"
//! broker-client-secret = "env:PROD_BROKER_CLIENT_SECRET"
//! ```

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use idp_config::SecretRef;
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

/// One environment: where its servers are and where its secrets come from.
/// Secrets are references only (`env:NAME`, `file:PATH`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Context {
    /// SDDC Manager base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcf_url: Option<String>,
    /// The VCF user (with `vcf-password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcf_username: Option<String>,
    /// The VCF user's password, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcf_password: Option<SecretRef>,
    /// A VCF bearer token instead of a user, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcf_token: Option<SecretRef>,
    /// Extra CA certificate(s) to trust (PEM file), for both servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
    /// Unleash base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unleash_url: Option<String>,
    /// The Unleash API token, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unleash_api_token: Option<SecretRef>,
    /// VCF Identity Broker base URL (the vCenter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_url: Option<String>,
    /// The broker tenant (default `CUSTOMER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_tenant: Option<String>,
    /// CA certificate(s) to trust for the broker (PEM file); without it,
    /// `ca-cert`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_ca_cert: Option<PathBuf>,
    /// A vCenter user for the broker (with `broker-vcenter-password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_vcenter_username: Option<String>,
    /// The vCenter user's password, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_vcenter_password: Option<SecretRef>,
    /// An OAuth 2.0 client of the broker (with `broker-client-secret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_client_id: Option<String>,
    /// The OAuth 2.0 client's secret, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_client_secret: Option<SecretRef>,
    /// A broker admin token instead, a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker_token: Option<SecretRef>,
}

impl Context {
    /// The secret fields with their names in the file.
    pub fn secrets(&self) -> [(&'static str, Option<&SecretRef>); 6] {
        [
            ("vcf-password", self.vcf_password.as_ref()),
            ("vcf-token", self.vcf_token.as_ref()),
            ("unleash-api-token", self.unleash_api_token.as_ref()),
            (
                "broker-vcenter-password",
                self.broker_vcenter_password.as_ref(),
            ),
            ("broker-client-secret", self.broker_client_secret.as_ref()),
            ("broker-token", self.broker_token.as_ref()),
        ]
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
            if secret.is_some_and(SecretRef::is_literal) {
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
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::os::unix::fs::PermissionsExt;

    use idp_config::SecretRef;

    use super::{Context, ContextsFile, load, save};

    fn sample() -> ContextsFile {
        let mut file = ContextsFile {
            current_context: Some("prod".to_owned()),
            ..ContextsFile::default()
        };
        file.contexts.insert(
            "prod".to_owned(),
            Context {
                vcf_url: Some("https://sddc.example.com".to_owned()),
                vcf_username: Some("admin@local".to_owned()),
                vcf_password: Some(SecretRef::parse("env:PROD_PASSWORD")),
                ca_cert: Some("/etc/ssl/ca.pem".into()),
                unleash_url: Some("https://unleash.example.com".to_owned()),
                unleash_api_token: Some(SecretRef::parse("file:/run/secrets/u")),
                ..Context::default()
            },
        );
        file
    }

    #[test]
    fn a_saved_file_reads_back_the_same_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        save(&path, &sample()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(load(&path).unwrap(), sample());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("vcf-password = \"env:PROD_PASSWORD\""),
            "{text}"
        );
    }

    #[test]
    fn a_missing_file_has_no_contexts() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load(&dir.path().join("none.toml")).unwrap(),
            ContextsFile::default()
        );
    }

    #[test]
    fn group_or_world_writable_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        save(&path, &sample()).unwrap();
        for mode in [0o620, 0o602, 0o666] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let failure = load(&path).unwrap_err();
            assert_eq!(failure.code, 2);
            assert!(failure.message.contains("writable"), "{}", failure.message);
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(load(&path).is_ok());
    }

    #[test]
    fn literal_secrets_are_refused_without_showing_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[contexts.lab]\nvcf-token = \"hunter2\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let failure = load(&path).unwrap_err();
        assert_eq!(failure.code, 2);
        assert!(failure.message.contains("env:NAME or file:PATH"));
        assert!(!failure.message.contains("hunter2"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[contexts.lab]\nvcf-uri = \"https://x\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load(&path).unwrap_err().message.contains("vcf-uri"));
    }

    #[test]
    fn syntax_errors_name_the_line_but_never_quote_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[contexts.lab]\nvcf-token = hunter2\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let message = load(&path).unwrap_err().message;
        assert!(message.contains("line 2"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }
}
