//! Broker targets: reading a broker's directories and identity providers
//! and comparing them with the document's `broker` state.

use std::collections::HashMap;

use idp_client::{BrokerClient, BrokerDirectory, BrokerIdentityProvider};
use serde_json::{Value, json};

use crate::connection::BrokerCredentials;
use crate::document::{
    BrokerDirectoryConfig, BrokerIdpConfig, BrokerState, BrokerTarget, Connection, Document,
};
use crate::error::Error;

use super::diff::{Fields, domain_set};
use super::{
    Action, Change, Connected, FieldChange, Options, Step, TargetKind, TargetPlan, required_url,
    resolver, timed,
};

/// The object names of broker changes.
const DIRECTORY: &str = "brokerDirectory";
const IDP: &str = "brokerIdentityProvider";

pub(super) async fn plan_broker(
    document: &Document,
    index: usize,
    broker: &BrokerTarget,
    options: &Options,
) -> TargetPlan {
    let read = async {
        let client = connect(index, broker, options)?;
        let (changes, directory_ids) = match document.broker_state_of(broker) {
            Some(state) => read_and_diff(&client, state, options).await?,
            None => (Vec::new(), HashMap::new()),
        };
        let connection = Connected::Broker {
            client,
            directory_ids,
        };
        Ok((connection, changes))
    };
    timed(broker.display_name(), TargetKind::Broker, read).await
}

/// A client for `broker` (its credentials resolved now).
fn connect(index: usize, broker: &BrokerTarget, options: &Options) -> Result<BrokerClient, Error> {
    let field = |f: &str| format!("brokers[{index}].{f}");
    let written = match &broker.connection {
        Connection::Context(context) => {
            return resolver(options, &field("context"), context)?.broker_client(context);
        }
        Connection::Direct(written) => written,
    };
    let url = required_url(written.endpoint.url.as_deref(), &field("url"))?;
    let ca = match &written.endpoint.ca_cert {
        Some(ca) => Some(ca.resolve(&field("caCert"))?.into_bytes()),
        None => None,
    };
    let mut builder = BrokerClient::builder(url).config(&options.client_config_with_ca(ca)?);
    // Without a tenant, the client's default (`CUSTOMER`).
    if let Some(tenant) = &written.tenant {
        builder = builder.tenant(tenant.trim());
    }
    builder = match &written.credentials {
        Some(BrokerCredentials::Vcenter {
            username: Some(user),
            password: Some(password),
        }) => {
            builder.vcenter_credentials(user.trim(), password.resolve(&field("vcenterPassword"))?)
        }
        Some(BrokerCredentials::OAuthClient {
            client_id: Some(id),
            client_secret: Some(secret),
        }) => builder.oauth_client(id.trim(), secret.resolve(&field("clientSecret"))?),
        Some(BrokerCredentials::Token(token)) => {
            builder.bearer_token(token.resolve(&field("token"))?)
        }
        _ => {
            return Err(Error::Usage(format!(
                "{}: `vcenterUsername` and `vcenterPassword`, or `clientId` and `clientSecret`, or `token`, are required",
                field("vcenterUsername")
            )));
        }
    };
    Ok(builder.build()?)
}

