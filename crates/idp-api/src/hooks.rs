//! The seam between generated clients and the code that drives them.

use std::fmt;
use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

/// Adjusts every request a generated client sends, just before it leaves.
///
/// The `idp-client` facade implements it to add the `Authorization` header;
/// it must not block and cannot fail (credentials are obtained beforehand).
pub trait PrepareRequest: Send + Sync + 'static {
    /// Edits `request` for the operation named `operation_id`.
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &'static str);

    /// Sees the outcome of every request as soon as it returns, before its
    /// body is read. The default does nothing.
    ///
    /// progenitor's `Error::InvalidResponsePayload` carries neither the
    /// status nor the headers; the facade records them here.
    fn observe(
        &self,
        result: Result<&reqwest::Response, &reqwest::Error>,
        operation_id: &'static str,
    ) {
        let _ = (result, operation_id);
    }
}

/// What every generated `Client` carries: an optional [`PrepareRequest`].
#[derive(Clone, Default)]
pub struct RequestHooks {
    prepare: Option<Arc<dyn PrepareRequest>>,
}

impl RequestHooks {
    /// Hooks that leave requests as generated.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// Hooks that run `prepare` on every request.
    #[must_use]
    pub fn with_prepare(prepare: Arc<dyn PrepareRequest>) -> Self {
        Self {
            prepare: Some(prepare),
        }
    }

    fn apply(&self, request: &mut reqwest::Request, info: &OperationInfo) {
        // progenitor adds `api-version: <spec info.version>`; neither vendor
        // defines that header, so it is not sent.
        request.headers_mut().remove("api-version");
        if let Some(prepare) = &self.prepare {
            prepare.prepare(request, info.operation_id);
        }
    }

    fn observe(&self, result: &reqwest::Result<reqwest::Response>, info: &OperationInfo) {
        if let Some(prepare) = &self.prepare {
            prepare.observe(result.as_ref(), info.operation_id);
        }
    }
}

impl fmt::Debug for RequestHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestHooks")
            .field("prepare", &self.prepare.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

macro_rules! impl_client_hooks {
    ($($client:ty),+) => {$(
        impl ClientHooks<RequestHooks> for $client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                self.inner().apply(request, info);
                Ok(())
            }

            async fn post<E>(
                &self,
                result: &reqwest::Result<reqwest::Response>,
                info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                self.inner().observe(result, info);
                Ok(())
            }
        }
    )+};
}

impl_client_hooks!(crate::vcf::Client, crate::unleash::Client);
