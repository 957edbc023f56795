//! Configures Okta as the identity provider of an SDDC Manager and prints
//! the SCIM URL and the sync client token's expiry (the token itself only
//! masked).
//!
//! ```sh
//! VCF_URL=https://sddc.example.com VCF_USERNAME=administrator@vsphere.local VCF_PASSWORD=... \
//! OKTA_DOMAIN=example.com OKTA_CLIENT_ID=0oa... OKTA_CLIENT_SECRET=... \
//! OKTA_DISCOVERY_URL=https://example.okta.com/.well-known/openid-configuration \
//!   cargo run -p idp-client --example okta_federation
//! ```

use std::time::Duration;

use idp_client::Secret;
use idp_client::vcf::{self, FederatedSpecBuilder};

fn env(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("set {name}"))
}

/// The first four characters of a token, for recognizing it.
fn masked(token: &Secret) -> String {
    let shown: String = token.expose().chars().take(4).collect();
    format!("{shown}… ({} characters)", token.expose().chars().count())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let builder = vcf::Client::builder(env("VCF_URL")?);
    let builder = match env("VCF_TOKEN") {
        Ok(token) => builder.bearer_token(token),
        Err(_) => builder.credentials(env("VCF_USERNAME")?, env("VCF_PASSWORD")?),
    };
    let vcf = builder.build()?;

    let precheck = vcf.identity_broker_prechecks().await?;
    if !precheck.is_success() {
        return Err(format!("identity broker prechecks: {:?}", precheck.status).into());
    }

    let domain = env("OKTA_DOMAIN")?;
    let spec = FederatedSpecBuilder::okta("Okta")
        .directory_name("okta_dir")
        .default_domain(&domain)
        .client_id(env("OKTA_CLIENT_ID")?)
        .client_secret(env("OKTA_CLIENT_SECRET")?)
        .discovery_endpoint(env("OKTA_DISCOVERY_URL")?)
        .build()?;
    let id = match vcf.find_identity_provider_by_name("Okta").await? {
        Some(existing) => {
            vcf.update_external_identity_provider(&existing.id, &spec)
                .await?;
            existing.id
        }
        None => vcf.add_external_identity_provider(&spec).await?,
    };
    println!("Okta federation: {id}");

    // Generating a token invalidates the previous one: never retried.
    let token = vcf
        .generate_sync_client_token(&id, Some(Duration::from_secs(180 * 86_400)))
        .await?;
    println!(
        "SCIM URL:   {}",
        token.scim_url.as_deref().unwrap_or("(not returned)")
    );
    println!("token:      {}", masked(&token.token));
    match token.expires_at {
        Some(at) => println!("expires at: {}", at.to_rfc3339()),
        None => println!("expires at: (not returned)"),
    }
    println!("Configure the URL and token in Okta's SCIM provisioning settings.");
    vcf.logout().await?;
    Ok(())
}
