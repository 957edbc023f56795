//! What each operation's success body becomes: a typed value, raw bytes,
//! or nothing; and the typed vendor error bodies.

use std::future::Future;

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use http::StatusCode;
use progenitor_client::{ByteStream, ResponseValue};

use super::settle::{MAX_RAW_BODY, read_error};
use crate::Error;
use crate::runtime::op::Op;

/// A success body as the generated method returns it, turned into a value.
pub(crate) trait Received: Sized + Send {
    /// What the operation yields.
    type Value: Send;

    /// The value of a response the generated code accepted.
    fn receive(
        response: ResponseValue<Self>,
        op: &'static Op,
    ) -> impl Future<Output = Result<Self::Value, Error>> + Send;

    /// The value of a 2xx body the generated (strict) decode rejected.
    fn undecoded(body: Bytes, status: StatusCode, op: &'static Op) -> Result<Self::Value, Error>;
}

impl Received for () {
    type Value = ();

    async fn receive(_: ResponseValue<Self>, _: &'static Op) -> Result<(), Error> {
        Ok(())
    }

    fn undecoded(_: Bytes, _: StatusCode, _: &'static Op) -> Result<(), Error> {
        Ok(())
    }
}

impl Received for ByteStream {
    type Value = Bytes;

    async fn receive(response: ResponseValue<Self>, op: &'static Op) -> Result<Bytes, Error> {
        let status = response.status();
        let mut stream = response.into_inner_stream();
        let mut body = BytesMut::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| read_error(op, Some(status), None, e))?;
            let room = MAX_RAW_BODY.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room <= chunk.len() {
                break;
            }
        }
        Ok(body.freeze())
    }

    fn undecoded(body: Bytes, _: StatusCode, _: &'static Op) -> Result<Bytes, Error> {
        Ok(body)
    }
}

/// Implements [`Received`] for generated types decoded from JSON.
macro_rules! received_json {
    ($($ty:ty),+ $(,)?) => {
        /// The JSON success bodies the facade receives typed, for the test
        /// that checks them against the spec.
        #[cfg(test)]
        pub(crate) const RECEIVED_JSON: &[&str] = &[$(stringify!($ty)),+];
        $(
        impl Received for $ty {
            type Value = $ty;

            async fn receive(response: ResponseValue<Self>, _: &'static Op) -> Result<$ty, Error> {
                Ok(response.into_inner())
            }

            fn undecoded(body: Bytes, status: StatusCode, op: &'static Op) -> Result<$ty, Error> {
                crate::runtime::decode::tolerant(op.id(), Some(status), &body)
            }
        }
    )+
    };
}

received_json!(
    idp_api::vcf::types::PageOfIdentityProvider,
    idp_api::vcf::types::IdentityProvider,
    idp_api::vcf::types::SyncClientTokenInfo,
    idp_api::vcf::types::IdentityBrokerPrecheck,
    idp_api::vcf::types::TokenPair,
    idp_api::vcf::types::PageOfUser,
    idp_api::vcf::types::PageOfRole,
    idp_api::vcf::types::PageOfString,
    idp_api::vcf::types::PageOfSsoDomainEntity,
    idp_api::unleash::types::ScimSettings,
    idp_api::unleash::types::ScimToken,
    idp_api::broker::types::BrokerDirectoryList,
    idp_api::broker::types::BrokerDirectory,
    idp_api::broker::types::BrokerSyncClientConfiguration,
    idp_api::broker::types::BrokerIdentityProviderList,
    idp_api::broker::types::BrokerIdentityProvider,
    idp_api::broker::types::BrokerOAuth2ClientList,
    idp_api::broker::types::BrokerOAuth2Client,
    idp_api::broker::types::BrokerAccessToken,
    idp_api::vcenter::types::SessionId,
    idp_api::vcenter::types::TokenInfo,
    idp_api::okta::types::ProvisioningConnection,
    idp_api::msidentity::types::TokenResponse,
    idp_api::msgraph::types::SynchronizationJobCollection,
    idp_api::vcf_ops::types::AuthToken,
    idp_api::vcf_ops::types::SsoRealms,
    idp_api::vcf_ops::types::SsoRealm,
    idp_api::vcf_ops::types::FederatedIdentityProvider,
    idp_api::vcf_ops::types::IamTaskDetails,
    idp_api::vcf_ops::types::ScimSyncClientDetails,
    idp_api::vcf_ops::types::LdapDirectories,
    idp_api::vcf_ops::types::LdapSyncResult,
    idp_api::vcf_ops::types::LdapSyncLogs,
    idp_api::vcf_ops::types::VcfRoleAssignments,
    idp_api::vcf_ops::types::VidbUsers,
    idp_api::vcf_ops::types::VidbGroups,
    idp_api::vcf_ops::types::VcfRoles,
    idp_api::vcf_ops::types::ApiToken,
    idp_api::vcf_ops::types::ApiTokens,
    idp_api::vcf_ops::types::OAuthApps,
    idp_api::vcf_ops::types::OAuthApp,
);

/// A typed vendor error body the generated code decoded.
pub(crate) trait ErrorBody: serde::Serialize {}

impl ErrorBody for idp_api::vcf::types::VcfError {}
impl ErrorBody for idp_api::unleash::types::UnleashError {}
/// The broker and vCenter operations declare their errors without a body.
impl ErrorBody for () {}
impl ErrorBody for idp_api::okta::types::OktaError {}
impl ErrorBody for idp_api::msidentity::types::TokenError {}
impl ErrorBody for idp_api::msgraph::types::GraphError {}
