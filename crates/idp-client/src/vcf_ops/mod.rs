//! VCF Operations 9.1 fleet identity: [`Client`] acquires an `OpsToken`
//! (or uses a bearer token), reads the SSO realms, configures identity
//! providers (OIDC, SAML, LDAP) and their directories, generates SCIM sync
//! clients, syncs LDAP directories, assigns VCF roles, lists users, groups
//! and roles, manages API tokens and OAuth apps, and waits for the tasks
//! some changes run as ([`Client::wait_task`]).

mod access;
mod auth;
mod builder;
pub(crate) mod client;
mod models;
pub(crate) mod ops;
mod paging;
mod providers;
mod tasks;

pub use builder::{ClientBuilder, DEFAULT_TASK_TIMEOUT};
pub use client::Client;
pub use models::{
    ApiToken, ApiTokenQuery, ApiTokenSpec, ApiTokenStatus, Directory, Group, IdentityProvider,
    IdentityProviderSpec, IdpProtocol, LdapDirectory, LdapServer, LdapSettings, LdapSyncLog,
    LdapSyncStatus, OAuthApp, OAuthAppSpec, OidcSettings, PrincipalFilter, PrincipalQuery,
    ProvisionType, RealmCoverage, RealmIssue, Role, RoleAssignment, RoleScope, SamlSettings,
    ScopeResource, ScopeType, SearchTerm, SsoRealm, SyncClient, Task, TaskError, TaskStatus, User,
};

#[cfg(feature = "fuzzing")]
pub(crate) use auth::acquired_from;
