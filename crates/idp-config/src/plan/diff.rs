//! The comparison of one target's state with the document: which
//! objects to create, update, replace or delete, field by field.

use idp_client::{
    FederatedSource, IdentityProvider, IdentitySource, IdentitySourceKind, ProviderKind,
};
use serde_json::{Value, json};

use crate::document::{
    EmbeddedSource, External, ExternalProvider, ExternalType, Identity, SourceType,
};
use crate::error::Error;
use crate::reference::PemRef;

use super::{Action, Change, FieldChange, Options, Permission, Step};

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

/// Why an update needs [`Permission::UpdateSecrets`], when it is not given.
fn update_note(options: &Options) -> Option<String> {
    (!options.update_secrets).then(|| {
        "the update replaces the whole object, so it must resend the secrets (servers never return them): needs update-secrets".to_owned()
    })
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
            needs: None,
            note: None,
            step: Step::DeleteProvider { id: p.id.clone() },
        }),
        (External::Provider(desired), None) => changes.push(Change {
            action: Action::Create,
            object: "externalProvider",
            name: desired.name.clone(),
            fields: provider_fields(desired, None)?,
            secrets: provider_secrets(desired),
            needs: None,
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
                needs: Some(Permission::AllowReplace),
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
                    needs: Some(Permission::UpdateSecrets),
                    note: update_note(options),
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
pub(super) struct Fields {
    pub(super) list: Vec<FieldChange>,
}

impl Fields {
    pub(super) fn compare(&mut self, field: &str, current: Option<Value>, desired: Value) {
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
pub(super) fn domain_set<'a>(domains: impl IntoIterator<Item = &'a str>) -> Value {
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
            current.map(|_| {
                domain_set(
                    cur.map(|d| d.domains.iter().map(String::as_str))
                        .into_iter()
                        .flatten(),
                )
            }),
            domain_set(
                std::iter::once(dir.default_domain.as_str())
                    .chain(dir.domains.iter().map(String::as_str)),
            ),
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
                needs: None,
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
                needs: Some(Permission::UpdateSecrets),
                note: update_note(options),
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
                    needs: None,
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
