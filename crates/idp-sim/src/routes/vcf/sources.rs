//! The embedded provider's identity sources (Active Directory, OpenLDAP):
//! add, update, delete.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::Value;

use super::fields::{canonical_ldap_type, domain_field, source_details};
use super::request::{
    Ctx, VcfResult, authorize, body_bytes, error, json_body, path_param, provider_not_found,
};
use crate::routes::validate::{Invalid, Obj};
use crate::state::vcf::{IdentitySource, LdapInfo, Provider, ProviderKind};
use crate::state::{Model, Shared};
use crate::vendor_error::{VcfError, VcfShape, raw_json_response};

fn parse_source_spec(value: &Value) -> Result<IdentitySource, Invalid> {
    let spec = Obj::root(value)?;
    let name = spec.str("name")?;
    let ldap = spec.obj("ldap")?;
    let raw_type = ldap.str("type")?;
    let ldap_type = canonical_ldap_type(&ldap, "type", &raw_type)?;
    let domain_name = domain_field(&ldap, "domainName")?;
    let domain_alias = ldap.opt_str("domainAlias")?;
    let username = ldap.str("username")?;
    ldap.str("password")?;
    let source_details = source_details(&ldap)?;
    Ok(IdentitySource {
        name,
        source_type: ldap_type.clone(),
        domain_names: vec![domain_name.clone()],
        ldap: Some(LdapInfo {
            ldap_type,
            domain_name,
            domain_alias,
            username,
            source_details,
        }),
    })
}

fn not_embedded(shared: &Shared, shape: VcfShape, id: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::BAD_REQUEST,
        "IDENTITY_SOURCES_NOT_SUPPORTED",
        format!("Identity provider {id} is not the embedded identity provider; identity sources belong to the embedded identity provider only"),
    )
    .arg(id)
}

fn source_not_found(shared: &Shared, shape: VcfShape, domain: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::NOT_FOUND,
        "IDENTITY_SOURCE_NOT_FOUND",
        format!("Identity source with domain name {domain} not found"),
    )
    .arg(domain)
}

/// The embedded provider's sources, or the 404/400 for `id`.
fn embedded_sources_mut<'m>(
    shared: &Shared,
    shape: VcfShape,
    model: &'m mut Model,
    id: &str,
) -> Result<&'m mut Vec<IdentitySource>, VcfError> {
    match model.vcf.provider_mut(id) {
        None => Err(provider_not_found(shared, shape, id)),
        Some(Provider {
            kind: ProviderKind::Embedded { sources },
            ..
        }) => Ok(sources),
        Some(_) => Err(not_embedded(shared, shape, id)),
    }
}

pub(super) async fn add_source(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let id = path_param(&shared, shape, path)?;
    {
        let mut model = shared.model();
        embedded_sources_mut(&shared, shape, &mut model, &id)?;
    }
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let source = parse_source_spec(&value).map_err(|e| e.into_error(&shared, shape))?;
    let domain = source.domain_names[0].clone();
    {
        let mut model = shared.model();
        let sources = embedded_sources_mut(&shared, shape, &mut model, &id)?;
        if sources.iter().any(|s| s.has_domain(&domain)) {
            return Err(error(
                &shared,
                shape,
                StatusCode::BAD_REQUEST,
                "IDENTITY_SOURCE_ALREADY_EXISTS",
                format!("An identity source with domain name {domain} already exists"),
            )
            .arg(domain)
            .remediation("Use a different domain name, or update the existing identity source"));
        }
        sources.push(source);
    }
    if shared.config.profile.is_9() {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Ok(raw_json_response(
            StatusCode::CREATED,
            format!("Added Identity source with domain name {domain} successfully"),
        ))
    }
}

fn find_source(sources: &[IdentitySource], domain: &str) -> Option<usize> {
    sources.iter().position(|s| s.has_domain(domain))
}

fn builtin_source(shared: &Shared, shape: VcfShape, domain: &str, what: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::BAD_REQUEST,
        "IDENTITY_SOURCE_IMMUTABLE",
        format!("The built-in identity source {domain} cannot be {what}"),
    )
    .arg(domain)
}

pub(super) async fn update_source(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let (id, domain) = path_param(&shared, shape, path)?;
    let check = |model: &mut Model| -> Result<(), VcfError> {
        let sources = embedded_sources_mut(&shared, shape, model, &id)?;
        let index = find_source(sources, &domain)
            .ok_or_else(|| source_not_found(&shared, shape, &domain))?;
        if sources[index].is_builtin() {
            return Err(builtin_source(&shared, shape, &domain, "updated"));
        }
        Ok(())
    };
    check(&mut shared.model())?;
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let source = parse_source_spec(&value).map_err(|e| e.into_error(&shared, shape))?;
    if !source.domain_names[0].eq_ignore_ascii_case(&domain) {
        return Err(error(
            &shared,
            shape,
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD_VALUE",
            format!(
                "ldap.domainName {} must match the domain name in the path, {domain}",
                source.domain_names[0]
            ),
        )
        .arg("ldap.domainName"));
    }
    let mut model = shared.model();
    check(&mut model)?;
    let sources = embedded_sources_mut(&shared, shape, &mut model, &id)?;
    if let Some(index) = find_source(sources, &domain) {
        sources[index] = source;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(super) async fn delete_source(
    State(shared): Ctx,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> VcfResult {
    let shape = VcfShape::Error;
    authorize(&shared, &headers)?;
    let (id, domain) = path_param(&shared, shape, path)?;
    let mut model = shared.model();
    let sources = embedded_sources_mut(&shared, shape, &mut model, &id)?;
    let index =
        find_source(sources, &domain).ok_or_else(|| source_not_found(&shared, shape, &domain))?;
    if sources[index].is_builtin() {
        return Err(builtin_source(&shared, shape, &domain, "deleted"));
    }
    sources.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}
