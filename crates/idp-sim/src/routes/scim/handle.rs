//! The SCIM directories' handle on a running simulator, and the "push" an
//! identity provider makes with the SCIM URL and token it holds.

use serde_json::{Map, Value, json};

use crate::Simulator;
use crate::state::scim::{Kind, Resource};

/// Which vendor's SCIM server a SCIM URL of the simulator plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScimFlavour {
    /// The VCF Identity Broker (`/usergroup/t/<tenant>/scim/v2`): what SDDC
    /// Manager's `scimUrl` and the broker's directories point at.
    Broker,
    /// Unleash Enterprise (`<unleash url>/scim`).
    Unleash,
}

/// A provisioned user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScimUser {
    /// Whose token opened the directory: `vcf:<provider id>`,
    /// `broker:<directory id>` or `unleash`.
    pub directory: String,
    /// The SCIM `id`.
    pub id: String,
    /// `userName`.
    pub user_name: String,
    /// `active` (false once soft-deleted).
    pub active: bool,
    /// Soft-deleted (Unleash): no longer served, still stored.
    pub deleted: bool,
}

/// A provisioned group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScimGroup {
    /// As [`ScimUser::directory`].
    pub directory: String,
    /// The SCIM `id`.
    pub id: String,
    /// `displayName`.
    pub display_name: String,
    /// The members' ids.
    pub members: Vec<String>,
}

/// What a push provisioned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pushed {
    /// The user, created or found.
    pub user: ScimUser,
    /// The group, created or found, with the user as a member.
    pub group: ScimGroup,
}

/// Why a push was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// Nothing was delivered to the identity provider yet.
    #[error("the identity provider holds no SCIM URL and token")]
    NothingDelivered,
    /// The URL is not a SCIM URL of this simulator.
    #[error("{0} is not a SCIM URL of this simulator")]
    NotScimUrl(String),
    /// The token is not the current one of that SCIM URL (the SCIM server
    /// answers 401).
    #[error("the SCIM endpoint refuses the token (HTTP 401)")]
    TokenRefused,
}

/// The SCIM directories of a running [`Simulator`] (from
/// [`Simulator::scim`]).
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The SCIM base URL of a flavour (the broker's for tenant `CUSTOMER`).
    #[must_use]
    pub fn url(&self, flavour: ScimFlavour) -> String {
        match flavour {
            ScimFlavour::Broker => self.sim.shared.scim_url(),
            ScimFlavour::Unleash => format!("{}/unleash/scim", self.sim.base_url),
        }
    }

    /// Every provisioned user, soft-deleted ones included.
    #[must_use]
    pub fn users(&self) -> Vec<ScimUser> {
        let model = self.sim.shared.model();
        model
            .scim
            .directories
            .iter()
            .flat_map(|(name, dir)| dir.users.values().map(move |r| user_of(name, r)))
            .collect()
    }

    /// Every provisioned group.
    #[must_use]
    pub fn groups(&self) -> Vec<ScimGroup> {
        let model = self.sim.shared.model();
        model
            .scim
            .directories
            .iter()
            .flat_map(|(name, dir)| dir.groups.values().map(move |r| group_of(name, r)))
            .collect()
    }

    /// Provisions `user_name` and `group` (with the user as a member) at
    /// `scim_url` with `token`, as an identity provider holding them
    /// would: refused unless the token is that URL's current one. An
    /// existing user or group of that name is reused.
    pub fn push(
        &self,
        scim_url: &str,
        token: &str,
        user_name: &str,
        group: &str,
    ) -> Result<Pushed, PushError> {
        let name =
            super::directory_at(&self.sim.shared, scim_url, token).map_err(
                |refusal| match refusal {
                    super::Refusal::TokenRefused => PushError::TokenRefused,
                    super::Refusal::NotScimUrl => PushError::NotScimUrl(scim_url.to_owned()),
                },
            )?;
        let mut model = self.sim.shared.model();
        let dir = model.scim.directories.entry(name.clone()).or_default();
        let user_id = match dir.users.values().find(|u| {
            !u.deleted
                && u.key(Kind::User)
                    .is_some_and(|k| k.eq_ignore_ascii_case(user_name))
        }) {
            Some(user) => user.id.clone(),
            None => {
                let user = Resource::new(
                    object(
                        json!({ "userName": user_name, "active": true, "displayName": user_name }),
                    ),
                    Vec::new(),
                );
                let id = user.id.clone();
                dir.users.insert(id.clone(), user);
                id
            }
        };
        let existing = dir
            .groups
            .values()
            .find(|g| g.key(Kind::Group) == Some(group))
            .map(|g| g.id.clone());
        let group_id = match existing {
            Some(id) => id,
            None => {
                let created = Resource::new(
                    object(json!({ "displayName": group, "members": [] })),
                    Vec::new(),
                );
                let id = created.id.clone();
                dir.groups.insert(id.clone(), created);
                id
            }
        };
        if let Some(g) = dir.groups.get_mut(&group_id) {
            let member = json!({ "value": user_id, "display": user_name });
            let members = g
                .attributes
                .entry("members")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = members
                && !items.iter().any(|m| m.get("value") == member.get("value"))
            {
                items.push(member);
            }
            g.touch();
        }
        let user = dir.users.get(&user_id).map(|u| user_of(&name, u));
        let group = dir.groups.get(&group_id).map(|g| group_of(&name, g));
        match (user, group) {
            (Some(user), Some(group)) => Ok(Pushed { user, group }),
            _ => Err(PushError::TokenRefused),
        }
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

fn user_of(directory: &str, r: &Resource) -> ScimUser {
    ScimUser {
        directory: directory.to_owned(),
        id: r.id.clone(),
        user_name: r.key(Kind::User).unwrap_or_default().to_owned(),
        active: r
            .attributes
            .get("active")
            .and_then(Value::as_bool)
            .unwrap_or(true)
            && !r.deleted,
        deleted: r.deleted,
    }
}

fn group_of(directory: &str, r: &Resource) -> ScimGroup {
    ScimGroup {
        directory: directory.to_owned(),
        id: r.id.clone(),
        display_name: r.key(Kind::Group).unwrap_or_default().to_owned(),
        members: r
            .attributes
            .get("members")
            .and_then(Value::as_array)
            .map(|m| {
                m.iter()
                    .filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    }
}
