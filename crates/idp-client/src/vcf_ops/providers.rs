//! Identity providers, their SCIM sync clients and LDAP directories.

use super::client::Client;
use super::models::{
    IdentityProvider, IdentityProviderSpec, LdapDirectory, LdapSyncLog, LdapSyncStatus, SyncClient,
    Task,
};
use super::ops::*;
use super::paging::{PAGE_SIZE, Pages};
use super::tasks::task_of;
use crate::Error;
use crate::runtime::FromWire;
use crate::runtime::input::path_segment;

impl Client {
    /// Configures a realm's identity provider
    /// (`POST .../iam/identity-providers`). Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] without a name or realm, or with OIDC
    /// settings lacking a client id or discovery endpoint; any [`Error`] of
    /// the request (409 when the realm has a provider already).
    pub async fn create_identity_provider(
        &self,
        spec: &IdentityProviderSpec,
    ) -> Result<IdentityProvider, Error> {
        check_spec(spec)?;
        let body = spec.wire();
        let api = &self.inner.api;
        let idp = self
            .run(&CONFIGURE_IDP, || api.configure_idp(&body))
            .await?;
        Ok(IdentityProvider::from_wire(idp))
    }

    /// Reads an identity provider
    /// (`GET .../iam/identity-providers/{idpConfigId}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; 404 when there is none.
    pub async fn get_identity_provider(&self, idp_id: &str) -> Result<IdentityProvider, Error> {
        path_segment("idpConfigId", idp_id)?;
        let api = &self.inner.api;
        let idp = self
            .run(&GET_IDP_CONFIGURATION, || api.get_idp_configuration(idp_id))
            .await?;
        Ok(IdentityProvider::from_wire(idp))
    }

    /// Replaces an identity provider's configuration
    /// (`PUT .../iam/identity-providers`; the spec names the provider by
    /// its `id`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] without `id`, or as
    /// [`create_identity_provider`](Self::create_identity_provider); any
    /// [`Error`] of the request.
    pub async fn update_identity_provider(
        &self,
        spec: &IdentityProviderSpec,
    ) -> Result<IdentityProvider, Error> {
        if spec.id.as_deref().is_none_or(|id| id.trim().is_empty()) {
            return Err(Error::invalid_input("id", "is required to update"));
        }
        check_spec(spec)?;
        let body = spec.wire();
        let api = &self.inner.api;
        let idp = self
            .run(&UPDATE_IDP_CONFIGURATION, || {
                api.update_idp_configuration(&body)
            })
            .await?;
        Ok(IdentityProvider::from_wire(idp))
    }

    /// Deletes an identity provider and waits for the task the server
    /// runs for it (`DELETE .../iam/identity-providers/{idpConfigId}`,
    /// 202, then [`wait_task`](Self::wait_task) with the client's task
    /// timeout). `force` deletes it even while it is in use.
    ///
    /// # Errors
    ///
    /// [`Error::TaskFailed`] when the task ends `FAILED`,
    /// [`Error::TaskTimeout`] when it does not end in time; any [`Error`]
    /// of a request.
    pub async fn delete_identity_provider(&self, idp_id: &str, force: bool) -> Result<Task, Error> {
        let task = self.start_delete_identity_provider(idp_id, force).await?;
        self.await_task(
            DELETE_IDP_CONFIGURATION.id(),
            task,
            self.inner.task_timeout,
            &mut |_| {},
        )
        .await
    }

