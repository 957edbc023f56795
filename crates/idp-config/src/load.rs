//! Reading a document from YAML or JSON, and checking it.

mod operations;

use std::collections::HashSet;
use std::path::Path;

use crate::connection::{Broker, BrokerCredentials, Endpoint, Ops, Vcf, VcfCredentials};
use crate::document::{
    BrokerState, BrokerTarget, Connection, Document, External, Identity, split_field_error,
};
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
                let position = (Some(inner.line()), Some(inner.column()));
                parse_error(text, json, field, position, &inner.to_string(), &at)
            })?
        } else {
            let de = serde_norway::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let field = field_of(e.path());
                let inner = e.into_inner();
                let location = inner.location();
                let position = (
                    location.as_ref().map(|l| l.line()),
                    location.as_ref().map(|l| l.column()),
                );
                parse_error(text, json, field, position, &inner.to_string(), &at)
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
        if self.targets.is_empty() && self.brokers.is_empty() && self.operations.is_empty() {
            return Err((
                "targets".into(),
                "at least one target (or broker, or VCF Operations) is required".into(),
            ));
        }
        let mut names = HashSet::new();
        for (i, target) in self.targets.iter().enumerate() {
            let here = |f: &str| format!("targets[{i}].{f}");
            match &target.connection {
                Connection::Context(context) => check_context(context, &here)?,
                Connection::Direct(vcf) => check_vcf(vcf).map_err(|(f, m)| (here(f), m))?,
            }
            check_unique_name(target.display_name(), &mut names, "another target", &here)?;
            if let Some(identity) = &target.identity {
                check_identity(identity, &here("identity"))?;
            }
        }
        if let Some(identity) = &self.identity {
            check_identity(identity, "identity")?;
        }
        for (i, broker) in self.brokers.iter().enumerate() {
            check_broker(broker, i, &mut names)?;
        }
        if let Some(state) = &self.broker {
            check_broker_state(state, "broker")?;
        }
        for (i, ops) in self.operations.iter().enumerate() {
            operations::check_operations(ops, i, &mut names)?;
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
            for (key, secret) in t.connection.direct().map(Vcf::secrets).unwrap_or_default() {
                visit(format!("targets[{i}].{}", key.camel()), Some(secret));
            }
        }
        for (i, b) in self.brokers.iter().enumerate() {
            for (key, secret) in b
                .connection
                .direct()
                .map(Broker::secrets)
                .unwrap_or_default()
            {
                visit(format!("brokers[{i}].{}", key.camel()), Some(secret));
            }
        }
        for (i, o) in self.operations.iter().enumerate() {
            for (key, secret) in o.connection.direct().map(Ops::secrets).unwrap_or_default() {
                visit(format!("operations[{i}].{}", key.camel()), Some(secret));
            }
            for (j, realm) in o.realms.iter().enumerate() {
                if let Some(oidc) = realm
                    .identity_provider
                    .as_ref()
                    .and_then(|p| p.oidc.as_ref())
                {
                    visit(
                        format!("operations[{i}].realms[{j}].identityProvider.oidc.clientSecret"),
                        Some(&oidc.client_secret),
                    );
                }
            }
        }
        let states = self
            .brokers
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.broker
                    .as_ref()
                    .map(|s| (format!("brokers[{i}].broker"), s))
            })
            .chain(self.broker.as_ref().map(|s| ("broker".to_owned(), s)));
        for (prefix, state) in states {
            for (j, idp) in state.identity_providers.iter().flatten().enumerate() {
                visit(
                    format!("{prefix}.identityProviders[{j}].clientSecret"),
                    Some(&idp.client_secret),
                );
            }
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
    let mut grantees = HashSet::new();
    for (j, grant) in identity.access.iter().flatten().enumerate() {
        let here = |f: &str| format!("{prefix}.access[{j}].{f}");
        grant.check().map_err(|(f, m)| (here(f), m))?;
        let key = (
            grant.grantee().map(|(k, n)| (k, n.to_ascii_lowercase())),
            grant
                .domain
                .as_deref()
                .map(|d| d.trim().to_ascii_lowercase()),
        );
        if !grantees.insert(key) {
            return Err((
                here("role"),
                format!("{} is granted twice", grant.display_name()),
            ));
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

/// A target written in the document: a URL (`https`, or `http`) and
/// complete credentials.
fn check_vcf(vcf: &Vcf) -> Result<(), (&'static str, String)> {
    check_endpoint(&vcf.endpoint)?;
    match &vcf.credentials {
        Some(VcfCredentials::Token(_) | VcfCredentials::ApiKey(_))
        | Some(VcfCredentials::Password {
            username: Some(_),
            password: Some(_),
        }) => Ok(()),
        Some(VcfCredentials::Password {
            username: Some(_),
            password: None,
        }) => Err(("password", "is required with `username`".into())),
        _ => Err((
            "username",
            "`username` and `password`, `token`, or `apiKey`, are required".into(),
        )),
    }
}

/// A broker written in the document: a URL, complete credentials of one
/// kind, a tenant that is one path segment.
fn check_broker_connection(broker: &Broker) -> Result<(), (&'static str, String)> {
    check_endpoint(&broker.endpoint)?;
    match &broker.credentials {
        None => {
            return Err((
                "vcenterUsername",
                "`vcenterUsername` and `vcenterPassword`, or `clientId` and `clientSecret`, or `token`, are required".into(),
            ));
        }
        Some(BrokerCredentials::Vcenter { username, password }) => pair(
            ("vcenterUsername", username.is_some()),
            ("vcenterPassword", password.is_some()),
        )?,
        Some(BrokerCredentials::OAuthClient {
            client_id,
            client_secret,
        }) => pair(
            ("clientId", client_id.is_some()),
            ("clientSecret", client_secret.is_some()),
        )?,
        Some(BrokerCredentials::Token(_)) => {}
    }
    if let Some(tenant) = &broker.tenant {
        check_tenant(tenant).map_err(|m| ("tenant", m))?;
    }
    Ok(())
}

/// Both fields of a pair (a user and its password), or the one missing.
fn pair(
    (field, set): (&'static str, bool),
    (other, other_set): (&'static str, bool),
) -> Result<(), (&'static str, String)> {
    match (set, other_set) {
        (true, false) => Err((other, format!("is required with `{field}`"))),
        (false, true) => Err((field, format!("is required with `{other}`"))),
        _ => Ok(()),
    }
}

/// An endpoint's URL: present, `https` or `http`, with a host.
fn check_endpoint(endpoint: &Endpoint) -> Result<(), (&'static str, String)> {
    let url = endpoint
        .url
        .as_deref()
        .ok_or(("url", "`url` or `context` is required".to_owned()))?;
    check_url(url, &["https", "http"]).map_err(|m| ("url", m))
}

/// A broker target: its connection or context; a name no other target or
/// broker has.
fn check_broker(
    broker: &BrokerTarget,
    i: usize,
    names: &mut HashSet<String>,
) -> Result<(), (String, String)> {
    let here = |f: &str| format!("brokers[{i}].{f}");
    match &broker.connection {
        Connection::Context(context) => check_context(context, &here)?,
        Connection::Direct(b) => check_broker_connection(b).map_err(|(f, m)| (here(f), m))?,
    }
    check_unique_name(
        broker.display_name(),
        names,
        "another target or broker",
        &here,
    )?;
    if let Some(state) = &broker.broker {
        check_broker_state(state, &here("broker"))?;
    }
    Ok(())
}

/// A target or broker given by `context`: the context is named (the
/// fields it replaces are refused while the document is read).
fn check_context(context: &str, here: &impl Fn(&str) -> String) -> Result<(), (String, String)> {
    if context.trim().is_empty() {
        return Err((here("context"), "must not be empty".into()));
    }
    Ok(())
}

/// A non-empty name no other target or broker uses (case-insensitively);
/// `others` says who else in the message.
fn check_unique_name(
    name: &str,
    names: &mut HashSet<String>,
    others: &str,
    here: &impl Fn(&str) -> String,
) -> Result<(), (String, String)> {
    let name = name.trim();
    if name.is_empty() {
        return Err((here("name"), "must not be empty".into()));
    }
    if !names.insert(name.to_ascii_lowercase()) {
        return Err((here("name"), format!("`{name}` is used by {others}")));
    }
    Ok(())
}

/// A tenant: one path segment of letters, digits, `-`, `_` or `.`.
fn check_tenant(tenant: &str) -> Result<(), String> {
    let tenant = tenant.trim();
    if tenant.is_empty() {
        return Err("must not be empty".into());
    }
    if !tenant
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!(
            "`{tenant}`: use letters, digits, `-`, `_` and `.` only"
        ));
    }
    Ok(())
}

/// A broker's desired state: unique, non-empty names; at least one domain
/// per directory, the default domain among them, a known type; providers
/// with an `https://` configuration URL, a client id and at least one
/// directory, named once.
fn check_broker_state(state: &BrokerState, prefix: &str) -> Result<(), (String, String)> {
    let mut names = HashSet::new();
    for (j, d) in state.directories.iter().flatten().enumerate() {
        let here = |f: &str| format!("{prefix}.directories[{j}].{f}");
        let name = d.name.trim();
        if name.is_empty() {
            return Err((here("name"), "must not be empty".into()));
        }
        if !names.insert(name.to_ascii_lowercase()) {
            return Err((here("name"), format!("`{name}` is named twice")));
        }
        if d.domains.iter().all(|x| x.trim().is_empty()) {
            return Err((here("domains"), "at least one domain is required".into()));
        }
        if let Some((k, _)) = d
            .domains
            .iter()
            .enumerate()
            .find(|(_, x)| x.trim().is_empty())
        {
            return Err((here(&format!("domains[{k}]")), "must not be empty".into()));
        }
        if let Some(default) = &d.default_domain
            && !d
                .domains
                .iter()
                .any(|x| x.trim().eq_ignore_ascii_case(default.trim()))
        {
            return Err((
                here("defaultDomain"),
                format!("`{}` is not one of `domains`", default.trim()),
            ));
        }
        if let Some(source) = &d.source
            && source.trim().is_empty()
        {
            return Err((here("source"), "must not be empty".into()));
        }
        if let Some(kind) = &d.kind
            && !["PROVISIONED", "JIT"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(kind.trim()))
        {
            return Err((
                here("type"),
                format!("`{}`: use PROVISIONED or JIT", kind.trim()),
            ));
        }
    }
    let mut idps = HashSet::new();
    for (j, p) in state.identity_providers.iter().flatten().enumerate() {
        let here = |f: &str| format!("{prefix}.identityProviders[{j}].{f}");
        let name = p.name.trim();
        if name.is_empty() {
            return Err((here("name"), "must not be empty".into()));
        }
        if !idps.insert(name.to_ascii_lowercase()) {
            return Err((here("name"), format!("`{name}` is named twice")));
        }
        if p.directories.is_empty() {
            return Err((
                here("directories"),
                "at least one directory is required".into(),
            ));
        }
        if let Some((k, _)) = p
            .directories
            .iter()
            .enumerate()
            .find(|(_, x)| x.trim().is_empty())
        {
            return Err((
                here(&format!("directories[{k}]")),
                "must not be empty".into(),
            ));
        }
        check_url(&p.configuration_url, &["https"]).map_err(|m| (here("configurationUrl"), m))?;
        if p.client_id.trim().is_empty() {
            return Err((here("clientId"), "must not be empty".into()));
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

/// A reader's error as [`Error::Document`]: at the reader's position, or,
/// for a target's or broker's fields that do not make one connection, at
/// the field it names (placed as the checks after parsing place theirs).
fn parse_error(
    text: &str,
    json: bool,
    field: Option<String>,
    (line, column): (Option<usize>, Option<usize>),
    message: &str,
    at: &impl Fn(Option<usize>, Option<usize>, Option<String>) -> Location,
) -> Error {
    let message = strip_position(message);
    if let Some((name, why)) = split_field_error(&message) {
        let field = match field {
            Some(parent) => format!("{parent}.{name}"),
            None => name.to_owned(),
        };
        let (line, column) = crate::locate::locate(text, json, &field).unzip();
        return Error::Document {
            location: at(line, column, Some(field)),
            message: why.to_owned(),
        };
    }
    Error::Document {
        location: at(line, column, field),
        message,
    }
}

/// The reader's message without its own " at line L column C" suffix (the
/// location is reported separately).
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
