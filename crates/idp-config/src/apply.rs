//! Carrying out a plan.

mod operations;

pub use operations::realm_idp_spec;

use std::time::{Duration, Instant};

use futures::StreamExt;
use std::collections::HashMap;

use idp_client::{
    AdfsSpecBuilder, BrokerClient, BrokerDirectorySpec, BrokerOidcProfile, BrokerOidcProviderSpec,
    DirectorySource, FederatedSpecBuilder, IdentityProviderSpec, IdentitySourceSpec,
    IdentitySourceSpecBuilder, VcfClient,
};
use serde::Serialize;

use crate::document::{
    BrokerDirectoryConfig, BrokerIdpConfig, EmbeddedSource, ExternalProvider, ExternalType,
    SourceType,
};
use crate::error::Error;
use crate::plan::{Connected, Options, Permission, Plan, Step, TargetError, TargetPlan, split_pem};

/// How a target's apply ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Outcome {
    /// Nothing to do.
    Unchanged,
    /// Every change was made.
    Applied,
    /// A change failed (or the target could not be planned); see the
    /// report's `done` and `notDone`.
    Failed,
}

/// What happened on one target.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TargetReport {
    /// The target's name.
    pub target: String,
    /// How it ended.
    pub outcome: Outcome,
    /// The changes made.
    pub done: Vec<String>,
    /// The changes not made (the failed one first).
    pub not_done: Vec<String>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<TargetError>,
    /// How long applying took.
    #[serde(rename = "durationMs", serialize_with = "crate::millis")]
    pub duration: Duration,
}

/// What an apply did, per target in plan order.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// One report per target.
    pub targets: Vec<TargetReport>,
}

impl Report {
    /// Whether every target succeeded.
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.targets.iter().all(|t| t.outcome != Outcome::Failed)
    }
}

/// Carries out `plan`: targets concurrently (at most `options.parallel`),
/// each target's changes in order (deletes and replaces first) until the
/// first failure. A target whose plan has a change that needs a
/// [`Permission`] `options` does not give (a replace without
/// `allow_replace`, an update without `update_secrets`) fails without a
/// request.
pub async fn apply(plan: &Plan, options: &Options) -> Report {
    let targets = futures::stream::iter(plan.targets.iter().map(|t| apply_target(t, options)))
        .buffered(options.parallel.max(1))
        .collect()
        .await;
    Report { targets }
}

async fn apply_target(plan: &TargetPlan, options: &Options) -> TargetReport {
    let started = Instant::now();
    let summaries: Vec<String> = plan.changes.iter().map(crate::Change::summary).collect();
    let mut report = TargetReport {
        target: plan.target.clone(),
        outcome: Outcome::Unchanged,
        done: Vec::new(),
        not_done: summaries.clone(),
        error: None,
        duration: Duration::ZERO,
    };
    let failed = |mut report: TargetReport, error: TargetError| {
        report.outcome = Outcome::Failed;
        report.error = Some(error);
        report.duration = started.elapsed();
        report
    };
    if let Some(error) = &plan.error {
        return failed(report, error.clone());
    }
    let Some(connection) = &plan.client else {
        return failed(
            report,
            Error::Usage("the target was not planned".into()).into(),
        );
    };
    if let Some((change, permission)) = plan
        .changes
        .iter()
        .find_map(|c| c.needs.filter(|p| !options.permits(*p)).map(|p| (c, p)))
    {
        let why = match permission {
            Permission::AllowReplace => {
                "deletes the external provider before adding the new one".to_owned()
            }
            _ => format!(
                "resends {} (the update replaces the whole object; servers never return secrets)",
                change.secrets.join(", ")
            ),
        };
        return failed(
            report,
            Error::Usage(format!(
                "the plan would {} ({why}): not applied without {} ({}); nothing was sent",
                change.summary(),
                permission.flag(),
                match permission {
                    Permission::AllowReplace => "Options::allow_replace",
                    _ => "Options::update_secrets",
                },
            ))
            .into(),
        );
    }
    // Every new service-user key must have somewhere to go before anything
    // is changed.
    for change in &plan.changes {
        let Step::Access(step) = &change.step else {
            continue;
        };
        let Some(target) = step.key_target() else {
            continue;
        };
        let checked = match &options.key_delivery {
            Some(delivery) => delivery.preflight(target),
            None => Err(Error::Usage(format!(
                "the plan would {}, whose API key is shown once, but no key delivery is set (Options::key_delivery); nothing was sent",
                change.summary()
            ))),
        };
        if let Err(e) = checked {
            return failed(report, e.into());
        }
    }
    // Directory ids by lower-cased name: the plan's, and those created now.
    let mut directory_ids = match connection {
        Connected::Broker { directory_ids, .. } => directory_ids.clone(),
        Connected::Vcf(_) | Connected::Ops { .. } => HashMap::new(),
    };
    for (i, change) in plan.changes.iter().enumerate() {
        let result = match connection {
            Connected::Vcf(client) => match &change.step {
                Step::Access(step) => {
                    crate::plan::execute_access(client, step, options.key_delivery.as_deref()).await
                }
                step => execute(client, step).await,
            },
            Connected::Broker { client, .. } => {
                execute_broker(client, &change.step, &mut directory_ids).await
            }
            Connected::Ops {
                client,
                task_timeout,
            } => match &change.step {
                Step::Ops(step) => operations::execute_ops(client, step, *task_timeout).await,
                _ => Err(Error::Usage(
                    "an SDDC Manager or broker change cannot be made on a VCF Operations".into(),
                )),
            },
        };
        if let Err(e) = result {
            tracing::warn!(target = %plan.target, change = %change.summary(), error = %e, "change failed");
            report.not_done = summaries[i..].to_vec();
            release(connection).await;
            return failed(report, e.into());
        }
        report.done.push(summaries[i].clone());
    }
    release(connection).await;
    report.not_done.clear();
    if !report.done.is_empty() {
        report.outcome = Outcome::Applied;
    }
    report.duration = started.elapsed();
    report
}