fn key(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

/// Reads what the state needs (the directory list; each managed existing
/// directory whose default domain is compared; the provider list and each
/// managed existing provider) and compares.
async fn read_and_diff(
    client: &BrokerClient,
    state: &BrokerState,
    options: &Options,
) -> Result<(Vec<Change>, HashMap<String, String>), Error> {
    let listed = client.list_directories().await?;
    let directory_ids: HashMap<String, String> = listed
        .iter()
        .map(|d| (key(&d.name), d.id.clone()))
        .collect();
    let names_by_id: HashMap<&str, &str> = listed
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str()))
        .collect();
    let mut changes = Vec::new();
    // Deletes first, providers before the directories they serve; then
    // directories before the providers that name them.
    let desired_dirs = state.directories.as_deref().unwrap_or_default();
    let desired_idps = state.identity_providers.as_deref().unwrap_or_default();
    if state.identity_providers.is_some() || state.prune_identity_providers {
        let idps = client.list_identity_providers().await?;
        let mut current = Vec::new();
        for summary in &idps {
            let named = desired_idps
                .iter()
                .any(|w| key(&w.name) == key(&summary.name));
            if named {
                current.push(client.get_identity_provider(&summary.id).await?);
            } else if state.prune_identity_providers {
                changes.push(delete(
                    IDP,
                    &summary.name,
                    Step::DeleteIdp {
                        id: summary.id.clone(),
                    },
                ));
            }
        }
        if state.prune_directories {
            prune_directories(&listed, desired_dirs, &mut changes);
        }
        diff_directories(client, &listed, desired_dirs, &mut changes).await?;
        for want in desired_idps {
            let served = current.iter().find(|p| key(&p.name) == key(&want.name));
            check_directories(want, desired_dirs, &directory_ids)?;
            changes.extend(diff_idp(want, served, &names_by_id, options)?);
        }
    } else {
        if state.prune_directories {
            prune_directories(&listed, desired_dirs, &mut changes);
        }
        diff_directories(client, &listed, desired_dirs, &mut changes).await?;
    }
    Ok((changes, directory_ids))
}

fn delete(object: &'static str, name: &str, step: Step) -> Change {
    Change {
        action: Action::Delete,
        object,
        name: name.to_owned(),
        fields: Vec::new(),
        secrets: Vec::new(),
        needs: None,
        note: None,
        step,
    }
}

fn prune_directories(
    listed: &[BrokerDirectory],
    desired: &[BrokerDirectoryConfig],
    changes: &mut Vec<Change>,
) {
    for d in listed {
        if !desired.iter().any(|w| key(&w.name) == key(&d.name)) {
            changes.push(delete(
                DIRECTORY,
                &d.name,
                Step::DeleteDirectory { id: d.id.clone() },
            ));
        }
    }
}

/// Every directory a provider names is in the document or on the broker.
fn check_directories(
    want: &BrokerIdpConfig,
    desired: &[BrokerDirectoryConfig],
    existing: &HashMap<String, String>,
) -> Result<(), Error> {
    for name in &want.directories {
        if !desired.iter().any(|d| key(&d.name) == key(name)) && !existing.contains_key(&key(name))
        {
            return Err(Error::Usage(format!(
                "identityProviders[{}].directories: no directory `{}` in the document or on the broker",
                want.name.trim(),
                name.trim()
            )));
        }
    }
    Ok(())
}

fn upper(text: &str) -> Value {
    json!(text.trim().to_ascii_uppercase())
}

/// The fields of a directory that differ (`current: None`: every field).
fn directory_fields(
    want: &BrokerDirectoryConfig,
    current: Option<&BrokerDirectory>,
) -> Vec<FieldChange> {
    let mut f = Fields { list: Vec::new() };
    let served = |v: Value| current.map(|_| v);
    f.compare(
        "domains",
        served(domain_set(
            current
                .iter()
                .flat_map(|d| d.domains.iter().map(String::as_str)),
        )),
        domain_set(want.domains.iter().map(String::as_str)),
    );
    if let Some(default) = &want.default_domain {
        f.compare(
            "defaultDomain",
            served(json!(
                current
                    .and_then(|d| d.default_domain.as_deref())
                    .map(|d| d.trim().to_ascii_lowercase())
            )),
            json!(default.trim().to_ascii_lowercase()),
        );
    }
    if let Some(source) = &want.source {
        f.compare(
            "source",
            served(json!(
                current
                    .and_then(|d| d.source.as_ref())
                    .map(|s| s.as_wire().to_ascii_uppercase())
            )),
            upper(source),
        );
    }
    if let Some(kind) = &want.kind {
        f.compare(
            "type",
            served(json!(
                current
                    .and_then(|d| d.directory_type.as_deref())
                    .map(str::to_ascii_uppercase)
            )),
            upper(kind),
        );
    }
    f.list
}

