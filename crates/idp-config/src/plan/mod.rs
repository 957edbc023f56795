//! Reading each target's state and comparing it with the document.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{FutureExt, StreamExt};
use idp_client::{BrokerClient, ClientConfig, RetryPolicy, VcfClient};
use serde::Serialize;
use serde_json::Value;

use crate::connection::VcfCredentials;
use crate::document::{
    BrokerDirectoryConfig, BrokerIdpConfig, BrokerTarget, Connection, Document, EmbeddedSource,
    ExternalProvider, OperationsTarget, Target,
};
use crate::error::Error;

mod access;
mod broker;
mod context;
mod diff;
mod operations;

pub use access::KeyDelivery;
pub(crate) use access::{AccessStep, execute_access};

pub use context::ContextResolver;
pub(crate) use diff::split_pem;
pub use diff::{diff, is_builtin_domain};
pub(crate) use operations::{OpsStep, release as release_ops_token};

/// The default number of targets handled at once.
pub const DEFAULT_PARALLEL: usize = 8;

/// How plans are made and carried out.
#[derive(Clone)]
#[non_exhaustive]
pub struct Options {
    /// Only these targets (by name); empty: all.
    pub targets: Vec<String>,
    /// How many targets are handled at once (at least 1).
    pub parallel: usize,
    /// Allow updates. SDDC Manager's update replaces the whole object, so
    /// an update must resend the object's secrets (servers never return
    /// them); without this, [`apply`](crate::apply) refuses a target whose
    /// plan has an update, before any request, rather than overwrite a
    /// secret nobody asked to change. With it, objects that differ in
    /// nothing readable are updated too, to push rotated secrets.
    pub update_secrets: bool,
    /// Allow a `replace` (delete then add) of the external provider.
    pub allow_replace: bool,
    /// Resolves `context:` targets; without one they fail with
    /// [`Error::Usage`].
    pub resolver: Option<Arc<dyn ContextResolver>>,
    /// The transport settings of every target's and broker's client
    /// (timeouts, TLS, plain HTTP, retries); a document's `caCert` is
    /// added to them per target.
    pub client_config: ClientConfig,
    /// Delivers the API keys of service users that apply creates
    /// (`access[].deliverKey`); without one, apply refuses to create a
    /// service user, before any request.
    pub key_delivery: Option<Arc<dyn KeyDelivery>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            targets: Vec::new(),
            parallel: DEFAULT_PARALLEL,
            update_secrets: false,
            allow_replace: false,
            resolver: None,
            client_config: ClientConfig::default(),
            key_delivery: None,
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
            .field("client_config", &self.client_config)
            .field("key_delivery", &self.key_delivery.is_some())
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

    /// The transport settings of every target's and broker's client.
    #[must_use]
    pub fn client_config(mut self, config: ClientConfig) -> Self {
        self.client_config = config;
        self
    }

    /// Delivers the API keys of service users apply creates.
    #[must_use]
    pub fn key_delivery(mut self, delivery: Arc<dyn KeyDelivery>) -> Self {
        self.key_delivery = Some(delivery);
        self
    }

    /// Uses `policy` for every target's and broker's requests.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.client_config = self.client_config.with_retry_policy(policy);
        self
    }

    /// [`Options::client_config`](#structfield.client_config) plus a
    /// target's own CA certificate.
    pub(crate) fn client_config_with_ca(&self, ca: Option<Vec<u8>>) -> Result<ClientConfig, Error> {
        Ok(match ca {
            Some(pem) => self
                .client_config
                .to_builder()
                .ca_certificate_pem(pem)
                .build()?,
            None => self.client_config.clone(),
        })
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
    /// Grant a role to a group, user or service user (`access`).
    Grant,
    /// Give a grantee another role: its grant is removed and added again
    /// (SDDC Manager has no call that changes a role), shown as one change.
    ChangeRole,
    /// Remove a grant (`pruneAccess`).
    Revoke,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Replace => "replace",
            Self::Delete => "delete",
            Self::Grant => "grant",
            Self::ChangeRole => "change role",
            Self::Revoke => "revoke",
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
    /// `externalProvider` or `embeddedSource` (SDDC Manager);
    /// `brokerDirectory` or `brokerIdentityProvider` (broker).
    pub object: &'static str,
    /// The object's name (the provider's name, the source's domain, the
    /// directory's or broker identity provider's name).
    pub name: String,
    /// Field-level differences (for a create: every field).
    pub fields: Vec<FieldChange>,
    /// The secret fields that would be sent (shown as `(secret)`).
    pub secrets: Vec<String>,
    /// The permission [`apply`](crate::apply) needs to carry it out: a
    /// replace needs [`Permission::AllowReplace`], an update
    /// [`Permission::UpdateSecrets`] (it resends `secrets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<Permission>,
    /// Why the change needs permission, when it was not given.
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

/// A permission some changes need before [`apply`](crate::apply) carries
/// them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Permission {
    /// A replace deletes the external provider before adding the new one:
    /// [`Options::allow_replace`].
    AllowReplace,
    /// An update resends the object's secrets (SDDC Manager's update
    /// replaces the whole object and servers never return secrets):
    /// [`Options::update_secrets`].
    UpdateSecrets,
}

