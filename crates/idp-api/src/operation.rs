//! The shape of one row of the generated operation tables
//! (`idp_api::vcf::operations`, `idp_api::unleash::operations`).
//!
//! The rows themselves are generated from the specs by `idp-codegen`, so
//! the spec stays the one source of operation facts; this type is defined
//! once, by hand, so both tables share it.

/// One operation as its spec declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId` (`getIdentityProviders`).
    pub id: &'static str,
    /// The HTTP method.
    pub method: http::Method,
    /// The path template, with `{parameter}` placeholders.
    pub path: &'static str,
    /// The operation's first tag.
    pub tag: &'static str,
    /// Every response key the spec declares, in spec order: exact codes
    /// (`"200"`), ranges (`"2XX"`) and `"default"`.
    pub statuses: &'static [&'static str],
    /// What a success (`2xx`) response carries.
    pub success: SuccessBody,
    /// The component schema a JSON success body refers to
    /// (`PageOfIdentityProvider`), when it is a `$ref`.
    pub success_schema: Option<&'static str>,
    /// The request body's real media type, when it is a vendor type the
    /// generated code cannot send (the spec's `x-idp-media-types.request`;
    /// the generated code writes `application/json`).
    pub request_media: Option<&'static str>,
    /// The answer's real media type, sent as `Accept`
    /// (`x-idp-media-types.response`).
    pub response_media: Option<&'static str>,
}

/// The kind of body an operation's success responses carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SuccessBody {
    /// `application/json` (or a `+json` type): the generated code decodes it.
    Json,
    /// A `text/*` body: the generated code hands it over raw.
    Text,
    /// Another media type: handed over raw.
    Raw,
    /// No body.
    Empty,
}

impl Operation {
    /// Whether the spec declares `status` for this operation, either
    /// exactly (`"404"`), by range (`"4XX"`), or through `"default"`.
    #[must_use]
    pub fn declares(&self, status: u16) -> bool {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        self.statuses
            .iter()
            .any(|declared| *declared == exact || *declared == range || *declared == "default")
    }

    /// The operation in `table` with this `operationId`; each generated
    /// module's `find` calls this with its own `ALL`.
    #[must_use]
    pub fn find_in(table: &[&'static Self], id: &str) -> Option<&'static Self> {
        table.iter().copied().find(|op| op.id == id)
    }
}
