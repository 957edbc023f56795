//! Where the broker's admin token comes from, the wire side of
//! [`ClientCredentials`](crate::auth::ClientCredentials): the broker's own
//! token endpoint (an OAuth 2.0 client, client credentials over HTTP
//! Basic), or vCenter (the tenant admin client's token).

use futures::future::BoxFuture;
use idp_api::Secret;
use idp_api::broker::types::TokenForm;

use super::ops::GET_ACCESS_TOKEN;
use crate::auth::{Grant, TokenEndpoint, basic_header, expires_at};
use crate::runtime::exec;
use crate::runtime::retry::RetryPolicy;
use crate::{Error, vcenter};

/// `POST /acs/t/{tenant}/token` with an OAuth 2.0 client of the broker.
pub(super) struct OAuthClientGrant {
    pub(super) api: idp_api::broker::Client,
    pub(super) tenant: String,
    pub(super) retry: RetryPolicy,
    pub(super) client_id: String,
    pub(super) secret: Secret,
}

impl TokenEndpoint for OAuthClientGrant {
    fn operation(&self) -> &'static str {
        GET_ACCESS_TOKEN.id()
    }

    fn request(&self) -> BoxFuture<'_, Result<Grant, Error>> {
        Box::pin(async move {
            let basic = basic_header(&self.client_id, &self.secret)?;
            let form = TokenForm {
                grant_type: "client_credentials".into(),
                scope: None,
            };
            let token = exec::send(&self.retry, &GET_ACCESS_TOKEN, || {
                exec::with_authorization(
                    basic.clone(),
                    self.api.get_broker_access_token(&self.tenant, &form),
                )
            })
            .await?;
            Ok(Grant {
                access_token: token.access_token,
                expires_at: expires_at(token.expires_in),
            })
        })
    }
}

/// The tenant admin client's token, read from vCenter.
pub(super) struct VcenterAdminGrant {
    pub(super) vcenter: vcenter::Client,
    pub(super) tenant: String,
}

impl TokenEndpoint for VcenterAdminGrant {
    fn operation(&self) -> &'static str {
        vcenter::ops::GET_BROKER_TENANT_ADMIN_CLIENT.id()
    }

    fn request(&self) -> BoxFuture<'_, Result<Grant, Error>> {
        Box::pin(async move {
            let token = self.vcenter.tenant_admin_token(&self.tenant).await?;
            Ok(Grant {
                access_token: token.access_token,
                expires_at: token.expires_at,
            })
        })
    }
}
