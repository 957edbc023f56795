//! `idpctl broker ...`: the VCF Identity Broker.

use idp_client::{
    BrokerDirectory, BrokerDirectorySpec, BrokerIdentityProvider, BrokerOAuthClientSpec,
    BrokerOidcProfile, BrokerOidcProviderSpec, BrokerSyncClient, DirectorySource, Secret,
    SyncClientCredentialKind,
};
use rand::Rng as _;
use serde_json::{Value, json};

use crate::cli::{
    BrokerCommand, BrokerDirectoryCommand, BrokerIdpCommand, BrokerOAuthClientCommand,
    BrokerSyncClientCommand, DirectoryFields, IdpFields,
};
use crate::confirm::confirm;
use crate::failure::Failure;
use crate::output::{Output, fields, table};
use crate::settings::Settings;

pub async fn run(command: BrokerCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    match command {
        BrokerCommand::Directory { command } => directory(command, settings, out).await,
        BrokerCommand::Idp { command } => idp(command, settings, out).await,
        BrokerCommand::SyncClient { command } => sync_client(command, settings, out).await,
        BrokerCommand::OauthClient { command } => oauth_client(command, settings, out).await,
    }
}

fn directory_spec(fields: DirectoryFields) -> BrokerDirectorySpec {
    let mut spec = BrokerDirectorySpec::default();
    spec.name = fields.name;
    spec.domains = fields.domains;
    spec.default_domain = fields.default_domain;
    spec.source = fields.source.as_deref().map(DirectorySource::parse);
    spec
}

fn directory_json(d: &BrokerDirectory) -> Value {
    json!({
        "id": d.id,
        "name": d.name,
        "domains": d.domains,
        "default_domain": d.default_domain,
        "source": d.source.as_ref().map(DirectorySource::as_wire),
        "type": d.directory_type,
        "delete_in_progress": d.delete_in_progress,
    })
}

fn directory_fields(d: &BrokerDirectory) -> String {
    fields(&[
        ("id", d.id.clone()),
        ("name", d.name.clone()),
        ("domains", d.domains.join(", ")),
        (
            "default domain",
            d.default_domain.clone().unwrap_or_default(),
        ),
        (
            "source",
            d.source
                .as_ref()
                .map(|s| s.as_wire().to_owned())
                .unwrap_or_default(),
        ),
        ("type", d.directory_type.clone().unwrap_or_default()),
    ])
}

