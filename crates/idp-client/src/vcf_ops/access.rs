//! Role assignments, users, groups, roles, API tokens and OAuth apps.

use super::client::Client;
use super::models::{
    ApiToken, ApiTokenQuery, ApiTokenSpec, Group, OAuthApp, OAuthAppSpec, PrincipalQuery, Role,
    RoleAssignment, User,
};
use super::ops::*;
use super::paging::{PAGE_SIZE, Pages};
use crate::Error;
use crate::runtime::FromWire;
use crate::runtime::input::path_segment;

impl Client {
    /// The roles assigned to a user or group of a realm
    /// (`GET .../ssorealms/{ssoRealmId}/principals/{principalId}/roles`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn role_assignments(
        &self,
        realm_id: &str,
        principal_id: &str,
    ) -> Result<Vec<RoleAssignment>, Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("principalId", principal_id)?;
        let api = &self.inner.api;
        let assignments = self
            .run(&GET_ROLE_ASSIGNMENT, || {
                api.get_role_assignment(realm_id, principal_id)
            })
            .await?;
        Ok(assignments
            .vcf_role_assignments
            .into_iter()
            .map(RoleAssignment::from_wire)
            .collect())
    }

    /// Replaces the roles assigned to a user or group of a realm
    /// (`PUT .../principals/{principalId}/roles`). Sending the same list
    /// twice has the same effect, so it is retried like a read.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id or an assignment without a
    /// role name; any [`Error`] of the request.
    pub async fn set_role_assignments(
        &self,
        realm_id: &str,
        principal_id: &str,
        assignments: &[RoleAssignment],
    ) -> Result<(), Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("principalId", principal_id)?;
        if assignments.iter().any(|a| a.role_name.trim().is_empty()) {
            return Err(Error::invalid_input("roleName", "is required"));
        }
        let body = idp_api::vcf_ops::types::VcfRoleAssignments {
            vcf_role_assignments: assignments.iter().map(RoleAssignment::wire).collect(),
        };
        let api = &self.inner.api;
        self.run(&UPDATE_ROLE_ASSIGNMENT, || {
            api.update_role_assignment(realm_id, principal_id, &body)
        })
        .await
    }

    /// Removes every role assigned to a user or group of a realm
    /// (`DELETE .../principals/{principalId}/roles`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn delete_role_assignments(
        &self,
        realm_id: &str,
        principal_id: &str,
    ) -> Result<(), Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("principalId", principal_id)?;
        let api = &self.inner.api;
        self.run(&DELETE_ROLE_ASSIGNMENTS, || {
            api.delete_role_assignments(realm_id, principal_id)
        })
        .await
    }

    /// The users of a realm that match `query`, every page
    /// (`POST .../ssorealms/{ssoRealmId}/users/query`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of a request.
    pub async fn list_users(
        &self,
        realm_id: &str,
        query: &PrincipalQuery,
    ) -> Result<Vec<User>, Error> {
        path_segment("ssoRealmId", realm_id)?;
        let body = query.wire();
        let api = &self.inner.api;
        let mut pages = Pages::new();
        while let Some(page) = pages.next_page() {
            let users = self
                .run(&GET_USERS_LIST, || {
                    api.get_users_list(realm_id, page, PAGE_SIZE, None, None, &body)
                })
                .await?;
            pages.take(
                users.vidb_users,
                users.page_info.and_then(|p| p.total_count),
            );
        }
        Ok(pages.items.into_iter().map(User::from_wire).collect())
    }

    /// The groups of a realm that match `query`, every page
    /// (`POST .../ssorealms/{ssoRealmId}/groups/query`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of a request.
    pub async fn list_groups(
        &self,
        realm_id: &str,
        query: &PrincipalQuery,
    ) -> Result<Vec<Group>, Error> {
        path_segment("ssoRealmId", realm_id)?;
        let body = query.wire();
        let api = &self.inner.api;
        let mut pages = Pages::new();
        while let Some(page) = pages.next_page() {
            let groups = self
                .run(&GET_GROUPS_LIST, || {
                    api.get_groups_list(realm_id, page, PAGE_SIZE, None, None, &body)
                })
                .await?;
            pages.take(
                groups.vidb_groups,
                groups.page_info.and_then(|p| p.total_count),
            );
        }
        Ok(pages.items.into_iter().map(Group::from_wire).collect())
    }

    /// The VCF roles, every page (`GET .../iam/roles`).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_roles(&self) -> Result<Vec<Role>, Error> {
        let api = &self.inner.api;
        let mut pages = Pages::new();
        while let Some(page) = pages.next_page() {
            let roles = self
                .run(&GET_VCF_ROLES_PAGINATED, || {
                    api.get_vcf_roles_paginated(page, PAGE_SIZE, None, None, None)
                })
                .await?;
            pages.take(roles.vcf_roles, roles.page_info.and_then(|p| p.total_count));
        }
        Ok(pages.items.into_iter().map(Role::from_wire).collect())
    }

    /// Generates an API token; the answer holds the token, shown once
    /// (`POST .../ssorealms/{ssoRealmId}/api-tokens`). Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id, an empty name or a TTL under
    /// 1; [`Error::Decode`] when the answer holds no token; any [`Error`]
    /// of the request.
    pub async fn generate_api_token(
        &self,
        realm_id: &str,
        spec: &ApiTokenSpec,
    ) -> Result<ApiToken, Error> {
        path_segment("ssoRealmId", realm_id)?;
        if spec.name.trim().is_empty() {
            return Err(Error::invalid_input("tokenName", "is required"));
        }
        if spec.ttl.is_some_and(|ttl| ttl < 1) {
            return Err(Error::invalid_input("apiTokenTtl", "must be at least 1"));
        }
        let body = spec.wire();
        let api = &self.inner.api;
        let token = ApiToken::from_wire(
            self.run(&GENERATE_API_TOKEN, || {
                api.generate_api_token(realm_id, &body)
            })
            .await?,
        );
        with_token(GENERATE_API_TOKEN.id(), token)
    }

    /// The API tokens of a realm that match `query`, every page
    /// (`POST .../ssorealms/{ssoRealmId}/api-tokens/query`); never with
    /// the tokens themselves.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of a request.
    pub async fn list_api_tokens(
        &self,
        realm_id: &str,
        query: &ApiTokenQuery,
    ) -> Result<Vec<ApiToken>, Error> {
        path_segment("ssoRealmId", realm_id)?;
        let body = query.wire();
        let api = &self.inner.api;
        let mut pages = Pages::new();
        while let Some(page) = pages.next_page() {
            let tokens = self
                .run(&QUERY_API_TOKENS, || {
                    api.query_api_tokens(realm_id, Some(page), Some(PAGE_SIZE), None, None, &body)
                })
                .await?;
            pages.take(
                tokens.api_tokens,
                tokens.page_info.and_then(|p| p.total_count),
            );
        }
        Ok(pages.items.into_iter().map(ApiToken::from_wire).collect())
    }

    /// Reads an API token (without the token itself)
    /// (`GET .../api-tokens/{apiTokenId}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; 404 when there is none.
    pub async fn get_api_token(&self, realm_id: &str, token_id: &str) -> Result<ApiToken, Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("apiTokenId", token_id)?;
        let api = &self.inner.api;
        let token = self
            .run(&GET_API_TOKEN, || api.get_api_token(realm_id, token_id))
            .await?;
        Ok(ApiToken::from_wire(token))
    }

    /// Regenerates an API token: the old token stops working, the answer
    /// holds the new one (`POST .../api-tokens/{apiTokenId}/regenerate`).
    /// Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; [`Error::Decode`] when the
    /// answer holds no token; any [`Error`] of the request.
    pub async fn regenerate_api_token(
        &self,
        realm_id: &str,
        token_id: &str,
    ) -> Result<ApiToken, Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("apiTokenId", token_id)?;
        let api = &self.inner.api;
        let token = ApiToken::from_wire(
            self.run(&RE_GENERATE_API_TOKEN, || {
                api.re_generate_api_token(realm_id, token_id)
            })
            .await?,
        );
        with_token(RE_GENERATE_API_TOKEN.id(), token)
    }

    /// Deletes an API token (`DELETE .../api-tokens/{apiTokenId}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn delete_api_token(&self, realm_id: &str, token_id: &str) -> Result<(), Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("apiTokenId", token_id)?;
        let api = &self.inner.api;
        self.run(&DELETE_API_TOKEN, || {
            api.delete_api_token(realm_id, token_id)
        })
        .await
    }

    /// Lists a realm's OAuth apps (`GET .../ssorealms/{ssoRealmId}/oauth-apps`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn list_oauth_apps(&self, realm_id: &str) -> Result<Vec<OAuthApp>, Error> {
        path_segment("ssoRealmId", realm_id)?;
        let api = &self.inner.api;
        let apps = self
            .run(&LIST_OAUTH_APPS, || api.list_o_auth_apps(realm_id))
            .await?;
        Ok(apps
            .oauth_apps
            .into_iter()
            .map(OAuthApp::from_wire)
            .collect())
    }

    /// Creates an OAuth app; the answer holds its client secret
    /// (`POST .../oauth-apps`). Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id or an empty name; any
    /// [`Error`] of the request.
    pub async fn create_oauth_app(
        &self,
        realm_id: &str,
        spec: &OAuthAppSpec,
    ) -> Result<OAuthApp, Error> {
        path_segment("ssoRealmId", realm_id)?;
        if spec.name.trim().is_empty() {
            return Err(Error::invalid_input("clientName", "is required"));
        }
        let body = spec.wire();
        let api = &self.inner.api;
        let app = self
            .run(&CREATE_OAUTH_APP, || api.create_o_auth_app(realm_id, &body))
            .await?;
        Ok(OAuthApp::from_wire(app))
    }

    /// Reads an OAuth app (`GET .../oauth-apps/{oauthAppId}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; 404 when there is none.
    pub async fn get_oauth_app(&self, realm_id: &str, app_id: &str) -> Result<OAuthApp, Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("oauthAppId", app_id)?;
        let api = &self.inner.api;
        let app = self
            .run(&GET_OAUTH_APP, || api.get_o_auth_app(realm_id, app_id))
            .await?;
        Ok(OAuthApp::from_wire(app))
    }

    /// Rotates an OAuth app's client secret; the answer holds the new
    /// secret (`POST .../oauth-apps/{oauthAppId}/rotate`). Never retried.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; [`Error::Decode`] when the
    /// answer holds no secret; any [`Error`] of the request.
    pub async fn rotate_oauth_app_secret(
        &self,
        realm_id: &str,
        app_id: &str,
    ) -> Result<OAuthApp, Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("oauthAppId", app_id)?;
        let api = &self.inner.api;
        let app = OAuthApp::from_wire(
            self.run(&ROTATE_OAUTH_APP_SECRET, || {
                api.rotate_o_auth_app_secret(realm_id, app_id)
            })
            .await?,
        );
        if app.client_secret.is_none() {
            return Err(Error::Decode {
                operation: ROTATE_OAUTH_APP_SECRET.id(),
                status: None,
                path: "clientSecret".into(),
                message: "missing or empty".into(),
            });
        }
        Ok(app)
    }

    /// Deletes an OAuth app (`DELETE .../oauth-apps/{oauthAppId}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; any [`Error`] of the request.
    pub async fn delete_oauth_app(&self, realm_id: &str, app_id: &str) -> Result<(), Error> {
        path_segment("ssoRealmId", realm_id)?;
        path_segment("oauthAppId", app_id)?;
        let api = &self.inner.api;
        self.run(&DELETE_OAUTH_APP, || {
            api.delete_o_auth_app(realm_id, app_id)
        })
        .await
    }
}

/// An API token answer that must carry the token.
fn with_token(operation: &'static str, token: ApiToken) -> Result<ApiToken, Error> {
    if token.token.is_none() {
        return Err(Error::Decode {
            operation,
            status: None,
            path: "token".into(),
            message: "missing or empty".into(),
        });
    }
    Ok(token)
}
