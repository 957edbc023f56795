//! Operations: one row of the matrix each, every API's, with the facts the
//! policy ([`expected`](super::expected)) reads: the spec's method and
//! route, how the success body is read, how a 401 comes about, whether the
//! vendor's error body is recognized, and whether the client treats the
//! operation as idempotent.

use idp_api::Operation;
use idp_api::broker::operations as broker;
use idp_api::{msgraph, msidentity, vcenter, vcf, vcf_ops};

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Op {
    // VCF (SDDC Manager)
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
    ListUsers,
    AddUser,
    RemoveUser,
    ListRoles,
    ListSsoDomains,
    SearchPrincipals,
    // Unleash
    ScimToken,
    GetScim,
    SetScim,
    // VCF Identity Broker
    ListDirectories,
    GetDirectory,
    CreateDirectory,
    UpdateDirectory,
    DeleteDirectory,
    GetSyncClient,
    GenerateSyncClient,
    ListBrokerIdps,
    GetBrokerIdp,
    CreateBrokerIdp,
    PatchBrokerIdp,
    DeleteBrokerIdp,
    ListOAuthClients,
    GetOAuthClient,
    CreateOAuthClient,
    UpdateOAuthClient,
    StartSecretRotation,
    RetirePrimarySecret,
    DeleteOAuthClient,
    BrokerToken,
    // vCenter (the broker's admin token through a vCenter login)
    VcenterSession,
    VcenterAdminClient,
    VcenterEndSession,
    // Okta
    GetConnection,
    SetConnection,
    // Microsoft Entra ID
    EntraToken,
    ListJobs,
    PutSecrets,
    ValidateCredentials,
    // VCF Operations 9.1
    OpsRealms,
    OpsGetIdp,
    OpsSyncClient,
    OpsSetRoles,
    OpsDeleteApiToken,
    OpsListUsers,
    OpsGenerateApiToken,
    OpsRotateOAuthApp,
}

/// The API surfaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Api {
    Vcf,
    Unleash,
    Broker,
    Vcenter,
    Okta,
    Entra,
    Ops,
}

impl Api {
    /// The API's name in the document's tables.
    pub(super) fn name(self) -> &'static str {
        match self {
            Api::Vcf => "VCF",
            Api::Unleash => "Unleash",
            Api::Broker => "broker",
            Api::Vcenter => "vCenter",
            Api::Okta => "Okta",
            Api::Entra => "Entra",
            Api::Ops => "VCF Operations",
        }
    }
}

/// How a 401 from the server's own check comes about in the "401" row,
/// and what the client does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Auth {
    /// A session: the access token expired; the client renews it (VCF: a
    /// refresh; the broker: a new admin token from the OAuth client) and
    /// replays the request once.
    Renewing,
    /// A fixed credential that the server rejects (a revoked Unleash API
    /// key, a wrong Okta API token, a wrong Entra client secret): the 401
    /// is returned as is.
    Fixed,
    /// Microsoft Graph's app-only token, cached by the client, expired: the
    /// client asks the token endpoint for a new one once and replays the
    /// request once (the client-credentials renewer).
    Cached,
    /// A step of the broker's admin-token login, run again by the renewal
    /// after a 401 of the call that carries it (the access token expired).
    Renewal,
}

/// How an operation reads its success body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reads {
    /// A JSON document (decoded tolerantly).
    Json,
    /// A JSON document that must hold a new token (or session id).
    Token,
    /// The new provider's id as raw text, else a lookup by name.
    NewId,
    /// Raw text that is ignored.
    Text,
    /// Nothing: the body is never read.
    Nothing,
}

/// What a `200` with an empty body gives an operation that reads JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Empty {
    /// Read as `{}`, which the facade accepts: an empty list (for the
    /// broker's reads also an object without an id; see the document's
    /// "Where today's client departs from the policy").
    Ok,
    /// Refused by the generated type (`Error::Decode` with the status).
    Generated,
    /// Read as `{}` and refused by the facade: a required field is missing
    /// (`Error::Decode` without a status).
    Facade,
}

/// Everything the policy needs to know about one operation.
pub(super) struct Facts {
    pub(super) api: Api,
    /// The operation as the spec declares it (id, method, path template).
    pub(super) spec: &'static Operation,
    /// Where the API sits in the simulator's URL space.
    pub(super) prefix: &'static str,
    /// The facade method the cell calls.
    pub(super) call: &'static str,
    /// For a login step, what it is (the call only carries it).
    pub(super) step: Option<&'static str>,
    /// The summary grid's column title.
    pub(super) short: &'static str,
    pub(super) reads: Reads,
    pub(super) empty: Empty,
    pub(super) auth: Auth,
    /// Whether the spec declares the vendor's error body with the error
    /// statuses it lists. The broker's and vCenter's declare their errors
    /// without a body ("errors without a body"): a body sent with such a
    /// status is not read, so no vendor error is recognized in it; a body
    /// sent with a status the spec does not list is read all the same.
    pub(super) error_bodies: bool,
    /// Whether the client treats the operation as idempotent, that is
    /// retries it on every transient failure as it does a `GET`: Okta's
    /// connection `POST` and Graph's secrets `PUT` (the same request twice
    /// leaves the same state; the hint in the client's `ops.rs`).
    pub(super) idempotent: bool,
}

