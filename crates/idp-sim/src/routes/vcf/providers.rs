//! Identity providers: the broker prechecks, list, get, and adding,
//! updating and deleting the one external provider (ADFS or a federated
//! broker).

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::fields::{domain_field, oidc, source_details, valid_domain};
use super::render::{provider_json, providers_json};
use super::request::{
    Ctx, VcfResult, authorize, body_bytes, error, json_body, path_param, provider_not_found,
};
use crate::config::Profile;
use crate::ids::new_uuid;
use crate::routes::validate::{Invalid, Obj};
use crate::state::Shared;
use crate::state::vcf::{
    AdfsConfig, Directory, FedSource, FederatedConfig, LdapInfo, Provider, ProviderKind,
};
use crate::vendor_error::{VcfError, VcfShape, json_response, raw_json_response};

pub(super) async fn prechecks(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    authorize(&shared, &headers)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "status": "SUCCESS" }),
    ))
}

pub(super) async fn list_providers(State(shared): Ctx, headers: HeaderMap) -> VcfResult {
    authorize(&shared, &headers)?;
    let body = {
        let model = shared.model();
        providers_json(&shared, &model.vcf)
    };
    Ok(json_response(StatusCode::OK, &body))
}

pub(super) async fn get_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    let body = {
        let model = shared.model();
        model
            .vcf
            .provider(&id)
            .map(|p| provider_json(&shared, &model.vcf, p))
    };
    match body {
        Some(body) => Ok(json_response(StatusCode::OK, &body)),
        None => Err(provider_not_found(&shared, shape, &id)),
    }
}

/// A validated external provider spec.
enum ExternalSpec {
    Adfs {
        name: String,
        config: AdfsConfig,
    },
    Federated {
        name: String,
        config: FederatedConfig,
    },
}

impl ExternalSpec {
    fn name(&self) -> &str {
        match self {
            ExternalSpec::Adfs { name, .. } | ExternalSpec::Federated { name, .. } => name,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            ExternalSpec::Adfs { .. } => "Microsoft ADFS",
            ExternalSpec::Federated { .. } => "FEDERATED_IDP_BROKER",
        }
    }
}

fn resolve_fed_source(
    profile: Profile,
    fed: &Obj<'_>,
    directory: &Obj<'_>,
    fed_name: &str,
) -> Result<FedSource, Invalid> {
    let explicit = directory
        .opt_str("federatedIdpSourceType")?
        .or(fed.opt_str("federatedIdpSourceType")?);
    let source = if let Some(explicit) = explicit {
        match explicit.trim().to_ascii_uppercase().as_str() {
            "OKTA" => FedSource::Okta,
            "MICROSOFT_ENTRA_ID" | "AZURE" | "ENTRA_ID" => FedSource::EntraId,
            "PING_FEDERATE" | "PING" => FedSource::PingFederate,
            _ => {
                return Err(Invalid::value(
                    directory.name("federatedIdpSourceType"),
                    "must be one of OKTA, MICROSOFT_ENTRA_ID, PING_FEDERATE",
                ));
            }
        }
    } else {
        let lower = fed_name.to_ascii_lowercase();
        if lower.contains("okta") {
            FedSource::Okta
        } else if lower.contains("entra") || lower.contains("azure") {
            FedSource::EntraId
        } else if lower.contains("ping") {
            FedSource::PingFederate
        } else {
            return Err(Invalid::value(
                fed.name("name"),
                format!(
                    "must name a supported identity provider (Okta, Microsoft Entra ID{}), got {fed_name:?}",
                    if profile.is_52_or_later() {
                        ", Ping Federate"
                    } else {
                        ""
                    }
                ),
            ));
        }
    };
    if source == FedSource::PingFederate && !profile.is_52_or_later() {
        return Err(Invalid::value(
            fed.name("name"),
            "names Ping Federate, which this VCF version does not support (supported: Okta, Azure)",
        ));
    }
    Ok(source)
}

