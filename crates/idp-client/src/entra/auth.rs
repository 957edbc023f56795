//! The app-only token, the wire side of
//! [`ClientCredentials`](crate::auth::ClientCredentials): the Microsoft
//! identity platform's token endpoint with the client id and secret in the
//! form (`POST /{tenant}/oauth2/v2.0/token`), for Graph's `/.default`
//! scope.

use futures::future::BoxFuture;
use idp_api::Secret;
use idp_api::msidentity::types::ClientCredentialsRequest;

use super::ops::REQUEST_APP_TOKEN;
use crate::Error;
use crate::auth::{Grant, TokenEndpoint, expires_at};
use crate::runtime::exec;
use crate::runtime::retry::RetryPolicy;

pub(super) struct AppTokenGrant {
    pub(super) identity: idp_api::msidentity::Client,
    pub(super) retry: RetryPolicy,
    pub(super) tenant: String,
    pub(super) client_id: String,
    pub(super) client_secret: Secret,
    /// `<graph URL>/.default`.
    pub(super) scope: String,
}

impl TokenEndpoint for AppTokenGrant {
    fn operation(&self) -> &'static str {
        REQUEST_APP_TOKEN.id()
    }

    fn request(&self) -> BoxFuture<'_, Result<Grant, Error>> {
        Box::pin(async move {
            let body = ClientCredentialsRequest {
                client_id: self.client_id.clone(),
                client_secret: self.client_secret.clone(),
                scope: self.scope.clone(),
                grant_type: "client_credentials".to_owned(),
            };
            let response = exec::send(&self.retry, &REQUEST_APP_TOKEN, || {
                self.identity.request_app_token(&self.tenant, &body)
            })
            .await?;
            Ok(Grant {
                access_token: response.access_token,
                expires_at: expires_at(response.expires_in),
            })
        })
    }
}