const BROKER_TENANT: &str = "CUSTOMER";

impl Op {
    pub(super) const ALL: [Op; 56] = [
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
        Op::ListUsers,
        Op::AddUser,
        Op::RemoveUser,
        Op::ListRoles,
        Op::ListSsoDomains,
        Op::SearchPrincipals,
        Op::ScimToken,
        Op::GetScim,
        Op::SetScim,
        Op::ListDirectories,
        Op::GetDirectory,
        Op::CreateDirectory,
        Op::UpdateDirectory,
        Op::DeleteDirectory,
        Op::GetSyncClient,
        Op::GenerateSyncClient,
        Op::ListBrokerIdps,
        Op::GetBrokerIdp,
        Op::CreateBrokerIdp,
        Op::PatchBrokerIdp,
        Op::DeleteBrokerIdp,
        Op::ListOAuthClients,
        Op::GetOAuthClient,
        Op::CreateOAuthClient,
        Op::UpdateOAuthClient,
        Op::StartSecretRotation,
        Op::RetirePrimarySecret,
        Op::DeleteOAuthClient,
        Op::BrokerToken,
        Op::VcenterSession,
        Op::VcenterAdminClient,
        Op::VcenterEndSession,
        Op::GetConnection,
        Op::SetConnection,
        Op::EntraToken,
        Op::ListJobs,
        Op::PutSecrets,
        Op::ValidateCredentials,
        Op::OpsRealms,
        Op::OpsGetIdp,
        Op::OpsSyncClient,
        Op::OpsSetRoles,
        Op::OpsDeleteApiToken,
        Op::OpsListUsers,
        Op::OpsGenerateApiToken,
        Op::OpsRotateOAuthApp,
    ];

    pub(super) fn api(self) -> Api {
        self.facts().api
    }

    /// The row's name: the facade call, or the login step it carries.
    pub(super) fn name(self) -> String {
        let facts = self.facts();
        match facts.step {
            Some(step) => format!("{step}, through `{}`", facts.call),
            None => format!("`{}`", facts.call),
        }
    }

