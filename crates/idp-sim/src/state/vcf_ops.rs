//! VCF Operations' fleet identity state (VCF 9.1, profile `vcf-9.1`): the
//! seeded local user, `OpsToken`s, one SSO realm per simulated VCF
//! instance with its users and groups, identity providers, SCIM sync
//! clients, LDAP sync logs, role assignments, roles, API tokens, OAuth apps
//! and IAM tasks.
//!
//! Documents are kept as the vendor's JSON (`serde_json::Value`, camelCase
//! names of the vendor's schemas), secrets in fields of their own that
//! answers show only where the vendor's examples do; no `Debug` here shows
//! a secret.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::ids::{new_uuid, random_hex};

/// The local user the simulator seeds (VCF Operations' built-in `admin`).
pub(crate) const OPS_USERNAME: &str = "admin";
/// How long an `OpsToken` stays valid after its last use: 6 hours, as the
/// vendor's description of `acquireToken` says.
pub(crate) const OPS_TOKEN_VALIDITY: Duration = Duration::from_secs(6 * 3600);
/// A SCIM sync client token's default lifetime in minutes: six months (the
/// vendor's `ScimTokenConfiguration.tokenTtl`: "Token lifetime in minutes
/// ... (default: 262800, 6 months)").
pub(crate) const DEFAULT_SYNC_TOKEN_TTL_MINUTES: i64 = 262_800;
/// An API token's default lifetime in minutes (the vendor: `apiTokenTtl`
/// is in minutes; its example has 259200, 180 days; the default is
/// assumed).
pub(crate) const DEFAULT_API_TOKEN_TTL_MINUTES: i64 = 259_200;
/// The access-token lifetime of an API token by default (the vendor's
/// example: `accessTokenTtl` 480).
pub(crate) const DEFAULT_ACCESS_TOKEN_TTL_MINUTES: i64 = 480;
/// How many polls a task takes: `QUEUED` when started, `IN_PROGRESS` on
/// the first poll, done on this one.
pub(crate) const TASK_POLLS: u32 = 2;

/// Milliseconds since the epoch (VCF Operations' `int64` dates).
pub(crate) fn now_millis() -> i64 {
    millis(SystemTime::now())
}

/// `at` in milliseconds since the epoch.
pub(crate) fn millis(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// An acquired `OpsToken`.
#[derive(Clone)]
pub(crate) struct OpsToken {
    pub(crate) username: String,
    pub(crate) valid_until: SystemTime,
}

/// An SSO realm with the principals the broker behind it knows.
#[derive(Clone)]
pub(crate) struct Realm {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) vcf_instance_id: String,
    pub(crate) vcf_instance_name: String,
    pub(crate) vidb_resource_id: String,
    pub(crate) idp_id: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    /// `VidbUser` documents.
    pub(crate) users: Vec<Value>,
    /// `VidbGroup` documents.
    pub(crate) groups: Vec<Value>,
    /// `VcfRoleAssignment` documents by principal id.
    pub(crate) assignments: BTreeMap<String, Vec<Value>>,
}

/// A directory's SCIM sync client.
#[derive(Clone)]
pub(crate) struct SyncClient {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) token_ttl_minutes: i64,
    pub(crate) token: Option<String>,
    pub(crate) token_expires_at: i64,
}

/// An API token: its document without the token, and the token.
#[derive(Clone)]
pub(crate) struct ApiToken {
    pub(crate) document: Value,
    pub(crate) token: String,
}

/// An OAuth app: its document without the secret, and the secret.
#[derive(Clone)]
pub(crate) struct OAuthApp {
    pub(crate) document: Value,
    pub(crate) secret: String,
}

/// What a task does when it completes.
#[derive(Clone, Debug)]
pub(crate) enum TaskAction {
    /// Deletes an identity provider and everything under it.
    DeleteIdp(String),
}

/// An IAM task.
#[derive(Clone, Debug)]
pub(crate) struct Task {
    pub(crate) task_type: &'static str,
    pub(crate) polls: u32,
    pub(crate) action: TaskAction,
    /// Set when the task is to fail: error code and message.
    pub(crate) failure: Option<(String, String)>,
    pub(crate) finished_at: Option<i64>,
}

impl Task {
    /// `QUEUED`, `IN_PROGRESS`, then `COMPLETED` or `FAILED`.
    pub(crate) fn status(&self) -> &'static str {
        match self.polls {
            0 => "QUEUED",
            p if p < TASK_POLLS => "IN_PROGRESS",
            _ if self.failure.is_some() => "FAILED",
            _ => "COMPLETED",
        }
    }
}