fn parse_external_spec(shared: &Shared, value: &Value) -> Result<ExternalSpec, Invalid> {
    let profile = shared.config.profile;
    let spec = Obj::root(value)?;
    let raw_type = spec.str("type")?;
    let normalized = raw_type
        .trim()
        .to_ascii_lowercase()
        .replace(['_', '-', ' '], "");
    match normalized.as_str() {
        "activedirectory" | "microsoftadfs" | "adfs" => {
            let name = spec.str("name")?;
            let ldap = spec.obj("ldap")?;
            if let Some(t) = ldap.opt_str("type")? {
                let lower = t.to_ascii_lowercase();
                if !matches!(lower.as_str(), "activedirectory" | "openldap" | "oidc") {
                    return Err(Invalid::value(
                        ldap.name("type"),
                        "must be one of ActiveDirectory, OpenLdap",
                    ));
                }
            }
            let domain_name = domain_field(&ldap, "domainName")?;
            let domain_alias = ldap.opt_str("domainAlias")?;
            let username = ldap.str("username")?;
            ldap.str("password")?;
            let source_details = source_details(&ldap)?;
            let oidc = oidc(&spec.obj("oidc")?)?;
            // Validated, not shown back (the provider has no certChain field).
            spec.opt_str_list("certChain")?;
            Ok(ExternalSpec::Adfs {
                name,
                config: AdfsConfig {
                    ldap: LdapInfo {
                        ldap_type: "Oidc".to_owned(),
                        domain_name,
                        domain_alias,
                        username,
                        source_details,
                    },
                    oidc,
                },
            })
        }
        "federatedidpbroker" => {
            let fed = spec.obj("fedIdpSpec")?;
            let fed_name = fed.str("name")?;
            let directory = fed.obj("directory")?;
            let dir_name = directory.str("name")?;
            let default_domain = domain_field(&directory, "defaultDomain")?;
            let domains = directory.non_empty_str_list("domains")?;
            if let Some(bad) = domains.iter().find(|d| !valid_domain(d.trim())) {
                return Err(Invalid::value(
                    directory.name("domains"),
                    format!("contains an invalid domain name {bad:?}"),
                ));
            }
            if !domains
                .iter()
                .any(|d| d.trim().eq_ignore_ascii_case(&default_domain))
            {
                return Err(Invalid::value(
                    directory.name("defaultDomain"),
                    "must be one of fedIdpSpec.directory.domains",
                ));
            }
            let source = resolve_fed_source(profile, &fed, &directory, &fed_name)?;
            let oidc = oidc(&fed.obj("oidcSpec")?)?;
            let ttl = fed
                .opt_positive("syncClientTokenTTL")?
                .unwrap_or(shared.config.default_sync_client_token_ttl);
            let name = spec
                .opt_str("name")?
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| fed_name.clone());
            Ok(ExternalSpec::Federated {
                name,
                config: FederatedConfig {
                    fed_name,
                    source,
                    directory: Directory {
                        name: dir_name,
                        directory_id: directory.opt_str("directoryId")?,
                        default_domain,
                        domains: domains.iter().map(|d| d.trim().to_owned()).collect(),
                    },
                    oidc,
                    sync_client_token_ttl: ttl,
                    sync_token: None,
                },
            })
        }
        "embedded" => Err(Invalid::value(
            "type".into(),
            "Embedded cannot be added: the embedded identity provider always exists",
        )),
        _ => Err(Invalid::value(
            "type".into(),
            format!(
                "must be one of ActiveDirectory (Microsoft ADFS), FEDERATED_IDP_BROKER (got {raw_type:?})"
            ),
        )),
    }
}

pub(super) async fn add_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let spec = parse_external_spec(&shared, &value).map_err(|e| e.into_error(&shared, shape))?;
    let id = {
        let mut model = shared.model();
        if let Some(existing) = model.vcf.providers.iter().find(|p| !p.is_embedded()) {
            return Err(error(
                &shared,
                shape,
                StatusCode::BAD_REQUEST,
                "IDENTITY_PROVIDER_ALREADY_CONFIGURED",
                format!(
                    "An external identity provider is already configured ({}); only one external identity provider is supported",
                    existing.name
                ),
            )
            .arg(existing.id.clone())
            .remediation("Delete the existing external identity provider before adding another"));
        }
        let id = new_uuid();
        let (name, kind) = match spec {
            ExternalSpec::Adfs { name, config } => (name, ProviderKind::Adfs(config)),
            ExternalSpec::Federated { name, config } => (name, ProviderKind::Federated(config)),
        };
        model.vcf.providers.push(Provider {
            id: id.clone(),
            name,
            kind,
        });
        id
    };
    if shared.config.profile.is_9() {
        Ok(StatusCode::CREATED.into_response())
    } else {
        Ok(raw_json_response(StatusCode::CREATED, id))
    }
}

pub(super) async fn update_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    {
        let model = shared.model();
        match model.vcf.provider(&id) {
            None => return Err(provider_not_found(&shared, shape, &id)),
            Some(p) if p.is_embedded() => {
                return Err(embedded_immutable(&shared, shape, "updated"));
            }
            Some(_) => {}
        }
    }
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let spec = parse_external_spec(&shared, &value).map_err(|e| e.into_error(&shared, shape))?;
    let mut model = shared.model();
    // Checked again: the provider may have changed while the body was parsed.
    let Some(provider) = model.vcf.provider_mut(&id) else {
        return Err(provider_not_found(&shared, shape, &id));
    };
    let name = spec.name().to_owned();
    let kind_name = spec.kind_name();
    match (&mut provider.kind, spec) {
        (ProviderKind::Adfs(current), ExternalSpec::Adfs { config, .. }) => *current = config,
        (ProviderKind::Federated(current), ExternalSpec::Federated { mut config, .. }) => {
            config.sync_token = current.sync_token.take();
            *current = config;
        }
        (ProviderKind::Embedded { .. }, _) => {
            return Err(embedded_immutable(&shared, shape, "updated"));
        }
        _ => {
            return Err(error(
                &shared,
                shape,
                StatusCode::BAD_REQUEST,
                "IDENTITY_PROVIDER_TYPE_MISMATCH",
                format!("type {kind_name} does not match the type of identity provider {id}; the type cannot be changed"),
            )
            .arg("type")
            .remediation("Delete the identity provider and add a new one to change its type"));
        }
    }
    provider.name = name;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn embedded_immutable(shared: &Shared, shape: VcfShape, what: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::BAD_REQUEST,
        "EMBEDDED_IDENTITY_PROVIDER_IMMUTABLE",
        format!("The embedded identity provider cannot be {what}"),
    )
    .remediation("Manage the embedded provider's identity sources with the identity-sources API")
}

pub(super) async fn delete_provider(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    let mut model = shared.model();
    match model.vcf.provider(&id) {
        None => Err(provider_not_found(&shared, shape, &id)),
        Some(p) if p.is_embedded() => Err(embedded_immutable(&shared, shape, "deleted")),
        Some(_) => {
            model.vcf.providers.retain(|p| p.id != id);
            Ok(StatusCode::NO_CONTENT.into_response())
        }
    }
}
