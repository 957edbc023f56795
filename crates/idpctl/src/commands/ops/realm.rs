//! `idpctl ops realm list`.

use clap::Subcommand;

use super::realm_label;
use crate::failure::Failure;
use crate::output::{Output, table};
use crate::settings::OpsSettings;

#[derive(Debug, Subcommand)]
pub enum RealmCommand {
    /// List the SSO realms, their identity provider and what they cover.
    List,
}

pub async fn run(command: RealmCommand, ops: &OpsSettings<'_>, out: Output) -> Result<(), Failure> {
    match command {
        RealmCommand::List => {
            let realms = ops.client()?.list_realms().await?;
            out.emit(&realms, || {
                let rows: Vec<Vec<String>> = realms
                    .iter()
                    .map(|r| {
                        vec![
                            r.id.clone(),
                            realm_label(r),
                            r.vcf_instance_id.clone().unwrap_or_else(|| "-".into()),
                            r.idp_id.clone().unwrap_or_else(|| "-".into()),
                            r.coverage
                                .iter()
                                .map(|c| c.name.clone())
                                .collect::<Vec<_>>()
                                .join(","),
                        ]
                    })
                    .collect();
                table(&["ID", "NAME", "VCF INSTANCE", "IDP", "COVERS"], &rows)
            })
        }
    }
}
