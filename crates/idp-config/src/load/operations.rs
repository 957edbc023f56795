//! Checking the `operations:` targets of a document: the connection, the
//! task timeout, and each realm's identity provider and group roles.

use std::collections::HashSet;

use super::{check_context, check_endpoint, check_unique_name, check_url};
use crate::connection::{Ops, OpsCredentials};
use crate::document::{Connection, GroupRole, OperationsTarget, RealmIdentityProvider, RealmState};

/// The provisioning types a realm's provider may have here (LDAP
/// provisioning needs directory servers, which documents do not manage).
const PROVISIONING: [&str; 2] = ["SCIM", "JIT"];

/// The scopes of a role.
const SCOPES: [&str; 2] = ["SSO_REALM", "VCF_INSTANCE"];

/// One `operations[i]` target: its connection or context, a name no other
/// target has, its task timeout and its realms.
pub(super) fn check_operations(
    target: &OperationsTarget,
    i: usize,
    names: &mut HashSet<String>,
) -> Result<(), (String, String)> {
    let here = |f: &str| format!("operations[{i}].{f}");
    match &target.connection {
        Connection::Context(context) => check_context(context, &here)?,
        Connection::Direct(ops) => check_ops_connection(ops).map_err(|(f, m)| (here(f), m))?,
    }
    check_unique_name(
        target.display_name(),
        names,
        "another target or broker",
        &here,
    )?;
    if let Some(timeout) = &target.task_timeout {
        let parsed = crate::parse_duration(timeout).map_err(|m| (here("taskTimeout"), m))?;
        if parsed.is_zero() {
            return Err((here("taskTimeout"), "must be more than 0".into()));
        }
    }
    let mut realms = HashSet::new();
    for (j, realm) in target.realms.iter().enumerate() {
        check_realm(realm, &here(&format!("realms[{j}]")), &mut realms)?;
    }
    Ok(())
}

/// A VCF Operations written in the document: a URL and a user with its
/// password, or a token.
fn check_ops_connection(ops: &Ops) -> Result<(), (&'static str, String)> {
    check_endpoint(&ops.endpoint)?;
    match &ops.credentials {
        Some(OpsCredentials::Token(_))
        | Some(OpsCredentials::Password {
            username: Some(_),
            password: Some(_),
            ..
        }) => Ok(()),
        Some(OpsCredentials::Password {
            username: Some(_),
            password: None,
            ..
        }) => Err(("password", "is required with `username`".into())),
        _ => Err((
            "username",
            "`username` and `password`, or `token`, are required".into(),
        )),
    }
}

fn check_realm(
    realm: &RealmState,
    prefix: &str,
    realms: &mut HashSet<String>,
) -> Result<(), (String, String)> {
    let here = |f: &str| format!("{prefix}.{f}");
    let name = realm.realm.trim();
    if name.is_empty() {
        return Err((here("realm"), "must not be empty".into()));
    }
    if !realms.insert(name.to_ascii_lowercase()) {
        return Err((here("realm"), format!("`{name}` is named twice")));
    }
    if let Some(provider) = &realm.identity_provider {
        check_provider(provider, &here("identityProvider"))?;
    }
    let mut seen = HashSet::new();
    for (k, role) in realm.role_assignments.iter().flatten().enumerate() {
        check_group_role(role, &here(&format!("roleAssignments[{k}]")), &mut seen)?;
    }
    Ok(())
}

