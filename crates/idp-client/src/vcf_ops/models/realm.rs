//! SSO realms.

use chrono::{DateTime, Utc};
use idp_api::vcf_ops::types as wire;
use serde::Serialize;

use super::epoch;
use crate::runtime::FromWire;

/// An SSO realm: the single sign-on scope of one VCF instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SsoRealm {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// The VCF instance it belongs to.
    pub vcf_instance_id: Option<String>,
    /// Its identity provider's id, once one is configured.
    pub idp_id: Option<String>,
    /// The identity broker resource behind it.
    pub vidb_resource_id: String,
    /// The components it covers.
    pub coverage: Vec<RealmCoverage>,
    /// Problems the server reports on it.
    pub issues: Vec<RealmIssue>,
    /// How many components are configured for it.
    pub configured_components: Option<i32>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A component an SSO realm covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RealmCoverage {
    /// The component's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `VCF_INSTANCE`, `MANAGEMENT_COMPONENT`, `OTHER_COMPONENTS`, as sent.
    pub entity_type: String,
}

/// A problem the server reports on a realm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RealmIssue {
    /// Its name.
    pub name: Option<String>,
    /// What is wrong.
    pub message: Option<String>,
    /// How bad, as sent.
    pub severity: Option<String>,
}

impl FromWire<wire::SsoRealm> for SsoRealm {
    fn from_wire(wire: wire::SsoRealm) -> Self {
        Self {
            id: wire.id.unwrap_or_default(),
            name: wire.name,
            vcf_instance_id: wire.vcf_instance_id,
            idp_id: wire.idp_id.filter(|id| !id.trim().is_empty()),
            vidb_resource_id: wire.vidb_resource_id,
            coverage: wire
                .sso_realm_coverage
                .into_iter()
                .map(|c| RealmCoverage {
                    id: c.id,
                    name: c.name,
                    entity_type: c.sso_entity_type,
                })
                .collect(),
            issues: wire
                .issues
                .into_iter()
                .map(|i| RealmIssue {
                    name: i.name,
                    message: i.message,
                    severity: i.severity,
                })
                .collect(),
            configured_components: wire.total_configured_components,
            created_at: wire.created_at.and_then(epoch),
            updated_at: wire.updated_at.and_then(epoch),
        }
    }
}
