//! The caller's named contexts, as clients of `context: NAME` targets.

use idp_client::{BrokerClient, VcfClient};

use crate::error::Error;

/// Turns a `context: NAME` target into a client. The caller supplies it
/// (a CLI with named contexts in its configuration file, say).
pub trait ContextResolver: Send + Sync {
    /// A client for the context `name`.
    ///
    /// # Errors
    ///
    /// Any [`Error`]; [`Error::Usage`] when there is no such context.
    fn client(&self, name: &str) -> Result<VcfClient, Error>;

    /// A broker client for the context `name` (a `context: NAME` broker).
    /// The default resolves none.
    ///
    /// # Errors
    ///
    /// Any [`Error`]; [`Error::Usage`] when there is no such context or it
    /// has no broker settings.
    fn broker_client(&self, name: &str) -> Result<BrokerClient, Error> {
        Err(Error::Usage(format!(
            "context `{name}`: this context resolver has no broker settings"
        )))
    }

    /// A VCF Operations client for the context `name` (a `context: NAME`
    /// entry of `operations`). The default resolves none.
    ///
    /// # Errors
    ///
    /// Any [`Error`]; [`Error::Usage`] when there is no such context or it
    /// has no VCF Operations settings.
    fn ops_client(&self, name: &str) -> Result<idp_client::vcf_ops::Client, Error> {
        Err(Error::Usage(format!(
            "context `{name}`: this context resolver has no VCF Operations settings"
        )))
    }
}
