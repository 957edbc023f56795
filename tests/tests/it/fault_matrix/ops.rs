//! Operations: every facade call the matrix makes, and how each reads its success body.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Op {
    List,
    Get,
    AddProvider,
    UpdateProvider,
    DeleteProvider,
    AddSource,
    UpdateSource,
    DeleteSource,
    SyncToken,
    Prechecks,
    ScimToken,
    GetScim,
    SetScim,
}

/// How an operation reads its success body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reads {
    /// A JSON document (decoded tolerantly).
    Json,
    /// A JSON document that must hold a new token.
    Token,
    /// The new provider's id as raw text, else a lookup by name.
    NewId,
    /// Raw text that is ignored.
    Text,
    /// Nothing: the body is never read.
    Nothing,
}

impl Op {
    pub(super) const ALL: [Op; 13] = [
        Op::List,
        Op::Get,
        Op::AddProvider,
        Op::UpdateProvider,
        Op::DeleteProvider,
        Op::AddSource,
        Op::UpdateSource,
        Op::DeleteSource,
        Op::SyncToken,
        Op::Prechecks,
        Op::ScimToken,
        Op::GetScim,
        Op::SetScim,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Op::List => "list_identity_providers",
            Op::Get => "get_identity_provider",
            Op::AddProvider => "add_external_identity_provider",
            Op::UpdateProvider => "update_external_identity_provider",
            Op::DeleteProvider => "delete_external_identity_provider",
            Op::AddSource => "add_embedded_identity_source",
            Op::UpdateSource => "update_embedded_identity_source",
            Op::DeleteSource => "delete_identity_source",
            Op::SyncToken => "generate_sync_client_token",
            Op::Prechecks => "identity_broker_prechecks",
            Op::ScimToken => "generate_scim_token",
            Op::GetScim => "scim_settings",
            Op::SetScim => "set_scim_settings",
        }
    }

    /// The column title of the summary grid.
    pub(super) fn short(self) -> &'static str {
        match self {
            Op::List => "list",
            Op::Get => "get",
            Op::AddProvider => "add IdP",
            Op::UpdateProvider => "update IdP",
            Op::DeleteProvider => "delete IdP",
            Op::AddSource => "add source",
            Op::UpdateSource => "update source",
            Op::DeleteSource => "delete source",
            Op::SyncToken => "sync token",
            Op::Prechecks => "prechecks",
            Op::ScimToken => "SCIM token",
            Op::GetScim => "get SCIM",
            Op::SetScim => "set SCIM",
        }
    }

    /// The OpenAPI operationId (the tracing span's `operation`).
    pub(super) fn operation_id(self) -> &'static str {
        match self {
            Op::List => "getIdentityProviders",
            Op::Get => "getIdentityProvider",
            Op::AddProvider => "addExternalIdentityProvider",
            Op::UpdateProvider => "updateExternalIdentityProvider",
            Op::DeleteProvider => "deleteExternalIdentityProvider",
            Op::AddSource => "addEmbeddedIdentitySource",
            Op::UpdateSource => "updateEmbeddedIdentitySource",
            Op::DeleteSource => "deleteIdentitySource",
            Op::SyncToken => "generateSyncClientToken",
            Op::Prechecks => "getIdentityBrokerPrechecks",
            Op::ScimToken => "generateScimToken",
            Op::GetScim => "getScimSettings",
            Op::SetScim => "setScimSettings",
        }
    }

    pub(super) fn method(self) -> &'static str {
        match self {
            Op::List | Op::Get | Op::Prechecks | Op::GetScim => "GET",
            Op::AddProvider | Op::AddSource | Op::SyncToken | Op::ScimToken | Op::SetScim => "POST",
            Op::UpdateProvider | Op::UpdateSource => "PATCH",
            Op::DeleteProvider | Op::DeleteSource => "DELETE",
        }
    }

    pub(super) fn is_unleash(self) -> bool {
        matches!(self, Op::ScimToken | Op::GetScim | Op::SetScim)
    }

    pub(super) fn changes_state(self) -> bool {
        self.method() != "GET"
    }

    pub(super) fn reads(self) -> Reads {
        match self {
            Op::List | Op::Get | Op::Prechecks | Op::GetScim => Reads::Json,
            Op::SyncToken | Op::ScimToken => Reads::Token,
            Op::AddProvider => Reads::NewId,
            Op::AddSource => Reads::Text,
            Op::UpdateProvider
            | Op::DeleteProvider
            | Op::UpdateSource
            | Op::DeleteSource
            | Op::SetScim => Reads::Nothing,
        }
    }

    /// Whether the cell needs an external (Okta) provider first.
    pub(super) fn needs_external(self) -> bool {
        matches!(
            self,
            Op::UpdateProvider | Op::DeleteProvider | Op::SyncToken
        )
    }

    /// Whether the cell needs the identity source [`DOMAIN`] first.
    pub(super) fn needs_source(self) -> bool {
        matches!(self, Op::UpdateSource | Op::DeleteSource)
    }

    /// The route a fault rule names (a template where there are ids).
    pub(super) fn route(self) -> &'static str {
        match self {
            Op::List | Op::AddProvider => "/v1/identity-providers",
            Op::Get | Op::UpdateProvider | Op::DeleteProvider => "/v1/identity-providers/{id}",
            Op::AddSource => "/v1/identity-providers/{id}/identity-sources",
            Op::UpdateSource | Op::DeleteSource => {
                "/v1/identity-providers/{id}/identity-sources/{domainName}"
            }
            Op::SyncToken => "/v1/identity-providers/{id}/sync-client",
            Op::Prechecks => "/v1/identity-broker/prechecks",
            Op::ScimToken => "/unleash/api/admin/scim-settings/generate-new-token",
            Op::GetScim | Op::SetScim => "/unleash/api/admin/scim-settings",
        }
    }

    /// The path a request of this cell goes to.
    pub(super) fn path(self, ids: &Ids) -> String {
        let external = ids.external.as_deref().unwrap_or("none");
        match self {
            Op::List | Op::AddProvider => "/v1/identity-providers".to_owned(),
            Op::Get => format!("/v1/identity-providers/{}", ids.embedded),
            Op::UpdateProvider | Op::DeleteProvider => {
                format!("/v1/identity-providers/{external}")
            }
            Op::AddSource => format!("/v1/identity-providers/{}/identity-sources", ids.embedded),
            Op::UpdateSource | Op::DeleteSource => format!(
                "/v1/identity-providers/{}/identity-sources/{DOMAIN}",
                ids.embedded
            ),
            Op::SyncToken => format!("/v1/identity-providers/{external}/sync-client"),
            Op::Prechecks => "/v1/identity-broker/prechecks".to_owned(),
            Op::ScimToken => "/unleash/api/admin/scim-settings/generate-new-token".to_owned(),
            Op::GetScim | Op::SetScim => "/unleash/api/admin/scim-settings".to_owned(),
        }
    }

    /// Runs the operation; a new token or id comes back for checking.
    pub(super) async fn run(self, clients: &Clients, ids: &Ids) -> Result<Option<String>, Error> {
        let vcf = &clients.vcf;
        let unleash = &clients.unleash;
        let external = ids.external.as_deref().unwrap_or("none");
        match self {
            Op::List => vcf.list_identity_providers().await.map(|_| None),
            Op::Get => vcf.get_identity_provider(&ids.embedded).await.map(|_| None),
            Op::AddProvider => vcf
                .add_external_identity_provider(&okta_spec(Duration::from_secs(7200)))
                .await
                .map(Some),
            Op::UpdateProvider => vcf
                .update_external_identity_provider(external, &okta_spec(Duration::from_secs(600)))
                .await
                .map(|()| None),
            Op::DeleteProvider => vcf
                .delete_external_identity_provider(external)
                .await
                .map(|()| None),
            Op::AddSource => vcf
                .add_embedded_identity_source(&ids.embedded, &ad_source("ldap://dc01.example.com"))
                .await
                .map(|()| None),
            Op::UpdateSource => vcf
                .update_embedded_identity_source(
                    &ids.embedded,
                    DOMAIN,
                    &ad_source("ldap://dc02.example.com"),
                )
                .await
                .map(|()| None),
            Op::DeleteSource => vcf
                .delete_identity_source(&ids.embedded, DOMAIN)
                .await
                .map(|()| None),
            Op::SyncToken => vcf
                .generate_sync_client_token(external, Some(Duration::from_secs(3600)))
                .await
                .map(|t| Some(t.token.expose().to_owned())),
            Op::Prechecks => vcf.identity_broker_prechecks().await.map(|_| None),
            Op::ScimToken => unleash
                .generate_scim_token()
                .await
                .map(|t| Some(t.token.expose().to_owned())),
            Op::GetScim => unleash.scim_settings().await.map(|_| None),
            Op::SetScim => unleash
                .set_scim_settings(!ids.scim_enabled)
                .await
                .map(|()| None),
        }
    }
}

pub(super) fn okta_spec(ttl: Duration) -> idp_client::IdentityProviderSpec {
    okta_builder().sync_client_token_ttl(ttl).build().unwrap()
}

pub(super) fn ad_source(endpoint: &str) -> idp_client::IdentitySourceSpec {
    ad_source_builder(DOMAIN)
        .server_endpoint(endpoint)
        .build()
        .unwrap()
}
