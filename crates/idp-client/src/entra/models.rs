//! What the client sends to Graph. Its answers are counts and unit: this
//! API has no public models (yet).

use idp_api::Secret;
use idp_api::msgraph::types::{
    SynchronizationSecretKeyStringValuePair, SynchronizationSecrets, ValidateCredentialsRequest,
};

/// The synchronization secrets `BaseAddress` (the SCIM URL) and
/// `SecretToken`.
pub(super) fn synchronization_secrets(
    base_address: &str,
    secret_token: &Secret,
) -> SynchronizationSecrets {
    SynchronizationSecrets {
        value: vec![
            SynchronizationSecretKeyStringValuePair {
                key: "BaseAddress".into(),
                value: Secret::new(base_address.to_owned()),
            },
            SynchronizationSecretKeyStringValuePair {
                key: "SecretToken".into(),
                value: secret_token.clone(),
            },
        ],
    }
}

/// The body of `validateCredentials`: the same keys as the secrets PUT.
pub(super) fn validate_credentials_request(
    base_address: &str,
    secret_token: &Secret,
) -> ValidateCredentialsRequest {
    ValidateCredentialsRequest {
        use_saved_credentials: Some(false),
        credentials: synchronization_secrets(base_address, secret_token).value,
    }
}