    /// The column title of the summary grid.
    pub(super) fn short(self) -> &'static str {
        self.facts().short
    }

    /// The OpenAPI operationId (the tracing span's `operation`).
    pub(super) fn operation_id(self) -> &'static str {
        self.facts().spec.id
    }

    pub(super) fn method(self) -> &'static str {
        self.facts().spec.method.as_str()
    }

    pub(super) fn reads(self) -> Reads {
        self.facts().reads
    }

    pub(super) fn auth(self) -> Auth {
        self.facts().auth
    }

    pub(super) fn idempotent(self) -> bool {
        self.facts().idempotent
    }

    /// Whether the spec lists `status` (exactly or by its range) for the
    /// operation. A 2xx it does not list is an error status to the
    /// generated code.
    pub(super) fn declares(self, status: u16) -> bool {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        self.facts()
            .spec
            .statuses
            .iter()
            .any(|s| *s == exact || *s == range || *s == "default")
    }

    /// Whether a vendor error body sent with `status` is recognized.
    pub(super) fn vendor(self, status: u16) -> bool {
        self.facts().error_bodies || !self.declares(status)
    }

    pub(super) fn changes_state(self) -> bool {
        // Entra's credential validation and VCF Operations' users query
        // are POSTs that change nothing.
        self.method() != "GET"
            && self.facts().step.is_none()
            && !matches!(self, Op::ValidateCredentials | Op::OpsListUsers)
    }

    /// The read a call makes before its own request: Entra's credential
    /// validation lists the jobs for the job id.
    pub(super) fn reads_first(self) -> Option<Op> {
        (self == Op::ValidateCredentials).then_some(Op::ListJobs)
    }

    /// Whether the row is a step of a login that a call runs first.
    pub(super) fn is_login(self) -> bool {
        self.facts().step.is_some()
    }

    /// The steps of the login this row belongs to, in order.
    pub(super) fn chain(self) -> &'static [Op] {
        match self {
            Op::BrokerToken => &[Op::BrokerToken],
            Op::VcenterSession | Op::VcenterAdminClient | Op::VcenterEndSession => &[
                Op::VcenterSession,
                Op::VcenterAdminClient,
                Op::VcenterEndSession,
            ],
            Op::EntraToken => &[Op::EntraToken],
            _ => &[],
        }
    }

    /// Whether a failure of this login step is logged, not returned (the
    /// end of the vCenter session, once the admin token is read).
    pub(super) fn swallows_errors(self) -> bool {
        self == Op::VcenterEndSession
    }

    /// The call that carries a login step (its operation id is tracked).
    pub(super) fn carrier(self) -> Option<Op> {
        match self.api() {
            Api::Broker | Api::Vcenter if self.is_login() => Some(Op::ListDirectories),
            Api::Entra if self.is_login() => Some(Op::ListJobs),
            _ => None,
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

    /// Whether the cell needs a broker directory first.
    pub(super) fn needs_directory(self) -> bool {
        matches!(
            self,
            Op::GetDirectory
                | Op::UpdateDirectory
                | Op::DeleteDirectory
                | Op::GetSyncClient
                | Op::GenerateSyncClient
        )
    }

    /// Whether the cell needs a broker identity provider first.
    pub(super) fn needs_broker_idp(self) -> bool {
        matches!(
            self,
            Op::GetBrokerIdp | Op::PatchBrokerIdp | Op::DeleteBrokerIdp
        )
    }

    /// Whether the cell needs the OAuth 2.0 client [`OAUTH_CLIENT`] first.
    pub(super) fn needs_oauth_client(self) -> bool {
        matches!(
            self,
            Op::GetOAuthClient
                | Op::UpdateOAuthClient
                | Op::StartSecretRotation
                | Op::RetirePrimarySecret
                | Op::DeleteOAuthClient
        )
    }

    /// The route a fault rule names (a template where there are ids).
    pub(super) fn route(self) -> String {
        let facts = self.facts();
        format!("{}{}", facts.prefix, facts.spec.path)
    }

    /// The path a request of this cell goes to.
    pub(super) fn path(self, ids: &Ids) -> String {
        fill(&self.route(), ids, &self.target(ids))
    }

    /// The id a path's `{id}` names.
    fn target(self, ids: &Ids) -> String {
        let some = |id: &Option<String>| id.clone().unwrap_or_else(|| "none".to_owned());
        match self.api() {
            Api::Vcf if self.needs_external() => some(&ids.external),
            Api::Vcf if self == Op::RemoveUser => some(&ids.user),
            Api::Vcf => ids.embedded.clone(),
            Api::Broker if self.needs_directory() => some(&ids.directory),
            Api::Broker if self.needs_broker_idp() => some(&ids.broker_idp),
            Api::Broker => OAUTH_CLIENT.to_owned(),
            Api::Entra => ids.service_principal.clone(),
            Api::Unleash | Api::Vcenter | Api::Okta | Api::Ops => "none".to_owned(),
        }
    }
}

/// The summary grids, in order: one per API, the broker's split in three.
pub(super) fn grid(op: Op) -> &'static str {
    match op {
        Op::List
        | Op::Get
        | Op::AddProvider
        | Op::UpdateProvider
        | Op::DeleteProvider
        | Op::AddSource
        | Op::UpdateSource
        | Op::DeleteSource
        | Op::SyncToken
        | Op::Prechecks => "VCF (SDDC Manager, `VcfClient`)",
        Op::ListUsers
        | Op::AddUser
        | Op::RemoveUser
        | Op::ListRoles
        | Op::ListSsoDomains
        | Op::SearchPrincipals => "VCF (SDDC Manager): users, roles and SSO domains (`VcfClient`)",
        Op::ScimToken | Op::GetScim | Op::SetScim => "Unleash (`UnleashClient`)",
        Op::ListDirectories
        | Op::GetDirectory
        | Op::CreateDirectory
        | Op::UpdateDirectory
        | Op::DeleteDirectory
        | Op::GetSyncClient
        | Op::GenerateSyncClient => {
            "VCF Identity Broker: directories and sync clients (`BrokerClient`)"
        }
        Op::ListBrokerIdps
        | Op::GetBrokerIdp
        | Op::CreateBrokerIdp
        | Op::PatchBrokerIdp
        | Op::DeleteBrokerIdp => "VCF Identity Broker: identity providers (`BrokerClient`)",
        Op::ListOAuthClients
        | Op::GetOAuthClient
        | Op::CreateOAuthClient
        | Op::UpdateOAuthClient
        | Op::StartSecretRotation
        | Op::RetirePrimarySecret
        | Op::DeleteOAuthClient
        | Op::BrokerToken => {
            "VCF Identity Broker: OAuth 2.0 clients and the admin token (`BrokerClient`)"
        }
        Op::VcenterSession | Op::VcenterAdminClient | Op::VcenterEndSession => {
            "vCenter: the broker's admin token through a vCenter login (`BrokerClient::vcenter_credentials`)"
        }
        Op::GetConnection | Op::SetConnection => "Okta (`OktaClient`)",
        Op::EntraToken | Op::ListJobs | Op::PutSecrets | Op::ValidateCredentials => {
            "Microsoft Entra ID: identity platform and Graph (`EntraClient`)"
        }
        Op::OpsRealms
        | Op::OpsGetIdp
        | Op::OpsSyncClient
        | Op::OpsSetRoles
        | Op::OpsDeleteApiToken
        | Op::OpsListUsers
        | Op::OpsGenerateApiToken
        | Op::OpsRotateOAuthApp => "VCF Operations 9.1 fleet identity (`VcfOpsClient`)",
    }
}

