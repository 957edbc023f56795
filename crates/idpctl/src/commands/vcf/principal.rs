//! `idpctl vcf principal search`: the users and groups of an SSO domain
//! that can be granted a role, and the SSO domains.

use clap::{Args, Subcommand};

use crate::failure::Failure;
use crate::output::{Output, table};
use crate::settings::VcfSettings;

#[derive(Debug, Subcommand)]
pub enum PrincipalCommand {
    /// The users and groups of an SSO domain whose names match NAME; without
    /// --domain, the SSO domains.
    Search(SearchArgs),
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The SSO domain to search (omit it to list the SSO domains).
    #[arg(long, value_name = "DOMAIN")]
    domain: Option<String>,
    /// Part of the name to look for (all when omitted).
    name: Option<String>,
}

pub async fn run(
    command: PrincipalCommand,
    vcf: &VcfSettings<'_>,
    out: Output,
) -> Result<(), Failure> {
    let PrincipalCommand::Search(args) = command;
    let client = vcf.client()?;
    let Some(domain) = args.domain else {
        if args.name.is_some() {
            return Err(Failure::usage(
                "principal search NAME needs --domain DOMAIN (without both, it lists the SSO domains)",
            ));
        }
        let domains = client.list_sso_domains().await?;
        return out.emit(&domains, || {
            let rows: Vec<Vec<String>> = domains.iter().map(|d| vec![d.clone()]).collect();
            table(&["SSO DOMAIN"], &rows)
        });
    };
    let found = client
        .search_principals(&domain, args.name.as_deref())
        .await?;
    out.emit(&found, || {
        let rows: Vec<Vec<String>> = found
            .iter()
            .map(|p| vec![p.name.clone(), p.domain.clone(), p.kind.to_string()])
            .collect();
        table(&["NAME", "DOMAIN", "TYPE"], &rows)
    })
}
