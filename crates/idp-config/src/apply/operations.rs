//! Carrying out the changes of a VCF Operations target: identity
//! providers (the delete of a replace is a task, awaited within the
//! target's task timeout) and the roles of groups.

use std::time::Duration;

use idp_client::vcf_ops::{
    Client as OpsClient, Directory, IdentityProviderSpec, OidcSettings, ProvisionType,
    RoleAssignment, RoleScope, SamlSettings,
};

use crate::document::{GroupRole, RealmIdentityProvider};
use crate::error::Error;
use crate::plan::OpsStep;

pub(super) async fn execute_ops(
    client: &OpsClient,
    step: &OpsStep,
    task_timeout: Duration,
) -> Result<(), Error> {
    match step {
        OpsStep::CreateIdp { realm_id, desired } => {
            let spec = realm_idp_spec(realm_id, None, desired)?;
            client.create_identity_provider(&spec).await?;
        }
        OpsStep::UpdateIdp {
            realm_id,
            id,
            desired,
        } => {
            let spec = realm_idp_spec(realm_id, Some(id), desired)?;
            client.update_identity_provider(&spec).await?;
        }
        OpsStep::ReplaceIdp {
            realm_id,
            id,
            desired,
        } => {
            // Built (and its secret read) before the delete: a bad
            // reference must not leave the realm without a provider.
            let spec = realm_idp_spec(realm_id, None, desired)?;
            let task = client.start_delete_identity_provider(id, false).await?;
            client.wait_task(&task.id, task_timeout).await?;
            client.create_identity_provider(&spec).await?;
        }
        OpsStep::SetRoles {
            realm_id,
            principal_id,
            roles,
        } => {
            let assignments: Vec<RoleAssignment> = roles.iter().map(assignment).collect();
            client
                .set_role_assignments(realm_id, principal_id, &assignments)
                .await?;
        }
        OpsStep::RevokeRoles {
            realm_id,
            principal_id,
        } => {
            client
                .delete_role_assignments(realm_id, principal_id)
                .await?
        }
    }
    Ok(())
}

/// One role of a group as the server takes it.
fn assignment(role: &GroupRole) -> RoleAssignment {
    let scope = if role.scope_or_default() == "VCF_INSTANCE" {
        RoleScope::vcf_instances(role.resources.iter().map(|id| id.trim().to_owned()))
    } else {
        RoleScope::realm()
    };
    RoleAssignment::new(role.role.trim(), scope)
}

/// What a realm's provider is created or updated with (`id`: the provider
/// updated), its client secret resolved now.
///
/// # Errors
///
/// [`Error::Reference`] for a client secret reference that cannot be read;
/// [`Error::Usage`] for a provider without a directory.
pub fn realm_idp_spec(
    realm_id: &str,
    id: Option<&str>,
    desired: &RealmIdentityProvider,
) -> Result<IdentityProviderSpec, Error> {
    let field = |f: &str| format!("identityProvider `{}`: {f}", desired.name.trim());
    let mut directories: Vec<Directory> = desired
        .directories
        .iter()
        .map(|d| {
            let mut dir =
                Directory::new(d.name.trim(), d.domains.iter().map(|x| x.trim().to_owned()));
            // Absent from the document: the client's default, the first domain.
            if let Some(default) = &d.default_domain {
                dir.default_domain = Some(default.trim().to_owned());
            }
            dir
        })
        .collect();
    if directories.is_empty() {
        return Err(Error::Usage(format!(
            "{}: at least one directory is required",
            field("directories")
        )));
    }
    let first = directories.remove(0);
    let name = desired.name.trim();
    let kind = desired.kind.trim().to_ascii_uppercase();
    let mut spec = match (&desired.oidc, &desired.saml) {
        (_, Some(saml)) => {
            let mut settings = SamlSettings::from_metadata_url(saml.metadata_url.trim());
            settings.name_id_format_type =
                saml.name_id_format.as_deref().map(|x| x.trim().to_owned());
            settings.authentication_context = saml
                .authentication_context
                .as_deref()
                .map(|x| x.trim().to_owned());
            settings.name_id_mappings = saml
                .name_id_attribute_mappings
                .iter()
                .map(|m| {
                    (
                        m.idp_attribute.trim().to_owned(),
                        m.vidb_attribute.trim().to_owned(),
                    )
                })
                .collect();
            IdentityProviderSpec::saml(realm_id, name, kind, settings, first)
        }
        (Some(oidc), None) => {
            let secret = oidc.client_secret.resolve(&field("oidc.clientSecret"))?;
            let mut settings = OidcSettings::new(
                oidc.client_id.trim(),
                secret,
                oidc.discovery_endpoint.trim(),
            );
            settings.open_id_user_identifier_attribute = oidc
                .open_id_user_identifier_attribute
                .as_deref()
                .map(|x| x.trim().to_owned());
            settings.internal_user_identifier_attribute = oidc
                .internal_user_identifier_attribute
                .as_deref()
                .map(|x| x.trim().to_owned());
            IdentityProviderSpec::oidc(realm_id, name, kind, settings, first)
        }
        (None, None) => {
            return Err(Error::Usage(format!(
                "{}: `oidc` or `saml` is required",
                field("oidc")
            )));
        }
    };
    spec.directories.extend(directories);
    spec.id = id.map(str::to_owned);
    spec.provision_type = ProvisionType::parse(&desired.provisioning_or_default());
    Ok(spec)
}
