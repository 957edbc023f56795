//! Rotates the Unleash SCIM token: enables SCIM if needed, generates a new
//! token (the old one stops working at once) and prints it masked.
//!
//! ```sh
//! UNLEASH_URL=https://unleash.example.com/unleash UNLEASH_API_TOKEN='*:*.admin...' \
//!   cargo run -p idp-client --example rotate_unleash_scim_token
//! ```

use idp_client::unleash;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("set {name}"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let unleash = unleash::Client::builder(env("UNLEASH_URL")?)
        .api_token(env("UNLEASH_API_TOKEN")?)
        .build()?;
    let settings = match unleash.scim_settings().await {
        Ok(settings) => settings,
        Err(e) if e.is_not_found() => {
            return Err(format!("{e}\n(SCIM is an Unleash Enterprise feature)").into());
        }
        Err(e) => return Err(e.into()),
    };
    if !settings.enabled {
        unleash.set_scim_settings(true).await?;
        println!("SCIM provisioning enabled");
    }
    let scim = unleash.generate_scim_token().await?;
    let token = scim.token.expose();
    let shown: String = token.chars().take(4).collect();
    println!(
        "new SCIM token: {shown}… ({} characters); the previous token is revoked",
        token.chars().count()
    );
    println!("Store it in your identity provider's SCIM settings now.");
    Ok(())
}
