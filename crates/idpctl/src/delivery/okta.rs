//! `okta:APP_ID`: the new token becomes the app's default provisioning
//! connection (token scheme, the SCIM URL as base URL, activated).

use idp_client::{Error, OktaClient, Secret};

use crate::failure::Failure;

/// Whether `text` has the shape of an Okta app id (letters and digits).
pub fn valid_app_id(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Reads the app's connection: the credentials work, the org answers and
/// the app exists. Nothing has been rotated when this fails.
pub async fn preflight(client: &OktaClient, app_id: &str) -> Result<(), Failure> {
    match client.default_provisioning_connection(app_id).await {
        Ok(connection) => {
            tracing::debug!(app_id, status = %connection.status, "Okta pre-flight: the app's provisioning connection is readable");
            Ok(())
        }
        Err(e) => Err(super::preflight_failure(&format!("okta:{app_id}"), e)),
    }
}

/// Sets the connection; the client retries transient failures (setting
/// the same connection again is harmless).
pub async fn deliver(
    client: &OktaClient,
    app_id: &str,
    scim_url: &str,
    token: &Secret,
) -> Result<(), Error> {
    client
        .set_default_provisioning_connection(app_id, scim_url, token)
        .await
        .map(|_| ())
}

/// How to finish by hand: the Admin Console steps and the one API call,
/// reading the token from `source` (never the token itself).
pub fn by_hand(org_url: &str, app_id: &str, scim_url: &str, source: &str) -> String {
    format!(
        "in the Okta Admin Console open the app {app_id}, Provisioning > Integration, set the base URL to {scim_url} and the API token to the token from {source}, save and enable; \
         or call POST {org_url}/api/v1/apps/{app_id}/connections/default?activate=true (Authorization: SSWS <your Okta API token>) with the body \
         {{\"baseUrl\":\"{scim_url}\",\"profile\":{{\"authScheme\":\"TOKEN\",\"token\":\"<the token from {source}>\"}}}}; then delete the recovery copy"
    )
}
