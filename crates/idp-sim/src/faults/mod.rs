//! Fault injection: rules that make chosen requests fail.
//!
//! A rule matches a method (or `*`) and a route, and is applied before
//! authentication and before the real handler; when it answers, the handler
//! does not run (a faulted `POST` changes no state). Rules are tried in the
//! order they were added; the first match wins.
//!
//! **Route matching** is done on the raw request path (percent-encoding kept,
//! query ignored):
//!
//! - `*` matches every path;
//! - a route containing `{...}` is a *template*: it matches paths with the
//!   same number of segments where every literal segment is equal and every
//!   `{name}` segment is any non-empty segment — so
//!   `/v1/identity-providers/{id}` matches `/v1/identity-providers/abc` but
//!   not `/v1/identity-providers/abc/sync-client`;
//! - any other route is a *path prefix* on segment boundaries:
//!   `/v1/identity-providers` matches itself and everything below it, but not
//!   `/v1/identity-providers-x`.
//!
//! Unleash routes include the `/unleash` prefix
//! (`/unleash/api/admin/scim-settings/generate-new-token`). The simulator's
//! own `/__sim` routes are never faulted.

mod registry;
mod rule;

pub use registry::{ActiveFault, Faults};
pub use rule::{FaultAction, FaultBody, FaultId, FaultRule};