/// The requests besides the row's own that a call may send, counted by
/// their tracing spans and checked against the simulator's log: the
/// logins and renewals, and the calls that carry a login step.
pub(super) struct Tracked {
    pub(super) op: &'static Operation,
    pub(super) prefix: &'static str,
    pub(super) label: &'static str,
    /// A login or renewal request (the rest are carriers).
    pub(super) login: bool,
}

pub(super) const TRACKED: [Tracked; 11] = [
    Tracked {
        op: &vcf::operations::CREATE_TOKEN,
        prefix: "",
        label: "VCF login",
        login: true,
    },
    Tracked {
        op: &vcf::operations::REFRESH_ACCESS_TOKEN,
        prefix: "",
        label: "VCF refresh",
        login: true,
    },
    Tracked {
        op: &vcf::operations::INVALIDATE_REFRESH_TOKEN,
        prefix: "",
        label: "VCF logout",
        login: true,
    },
    Tracked {
        op: &broker::GET_BROKER_ACCESS_TOKEN,
        prefix: "",
        label: "admin token",
        login: true,
    },
    Tracked {
        op: &vcenter::operations::CREATE_VCENTER_SESSION,
        prefix: "",
        label: "vCenter session",
        login: true,
    },
    Tracked {
        op: &vcenter::operations::GET_BROKER_TENANT_ADMIN_CLIENT,
        prefix: "",
        label: "admin client",
        login: true,
    },
    Tracked {
        op: &vcenter::operations::DELETE_VCENTER_SESSION,
        prefix: "",
        label: "end session",
        login: true,
    },
    Tracked {
        op: &msidentity::operations::REQUEST_APP_TOKEN,
        prefix: "/login",
        label: "app-only token",
        login: true,
    },
    Tracked {
        op: &vcf_ops::operations::ACQUIRE_TOKEN,
        prefix: "",
        label: "OpsToken",
        login: true,
    },
    Tracked {
        op: &broker::GET_BROKER_DIRECTORIES,
        prefix: "",
        label: "list_directories",
        login: false,
    },
    Tracked {
        op: &msgraph::operations::LIST_SYNCHRONIZATION_JOBS,
        prefix: "/graph",
        label: "synchronization jobs",
        login: false,
    },
];

impl Tracked {
    /// The concrete path its requests go to.
    pub(super) fn path(&self, ids: &Ids) -> String {
        let route = format!("{}{}", self.prefix, self.op.path);
        fill(&route, ids, &ids.service_principal)
    }

    /// Whether a request in the simulator's log is one of the logins and
    /// renewals of any API.
    pub(super) fn is_login_path(path: &str) -> bool {
        path.starts_with("/v1/tokens")
            || (path.starts_with("/acs/t/") && path.ends_with("/token"))
            || path.starts_with("/api/session")
            || path.starts_with("/api/vcenter/")
            || path.starts_with("/login/")
            || path == "/suite-api/api/auth/token/acquire"
    }
}

/// A route with its parameters filled in: `{id}` (and `{idpId}`) is
/// `target`; the tenant is Entra's under `/login`, else the broker's.
fn fill(route: &str, ids: &Ids, target: &str) -> String {
    let entra = route.starts_with("/login/");
    route
        .split('/')
        .map(|segment| match segment {
            "{tenant}" if entra => ids.entra_tenant.as_str(),
            "{tenant}" => BROKER_TENANT,
            "{domainName}" => DOMAIN,
            "{sso-domain}" => "embedded-ids.com",
            "{appId}" => ids.okta_app.as_str(),
            "{jobId}" => ids.entra_job.as_str(),
            "{id}" | "{idpId}" => target,
            "{ssoRealmId}" => ids.ops_realm.as_str(),
            "{idpConfigId}" => ids.ops_idp.as_deref().unwrap_or("none"),
            "{directoryId}" => ids.ops_directory.as_deref().unwrap_or("none"),
            "{principalId}" => ids.ops_group.as_str(),
            "{apiTokenId}" => ids.ops_token.as_deref().unwrap_or("none"),
            "{oauthAppId}" => ids.ops_app.as_deref().unwrap_or("none"),
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}
