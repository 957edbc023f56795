//! Reading each target's state and comparing it with the document.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use idp_client::{
    FederatedSource, IdentityProvider, IdentitySource, IdentitySourceKind, ProviderKind,
    RetryPolicy, VcfClient, VcfClientBuilder,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::document::{
    Document, EmbeddedSource, External, ExternalProvider, ExternalType, Identity, SourceType,
    Target,
};
use crate::error::Error;
use crate::reference::PemRef;

/// The default number of targets handled at once.
pub const DEFAULT_PARALLEL: usize = 8;

/// Turns a `context: NAME` target into a client. The caller supplies it
/// (a CLI with named contexts in its configuration file, say).
pub trait ContextResolver: Send + Sync {
    /// A client for the context `name`.
    ///
    /// # Errors
    ///
    /// Any [`Error`]; [`Error::Usage`] when there is no such context.
    fn client(&self, name: &str) -> Result<VcfClient, Error>;
}

/// Adjusts every target's client builder (timeouts, retries, TLS).
pub type ConfigureClient = Arc<dyn Fn(VcfClientBuilder) -> VcfClientBuilder + Send + Sync>;

/// How plans are made and carried out.
#[derive(Clone)]
#[non_exhaustive]
pub struct Options {
    /// Only these targets (by name); empty: all.
    pub targets: Vec<String>,
    /// How many targets are handled at once (at least 1).
    pub parallel: usize,
    /// Also update objects that differ in nothing readable, to send their
    /// secrets (which servers never return, so cannot be compared).
    pub update_secrets: bool,
    /// Allow a `replace` (delete then add) of the external provider.
    pub allow_replace: bool,
    /// Resolves `context:` targets; without one they fail with
    /// [`Error::Usage`].
    pub resolver: Option<Arc<dyn ContextResolver>>,
    /// Adjusts each target's client builder.
    pub configure_client: Option<ConfigureClient>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            targets: Vec::new(),
            parallel: DEFAULT_PARALLEL,
            update_secrets: false,
            allow_replace: false,
            resolver: None,
            configure_client: None,
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("targets", &self.targets)
            .field("parallel", &self.parallel)
            .field("update_secrets", &self.update_secrets)
            .field("allow_replace", &self.allow_replace)
            .field("resolver", &self.resolver.is_some())
            .field("configure_client", &self.configure_client.is_some())
            .finish()
    }
}

impl Options {
    /// Only the targets named here.
    #[must_use]
    pub fn targets(mut self, names: Vec<String>) -> Self {
        self.targets = names;
        self
    }

    /// How many targets at once.
    #[must_use]
    pub fn parallel(mut self, n: usize) -> Self {
        self.parallel = n.max(1);
        self
    }

    /// See [`Options::update_secrets`](#structfield.update_secrets).
    #[must_use]
    pub fn update_secrets(mut self, yes: bool) -> Self {
        self.update_secrets = yes;
        self
    }

    /// See [`Options::allow_replace`](#structfield.allow_replace).
    #[must_use]
    pub fn allow_replace(mut self, yes: bool) -> Self {
        self.allow_replace = yes;
        self
    }

    /// Resolves `context:` targets.
    #[must_use]
    pub fn resolver(mut self, resolver: Arc<dyn ContextResolver>) -> Self {
        self.resolver = Some(resolver);
        self
    }

    /// Adjusts each target's client builder.
    #[must_use]
    pub fn configure_client(mut self, f: ConfigureClient) -> Self {
        self.configure_client = Some(f);
        self
    }

    /// Uses `policy` for every target's requests.
    #[must_use]
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        self.configure_client(Arc::new(move |b| b.retry_policy(policy.clone())))
    }
}

/// What a plan would do to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Action {
    /// Add it.
    Create,
    /// Change it in place.
    Update,
    /// Delete it, then add the new one (a different external provider
    /// type: SDDC Manager allows one external provider).
    Replace,
    /// Delete it.
    Delete,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Replace => "replace",
            Self::Delete => "delete",
        })
    }
}

/// One field that differs: what the server has and what the document wants.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FieldChange {
    /// The field (`directory.domains`).
    pub field: String,
    /// The server's value (`null`: none).
    pub from: Value,
    /// The desired value.
    pub to: Value,
}