/// Releases what a VCF Operations client holds once its target is done.
async fn release(connection: &Connected) {
    if let Connected::Ops { client, .. } = connection {
        crate::plan::release_ops_token(client).await;
    }
}

async fn execute(client: &VcfClient, step: &Step) -> Result<(), Error> {
    match step {
        Step::AddProvider(desired) => {
            let spec = provider_spec(desired, None)?;
            client
                .add_external_identity_provider_without_lookup(&spec)
                .await?;
        }
        Step::UpdateProvider {
            id,
            directory_id,
            desired,
        } => {
            let spec = provider_spec(desired, directory_id.as_deref())?;
            client.update_external_identity_provider(id, &spec).await?;
        }
        Step::ReplaceProvider { id, desired } => {
            // Built (and its secrets read) before the delete: a bad
            // reference must not leave the target without a provider.
            let spec = provider_spec(desired, None)?;
            client.delete_external_identity_provider(id).await?;
            client
                .add_external_identity_provider_without_lookup(&spec)
                .await?;
        }
        Step::DeleteProvider { id } => client.delete_external_identity_provider(id).await?,
        Step::AddSource {
            provider_id,
            source,
        } => {
            let spec = source_spec(source)?;
            client
                .add_embedded_identity_source(provider_id, &spec)
                .await?;
        }
        Step::UpdateSource {
            provider_id,
            domain,
            source,
        } => {
            let spec = source_spec(source)?;
            client
                .update_embedded_identity_source(provider_id, domain, &spec)
                .await?;
        }
        Step::DeleteSource {
            provider_id,
            domain,
        } => client.delete_identity_source(provider_id, domain).await?,
        _ => {
            return Err(Error::Usage(
                "a broker change cannot be made on an SDDC Manager".into(),
            ));
        }
    }
    Ok(())
}

async fn execute_broker(
    client: &BrokerClient,
    step: &Step,
    directory_ids: &mut HashMap<String, String>,
) -> Result<(), Error> {
    match step {
        Step::CreateDirectory(desired) => {
            let created = client.create_directory(&directory_spec(desired)).await?;
            directory_ids.insert(desired.name.trim().to_ascii_lowercase(), created.id);
        }
        Step::UpdateDirectory { id, desired } => {
            client
                .update_directory(id, &directory_spec(desired))
                .await?;
        }
        Step::DeleteDirectory { id } => {
            client.delete_directory(id).await?;
            directory_ids.retain(|_, v| v != id);
        }
        Step::CreateIdp(desired) => {
            let spec = idp_spec(desired, directory_ids, true)?;
            client.create_oidc_identity_provider(&spec).await?;
        }
        Step::UpdateIdp {
            id,
            desired,
            send_secret,
        } => {
            let spec = idp_spec(desired, directory_ids, *send_secret)?;
            client.update_identity_provider(id, &spec).await?;
        }
        Step::DeleteIdp { id } => client.delete_identity_provider(id).await?,
        _ => {
            return Err(Error::Usage(
                "an SDDC Manager change cannot be made on a broker".into(),
            ));
        }
    }
    Ok(())
}

/// What a broker directory is created or updated with.
fn directory_spec(desired: &BrokerDirectoryConfig) -> BrokerDirectorySpec {
    let mut spec = BrokerDirectorySpec::new(
        desired.name.trim(),
        desired.domains.iter().map(|d| d.trim().to_owned()),
    );
    spec.default_domain = desired.default_domain.as_ref().map(|d| d.trim().to_owned());
    spec.source = desired.source.as_deref().map(DirectorySource::parse);
    spec.directory_type = desired.kind.as_ref().map(|k| k.trim().to_ascii_uppercase());
    spec
}

