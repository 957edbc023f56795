//! `idpctl broker directory list | get | create | update | delete`.

use clap::{Args, Subcommand};
use idp_client::{BrokerDirectory, BrokerDirectorySpec, DirectorySource};
use serde_json::{Value, json};

use crate::confirm::Confirm;
use crate::failure::Failure;
use crate::output::{Output, fields, table};
use crate::settings::BrokerSettings;

/// The fields of a directory.
#[derive(Debug, Clone, Args)]
pub struct DirectoryFields {
    /// The directory's unique name.
    #[arg(long)]
    pub name: Option<String>,
    /// A domain (repeat for several).
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// The default domain (one of the domains).
    #[arg(long, value_name = "DOMAIN")]
    pub default_domain: Option<String>,
    /// The source: AZURE, PING, OKTA, ACCESS, GENERIC.
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// List the directories.
    List,
    /// Show one directory.
    Get { id: String },
    /// Create a directory (--name and at least one --domain).
    Create(DirectoryFields),
    /// Change the fields given.
    Update {
        id: String,
        #[command(flatten)]
        fields: DirectoryFields,
    },
    /// Delete a directory with its users, groups and sync client.
    Delete {
        id: String,
        #[command(flatten)]
        confirm: Confirm,
    },
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

pub async fn run(
    command: DirectoryCommand,
    broker: &BrokerSettings<'_>,
    out: Output,
) -> Result<(), Failure> {
    match command {
        DirectoryCommand::List => {
            let list = broker.client()?.list_directories().await?;
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
        DirectoryCommand::Get { id } => {
            let d = broker.client()?.get_directory(&id).await?;
            out.emit(&directory_json(&d), || directory_fields(&d))
        }
        DirectoryCommand::Create(fields) => {
            let d = broker
                .client()?
                .create_directory(&directory_spec(fields))
                .await?;
            out.emit(&directory_json(&d), || {
                format!("created directory {}\n", d.id)
            })
        }
        DirectoryCommand::Update { id, fields } => {
            let d = broker
                .client()?
                .update_directory(&id, &directory_spec(fields))
                .await?;
            out.emit(&directory_json(&d), || {
                format!("updated directory {}\n", d.id)
            })
        }
        DirectoryCommand::Delete { id, confirm } => {
            confirm.ask(&format!(
                "delete directory {id} with its users, groups and sync client"
            ))?;
            broker.client()?.delete_directory(&id).await?;
            out.emit(&json!({ "id": id, "result": "deleted" }), || {
                format!("deleted directory {id}\n")
            })
        }
    }
}