/// One change of a plan.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Change {
    /// What is done.
    pub action: Action,
    /// `externalProvider` or `embeddedSource`.
    pub object: &'static str,
    /// The object's name (the provider's name, the source's domain).
    pub name: String,
    /// Field-level differences (for a create: every field).
    pub fields: Vec<FieldChange>,
    /// The secret fields that would be sent (shown as `(secret)`).
    pub secrets: Vec<String>,
    /// Why a replace needs permission, for a replace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub(crate) step: Step,
}

impl Change {
    /// A one-line description: `update externalProvider okta`.
    #[must_use]
    pub fn summary(&self) -> String {
        format!("{} {} {}", self.action, self.object, self.name)
    }
}

/// What executing a change does (ids as read by the plan).
#[derive(Debug, Clone)]
pub(crate) enum Step {
    AddProvider(Box<ExternalProvider>),
    UpdateProvider {
        id: String,
        directory_id: Option<String>,
        desired: Box<ExternalProvider>,
    },
    ReplaceProvider {
        id: String,
        desired: Box<ExternalProvider>,
    },
    DeleteProvider {
        id: String,
    },
    AddSource {
        provider_id: String,
        source: Box<EmbeddedSource>,
    },
    UpdateSource {
        provider_id: String,
        domain: String,
        source: Box<EmbeddedSource>,
    },
    DeleteSource {
        provider_id: String,
        domain: String,
    },
}

impl Step {
    /// Deletes and replaces first (they free the single external slot and
    /// domains), then the rest in plan order.
    pub(crate) fn order(&self) -> u8 {
        match self {
            Self::DeleteSource { .. } | Self::DeleteProvider { .. } => 0,
            Self::ReplaceProvider { .. } => 1,
            _ => 2,
        }
    }
}

/// Why a target could not be planned or applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TargetError {
    /// The message (never a secret).
    pub message: String,
    /// Whether it is a problem of the input rather than of the server.
    pub usage: bool,
}

impl From<Error> for TargetError {
    fn from(e: Error) -> Self {
        Self {
            usage: e.is_usage(),
            message: e.to_string(),
        }
    }
}

/// The plan of one target.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TargetPlan {
    /// The target's name.
    pub target: String,
    /// The changes, in the order they would be made.
    pub changes: Vec<Change>,
    /// Why no plan could be made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<TargetError>,
    /// How long reading and comparing took.
    #[serde(rename = "durationMs", serialize_with = "crate::millis")]
    pub duration: Duration,
    #[serde(skip)]
    pub(crate) client: Option<VcfClient>,
}

impl fmt::Debug for TargetPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TargetPlan")
            .field("target", &self.target)
            .field("changes", &self.changes)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// A plan over several targets.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Plan {
    /// One plan per target, in document order.
    pub targets: Vec<TargetPlan>,
}

impl Plan {
    /// Whether any target would change.
    #[must_use]
    pub fn has_changes(&self) -> bool {
        self.targets.iter().any(|t| !t.changes.is_empty())
    }

    /// Whether any target could not be planned.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.targets.iter().any(|t| t.error.is_some())
    }

    /// Whether any target's plan has a replace.
    #[must_use]
    pub fn has_replace(&self) -> bool {
        self.targets
            .iter()
            .flat_map(|t| &t.changes)
            .any(|c| c.action == Action::Replace)
    }
}

/// Reads each selected target's providers (one `GET` per target) and
/// compares them with the document.
///
/// # Errors
///
/// [`Error::Usage`] when `options.targets` names a target the document
/// does not have. A target that cannot be read has its
/// [`TargetPlan::error`] set instead.
pub async fn plan(document: &Document, options: &Options) -> Result<Plan, Error> {
    let selected = select(document, &options.targets)?;
    let targets = futures::stream::iter(
        selected
            .into_iter()
            .map(|(i, target)| plan_target(document, i, target, options)),
    )
    .buffered(options.parallel.max(1))
    .collect()
    .await;
    Ok(Plan { targets })
}

fn select<'a>(document: &'a Document, names: &[String]) -> Result<Vec<(usize, &'a Target)>, Error> {
    for name in names {
        if !document
            .targets
            .iter()
            .any(|t| t.display_name().eq_ignore_ascii_case(name.trim()))
        {
            return Err(Error::Usage(format!(
                "no target named `{name}` in the document"
            )));
        }
    }
    Ok(document
        .targets
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            names.is_empty()
                || names
                    .iter()
                    .any(|n| t.display_name().eq_ignore_ascii_case(n.trim()))
        })
        .collect())
}

