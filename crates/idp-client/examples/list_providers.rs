//! Lists the identity providers of an SDDC Manager.
//!
//! ```sh
//! VCF_URL=https://sddc.example.com VCF_USERNAME=administrator@vsphere.local \
//!   VCF_PASSWORD=... cargo run -p idp-client --example list_providers
//! ```
//!
//! `VCF_TOKEN` may replace the user name and password; `VCF_CA_FILE` names a
//! PEM file of extra CA certificates.

use idp_client::{ClientConfig, Error, vcf};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn client() -> Result<vcf::Client, Box<dyn std::error::Error>> {
    let url = env("VCF_URL").ok_or("set VCF_URL (https://sddc.example.com)")?;
    let mut config = ClientConfig::builder();
    if let Some(path) = env("VCF_CA_FILE") {
        config = config.ca_certificate_pem(std::fs::read(path)?);
    }
    let builder = vcf::Client::builder(url).config(&config.build()?);
    let builder = match (env("VCF_TOKEN"), env("VCF_USERNAME"), env("VCF_PASSWORD")) {
        (Some(token), _, _) => builder.bearer_token(token),
        (None, Some(user), Some(password)) => builder.credentials(user, password),
        _ => return Err("set VCF_TOKEN, or VCF_USERNAME and VCF_PASSWORD".into()),
    };
    Ok(builder.build()?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vcf = client()?;
    let providers = vcf.list_identity_providers().await.map_err(explain)?;
    for provider in &providers {
        let status = provider.status.as_ref().map_or("-", |s| s.as_str());
        println!(
            "{}  {:<24} {:<22} {status}",
            provider.id, provider.name, provider.kind
        );
        for source in &provider.identity_sources {
            println!(
                "    source {:<20} {} {:?}",
                source.name, source.kind, source.domain_names
            );
        }
        if let Some(fed) = &provider.fed_idp {
            let scim = fed.sync_client_token_info.as_ref();
            println!(
                "    federation {:?} source {:?} SCIM {:?} token expires {:?}",
                fed.name,
                fed.source,
                scim.and_then(|s| s.scim_url.as_deref()),
                scim.and_then(|s| s.expires_at),
            );
        }
    }
    vcf.logout().await?;
    Ok(())
}

fn explain(error: Error) -> Error {
    if error.is_unauthorized() {
        eprintln!("the credentials were rejected");
    }
    error
}
