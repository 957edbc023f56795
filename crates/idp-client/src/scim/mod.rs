//! A read-only probe of a SCIM 2.0 endpoint (RFC 7644): is it reachable
//! over TLS, does it accept the token, does it answer like SCIM.
//!
//! The SCIM endpoints the rotated tokens are for (the VCF Identity
//! Broker's `/usergroup/t/<tenant>/scim/v2`, Unleash's `/scim`, any other)
//! share RFC 7644's resource paths, so one probe serves them all; it sends
//! only `GET`s:
//!
//! ```no_run
//! # async fn demo() -> Result<(), idp_client::Error> {
//! use idp_client::{ScimClient, Secret};
//!
//! let scim = ScimClient::builder("https://vcenter.example.com/usergroup/t/CUSTOMER/scim/v2")
//!     .bearer_token(Secret::new("the sync client token"))
//!     .build()?;
//! let probe = scim.probe().await?;
//! assert!(probe.verdict.is_ok(), "{}", probe.verdict);
//! # Ok(())
//! # }
//! ```

mod probe;

pub use probe::{Client, ClientBuilder, DiscoveryAnswer, ScimProbe, ScimVerdict};