async fn plan_target(
    document: &Document,
    index: usize,
    target: &Target,
    options: &Options,
) -> TargetPlan {
    let started = Instant::now();
    let mut plan = TargetPlan {
        target: target.display_name().to_owned(),
        changes: Vec::new(),
        error: None,
        duration: Duration::ZERO,
        client: None,
    };
    let result = async {
        let client = connect(index, target, options)?;
        let changes = match document.identity_of(target) {
            Some(identity) => {
                let providers = client.list_identity_providers().await?;
                diff(identity, &providers, options)?
            }
            None => Vec::new(),
        };
        Ok::<_, Error>((client, changes))
    }
    .await;
    match result {
        Ok((client, changes)) => {
            plan.client = Some(client);
            plan.changes = changes;
        }
        Err(e) => plan.error = Some(e.into()),
    }
    plan.duration = started.elapsed();
    plan
}

/// A client for `target` (secrets resolved now).
fn connect(index: usize, target: &Target, options: &Options) -> Result<VcfClient, Error> {
    let field = |f: &str| format!("targets[{index}].{f}");
    if let Some(context) = &target.context {
        return match &options.resolver {
            Some(resolver) => resolver.client(context),
            None => Err(Error::Usage(format!(
                "{}: context `{context}` cannot be resolved (no context resolver)",
                field("context")
            ))),
        };
    }
    let url = target
        .url
        .as_deref()
        .ok_or_else(|| Error::Usage(format!("{}: is required", field("url"))))?;
    let mut builder = VcfClient::builder(url.trim());
    builder = match (&target.token, &target.username, &target.password) {
        (Some(token), _, _) => builder.bearer_token(token.resolve(&field("token"))?),
        (None, Some(user), Some(password)) => {
            builder.credentials(user.clone(), password.resolve(&field("password"))?)
        }
        _ => {
            return Err(Error::Usage(format!(
                "{}: `username` and `password`, or `token`, are required",
                field("username")
            )));
        }
    };
    if let Some(ca) = &target.ca_cert {
        builder = builder.ca_certificate_pem(ca.resolve(&field("caCert"))?);
    }
    if let Some(configure) = &options.configure_client {
        builder = configure(builder);
    }
    Ok(builder.build()?)
}

/// Whether `domain` is a built-in source of the Embedded provider, which
/// plans never touch.
#[must_use]
pub fn is_builtin_domain(domain: &str) -> bool {
    let d = domain.trim();
    d.eq_ignore_ascii_case("vsphere.local") || d.eq_ignore_ascii_case("localos")
}

fn is_builtin(source: &IdentitySource) -> bool {
    matches!(
        source.kind,
        IdentitySourceKind::SystemDomain | IdentitySourceKind::LocalOs
    ) || source_domains(source).any(is_builtin_domain)
}

fn source_domains(source: &IdentitySource) -> impl Iterator<Item = &str> {
    source
        .domain_names
        .iter()
        .map(String::as_str)
        .chain(source.ldap.as_ref().and_then(|l| l.domain_name.as_deref()))
}

/// Compares the desired identity with the providers a target listed.
///
/// # Errors
///
/// [`Error::Usage`] when sources are desired but the target has no
/// Embedded provider, or a certificate reference cannot be read.
pub fn diff(
    identity: &Identity,
    providers: &[IdentityProvider],
    options: &Options,
) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    if let Some(external) = &identity.external {
        let current = providers.iter().find(|p| !p.is_embedded());
        diff_external(external, current, options, &mut changes)?;
    }
    if identity.embedded_sources.is_some() || identity.prune_embedded_sources {
        let embedded = providers.iter().find(|p| p.is_embedded()).ok_or_else(|| {
            Error::Usage("the target lists no Embedded provider to hold identity sources".into())
        })?;
        diff_sources(identity, embedded, options, &mut changes)?;
    }
    changes.sort_by_key(|c| c.step.order());
    Ok(changes)
}

fn provider_secrets(desired: &ExternalProvider) -> Vec<String> {
    let mut secrets = vec!["external.oidc.clientSecret".to_owned()];
    if desired.kind == ExternalType::Adfs {
        secrets.push("external.ldap.password".to_owned());
    }
    secrets
}

