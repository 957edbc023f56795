//! The Unleash SCIM operations the client runs: each is the generated spec
//! row plus what a status means for it.

use crate::runtime::op::Op;

const NOT_FOUND_HINT: &str = "SCIM needs Unleash Enterprise: open-source Unleash has no SCIM \
     routes (or the base URL is wrong: it is everything before /api, e.g. https://host/unleash)";
const UNAUTHORIZED_HINT: &str =
    "the API token is missing or invalid (an admin API token is sent as is, without Bearer)";
const FORBIDDEN_HINT: &str = "the API token lacks the permission to manage SCIM settings";
const HINTS: &[(u16, &str)] = &[
    (404, NOT_FOUND_HINT),
    (401, UNAUTHORIZED_HINT),
    (403, FORBIDDEN_HINT),
];

pub(super) static GET_SCIM_SETTINGS: Op =
    Op::new(&idp_api::unleash::operations::GET_SCIM_SETTINGS, HINTS);

pub(super) static SET_SCIM_SETTINGS: Op =
    Op::new(&idp_api::unleash::operations::SET_SCIM_SETTINGS, HINTS);

pub(super) static GENERATE_SCIM_TOKEN: Op =
    Op::new(&idp_api::unleash::operations::GENERATE_SCIM_TOKEN, HINTS);

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[&GET_SCIM_SETTINGS, &SET_SCIM_SETTINGS, &GENERATE_SCIM_TOKEN];
