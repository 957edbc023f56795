//! Reading a document from YAML or JSON, and checking it.

use std::collections::HashSet;
use std::path::Path;

use crate::document::{Document, External, Identity};
use crate::error::{Error, Location};

/// How a document is read.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct LoadOptions {
    /// Accept secrets written into the document instead of `env:`/`file:`
    /// references.
    pub allow_literal_secrets: bool,
}

impl LoadOptions {
    /// Sets whether literal secrets are accepted.
    #[must_use]
    pub fn allow_literal_secrets(mut self, allow: bool) -> Self {
        self.allow_literal_secrets = allow;
        self
    }
}

impl Document {
    /// Reads and checks the document in `path` (JSON when the name ends in
    /// `.json`, YAML otherwise).
    ///
    /// # Errors
    ///
    /// [`Error::Document`] naming the file, line and field.
    pub fn from_file(path: &Path, options: LoadOptions) -> Result<Self, Error> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Document {
            location: Location {
                file: file.clone(),
                ..Location::default()
            },
            message: format!("cannot read: {e}"),
        })?;
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Self::from_text(&text, &file, json, options)
    }

    /// Reads and checks a document; `file` names it in errors; `json`
    /// chooses the JSON reader (YAML otherwise).
    ///
    /// # Errors
    ///
    /// [`Error::Document`] naming the file, line and field.
    pub fn from_text(
        text: &str,
        file: &str,
        json: bool,
        options: LoadOptions,
    ) -> Result<Self, Error> {
        let at = |line: Option<usize>, column: Option<usize>, field: Option<String>| Location {
            file: file.to_owned(),
            line,
            column,
            field,
        };
        let document: Self = if json {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let field = field_of(e.path());
                let inner = e.into_inner();
                Error::Document {
                    location: at(Some(inner.line()), Some(inner.column()), field),
                    message: strip_position(&inner.to_string()),
                }
            })?
        } else {
            let de = serde_norway::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let field = field_of(e.path());
                let inner = e.into_inner();
                let location = inner.location();
                Error::Document {
                    location: at(
                        location.as_ref().map(|l| l.line()),
                        location.as_ref().map(|l| l.column()),
                        field,
                    ),
                    message: strip_position(&inner.to_string()),
                }
            })?
        };
        document.check(options).map_err(|(field, message)| {
            let (line, column) = crate::locate::locate(text, json, &field).unzip();
            Error::Document {
                location: at(line, column, Some(field)),
                message,
            }
        })?;
        Ok(document)
    }

    /// Checks a document built in code as [`Document::from_text`] checks a
    /// file: each target has a URL with credentials or a context, names
    /// are unique, no literal secret (unless allowed), durations parse,
    /// built-in sources are not named.
    ///
    /// # Errors
    ///
    /// [`Error::Document`] naming the field (the file is `<document>`).
    pub fn validate(&self, options: LoadOptions) -> Result<(), Error> {
        self.check(options)
            .map_err(|(field, message)| Error::Document {
                location: Location {
                    file: "<document>".to_owned(),
                    field: Some(field),
                    ..Location::default()
                },
                message,
            })
    }

    fn check(&self, options: LoadOptions) -> Result<(), (String, String)> {
        if self.targets.is_empty() {
            return Err(("targets".into(), "at least one target is required".into()));
        }
        let mut names = HashSet::new();
        for (i, target) in self.targets.iter().enumerate() {
            let here = |f: &str| format!("targets[{i}].{f}");
            match (&target.url, &target.context) {
                (Some(_), Some(_)) => {
                    return Err((here("context"), "give either `url` or `context`".into()));
                }
                (None, None) => {
                    return Err((here("url"), "`url` or `context` is required".into()));
                }
                (Some(url), None) => {
                    check_url(url, &["https", "http"]).map_err(|m| (here("url"), m))?;
                    match (&target.username, &target.password, &target.token) {
                        (Some(_), Some(_), None) | (None, None, Some(_)) => {}
                        (_, _, Some(_)) => {
                            return Err((
                                here("token"),
                                "give either `token` or `username` and `password`".into(),
                            ));
                        }
                        (None, _, None) => {
                            return Err((
                                here("username"),
                                "`username` and `password`, or `token`, are required".into(),
                            ));
                        }
                        (Some(_), None, None) => {
                            return Err((here("password"), "is required with `username`".into()));
                        }
                    }
                }
                (None, Some(context)) => {
                    if context.trim().is_empty() {
                        return Err((here("context"), "must not be empty".into()));
                    }
                    for (field, set) in [
                        ("username", target.username.is_some()),
                        ("password", target.password.is_some()),
                        ("token", target.token.is_some()),
                        ("caCert", target.ca_cert.is_some()),
                    ] {
                        if set {
                            return Err((here(field), "not allowed with `context`".into()));
                        }
                    }
                }
            }
            let name = target.display_name().trim().to_owned();
            if name.is_empty() {
                return Err((here("name"), "must not be empty".into()));
            }
            if !names.insert(name.to_ascii_lowercase()) {
                return Err((here("name"), format!("`{name}` is used by another target")));
            }
            if let Some(identity) = &target.identity {
                check_identity(identity, &here("identity"))?;
            }
        }
        if let Some(identity) = &self.identity {
            check_identity(identity, "identity")?;
        }
        if !options.allow_literal_secrets
            && let Some(field) = self.literal_secret_fields().into_iter().next()
        {
            return Err((
                field,
                "a literal secret is refused: use env:NAME or file:PATH (or allow literal secrets)"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The fields that hold a secret written into the document.
    #[must_use]
    pub fn literal_secret_fields(&self) -> Vec<String> {
        let mut found = Vec::new();
        let mut visit = |field: String, secret: Option<&crate::SecretRef>| {
            if secret.is_some_and(crate::SecretRef::is_literal) {
                found.push(field);
            }
        };
        for (i, t) in self.targets.iter().enumerate() {
            visit(format!("targets[{i}].password"), t.password.as_ref());
            visit(format!("targets[{i}].token"), t.token.as_ref());
        }
        let identities = self
            .targets
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                t.identity
                    .as_ref()
                    .map(|id| (format!("targets[{i}].identity"), id))
            })
            .chain(self.identity.as_ref().map(|id| ("identity".to_owned(), id)));
        for (prefix, identity) in identities {
            if let Some(External::Provider(p)) = &identity.external {
                visit(
                    format!("{prefix}.external.oidc.clientSecret"),
                    Some(&p.oidc.client_secret),
                );
                if let Some(ldap) = &p.ldap {
                    visit(
                        format!("{prefix}.external.ldap.password"),
                        Some(&ldap.password),
                    );
                }
            }
            for (j, s) in identity.embedded_sources.iter().flatten().enumerate() {
                visit(
                    format!("{prefix}.embeddedSources[{j}].password"),
                    Some(&s.password),
                );
            }
        }
        found
    }
}

/// A URL with one of `schemes` and a host. What depends on the caller's
/// settings (plain `http` only for loopback unless allowed...) the client
/// checks when it is built.
fn check_url(text: &str, schemes: &[&str]) -> Result<(), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    if !schemes.contains(&url.scheme()) {
        return Err(format!(
            "`{text}`: the scheme must be {}",
            schemes
                .iter()
                .map(|s| format!("{s}://"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    if url.host().is_none() {
        return Err(format!("`{text}` has no host"));
    }
    Ok(())
}

fn check_identity(identity: &Identity, prefix: &str) -> Result<(), (String, String)> {
    if let Some(External::Provider(p)) = &identity.external {
        let here = |f: &str| format!("{prefix}.external.{f}");
        if p.name.trim().is_empty() {
            return Err((here("name"), "must not be empty".into()));
        }
        if let Some(ttl) = &p.sync_client_token_ttl {
            crate::parse_duration(ttl).map_err(|m| (here("syncClientTokenTtl"), m))?;
        }
        match p.kind {
            crate::ExternalType::Adfs => {
                if p.ldap.is_none() {
                    return Err((here("ldap"), "is required for adfs".into()));
                }
            }
            _ => {
                if p.directory.is_none() {
                    return Err((
                        here("directory"),
                        "is required for a federated broker".into(),
                    ));
                }
                if p.ldap.is_some() {
                    return Err((here("ldap"), "is only for adfs".into()));
                }
            }
        }
    }
    let mut domains = HashSet::new();
    for (j, s) in identity.embedded_sources.iter().flatten().enumerate() {
        let here = |f: &str| format!("{prefix}.embeddedSources[{j}].{f}");
        let domain = s.domain_name.trim().to_ascii_lowercase();
        if domain.is_empty() {
            return Err((here("domainName"), "must not be empty".into()));
        }
        if crate::plan::is_builtin_domain(&domain) {
            return Err((
                format!("{prefix}.embeddedSources[{j}].domainName"),
                format!("`{domain}` is a built-in source and cannot be managed"),
            ));
        }
        if !domains.insert(domain.clone()) {
            return Err((
                format!("{prefix}.embeddedSources[{j}].domainName"),
                format!("`{domain}` is named twice"),
            ));
        }
    }
    Ok(())
}

/// `targets[0].url` from serde_path_to_error's path (`targets[0].url`);
/// `None` at the top.
fn field_of(path: &serde_path_to_error::Path) -> Option<String> {
    let text = path.to_string();
    (text != ".").then_some(text)
}

/// The reader's message without its own " at line L column C" suffix (the
/// location is reported separately).
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