fn current_type(p: &IdentityProvider) -> Option<ExternalType> {
    match &p.kind {
        ProviderKind::MicrosoftAdfs => Some(ExternalType::Adfs),
        ProviderKind::FederatedBroker => match p.fed_idp.as_ref().and_then(|f| f.source.as_ref()) {
            Some(FederatedSource::Okta) => Some(ExternalType::Okta),
            Some(FederatedSource::EntraId) => Some(ExternalType::EntraId),
            Some(FederatedSource::PingFederate) => Some(ExternalType::PingFederate),
            _ => None,
        },
        _ => None,
    }
}

fn current_name(p: &IdentityProvider) -> String {
    p.fed_idp
        .as_ref()
        .and_then(|f| f.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| p.name.clone())
}

fn diff_external(
    external: &External,
    current: Option<&IdentityProvider>,
    options: &Options,
    changes: &mut Vec<Change>,
) -> Result<(), Error> {
    match (external, current) {
        (External::None, None) => {}
        (External::None, Some(p)) => changes.push(Change {
            action: Action::Delete,
            object: "externalProvider",
            name: current_name(p),
            fields: Vec::new(),
            secrets: Vec::new(),
            note: None,
            step: Step::DeleteProvider { id: p.id.clone() },
        }),
        (External::Provider(desired), None) => changes.push(Change {
            action: Action::Create,
            object: "externalProvider",
            name: desired.name.clone(),
            fields: provider_fields(desired, None)?,
            secrets: provider_secrets(desired),
            note: None,
            step: Step::AddProvider(desired.clone()),
        }),
        (External::Provider(desired), Some(p)) if current_type(p) != Some(desired.kind) => {
            changes.push(Change {
                action: Action::Replace,
                object: "externalProvider",
                name: desired.name.clone(),
                fields: provider_fields(desired, Some(p))?,
                secrets: provider_secrets(desired),
                note: Some(format!(
                    "deletes `{}` then adds `{}`: users cannot log in through the external provider in between{}",
                    current_name(p),
                    desired.name,
                    if options.allow_replace { "" } else { "; needs allow-replace" }
                )),
                step: Step::ReplaceProvider {
                    id: p.id.clone(),
                    desired: desired.clone(),
                },
            });
        }
        (External::Provider(desired), Some(p)) => {
            let fields = provider_fields(desired, Some(p))?;
            if !fields.is_empty() || options.update_secrets {
                changes.push(Change {
                    action: Action::Update,
                    object: "externalProvider",
                    name: desired.name.clone(),
                    fields,
                    secrets: provider_secrets(desired),
                    note: None,
                    step: Step::UpdateProvider {
                        id: p.id.clone(),
                        directory_id: p
                            .fed_idp
                            .as_ref()
                            .and_then(|f| f.directory_list.as_ref())
                            .and_then(|d| d.directory_id.clone()),
                        desired: desired.clone(),
                    },
                });
            }
        }
    }
    Ok(())
}

/// Compares field by field; `current: None` lists every desired field.
struct Fields {
    list: Vec<FieldChange>,
}

impl Fields {
    fn compare(&mut self, field: &str, current: Option<Value>, desired: Value) {
        let from = current.unwrap_or(Value::Null);
        if from != desired {
            self.list.push(FieldChange {
                field: field.to_owned(),
                from,
                to: desired,
            });
        }
    }
}

/// Domains as a lower-cased, sorted set.
fn domain_set<'a>(domains: impl IntoIterator<Item = &'a String>) -> Value {
    let mut set: Vec<String> = domains
        .into_iter()
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    set.sort();
    set.dedup();
    json!(set)
}

fn trimmed(list: &[String]) -> Value {
    json!(list.iter().map(|s| s.trim()).collect::<Vec<_>>())
}

/// Splits PEM text into its certificates (what the API keeps one per entry).
pub(crate) fn split_pem(text: &str) -> Vec<String> {
    const END: &str = "-----END CERTIFICATE-----";
    let mut certs = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(END) {
        let cert = rest[..i + END.len()].trim();
        if !cert.is_empty() {
            certs.push(cert.to_owned());
        }
        rest = &rest[i + END.len()..];
    }
    if certs.is_empty() && !text.trim().is_empty() {
        certs.push(text.trim().to_owned());
    }
    certs
}

fn pem_list(pem: Option<&PemRef>, field: &str) -> Result<Vec<String>, Error> {
    Ok(match pem {
        Some(p) => split_pem(&p.resolve(field)?),
        None => Vec::new(),
    })
}