    /// Starts deleting an identity provider and returns the task without
    /// waiting for it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn start_delete_identity_provider(
        &self,
        idp_id: &str,
        force: bool,
    ) -> Result<Task, Error> {
        path_segment("idpConfigId", idp_id)?;
        let api = &self.inner.api;
        let task = self
            .run(&DELETE_IDP_CONFIGURATION, || {
                api.delete_idp_configuration(idp_id, force.then_some(true))
            })
            .await?;
        task_of(DELETE_IDP_CONFIGURATION.id(), task)
    }

    /// Reads a directory's SCIM sync client; the bearer token is only in
    /// the answer of [`generate_sync_client`](Self::generate_sync_client)
    /// (`GET .../identity-providers/{idpConfigId}/directories/{directoryId}/sync-client`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; 404 when there is no such
    /// provider, directory or sync client.
    pub async fn sync_client(&self, idp_id: &str, directory_id: &str) -> Result<SyncClient, Error> {
        path_segment("idpConfigId", idp_id)?;
        path_segment("directoryId", directory_id)?;
        let api = &self.inner.api;
        let client = self
            .run(&GET_SCIM_SYNC_CLIENT_INFO, || {
                api.get_scim_sync_client_info(idp_id, directory_id)
            })
            .await?;
        Ok(SyncClient::from_wire(client))
    }

    /// Generates a directory's SCIM sync client and its bearer token,
    /// replacing the one before (`POST .../sync-client` with
    /// `generateToken: true` and `tokenTtl`, the token's lifetime in
    /// minutes; the server's default is six months). Never retried: a repeat would
    /// invalidate a token the caller never saw.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id or a TTL under 1;
    /// [`Error::Decode`] when the answer holds no token; any [`Error`] of
    /// the request.
    pub async fn generate_sync_client(
        &self,
        idp_id: &str,
        directory_id: &str,
        token_ttl: Option<i32>,
    ) -> Result<SyncClient, Error> {
        path_segment("idpConfigId", idp_id)?;
        path_segment("directoryId", directory_id)?;
        if token_ttl.is_some_and(|ttl| ttl < 1) {
            return Err(Error::invalid_input("tokenTtl", "must be at least 1"));
        }
        let body = idp_api::vcf_ops::types::ScimTokenConfiguration {
            generate_token: Some(true),
            token_ttl,
        };
        let api = &self.inner.api;
        let client = SyncClient::from_wire(
            self.run(&GENERATE_SCIM_SYNC_CLIENT, || {
                api.generate_scim_sync_client(idp_id, directory_id, &body)
            })
            .await?,
        );
        if client.access_token.is_none() {
            return Err(Error::Decode {
                operation: GENERATE_SCIM_SYNC_CLIENT.id(),
                status: None,
                path: "accessTokenDetails.accessToken".into(),
                message: "missing or empty".into(),
            });
        }
        Ok(client)
    }

    // ---- LDAP directories ----

    /// Lists an identity provider's LDAP directories
    /// (`GET .../identity-providers/{idpConfigId}/ldap-directories`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn list_ldap_directories(&self, idp_id: &str) -> Result<Vec<LdapDirectory>, Error> {
        path_segment("idpConfigId", idp_id)?;
        let api = &self.inner.api;
        let list = self
            .run(&GET_LDAP_DIRECTORIES, || api.get_ldap_directories(idp_id))
            .await?;
        Ok(list
            .ldap_directories
            .into_iter()
            .map(LdapDirectory::from_wire)
            .collect())
    }

    /// Starts a sync of an LDAP directory and returns the status the
    /// server answered with (`POST .../ldap-directories/{id}/sync`, 202).
    /// Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn sync_ldap_directory(
        &self,
        idp_id: &str,
        ldap_directory_id: &str,
    ) -> Result<LdapSyncStatus, Error> {
        path_segment("idpConfigId", idp_id)?;
        path_segment("ldapDirectoryId", ldap_directory_id)?;
        let api = &self.inner.api;
        let result = self
            .run(&EXECUTE_LDAP_SYNC, || {
                api.execute_ldap_sync(idp_id, ldap_directory_id)
            })
            .await?;
        Ok(result
            .sync_status
            .as_deref()
            .map_or(LdapSyncStatus::Started, LdapSyncStatus::parse))
    }

    /// The sync logs of an LDAP directory, every page; with `last_only`,
    /// only the latest (`GET .../ldap-directories/{id}/sync-logs`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of a request.
    pub async fn ldap_sync_logs(
        &self,
        idp_id: &str,
        ldap_directory_id: &str,
        last_only: bool,
    ) -> Result<Vec<LdapSyncLog>, Error> {
        path_segment("idpConfigId", idp_id)?;
        path_segment("ldapDirectoryId", ldap_directory_id)?;
        let api = &self.inner.api;
        let last = last_only.then_some(true);
        let mut pages = Pages::new();
        while let Some(page) = pages.next_page() {
            let logs = self
                .run(&GET_LDAP_SYNC_LOGS, || {
                    api.get_ldap_sync_logs(
                        idp_id,
                        ldap_directory_id,
                        last,
                        Some(page),
                        Some(PAGE_SIZE),
                    )
                })
                .await?;
            pages.take(logs.sync_logs, logs.page_info.and_then(|p| p.total_count));
        }
        Ok(pages
            .items
            .into_iter()
            .map(LdapSyncLog::from_wire)
            .collect())
    }
}

/// The OIDC or SAML settings a spec must carry.
fn check_spec(spec: &IdentityProviderSpec) -> Result<(), Error> {
    if spec.name.trim().is_empty() {
        return Err(Error::invalid_input("name", "is required"));
    }
    if spec.sso_realm_id.trim().is_empty() {
        return Err(Error::invalid_input("ssoRealmId", "is required"));
    }
    if let Some(oidc) = &spec.oidc {
        if oidc.client_id.trim().is_empty() {
            return Err(Error::invalid_input(
                "idpConfig.oidcConfiguration.clientId",
                "is required",
            ));
        }
        if oidc.discovery_endpoint.trim().is_empty() {
            return Err(Error::invalid_input(
                "idpConfig.oidcConfiguration.discoveryEndpoint",
                "is required",
            ));
        }
    }
    if spec.directories.iter().any(|d| d.name.trim().is_empty()) {
        return Err(Error::invalid_input("directories.name", "is required"));
    }
    Ok(())
}
