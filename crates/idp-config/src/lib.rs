#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod apply;
pub mod connection;
mod document;
mod error;
mod load;
mod locate;
mod plan;
mod reference;

use std::time::Duration;

use serde::Serializer;

pub use apply::{Outcome, Report, TargetReport, apply, provider_spec, realm_idp_spec, source_spec};
pub use document::{
    AccessGrant, BrokerDirectoryConfig, BrokerIdpConfig, BrokerState, BrokerTarget, Connection,
    Directory, Document, EmbeddedSource, External, ExternalProvider, ExternalType, GranteeKind,
    GroupRole, Identity, LdapDirectory, OidcClient, OperationsTarget, RealmDirectory,
    RealmIdentityProvider, RealmOidc, RealmSaml, RealmState, SamlAttributeMapping, SourceType,
    Target,
};
pub use error::{Error, Location};
pub use load::LoadOptions;
pub use plan::{
    Action, Change, ContextResolver, DEFAULT_PARALLEL, FieldChange, KeyDelivery, Options,
    Permission, Plan, TargetError, TargetKind, TargetPlan, diff, is_builtin_domain, plan,
};
pub use reference::{PemRef, SecretRef, parse_duration};

/// The JSON Schema of a [`Document`] (what `idpctl schema config` prints).
#[must_use]
pub fn document_schema() -> schemars::Schema {
    schemars::schema_for!(Document)
}

fn millis<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