fn provider_fields(
    desired: &ExternalProvider,
    current: Option<&IdentityProvider>,
) -> Result<Vec<FieldChange>, Error> {
    let mut f = Fields { list: Vec::new() };
    f.compare(
        "name",
        current.map(|p| json!(current_name(p))),
        json!(desired.name),
    );
    f.compare(
        "type",
        current.map(|p| json!(current_type(p).map(ExternalType::as_str))),
        json!(desired.kind.as_str()),
    );
    if let Some(dir) = &desired.directory {
        let cur = current
            .and_then(|p| p.fed_idp.as_ref())
            .and_then(|f| f.directory_list.as_ref());
        f.compare(
            "directory.name",
            current.map(|_| json!(cur.and_then(|d| d.name.clone()))),
            json!(dir.name),
        );
        f.compare(
            "directory.defaultDomain",
            current.map(|_| json!(cur.and_then(|d| d.default_domain.clone()))),
            json!(dir.default_domain.trim()),
        );
        f.compare(
            "directory.domains",
            current.map(|_| domain_set(cur.map(|d| d.domains.iter()).into_iter().flatten())),
            domain_set(std::iter::once(&dir.default_domain).chain(&dir.domains)),
        );
    }
    let oidc = current.and_then(|p| {
        p.fed_idp
            .as_ref()
            .and_then(|f| f.oidc_info.as_ref())
            .or(p.oidc.as_ref())
    });
    f.compare(
        "oidc.clientId",
        current.map(|_| json!(oidc.and_then(|o| o.client_id.clone()))),
        json!(desired.oidc.client_id.trim()),
    );
    f.compare(
        "oidc.discoveryEndpoint",
        current.map(|_| json!(oidc.and_then(|o| o.discovery_endpoint.clone()))),
        json!(desired.oidc.discovery_endpoint.trim()),
    );
    if let Some(ttl) = &desired.sync_client_token_ttl {
        let seconds = crate::parse_duration(ttl)
            .map_err(|m| Error::Usage(format!("external.syncClientTokenTtl: {m}")))?
            .as_secs();
        let served = current
            .and_then(|p| p.fed_idp.as_ref())
            .and_then(|f| f.sync_client_token_ttl);
        // Servers that take the lifetime per token (VCF 5.2+) do not report
        // it: then it cannot be compared.
        if current.is_none() || served.is_some() {
            f.compare(
                "syncClientTokenTtl",
                served.map(|d| json!(d.as_secs())),
                json!(seconds),
            );
        }
    }
    if let Some(ldap) = &desired.ldap {
        let cur = current.and_then(|p| p.ldap.as_ref());
        compare_ldap(
            &mut f,
            "ldap.",
            current.is_some(),
            cur,
            &LdapView {
                domain_alias: ldap.domain_alias.as_deref(),
                username: &ldap.username,
                users_base_dn: &ldap.users_base_dn,
                groups_base_dn: &ldap.groups_base_dn,
                server_endpoints: &ldap.server_endpoints,
                cert_chain: pem_list(ldap.cert_chain.as_ref(), "external.ldap.certChain")?,
            },
        );
    }
    Ok(f.list)
}

/// The LDAP fields a document gives, for comparison.
struct LdapView<'a> {
    domain_alias: Option<&'a str>,
    username: &'a str,
    users_base_dn: &'a str,
    groups_base_dn: &'a str,
    server_endpoints: &'a [String],
    cert_chain: Vec<String>,
}

fn compare_ldap(
    f: &mut Fields,
    prefix: &str,
    exists: bool,
    cur: Option<&idp_client::Ldap>,
    want: &LdapView<'_>,
) {
    let details = cur.and_then(|l| l.source_details.as_ref());
    let at = |name: &str| format!("{prefix}{name}");
    let served = |v: Value| exists.then_some(v);
    if let Some(alias) = want.domain_alias {
        f.compare(
            &at("domainAlias"),
            served(json!(cur.and_then(|l| l.domain_alias.clone()))),
            json!(alias.trim()),
        );
    }
    f.compare(
        &at("username"),
        served(json!(cur.and_then(|l| l.username.clone()))),
        json!(want.username.trim()),
    );
    f.compare(
        &at("usersBaseDn"),
        served(json!(details.and_then(|d| d.users_base_dn.clone()))),
        json!(want.users_base_dn.trim()),
    );
    f.compare(
        &at("groupsBaseDn"),
        served(json!(details.and_then(|d| d.groups_base_dn.clone()))),
        json!(want.groups_base_dn.trim()),
    );
    f.compare(
        &at("serverEndpoints"),
        served(trimmed(
            details
                .map(|d| d.server_endpoints.as_slice())
                .unwrap_or_default(),
        )),
        trimmed(want.server_endpoints),
    );
    // A server that does not report certificates cannot be compared; a new
    // object without certificates has nothing to show.
    let served_certs = details.map(|d| d.cert_chain.as_slice()).unwrap_or_default();
    if (!exists && !want.cert_chain.is_empty()) || !served_certs.is_empty() {
        f.compare(
            &at("certChain"),
            served(trimmed(served_certs)),
            trimmed(&want.cert_chain),
        );
    }
}