impl Permission {
    /// What gives it in `idpctl apply` (`--allow-replace`,
    /// `--update-secrets`).
    #[must_use]
    pub fn flag(self) -> &'static str {
        match self {
            Self::AllowReplace => "--allow-replace",
            Self::UpdateSecrets => "--update-secrets",
        }
    }
}

impl Options {
    /// Whether these options give `permission`.
    #[must_use]
    pub fn permits(&self, permission: Permission) -> bool {
        match permission {
            Permission::AllowReplace => self.allow_replace,
            Permission::UpdateSecrets => self.update_secrets,
        }
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
    CreateDirectory(Box<BrokerDirectoryConfig>),
    UpdateDirectory {
        id: String,
        desired: Box<BrokerDirectoryConfig>,
    },
    DeleteDirectory {
        id: String,
    },
    CreateIdp(Box<BrokerIdpConfig>),
    UpdateIdp {
        id: String,
        desired: Box<BrokerIdpConfig>,
        send_secret: bool,
    },
    DeleteIdp {
        id: String,
    },
    Access(Box<AccessStep>),
    Ops(OpsStep),
}

impl Step {
    /// Deletes and replaces first (they free the single external slot and
    /// domains), then the rest in plan order.
    pub(crate) fn order(&self) -> u8 {
        match self {
            Self::DeleteSource { .. } | Self::DeleteProvider { .. } => 0,
            Self::ReplaceProvider { .. } => 1,
            // Access after the providers and sources its domains come
            // from; a new grant before a role change or a revoke, so that
            // access moves before it goes.
            Self::Access(step) => match **step {
                AccessStep::Grant(_) => 3,
                AccessStep::ChangeRole { .. } => 4,
                AccessStep::Revoke { .. } => 5,
            },
            _ => 2,
        }
    }
}

/// Why a target could not be planned or applied.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct TargetError {
    /// The message (never a secret).
    pub message: String,
    /// Whether it is a problem of the input rather than of the server.
    pub usage: bool,
    /// The error itself (for an API failure, idp-client's error unchanged:
    /// [`TargetError::client_error`]).
    #[serde(skip)]
    pub error: Option<Arc<Error>>,
}

impl TargetError {
    /// The API failure, when this is one: idp-client's error with its
    /// status, vendor error and whether the request may have been sent.
    #[must_use]
    pub fn client_error(&self) -> Option<&idp_client::Error> {
        self.error.as_deref().and_then(Error::client_error)
    }
}

impl PartialEq for TargetError {
    /// By message and kind (errors themselves are not comparable).
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message && self.usage == other.usage
    }
}

impl Eq for TargetError {}

impl From<Error> for TargetError {
    fn from(e: Error) -> Self {
        Self {
            usage: e.is_usage(),
            message: e.to_string(),
            error: Some(Arc::new(e)),
        }
    }
}

/// What kind of server a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum TargetKind {
    /// An SDDC Manager (`targets:`).
    SddcManager,
    /// A VCF Identity Broker (`brokers:`).
    Broker,
    /// A VCF Operations (`operations:`, VCF 9.1 fleet identity).
    Operations,
}

/// The client a plan was read with, kept to carry it out.
#[derive(Clone)]
pub(crate) enum Connected {
    Vcf(VcfClient),
    Broker {
        client: BrokerClient,
        /// Directory ids by lower-cased name, as the plan read them.
        directory_ids: std::collections::HashMap<String, String>,
    },
    Ops {
        client: idp_client::vcf_ops::Client,
        /// How long each task of the target is awaited.
        task_timeout: Duration,
    },
}

/// The plan of one target.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TargetPlan {
    /// The target's name.
    pub target: String,
    /// An SDDC Manager or a broker.
    pub kind: TargetKind,
    /// The changes, in the order they would be made.
    pub changes: Vec<Change>,
    /// Why no plan could be made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<TargetError>,
    /// How long reading and comparing took.
    #[serde(rename = "durationMs", serialize_with = "crate::millis")]
    pub duration: Duration,
    #[serde(skip)]
    pub(crate) client: Option<Connected>,
}

