//! `idpctl vcf role list`: the roles users can be granted.

use clap::Subcommand;

use crate::failure::Failure;
use crate::output::{Output, table};
use crate::settings::VcfSettings;

#[derive(Debug, Subcommand)]
pub enum RoleCommand {
    /// Every role with its id and description.
    List,
}

pub async fn run(command: RoleCommand, vcf: &VcfSettings<'_>, out: Output) -> Result<(), Failure> {
    match command {
        RoleCommand::List => {
            let roles = vcf.client()?.list_roles().await?;
            out.emit(&roles, || {
                let rows: Vec<Vec<String>> = roles
                    .iter()
                    .map(|r| {
                        vec![
                            r.name.clone(),
                            r.id.clone(),
                            r.description.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(&["NAME", "ID", "DESCRIPTION"], &rows)
            })
        }
    }
}
