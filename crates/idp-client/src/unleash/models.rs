//! Unleash's SCIM settings and token as owned values.

use idp_api::Secret;
use serde::Serialize;

use crate::Error;

use super::ops::{GENERATE_SCIM_TOKEN, GET_SCIM_SETTINGS};

/// A new Unleash SCIM API token. The previous token was revoked at once.
///
/// Serializes (camelCase) with the token in plain text: the token is what
/// generating one is for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScimToken {
    /// The token for SCIM API authentication.
    pub token: Secret,
}

/// Unleash SCIM settings. A field the server left out reads `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScimSettings {
    /// Whether SCIM provisioning is on.
    pub enabled: bool,
    /// Whether a SCIM token has been generated.
    pub has_token: bool,
}

/// The new token of a generate response.
pub(crate) fn scim_token(token: idp_api::unleash::types::ScimToken) -> Result<ScimToken, Error> {
    if token.token.expose().trim().is_empty() {
        return Err(Error::Decode {
            operation: GENERATE_SCIM_TOKEN.id(),
            status: None,
            path: "token".into(),
            message: "empty".into(),
        });
    }
    Ok(ScimToken { token: token.token })
}

/// The settings of a read response. `enabled` is required (also when it
/// was left out because it could not be read); `hasToken` left out reads
/// `false`.
pub(crate) fn scim_settings(
    settings: idp_api::unleash::types::ScimSettings,
) -> Result<ScimSettings, Error> {
    let Some(enabled) = settings.enabled else {
        // Reading a missing `enabled` as `false` would report SCIM off
        // whenever a proxy answers 200 with `{}` or nothing at all.
        return Err(Error::Decode {
            operation: GET_SCIM_SETTINGS.id(),
            status: None,
            path: "enabled".into(),
            message: "missing or unreadable: the answer does not say whether SCIM is enabled"
                .into(),
        });
    };
    Ok(ScimSettings {
        enabled,
        has_token: settings.has_token.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_token_serializes_with_the_token_it_exists_for() {
        let token = ScimToken {
            token: Secret::new("scim-token-value"),
        };
        assert_eq!(
            serde_json::to_value(&token).unwrap(),
            serde_json::json!({"token": "scim-token-value"})
        );
        assert!(!format!("{token:?}").contains("scim-token-value"));
    }
}
