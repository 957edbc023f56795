//! Who may use SDDC Manager: users, groups and service users and their
//! roles (`/v1/users`, `/v1/roles`), and the principals of the SSO domains
//! (`/v1/sso-domains`).

use idp_api::Secret;
use idp_api::vcf::types;

use super::client::Client;
use super::models::{Grant, Principal, Role, ServiceUser, User, UserKind};
use super::ops::*;
use crate::Error;
use crate::runtime::FromWire;
use crate::runtime::input::path_segment;

impl Client {
    /// Lists the users, groups and service users granted a role
    /// (`GET /v1/users`), each with its role's name when the client knows
    /// the role (the roles are listed once per client).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_users(&self) -> Result<Vec<User>, Error> {
        let api = self.api();
        let page = self.run(&GET_USERS, || api.get_users()).await?;
        self.named(page.elements).await
    }

    /// Lists the users granted access through SDDC Manager
    /// (`GET /v1/users/ui`), with role names as
    /// [`list_users`](Self::list_users).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_ui_users(&self) -> Result<Vec<User>, Error> {
        let api = self.api();
        let page = self.run(&GET_UI_USERS, || api.get_ui_users()).await?;
        self.named(page.elements).await
    }

    /// Lists the roles (`GET /v1/roles`) and remembers them for role
    /// lookups by name.
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_roles(&self) -> Result<Vec<Role>, Error> {
        let api = self.api();
        let page = self.run(&GET_ROLES, || api.get_roles()).await?;
        let roles: Vec<Role> = page.elements.into_iter().map(Role::from_wire).collect();
        self.cache_roles(&roles);
        Ok(roles)
    }

    /// The roles: the ones this client listed before, else listed now.
    async fn roles(&self) -> Result<Vec<Role>, Error> {
        match self.cached_roles() {
            Some(roles) => Ok(roles),
            None => self.list_roles().await,
        }
    }

    /// The role named `name` (compared without regard to case). The roles
    /// are listed once per client; a name not among them lists them again
    /// once, in case a role was added since.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the roles that exist when none is
    /// called `name`; any [`Error`] of a request.
    pub async fn role_by_name(&self, name: &str) -> Result<Role, Error> {
        let find = |roles: &[Role]| {
            roles
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
                .cloned()
        };
        if let Some(role) = self.cached_roles().as_deref().and_then(find) {
            return Ok(role);
        }
        let roles = self.list_roles().await?;
        find(&roles).ok_or_else(|| unknown_role(name, &roles))
    }

    /// Fills in role names from the roles the client knows.
    async fn named(&self, users: Vec<types::User>) -> Result<Vec<User>, Error> {
        let mut users: Vec<User> = users.into_iter().map(User::from_wire).collect();
        if users.is_empty() {
            return Ok(users);
        }
        let roles = self.roles().await?;
        for user in &mut users {
            user.role_name = user
                .role_id
                .as_deref()
                .and_then(|id| roles.iter().find(|r| r.id == id))
                .map(|r| r.name.clone());
        }
        Ok(users)
    }

    /// The user `name@domain` (a service user by its name alone with
    /// `domain` `None`), if one is granted a role.
    ///
    /// # Errors
    ///
    /// Any [`Error`] of listing the users.
    pub async fn find_user(&self, name: &str, domain: Option<&str>) -> Result<Option<User>, Error> {
        Ok(self
            .list_users()
            .await?
            .into_iter()
            .find(|u| u.is(name, domain)))
    }

    /// Grants each principal its role (`POST /v1/users`, one request for
    /// all: the server adds all or none). Role names are looked up once for
    /// the whole list. Never retried: a retry could find half the list
    /// added by the first attempt.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty list, an empty name or domain,
    /// or a role name that does not exist (the error lists the roles that
    /// do); a 400 when the server refuses one (an unknown principal, a
    /// user granted already); any [`Error`] of a request.
    pub async fn add_users(&self, grants: &[Grant]) -> Result<Vec<User>, Error> {
        if grants.is_empty() {
            return Err(Error::invalid_input("users", "at least one is required"));
        }
        let mut body = Vec::with_capacity(grants.len());
        for grant in grants {
            let principal = &grant.principal;
            if principal.name.trim().is_empty() {
                return Err(Error::invalid_input("name", "is required"));
            }
            if principal.domain.trim().is_empty() && principal.kind != UserKind::Service {
                return Err(Error::invalid_input("domain", "is required"));
            }
            let role = self.role_by_name(&grant.role).await?;
            body.push(types::User {
                api_key: None,
                creation_timestamp: None,
                domain: Some(principal.domain.trim().to_owned()).filter(|d| !d.is_empty()),
                id: None,
                name: principal.name.trim().to_owned(),
                role: types::RoleReference { id: role.id },
                type_: principal.kind.as_str().to_owned(),
            });
        }
        let api = self.api();
        let page = self.run(&ADD_USERS, || api.add_users(&body)).await?;
        self.named(page.elements).await
    }

    /// Grants `role` to one user or group.
    ///
    /// # Errors
    ///
    /// As [`add_users`](Self::add_users).
    pub async fn add_user(&self, principal: &Principal, role: &str) -> Result<User, Error> {
        let mut added = self
            .add_users(&[Grant::new(principal.clone(), role)])
            .await?;
        first(&mut added)
    }

    /// Adds the service user `name` with `role` and returns it with its API
    /// key, which the server shows this once (keep it: no call shows it
    /// again). The key logs in with
    /// [`ClientBuilder::api_key`](super::ClientBuilder::api_key).
    ///
    /// # Errors
    ///
    /// As [`add_users`](Self::add_users); [`Error::Decode`] when the answer
    /// holds no key (the user exists then: remove it and add it again).
    pub async fn add_service_user(&self, name: &str, role: &str) -> Result<ServiceUser, Error> {
        if name.trim().is_empty() {
            return Err(Error::invalid_input("name", "is required"));
        }
        let role = self.role_by_name(role).await?;
        let body = vec![types::User {
            api_key: None,
            creation_timestamp: None,
            domain: None,
            id: None,
            name: name.trim().to_owned(),
            role: types::RoleReference {
                id: role.id.clone(),
            },
            type_: UserKind::Service.as_str().to_owned(),
        }];
        let api = self.api();
        let page = self.run(&ADD_USERS, || api.add_users(&body)).await?;
        let mut elements = page.elements;
        let key = elements
            .iter_mut()
            .find(|u| u.name.eq_ignore_ascii_case(name.trim()))
            .and_then(|u| u.api_key.take())
            .filter(|k| !k.expose().trim().is_empty())
            .ok_or_else(|| Error::Decode {
                operation: ADD_USERS.id(),
                status: None,
                path: "elements[].apiKey".into(),
                message: "missing or empty".into(),
            })?;
        let mut users = self.named(elements).await?;
        let user = first(&mut users)?;
        Ok(ServiceUser {
            user,
            api_key: Secret::new(key.expose()),
        })
    }

    /// Removes a user's grant (`DELETE /v1/users/{id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an id that cannot be a path segment; a
    /// 404 ([`Error::is_not_found`]) when no user has this id; any
    /// [`Error`] of a request.
    pub async fn remove_user(&self, id: &str) -> Result<(), Error> {
        path_segment("id", id)?;
        let api = self.api();
        self.run(&REMOVE_USER, || api.remove_user(id)).await
    }

    /// Lists the SSO domains whose users and groups can be granted a role
    /// (`GET /v1/sso-domains`).
    ///
    /// # Errors
    ///
    /// Any [`Error`] of a request.
    pub async fn list_sso_domains(&self) -> Result<Vec<String>, Error> {
        let api = self.api();
        let page = self.run(&GET_SSO_DOMAINS, || api.get_sso_domains()).await?;
        Ok(page.elements)
    }

    /// Searches the users and groups of the SSO domain `domain` whose names
    /// match `name` (all with `None`)
    /// (`GET /v1/sso-domains/{sso-domain}/entities?entityName=`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a domain that cannot be a path segment;
    /// any [`Error`] of a request.
    pub async fn search_principals(
        &self,
        domain: &str,
        name: Option<&str>,
    ) -> Result<Vec<Principal>, Error> {
        path_segment("sso-domain", domain)?;
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        let api = self.api();
        let page = self
            .run(&GET_SSO_DOMAIN_ENTITIES, || {
                api.get_sso_domain_entities(domain, name)
            })
            .await?;
        Ok(page
            .elements
            .into_iter()
            .filter_map(|e| {
                let name = e.name.filter(|n| !n.trim().is_empty())?;
                Some(Principal::new(name, domain, UserKind::parse(&e.type_)))
            })
            .collect())
    }

    /// Whether `principal` is a user or group its SSO domain knows (an
    /// exact name match, without regard to case, of the same kind).
    ///
    /// # Errors
    ///
    /// As [`search_principals`](Self::search_principals).
    pub async fn principal_exists(&self, principal: &Principal) -> Result<bool, Error> {
        Ok(self
            .search_principals(&principal.domain, Some(&principal.name))
            .await?
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&principal.name) && p.kind == principal.kind))
    }
}

fn first(users: &mut Vec<User>) -> Result<User, Error> {
    if users.is_empty() {
        return Err(Error::Decode {
            operation: ADD_USERS.id(),
            status: None,
            path: "elements".into(),
            message: "the answer lists no user".into(),
        });
    }
    Ok(users.remove(0))
}

fn unknown_role(name: &str, roles: &[Role]) -> Error {
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    Error::invalid_input(
        "role",
        format!(
            "no role is named '{}'; the roles are: {}",
            crate::terminal::sanitize(name.trim()),
            if names.is_empty() {
                "(none)".to_owned()
            } else {
                names.join(", ")
            }
        ),
    )
}