fn check_provider(p: &RealmIdentityProvider, prefix: &str) -> Result<(), (String, String)> {
    let here = |f: &str| format!("{prefix}.{f}");
    if p.name.trim().is_empty() {
        return Err((here("name"), "must not be empty".into()));
    }
    if p.kind.trim().is_empty() {
        return Err((here("type"), "must not be empty".into()));
    }
    if !PROVISIONING.contains(&p.provisioning_or_default().as_str()) {
        return Err((
            here("provisioning"),
            format!(
                "`{}`: use SCIM or JIT",
                p.provisioning.as_deref().unwrap_or_default().trim()
            ),
        ));
    }
    match (&p.oidc, &p.saml) {
        (Some(oidc), None) => {
            check_url(&oidc.discovery_endpoint, &["https"])
                .map_err(|m| (here("oidc.discoveryEndpoint"), m))?;
            if oidc.client_id.trim().is_empty() {
                return Err((here("oidc.clientId"), "must not be empty".into()));
            }
        }
        (None, Some(saml)) => {
            check_url(&saml.metadata_url, &["https"]).map_err(|m| (here("saml.metadataUrl"), m))?;
            if saml.name_id_attribute_mappings.is_empty() {
                return Err((
                    here("saml.nameIdAttributeMappings"),
                    "at least one mapping is required".into(),
                ));
            }
            for (k, m) in saml.name_id_attribute_mappings.iter().enumerate() {
                let field = |f: &str| here(&format!("saml.nameIdAttributeMappings[{k}].{f}"));
                if m.idp_attribute.trim().is_empty() {
                    return Err((field("idpAttribute"), "must not be empty".into()));
                }
                if m.vidb_attribute.trim().is_empty() {
                    return Err((field("vidbAttribute"), "must not be empty".into()));
                }
            }
        }
        (Some(_), Some(_)) => {
            return Err((here("saml"), "give either `oidc` or `saml`".into()));
        }
        (None, None) => {
            return Err((here("oidc"), "`oidc` or `saml` is required".into()));
        }
    }
    if p.directories.is_empty() {
        return Err((
            here("directories"),
            "at least one directory is required".into(),
        ));
    }
    let mut names = HashSet::new();
    for (j, d) in p.directories.iter().enumerate() {
        let field = |f: &str| here(&format!("directories[{j}].{f}"));
        let name = d.name.trim();
        if name.is_empty() {
            return Err((field("name"), "must not be empty".into()));
        }
        if !names.insert(name.to_ascii_lowercase()) {
            return Err((field("name"), format!("`{name}` is named twice")));
        }
        if d.domains.iter().all(|x| x.trim().is_empty()) {
            return Err((field("domains"), "at least one domain is required".into()));
        }
        if let Some((k, _)) = d
            .domains
            .iter()
            .enumerate()
            .find(|(_, x)| x.trim().is_empty())
        {
            return Err((field(&format!("domains[{k}]")), "must not be empty".into()));
        }
        if let Some(default) = &d.default_domain
            && !d
                .domains
                .iter()
                .any(|x| x.trim().eq_ignore_ascii_case(default.trim()))
        {
            return Err((
                field("defaultDomain"),
                format!("`{}` is not one of `domains`", default.trim()),
            ));
        }
    }
    Ok(())
}

/// A group's role: a group and a role, a known scope, instances for
/// (and only for) a `VCF_INSTANCE` scope, written once.
fn check_group_role(
    role: &GroupRole,
    prefix: &str,
    seen: &mut HashSet<(String, String, String)>,
) -> Result<(), (String, String)> {
    let here = |f: &str| format!("{prefix}.{f}");
    if role.group.trim().is_empty() {
        return Err((here("group"), "must not be empty".into()));
    }
    if role.role.trim().is_empty() {
        return Err((here("role"), "must not be empty".into()));
    }
    let scope = role.scope_or_default();
    if !SCOPES.contains(&scope.as_str()) {
        return Err((
            here("scope"),
            format!("`{scope}`: use SSO_REALM or VCF_INSTANCE"),
        ));
    }
    match (scope.as_str(), role.resources.is_empty()) {
        ("VCF_INSTANCE", true) => {
            return Err((
                here("resources"),
                "at least one VCF instance is required with `VCF_INSTANCE`".into(),
            ));
        }
        ("SSO_REALM", false) => {
            return Err((here("resources"), "is only for `VCF_INSTANCE`".into()));
        }
        _ => {}
    }
    if let Some((k, _)) = role
        .resources
        .iter()
        .enumerate()
        .find(|(_, r)| r.trim().is_empty())
    {
        return Err((here(&format!("resources[{k}]")), "must not be empty".into()));
    }
    let key = (
        role.group.trim().to_ascii_lowercase(),
        role.role.trim().to_ascii_lowercase(),
        scope,
    );
    if !seen.insert(key) {
        return Err((
            here("role"),
            format!(
                "`{}` is given to `{}` twice in this scope",
                role.role.trim(),
                role.group.trim()
            ),
        ));
    }
    Ok(())
}