async fn directory(
    command: BrokerDirectoryCommand,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        BrokerDirectoryCommand::List => {
            let list = settings.broker_client()?.list_directories().await?;
            let json: Vec<Value> = list.iter().map(directory_json).collect();
            out.emit(&json, || {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|d| {
                        vec![
                            d.id.clone(),
                            d.name.clone(),
                            d.domains.join(","),
                            d.source
                                .as_ref()
                                .map(|s| s.as_wire().to_owned())
                                .unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(&["ID", "NAME", "DOMAINS", "SOURCE"], &rows)
            })
        }
        BrokerDirectoryCommand::Get { id } => {
            let d = settings.broker_client()?.get_directory(&id).await?;
            out.emit(&directory_json(&d), || directory_fields(&d))
        }
        BrokerDirectoryCommand::Create(fields) => {
            let d = settings
                .broker_client()?
                .create_directory(&directory_spec(fields))
                .await?;
            out.emit(&directory_json(&d), || {
                format!("created directory {}\n", d.id)
            })
        }
        BrokerDirectoryCommand::Update { id, fields } => {
            let d = settings
                .broker_client()?
                .update_directory(&id, &directory_spec(fields))
                .await?;
            out.emit(&directory_json(&d), || {
                format!("updated directory {}\n", d.id)
            })
        }
        BrokerDirectoryCommand::Delete { id, confirm: yes } => {
            confirm(
                yes.yes,
                &format!("delete directory {id} with its users, groups and sync client"),
            )?;
            settings.broker_client()?.delete_directory(&id).await?;
            out.emit(&json!({ "id": id, "result": "deleted" }), || {
                format!("deleted directory {id}\n")
            })
        }
    }
}

fn idp_spec(fields: IdpFields, secret: Option<Secret>) -> BrokerOidcProviderSpec {
    let mut spec = BrokerOidcProviderSpec::default();
    spec.name = fields.name;
    spec.directory_ids = fields.directories;
    if fields.configuration_url.is_some() || fields.client_id.is_some() || secret.is_some() {
        let mut oidc = BrokerOidcProfile::default();
        oidc.configuration_url = fields.configuration_url;
        oidc.client_id = fields.client_id;
        oidc.client_secret = secret;
        spec.oidc = Some(oidc);
    }
    spec
}

fn idp_json(idp: &BrokerIdentityProvider) -> Value {
    let oidc = idp.oidc.as_ref().map(|o| {
        json!({
            "configuration_url": o.configuration_url,
            "client_id": o.client_id,
            "user_attribute_mapping": o.user_attribute_mapping,
        })
    });
    json!({
        "id": idp.id,
        "name": idp.name,
        "idp_type": idp.idp_type,
        "directory_ids": idp.directories.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "oidc": oidc,
    })
}

async fn idp(command: BrokerIdpCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    match command {
        BrokerIdpCommand::List => {
            let list = settings.broker_client()?.list_identity_providers().await?;
            let json: Vec<Value> = list
                .iter()
                .map(|i| {
                    json!({ "id": i.id, "name": i.name, "idp_type": i.idp_type, "directory_ids": i.directory_ids })
                })
                .collect();
            out.emit(&json, || {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|i| {
                        vec![
                            i.id.clone(),
                            i.name.clone(),
                            i.idp_type.clone().unwrap_or_default(),
                            i.directory_ids.join(","),
                        ]
                    })
                    .collect();
                table(&["ID", "NAME", "TYPE", "DIRECTORIES"], &rows)
            })
        }
        BrokerIdpCommand::Get { id } => {
            let idp = settings.broker_client()?.get_identity_provider(&id).await?;
            out.emit(&idp_json(&idp), || idp_fields(&idp))
        }
        BrokerIdpCommand::Create(fields) => {
            let secret = settings.broker_idp_client_secret().ok_or_else(|| {
                Failure::usage(
                    "the OIDC client secret comes from BROKER_IDP_CLIENT_SECRET (never a flag)",
                )
            })?;
            let idp = settings
                .broker_client()?
                .create_oidc_identity_provider(&idp_spec(fields, Some(secret)))
                .await?;
            out.emit(&idp_json(&idp), || {
                format!("created identity provider {}\n", idp.id)
            })
        }
        BrokerIdpCommand::Update { id, fields } => {
            let secret = settings.broker_idp_client_secret();
            let idp = settings
                .broker_client()?
                .update_identity_provider(&id, &idp_spec(fields, secret))
                .await?;
            out.emit(&idp_json(&idp), || {
                format!("updated identity provider {}\n", idp.id)
            })
        }
        BrokerIdpCommand::Delete { id, confirm: yes } => {
            confirm(yes.yes, &format!("delete identity provider {id}"))?;
            settings
                .broker_client()?
                .delete_identity_provider(&id)
                .await?;
            out.emit(&json!({ "id": id, "result": "deleted" }), || {
                format!("deleted identity provider {id}\n")
            })
        }
    }
}

fn idp_fields(idp: &BrokerIdentityProvider) -> String {
    let oidc = idp.oidc.clone().unwrap_or_default();
    fields(&[
        ("id", idp.id.clone()),
        ("name", idp.name.clone()),
        ("type", idp.idp_type.clone().unwrap_or_default()),
        (
            "directories",
            idp.directories
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "configuration url",
            oidc.configuration_url.unwrap_or_default(),
        ),
        ("client id", oidc.client_id.unwrap_or_default()),
    ])
}

/// The sync client; `reveal` includes the token or secret (only `generate`
/// prints them: producing them is what it is for).
fn sync_json(directory_id: &str, s: &BrokerSyncClient, reveal: bool) -> Value {
    let mut value = json!({
        "directory_id": directory_id,
        "generate_token": s.generate_token,
        "client_id": s.client_id,
        "access_token_expires_at": s.access_token_expires_at.map(|t| t.to_rfc3339()),
        "token_ttl_minutes": s.token_ttl_minutes,
    });
    if reveal {
        if let Some(token) = &s.access_token {
            value["access_token"] = json!(token.expose());
        }
        if let Some(secret) = &s.client_secret {
            value["client_secret"] = json!(secret.expose());
        }
    }
    value
}

fn sync_fields(directory_id: &str, s: &BrokerSyncClient, reveal: bool) -> String {
    let mut pairs = vec![
        ("directory", directory_id.to_owned()),
        (
            "kind",
            match s.generate_token {
                Some(false) => "client credentials".to_owned(),
                _ => "access token".to_owned(),
            },
        ),
        ("client id", s.client_id.clone().unwrap_or_default()),
        (
            "token expires",
            s.access_token_expires_at
                .map(|t| t.to_rfc3339())
                .unwrap_or_else(|| "-".into()),
        ),
    ];
    if reveal {
        if let Some(token) = &s.access_token {
            pairs.push(("access token", token.expose().to_owned()));
        }
        if let Some(secret) = &s.client_secret {
            pairs.push(("client secret", secret.expose().to_owned()));
        }
    }
    fields(&pairs)
}

