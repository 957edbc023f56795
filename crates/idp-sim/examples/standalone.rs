//! Starts a simulator, logs in, lists the identity providers and generates
//! an Unleash SCIM token; with `--serve`, keeps serving until Ctrl-C.
//!
//! `cargo run -p idp-sim --example standalone -- [--serve] [--tls] [--profile vcf-9]`

use std::error::Error;

use idp_sim::{Profile, SimConfig, Simulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let serve = args.iter().any(|a| a == "--serve");
    let tls = args.iter().any(|a| a == "--tls");
    let profile: Profile = args
        .iter()
        .position(|a| a == "--profile")
        .and_then(|i| args.get(i + 1))
        .map_or(Ok(Profile::default()), |p| p.parse())?;

    let sim = Simulator::start(SimConfig::builder().profile(profile).tls(tls).build()?).await?;
    println!("profile:      {}", sim.profile());
    println!("VCF URL:      {}", sim.vcf().url());
    println!("Unleash URL:  {}", sim.unleash().url());
    println!("VCF user:     {}", sim.vcf().username());

    // reqwest is built without a rustls provider: ring, as the simulator's
    // own TLS (Err only when one is already installed).
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder();
    if let Some(pem) = sim.ca_pem() {
        builder = builder.tls_certs_only([reqwest::Certificate::from_pem(pem.as_bytes())?]);
    }
    let http = builder.build()?;

    let login: serde_json::Value = http
        .post(format!("{}/v1/tokens", sim.vcf().url()))
        .json(
            &serde_json::json!({ "username": sim.vcf().username(), "password": sim.vcf().password() }),
        )
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = login["accessToken"].as_str().unwrap_or_default().to_owned();
    let providers: serde_json::Value = http
        .get(format!("{}/v1/identity-providers", sim.vcf().url()))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!(
        "providers:    {}",
        serde_json::to_string_pretty(&providers)?
    );

    let scim = http
        .post(format!(
            "{}/api/admin/scim-settings/generate-new-token",
            sim.unleash().url()
        ))
        .header("Authorization", sim.unleash().api_key())
        .send()
        .await?;
    println!("Unleash SCIM token generated: HTTP {}", scim.status());
    println!("requests seen: {}", sim.requests().len());

    if serve {
        if let Some(pem) = sim.ca_pem() {
            println!("CA certificate:\n{pem}");
        }
        println!("serving; press Ctrl-C to stop");
        tokio::signal::ctrl_c().await?;
    }
    sim.shutdown().await;
    Ok(())
}