/// VCF Operations' fleet identity state.
pub(crate) struct OpsState {
    pub(crate) password: String,
    pub(crate) tokens: HashMap<String, OpsToken>,
    pub(crate) realms: BTreeMap<String, Realm>,
    /// `FederatedIdentityProvider` documents by id (secrets included, left
    /// out of answers).
    pub(crate) idps: BTreeMap<String, Value>,
    /// By (identity provider id, directory id).
    pub(crate) sync_clients: HashMap<(String, String), SyncClient>,
    /// `LdapSyncLog` documents by LDAP configuration id, newest last.
    pub(crate) sync_logs: HashMap<String, Vec<Value>>,
    /// `VcfRole` documents.
    pub(crate) roles: Vec<Value>,
    /// By (realm id, token id).
    pub(crate) api_tokens: BTreeMap<(String, String), ApiToken>,
    /// By (realm id, app id).
    pub(crate) oauth_apps: BTreeMap<(String, String), OAuthApp>,
    pub(crate) tasks: HashMap<String, Task>,
    /// The failure the next task started is to end with.
    pub(crate) fail_next_task: Option<(String, String)>,
}

impl std::fmt::Debug for OpsState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpsState")
            .field("tokens", &self.tokens.len())
            .field("realms", &self.realms.len())
            .field("idps", &self.idps.len())
            .field("api_tokens", &self.api_tokens.len())
            .field("oauth_apps", &self.oauth_apps.len())
            .field("tasks", &self.tasks.len())
            .finish_non_exhaustive()
    }
}

fn user(name: &str, first: &str, last: &str, domain: &str) -> Value {
    json!({
        "userId": new_uuid(),
        "userName": name,
        "accountName": name,
        "domainName": domain,
        "email": format!("{name}@{domain}"),
        "firstName": first,
        "lastName": last,
        "active": true,
        "roles": [],
    })
}

fn group(name: &str, domain: &str) -> Value {
    json!({
        "groupId": new_uuid(),
        "groupName": name,
        "displayName": name,
        "domainName": domain,
        "roles": [],
    })
}

fn role(name: &str, display: &str, description: &str, components: Value) -> Value {
    json!({
        "roleName": name,
        "roleDisplayName": display,
        "roleDescription": description,
        "type": "BUILT_IN",
        "componentRoles": components,
        "createdBy": "system",
        "updatedBy": "system",
        "createdAt": now_millis(),
        "updatedAt": now_millis(),
    })
}

impl OpsState {
    /// The local `admin` user with a generated password; one realm for the
    /// simulated VCF instance, with two users and two groups of
    /// `example.com`; the built-in roles.
    pub(crate) fn seeded() -> Self {
        let now = now_millis();
        let realm = Realm {
            id: new_uuid(),
            name: "vcf-instance-1".into(),
            vcf_instance_id: new_uuid(),
            vcf_instance_name: "VCF Instance 1".into(),
            vidb_resource_id: new_uuid(),
            idp_id: None,
            created_at: now,
            updated_at: now,
            users: vec![
                user("alice", "Alice", "Admin", "example.com"),
                user("bob", "Bob", "Viewer", "example.com"),
            ],
            groups: vec![
                group("vcf-admins", "example.com"),
                group("vcf-viewers", "example.com"),
            ],
            assignments: BTreeMap::new(),
        };
        let roles = vec![
            role(
                "vcf_administrator",
                "VCF Administrator",
                "Full access to the VCF fleet",
                json!([{"componentType": "VCF_OPERATIONS", "roles": ["Administrator"]},
                       {"componentType": "VCENTER", "roles": ["Admin"]}]),
            ),
            role(
                "vcf_operator",
                "VCF Operator",
                "Operates the VCF fleet",
                json!([{"componentType": "VCF_OPERATIONS", "roles": ["PowerUser"]}]),
            ),
            role(
                "vcf_viewer",
                "VCF Viewer",
                "Read-only access to the VCF fleet",
                json!([{"componentType": "VCF_OPERATIONS", "roles": ["ReadOnly"]},
                       {"componentType": "VCENTER", "roles": ["ReadOnly"]}]),
            ),
        ];
        OpsState {
            password: format!("Ops{}1!", random_hex(8)),
            tokens: HashMap::new(),
            realms: BTreeMap::from([(realm.id.clone(), realm)]),
            idps: BTreeMap::new(),
            sync_clients: HashMap::new(),
            sync_logs: HashMap::new(),
            roles,
            api_tokens: BTreeMap::new(),
            oauth_apps: BTreeMap::new(),
            tasks: HashMap::new(),
            fail_next_task: None,
        }
    }

    /// Starts a task; it fails if a failure was queued.
    pub(crate) fn start_task(&mut self, task_type: &'static str, action: TaskAction) -> String {
        let id = new_uuid();
        self.tasks.insert(
            id.clone(),
            Task {
                task_type,
                polls: 0,
                action,
                failure: self.fail_next_task.take(),
                finished_at: None,
            },
        );
        id
    }

    /// Removes an identity provider and what hangs off it.
    pub(crate) fn delete_idp(&mut self, id: &str) {
        let Some(idp) = self.idps.remove(id) else {
            return;
        };
        self.sync_clients.retain(|(idp_id, _), _| idp_id != id);
        for ldap in idp
            .pointer("/provisioningConfig/ldapConfigurations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(ldap_id) = ldap.get("ldapConfigurationId").and_then(Value::as_str) {
                self.sync_logs.remove(ldap_id);
            }
        }
        for realm in self.realms.values_mut() {
            if realm.idp_id.as_deref() == Some(id) {
                realm.idp_id = None;
                realm.updated_at = now_millis();
            }
        }
    }
}
