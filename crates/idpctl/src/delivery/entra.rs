//! `entra:SERVICE_PRINCIPAL_ID`: the new token and the SCIM URL become the
//! service principal's synchronization secrets `SecretToken` and
//! `BaseAddress` (Microsoft Graph, with an app-only token).

use idp_client::{EntraClient, Error, Secret};

use crate::failure::Failure;

/// Whether `text` has the shape of a service principal object id (a GUID:
/// hex digits and dashes).
pub fn valid_id(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// Obtains the app-only token and reads the service principal's
/// synchronization jobs: the credentials work, the app has the permission
/// and the service principal exists. Nothing has been rotated when this
/// fails.
pub async fn preflight(client: &EntraClient, id: &str) -> Result<(), Failure> {
    match client.synchronization_job_count(id).await {
        Ok(jobs) => {
            tracing::debug!(
                service_principal = id,
                jobs,
                "Entra pre-flight: the synchronization is readable"
            );
            Ok(())
        }
        Err(e) => Err(super::preflight_failure(&format!("entra:{id}"), e)),
    }
}

/// Puts the secrets; the client retries transient failures (putting the
/// same secrets again is harmless).
pub async fn deliver(
    client: &EntraClient,
    id: &str,
    scim_url: &str,
    token: &Secret,
) -> Result<(), Error> {
    client
        .put_synchronization_secrets(id, scim_url, token)
        .await
}

/// How to finish by hand: the portal steps and the Graph call, reading the
/// token from `source` (never the token itself).
pub fn by_hand(graph_url: &str, id: &str, scim_url: &str, source: &str) -> String {
    format!(
        "in the Microsoft Entra admin center open Enterprise applications, the application of service principal {id}, Provisioning, and set Tenant URL to {scim_url} and Secret Token to the token from {source}, then Test Connection and Save; \
         or call PUT {graph_url}/v1.0/servicePrincipals/{id}/synchronization/secrets (Authorization: Bearer <an app-only Graph token>) with the body \
         {{\"value\":[{{\"key\":\"BaseAddress\",\"value\":\"{scim_url}\"}},{{\"key\":\"SecretToken\",\"value\":\"<the token from {source}>\"}}]}}; then delete the recovery copy"
    )
}