fn source_kind(kind: SourceType) -> &'static str {
    match kind {
        SourceType::ActiveDirectory => "active-directory",
        SourceType::OpenLdap => "open-ldap",
    }
}

fn served_source_kind(kind: &IdentitySourceKind) -> Value {
    match kind {
        IdentitySourceKind::ActiveDirectory => json!("active-directory"),
        IdentitySourceKind::OpenLdap => json!("open-ldap"),
        other => json!(other.as_str()),
    }
}

fn source_fields(
    desired: &EmbeddedSource,
    current: Option<&IdentitySource>,
) -> Result<Vec<FieldChange>, Error> {
    let mut f = Fields { list: Vec::new() };
    f.compare(
        "name",
        current.map(|s| json!(s.name)),
        json!(desired.name.trim()),
    );
    f.compare(
        "type",
        current.map(|s| served_source_kind(&s.kind)),
        json!(source_kind(desired.kind)),
    );
    if current.is_none() {
        f.compare("domainName", None, json!(desired.domain_name.trim()));
    }
    compare_ldap(
        &mut f,
        "",
        current.is_some(),
        current.and_then(|s| s.ldap.as_ref()),
        &LdapView {
            domain_alias: desired.domain_alias.as_deref(),
            username: &desired.username,
            users_base_dn: &desired.users_base_dn,
            groups_base_dn: &desired.groups_base_dn,
            server_endpoints: &desired.server_endpoints,
            cert_chain: pem_list(
                desired.cert_chain.as_ref(),
                &format!("embeddedSources[{}].certChain", desired.domain_name),
            )?,
        },
    );
    Ok(f.list)
}

fn source_secret(domain: &str) -> Vec<String> {
    vec![format!("embeddedSources[{domain}].password")]
}

fn diff_sources(
    identity: &Identity,
    embedded: &IdentityProvider,
    options: &Options,
    changes: &mut Vec<Change>,
) -> Result<(), Error> {
    let managed: Vec<&IdentitySource> = embedded
        .identity_sources
        .iter()
        .filter(|s| !is_builtin(s))
        .collect();
    let desired = identity.embedded_sources.as_deref().unwrap_or_default();
    for want in desired {
        let domain = want.domain_name.trim();
        let current = managed
            .iter()
            .find(|s| source_domains(s).any(|d| d.trim().eq_ignore_ascii_case(domain)));
        let fields = source_fields(want, current.copied())?;
        match current {
            None => changes.push(Change {
                action: Action::Create,
                object: "embeddedSource",
                name: domain.to_owned(),
                fields,
                secrets: source_secret(domain),
                note: None,
                step: Step::AddSource {
                    provider_id: embedded.id.clone(),
                    source: Box::new(want.clone()),
                },
            }),
            Some(_) if fields.is_empty() && !options.update_secrets => {}
            Some(_) => changes.push(Change {
                action: Action::Update,
                object: "embeddedSource",
                name: domain.to_owned(),
                fields,
                secrets: source_secret(domain),
                note: None,
                step: Step::UpdateSource {
                    provider_id: embedded.id.clone(),
                    domain: domain.to_owned(),
                    source: Box::new(want.clone()),
                },
            }),
        }
    }
    if identity.prune_embedded_sources {
        for source in managed {
            let named = source_domains(source).any(|d| {
                desired
                    .iter()
                    .any(|w| w.domain_name.trim().eq_ignore_ascii_case(d.trim()))
            });
            let Some(domain) = source_domains(source).next().map(str::to_owned) else {
                continue;
            };
            if !named {
                changes.push(Change {
                    action: Action::Delete,
                    object: "embeddedSource",
                    name: domain.clone(),
                    fields: Vec::new(),
                    secrets: Vec::new(),
                    note: None,
                    step: Step::DeleteSource {
                        provider_id: embedded.id.clone(),
                        domain,
                    },
                });
            }
        }
    }
    Ok(())
}