async fn diff_directories(
    client: &BrokerClient,
    listed: &[BrokerDirectory],
    desired: &[BrokerDirectoryConfig],
    changes: &mut Vec<Change>,
) -> Result<(), Error> {
    for want in desired {
        let Some(summary) = listed.iter().find(|d| key(&d.name) == key(&want.name)) else {
            changes.push(Change {
                action: Action::Create,
                object: DIRECTORY,
                name: want.name.trim().to_owned(),
                fields: directory_fields(want, None),
                secrets: Vec::new(),
                needs: None,
                note: None,
                step: Step::CreateDirectory(Box::new(want.clone())),
            });
            continue;
        };
        // The list leaves out the default domain: read the directory when
        // the document sets one.
        let current = if want.default_domain.is_some() && summary.default_domain.is_none() {
            client.get_directory(&summary.id).await?
        } else {
            summary.clone()
        };
        let fields = directory_fields(want, Some(&current));
        if !fields.is_empty() {
            changes.push(Change {
                action: Action::Update,
                object: DIRECTORY,
                name: want.name.trim().to_owned(),
                fields,
                secrets: Vec::new(),
                needs: None,
                note: None,
                step: Step::UpdateDirectory {
                    id: current.id.clone(),
                    desired: Box::new(want.clone()),
                },
            });
        }
    }
    Ok(())
}

/// The secret field of a broker identity provider.
fn idp_secret(want: &BrokerIdpConfig) -> String {
    format!("identityProviders[{}].clientSecret", want.name.trim())
}

fn diff_idp(
    want: &BrokerIdpConfig,
    current: Option<&BrokerIdentityProvider>,
    names_by_id: &HashMap<&str, &str>,
    options: &Options,
) -> Result<Option<Change>, Error> {
    if let Some(p) = current
        && p.idp_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("OIDC"))
    {
        return Err(Error::Usage(format!(
            "identity provider `{}` is {} on the broker; the document manages OIDC providers only (delete it, or rename it in the document)",
            want.name.trim(),
            p.idp_type.as_deref().unwrap_or_default()
        )));
    }
    let mut f = Fields { list: Vec::new() };
    let served = |v: Value| current.map(|_| v);
    f.compare(
        "directories",
        served(domain_set(current.iter().flat_map(|p| {
            p.directories.iter().map(|(id, name)| {
                names_by_id
                    .get(id.as_str())
                    .copied()
                    .or(name.as_deref())
                    .unwrap_or(id.as_str())
            })
        }))),
        domain_set(want.directories.iter().map(String::as_str)),
    );
    let oidc = current.and_then(|p| p.oidc.as_ref());
    f.compare(
        "configurationUrl",
        served(json!(oidc.and_then(|o| o.configuration_url.as_deref()))),
        json!(want.configuration_url.trim()),
    );
    f.compare(
        "clientId",
        served(json!(oidc.and_then(|o| o.client_id.as_deref()))),
        json!(want.client_id.trim()),
    );
    let fields = f.list;
    Ok(match current {
        None => Some(Change {
            action: Action::Create,
            object: IDP,
            name: want.name.trim().to_owned(),
            fields,
            secrets: vec![idp_secret(want)],
            needs: None,
            note: None,
            step: Step::CreateIdp(Box::new(want.clone())),
        }),
        Some(_) if fields.is_empty() && !options.update_secrets => None,
        // The broker's PATCH keeps what it is not sent: the secret is sent
        // only when asked (`update_secrets`).
        Some(p) => Some(Change {
            action: Action::Update,
            object: IDP,
            name: want.name.trim().to_owned(),
            fields,
            secrets: if options.update_secrets {
                vec![idp_secret(want)]
            } else {
                Vec::new()
            },
            needs: None,
            note: None,
            step: Step::UpdateIdp {
                id: p.id.clone(),
                desired: Box::new(want.clone()),
                send_secret: options.update_secrets,
            },
        }),
    })
}