async fn sync_client(
    command: BrokerSyncClientCommand,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        BrokerSyncClientCommand::Rotate(args) => {
            crate::commands::rotate::broker(args, settings, out).await
        }
        BrokerSyncClientCommand::Show { directory_id } => {
            let s = settings.broker_client()?.sync_client(&directory_id).await?;
            out.emit(&sync_json(&directory_id, &s, false), || {
                sync_fields(&directory_id, &s, false)
            })
        }
        BrokerSyncClientCommand::Generate {
            directory_id,
            token: _,
            client_credentials,
            ttl,
            yes,
        } => {
            confirm(
                yes,
                &format!(
                    "generate new sync client credentials for directory {directory_id} (the current ones stop working)"
                ),
            )?;
            let kind = if client_credentials {
                SyncClientCredentialKind::ClientCredentials
            } else {
                SyncClientCredentialKind::Token
            };
            let s = settings
                .broker_client()?
                .generate_sync_client_credentials(&directory_id, kind, ttl)
                .await?;
            out.emit(&sync_json(&directory_id, &s, true), || {
                sync_fields(&directory_id, &s, true)
            })
        }
    }
}

/// A random secret for a rotation: 40 letters and digits.
fn new_secret() -> Secret {
    let secret: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(40)
        .map(char::from)
        .collect();
    Secret::new(secret)
}

async fn oauth_client(
    command: BrokerOAuthClientCommand,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        BrokerOAuthClientCommand::List => {
            let list = settings.broker_client()?.list_oauth_clients().await?;
            let json: Vec<Value> = list
                .iter()
                .map(|c| json!({ "client_id": c.client_id, "display_name": c.display_name, "scope": c.scope }))
                .collect();
            out.emit(&json, || {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|c| {
                        vec![
                            c.client_id.clone(),
                            c.display_name.clone().unwrap_or_default(),
                            c.scope.join(" "),
                        ]
                    })
                    .collect();
                table(&["CLIENT ID", "NAME", "SCOPE"], &rows)
            })
        }
        BrokerOAuthClientCommand::Create {
            client_id,
            scopes,
            grant_types,
            rule_sets,
        } => {
            let mut spec = BrokerOAuthClientSpec::default();
            spec.client_id = Some(client_id);
            spec.scope = if scopes.is_empty() {
                vec!["admin".into()]
            } else {
                scopes
            };
            spec.grant_types = if grant_types.is_empty() {
                vec!["client_credentials".into()]
            } else {
                grant_types
            };
            spec.rule_set_names = rule_sets;
            let client = settings.broker_client()?.create_oauth_client(&spec).await?;
            let secret = client.secret.as_ref().map(|s| s.expose().to_owned());
            out.emit(
                &json!({ "client_id": client.client_id, "scope": client.scope, "secret": secret }),
                || {
                    fields(&[
                        ("client id", client.client_id.clone()),
                        ("scope", client.scope.join(" ")),
                        ("secret", secret.clone().unwrap_or_else(|| "-".into())),
                    ])
                },
            )
        }
        BrokerOAuthClientCommand::RotateSecret {
            client_id,
            retire_after,
            now,
            yes,
        } => {
            confirm(
                yes,
                &format!("rotate the secret of OAuth client {client_id}"),
            )?;
            let broker = settings.broker_client()?;
            let secret = new_secret();
            broker
                .start_secret_rotation(&client_id, &secret, retire_after)
                .await?;
            if now {
                broker.retire_primary_secret(&client_id).await?;
            }
            let result = if now { "rotated" } else { "rotation-started" };
            out.emit(
                &json!({ "client_id": client_id, "result": result, "secret": secret.expose() }),
                || {
                    fields(&[
                        ("client id", client_id.clone()),
                        ("result", result.to_owned()),
                        ("new secret", secret.expose().to_owned()),
                    ])
                },
            )
        }
        BrokerOAuthClientCommand::Delete {
            client_id,
            confirm: yes,
        } => {
            confirm(yes.yes, &format!("delete OAuth client {client_id}"))?;
            settings
                .broker_client()?
                .delete_oauth_client(&client_id)
                .await?;
            out.emit(
                &json!({ "client_id": client_id, "result": "deleted" }),
                || format!("deleted OAuth client {client_id}\n"),
            )
        }
    }
}