impl fmt::Debug for TargetPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TargetPlan")
            .field("target", &self.target)
            .field("kind", &self.kind)
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

    /// The changes that need a permission `options` does not give (these
    /// targets' applies would be refused before any request).
    #[must_use]
    pub fn unpermitted<'a>(&'a self, options: &Options) -> Vec<(&'a str, &'a Change)> {
        self.targets
            .iter()
            .flat_map(|t| t.changes.iter().map(move |c| (t.target.as_str(), c)))
            .filter(|(_, c)| c.needs.is_some_and(|p| !options.permits(p)))
            .collect()
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
    let wanted = |name: &str| {
        options.targets.is_empty()
            || options
                .targets
                .iter()
                .any(|n| name.eq_ignore_ascii_case(n.trim()))
    };
    for name in &options.targets {
        let known = document
            .targets
            .iter()
            .map(Target::display_name)
            .chain(document.brokers.iter().map(BrokerTarget::display_name))
            .chain(
                document
                    .operations
                    .iter()
                    .map(OperationsTarget::display_name),
            )
            .any(|t| t.eq_ignore_ascii_case(name.trim()));
        if !known {
            return Err(Error::Usage(format!(
                "no target named `{name}` in the document (neither in `targets`, `brokers` nor `operations`)"
            )));
        }
    }
    let sddc = document
        .targets
        .iter()
        .enumerate()
        .filter(|(_, t)| wanted(t.display_name()))
        .map(|(i, target)| plan_target(document, i, target, options).boxed());
    let brokers = document
        .brokers
        .iter()
        .enumerate()
        .filter(|(_, b)| wanted(b.display_name()))
        .map(|(i, b)| broker::plan_broker(document, i, b, options).boxed());
    let operations = document
        .operations
        .iter()
        .enumerate()
        .filter(|(_, o)| wanted(o.display_name()))
        .map(|(i, o)| operations::plan_operations(i, o, options).boxed());
    let targets = futures::stream::iter(sddc.chain(brokers).chain(operations))
        .buffered(options.parallel.max(1))
        .collect()
        .await;
    Ok(Plan { targets })
}

async fn plan_target(
    document: &Document,
    index: usize,
    target: &Target,
    options: &Options,
) -> TargetPlan {
    let read = async {
        let client = connect(index, target, options)?;
        let changes = match document.identity_of(target) {
            Some(identity) => {
                let providers = client.list_identity_providers().await?;
                let mut changes = diff(identity, &providers, options)?;
                let prefix = if target.identity.is_some() {
                    format!("targets[{index}].identity")
                } else {
                    "identity".to_owned()
                };
                changes.extend(
                    access::diff_access(&client, identity, &caller(target), &prefix).await?,
                );
                changes.sort_by_key(|c| c.step.order());
                changes
            }
            None => Vec::new(),
        };
        Ok((Connected::Vcf(client), changes))
    };
    timed(target.display_name(), TargetKind::SddcManager, read).await
}

/// Runs `read` (connect, read, compare) for one target and records its
/// changes and client, or its error, and how long it took.
async fn timed(
    target: &str,
    kind: TargetKind,
    read: impl Future<Output = Result<(Connected, Vec<Change>), Error>>,
) -> TargetPlan {
    let started = Instant::now();
    let (client, changes, error) = match read.await {
        Ok((client, changes)) => (Some(client), changes, None),
        Err(e) => (None, Vec::new(), Some(e.into())),
    };
    TargetPlan {
        target: target.to_owned(),
        kind,
        changes,
        error,
        duration: started.elapsed(),
        client,
    }
}

/// The resolver for a `context` target (`field` names it in the error).
pub(super) fn resolver<'a>(
    options: &'a Options,
    field: &str,
    context: &str,
) -> Result<&'a dyn ContextResolver, Error> {
    options.resolver.as_deref().ok_or_else(|| {
        Error::Usage(format!(
            "{field}: context `{context}` cannot be resolved (no context resolver)"
        ))
    })
}

/// The `url` of a target without a context (`field` names it).
pub(super) fn required_url<'a>(url: Option<&'a str>, field: &str) -> Result<&'a str, Error> {
    url.map(str::trim)
        .ok_or_else(|| Error::Usage(format!("{field}: is required")))
}

/// Who `target` logs in as, as far as the document says.
fn caller(target: &Target) -> access::Caller {
    match &target.connection {
        Connection::Direct(vcf) => match &vcf.credentials {
            Some(VcfCredentials::Password {
                username: Some(user),
                ..
            }) => access::Caller::user(user),
            _ => access::Caller::Unknown,
        },
        Connection::Context(_) => access::Caller::Unknown,
    }
}

/// A client for `target` (secrets resolved now).
fn connect(index: usize, target: &Target, options: &Options) -> Result<VcfClient, Error> {
    let field = |f: &str| format!("targets[{index}].{f}");
    let vcf = match &target.connection {
        Connection::Context(context) => {
            return resolver(options, &field("context"), context)?.client(context);
        }
        Connection::Direct(vcf) => vcf,
    };
    let url = required_url(vcf.endpoint.url.as_deref(), &field("url"))?;
    let ca = match &vcf.endpoint.ca_cert {
        Some(ca) => Some(ca.resolve(&field("caCert"))?.into_bytes()),
        None => None,
    };
    let mut builder = VcfClient::builder(url).config(&options.client_config_with_ca(ca)?);
    builder = match &vcf.credentials {
        Some(VcfCredentials::Token(token)) => builder.bearer_token(token.resolve(&field("token"))?),
        Some(VcfCredentials::ApiKey(key)) => builder.api_key(key.resolve(&field("apiKey"))?),
        Some(VcfCredentials::Password {
            username: Some(user),
            password: Some(password),
        }) => builder.credentials(user.clone(), password.resolve(&field("password"))?),
        _ => {
            return Err(Error::Usage(format!(
                "{}: `username` and `password`, `token`, or `apiKey`, are required",
                field("username")
            )));
        }
    };
    Ok(builder.build()?)
}