/// What a broker identity provider is created or updated with: its
/// directories' ids from `directory_ids`; the client secret (resolved now)
/// only with `send_secret`.
fn idp_spec(
    desired: &BrokerIdpConfig,
    directory_ids: &HashMap<String, String>,
    send_secret: bool,
) -> Result<BrokerOidcProviderSpec, Error> {
    let field = |f: &str| format!("identityProviders[{}].{f}", desired.name.trim());
    let mut ids = Vec::new();
    for name in &desired.directories {
        let id = directory_ids
            .get(&name.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{}: no directory `{}` on the broker",
                    field("directories"),
                    name.trim()
                ))
            })?;
        ids.push(id.clone());
    }
    let mut oidc = BrokerOidcProfile::default();
    oidc.configuration_url = Some(desired.configuration_url.trim().to_owned());
    oidc.client_id = Some(desired.client_id.trim().to_owned());
    if send_secret {
        oidc.client_secret = Some(desired.client_secret.resolve(&field("clientSecret"))?);
    }
    let mut spec = BrokerOidcProviderSpec::default();
    spec.name = Some(desired.name.trim().to_owned());
    spec.directory_ids = ids;
    spec.oidc = Some(oidc);
    Ok(spec)
}

/// The request document of `desired`, built with idp-client's builders
/// (secrets resolved now).
///
/// # Errors
///
/// [`Error::Reference`] for a reference that cannot be read;
/// [`Error::Client`] (invalid input) for a field the builder refuses.
pub fn provider_spec(
    desired: &ExternalProvider,
    directory_id: Option<&str>,
) -> Result<IdentityProviderSpec, Error> {
    let secret = desired
        .oidc
        .client_secret
        .resolve("external.oidc.clientSecret")?;
    let oidc = &desired.oidc;
    let mut builder = match desired.kind {
        ExternalType::Okta => FederatedSpecBuilder::okta(desired.name.trim()),
        ExternalType::EntraId => FederatedSpecBuilder::entra_id(desired.name.trim()),
        ExternalType::PingFederate => FederatedSpecBuilder::ping_federate(desired.name.trim()),
        ExternalType::Adfs => {
            let ldap = desired
                .ldap
                .as_ref()
                .ok_or_else(|| Error::Usage("external.ldap: is required for adfs".into()))?;
            let mut adfs = AdfsSpecBuilder::new(desired.name.trim())
                .domain_name(ldap.domain_name.trim())
                .bind_username(ldap.username.trim())
                .bind_password(ldap.password.resolve("external.ldap.password")?)
                .users_base_dn(ldap.users_base_dn.trim())
                .groups_base_dn(ldap.groups_base_dn.trim())
                .server_endpoints(ldap.server_endpoints.iter().map(|s| s.trim()))
                .client_id(oidc.client_id.trim())
                .client_secret(secret)
                .discovery_endpoint(oidc.discovery_endpoint.trim());
            if let Some(alias) = &ldap.domain_alias {
                adfs = adfs.domain_alias(alias.trim());
            }
            if let Some(pem) = &ldap.cert_chain {
                for cert in split_pem(&pem.resolve("external.ldap.certChain")?) {
                    adfs = adfs.ldap_certificate(cert);
                }
            }
            if let Some(pem) = &desired.cert_chain {
                for cert in split_pem(&pem.resolve("external.certChain")?) {
                    adfs = adfs.certificate(cert);
                }
            }
            return Ok(adfs.build()?);
        }
    };
    let directory = desired.directory.as_ref().ok_or_else(|| {
        Error::Usage("external.directory: is required for a federated broker".into())
    })?;
    builder = builder
        .directory_name(directory.name.trim())
        .default_domain(directory.default_domain.trim())
        .client_id(oidc.client_id.trim())
        .client_secret(secret)
        .discovery_endpoint(oidc.discovery_endpoint.trim());
    for domain in &directory.domains {
        builder = builder.domain(domain.trim());
    }
    if let Some(id) = directory_id {
        builder = builder.directory_id(id);
    }
    if let Some(ttl) = &desired.sync_client_token_ttl {
        let ttl = crate::parse_duration(ttl)
            .map_err(|m| Error::Usage(format!("external.syncClientTokenTtl: {m}")))?;
        builder = builder.sync_client_token_ttl(ttl);
    }
    Ok(builder.build()?)
}

/// The request document of an embedded source, built with idp-client's
/// builder (the bind password resolved now).
///
/// # Errors
///
/// As [`provider_spec`].
pub fn source_spec(source: &EmbeddedSource) -> Result<IdentitySourceSpec, Error> {
    let field = |f: &str| format!("embeddedSources[{}].{f}", source.domain_name.trim());
    let mut builder = match source.kind {
        SourceType::ActiveDirectory => {
            IdentitySourceSpecBuilder::active_directory(source.name.trim())
        }
        SourceType::OpenLdap => IdentitySourceSpecBuilder::open_ldap(source.name.trim()),
    }
    .domain_name(source.domain_name.trim())
    .bind_username(source.username.trim())
    .bind_password(source.password.resolve(&field("password"))?)
    .users_base_dn(source.users_base_dn.trim())
    .groups_base_dn(source.groups_base_dn.trim())
    .server_endpoints(source.server_endpoints.iter().map(|s| s.trim()));
    if let Some(alias) = &source.domain_alias {
        builder = builder.domain_alias(alias.trim());
    }
    if let Some(pem) = &source.cert_chain {
        for cert in split_pem(&pem.resolve(&field("certChain"))?) {
            builder = builder.ldap_certificate(cert);
        }
    }
    Ok(builder.build()?)
}
