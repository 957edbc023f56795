//! Rendering the simulator's state as SDDC Manager's JSON: identity
//! providers, their identity sources and sync client token info, per
//! profile. Never a password, client secret or token.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use crate::config::Profile;
use crate::state::Shared;
use crate::state::vcf::{FedSource, IdentitySource, LdapInfo, Provider, ProviderKind, VcfState};

pub(super) fn format_expire_at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn ldap_json(
    ldap: &LdapInfo,
    type_override: Option<&str>,
    with_cert_chain: bool,
) -> Value {
    let mut details = Map::new();
    details.insert(
        "usersBaseDn".into(),
        json!(ldap.source_details.users_base_dn),
    );
    details.insert(
        "groupsBaseDn".into(),
        json!(ldap.source_details.groups_base_dn),
    );
    if with_cert_chain {
        details.insert("certChain".into(), json!(ldap.source_details.cert_chain));
    }
    details.insert(
        "serverEndpoints".into(),
        json!(ldap.source_details.server_endpoints),
    );
    let mut out = Map::new();
    out.insert(
        "type".into(),
        json!(type_override.unwrap_or(&ldap.ldap_type)),
    );
    out.insert("domainName".into(), json!(ldap.domain_name));
    if let Some(alias) = &ldap.domain_alias {
        out.insert("domainAlias".into(), json!(alias));
    }
    out.insert("username".into(), json!(ldap.username));
    out.insert("sourceDetails".into(), Value::Object(details));
    Value::Object(out)
}

pub(super) fn source_json(source: &IdentitySource) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(source.name));
    out.insert("type".into(), json!(source.source_type));
    out.insert("domainNames".into(), json!(source.domain_names));
    if let Some(ldap) = &source.ldap {
        out.insert("ldap".into(), ldap_json(ldap, None, true));
    }
    Value::Object(out)
}

pub(super) fn status_str(active: bool) -> &'static str {
    if active { "active" } else { "inactive" }
}

pub(super) fn fed_source_str(profile: Profile, source: FedSource) -> &'static str {
    match source {
        // As the documented response shows it.
        FedSource::Okta => "Okta",
        FedSource::EntraId if profile.is_52_or_later() => "MICROSOFT_ENTRA_ID",
        FedSource::EntraId => "AZURE",
        FedSource::PingFederate => "PING_FEDERATE",
    }
}

pub(super) fn fed_source_type(source: FedSource) -> &'static str {
    match source {
        FedSource::Okta => "OKTA",
        FedSource::EntraId => "MICROSOFT_ENTRA_ID",
        FedSource::PingFederate => "PING_FEDERATE",
    }
}

/// A provider as `GET /v1/identity-providers[/{id}]` shows it: never a
/// password, client secret or token.
pub(crate) fn provider_json(shared: &Shared, vcf: &VcfState, provider: &Provider) -> Value {
    let profile = shared.config.profile;
    let status = status_str(vcf.is_active(provider));
    match &provider.kind {
        ProviderKind::Embedded { sources } => json!({
            "id": provider.id,
            "name": provider.name,
            "type": "Embedded",
            "identitySources": sources.iter().map(source_json).collect::<Vec<_>>(),
            "status": status,
        }),
        ProviderKind::Adfs(adfs) => json!({
            "id": provider.id,
            "name": provider.name,
            "type": "Microsoft ADFS",
            "domainNames": [adfs.ldap.domain_name],
            "ldap": ldap_json(&adfs.ldap, Some("Oidc"), false),
            "oidc": {
                "clientId": adfs.oidc.client_id,
                "discoveryEndpoint": adfs.oidc.discovery_endpoint,
            },
            "status": status,
        }),
        ProviderKind::Federated(fed) => {
            let mut directory = Map::new();
            if let Some(id) = &fed.directory.directory_id {
                directory.insert("directoryId".into(), json!(id));
            }
            directory.insert("name".into(), json!(fed.directory.name));
            directory.insert("defaultDomain".into(), json!(fed.directory.default_domain));
            directory.insert("domains".into(), json!(fed.directory.domains));
            if profile.is_52_or_later() {
                directory.insert(
                    "federatedIdpSourceType".into(),
                    json!(fed_source_type(fed.source)),
                );
            }
            let mut fed_idp = Map::new();
            fed_idp.insert("name".into(), json!(fed.fed_name));
            fed_idp.insert("source".into(), json!(fed_source_str(profile, fed.source)));
            fed_idp.insert("directoryList".into(), Value::Object(directory));
            fed_idp.insert(
                "oidcInfo".into(),
                json!({
                    "clientId": fed.oidc.client_id,
                    "discoveryEndpoint": fed.oidc.discovery_endpoint,
                }),
            );
            fed_idp.insert(
                "syncClientTokenTTL".into(),
                json!(fed.sync_client_token_ttl),
            );
            if let Some(token) = &fed.sync_token {
                fed_idp.insert(
                    "syncClientTokenInfo".into(),
                    json!({
                        "expireAt": format_expire_at(token.expire_at),
                        "scimUrl": shared.scim_url(),
                    }),
                );
            }
            json!({
                "id": provider.id,
                "name": provider.name,
                "type": "FEDERATED_IDP_BROKER",
                "status": status,
                "fedIdp": Value::Object(fed_idp),
            })
        }
    }
}

/// The body of `GET /v1/identity-providers`.
pub(crate) fn providers_json(shared: &Shared, vcf: &VcfState) -> Value {
    let elements: Vec<Value> = vcf
        .providers
        .iter()
        .map(|p| provider_json(shared, vcf, p))
        .collect();
    json!({ "elements": elements })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expire_at_format() {
        let t = DateTime::from_timestamp_millis(1_696_263_522_681).unwrap();
        assert_eq!(format_expire_at(t), "2023-10-02T16:18:42.681Z");
        assert_eq!(t.timestamp(), 1_696_263_522);
    }
}
