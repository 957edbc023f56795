//! The vCenter operations the client runs: each is the generated spec row
//! plus what a status means for it.

use crate::runtime::op::Op;

pub(crate) static CREATE_VCENTER_SESSION: Op = Op::new(
    &idp_api::vcenter::operations::CREATE_VCENTER_SESSION,
    &[(401, "the vCenter user name or password was rejected")],
);

pub(crate) static GET_BROKER_TENANT_ADMIN_CLIENT: Op = Op::new(
    &idp_api::vcenter::operations::GET_BROKER_TENANT_ADMIN_CLIENT,
    &[
        (
            403,
            "the vCenter user lacks the VcIdentityProviders.Manage privilege",
        ),
        (
            404,
            "vCenter owns no broker tenant with this name (the default is CUSTOMER)",
        ),
    ],
);

pub(crate) static DELETE_VCENTER_SESSION: Op = Op::new(
    &idp_api::vcenter::operations::DELETE_VCENTER_SESSION,
    &[(
        401,
        "vCenter no longer knows the session (it may have timed out already)",
    )],
);

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[
    &CREATE_VCENTER_SESSION,
    &GET_BROKER_TENANT_ADMIN_CLIENT,
    &DELETE_VCENTER_SESSION,
];
