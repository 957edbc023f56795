//! The document: targets, brokers and VCF Operations, and the desired
//! identity configuration, broker state and realm state.

/// Serde and JSON Schema for a connection target through its written
/// form: the module's `Written` (what a document holds, field by field),
/// `From<$target> for Written`, and `$target::from_written`, which refuses
/// a written target that does not make one connection.
macro_rules! through_written {
    ($target:ty) => {
        impl serde::Serialize for $target {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Written::from(self.clone()).serialize(serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $target {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let written = Written::deserialize(deserializer)?;
                Self::from_written(written).map_err(serde::de::Error::custom)
            }
        }

        impl schemars::JsonSchema for $target {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                Written::schema_name()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                Written::json_schema(generator)
            }
        }
    };
}

mod access;
mod broker;
mod broker_state;
mod identity;
mod operations;
mod realm_state;
mod target;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use access::{AccessGrant, GranteeKind};
pub use broker::BrokerTarget;
pub use broker_state::{BrokerDirectoryConfig, BrokerIdpConfig, BrokerState};
pub use identity::{
    Directory, EmbeddedSource, External, ExternalProvider, ExternalType, Identity, LdapDirectory,
    OidcClient, SourceType,
};
pub use operations::OperationsTarget;
pub use realm_state::{
    GroupRole, RealmDirectory, RealmIdentityProvider, RealmOidc, RealmSaml, RealmState,
    SamlAttributeMapping,
};
pub use target::Target;

/// A declarative identity configuration: the targets and what they should
/// look like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Document {
    /// The SDDC Managers this document configures.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// The desired identity configuration of every target that does not
    /// override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The VCF Identity Brokers this document configures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brokers: Vec<BrokerTarget>,
    /// The desired state of every broker that does not override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker: Option<BrokerState>,
    /// The VCF Operations (VCF 9.1 fleet identity) this document
    /// configures, each with the desired state of its SSO realms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<OperationsTarget>,
}

impl Document {
    /// A document for `targets`, all with `identity`.
    #[must_use]
    pub fn new(targets: Vec<Target>, identity: Option<Identity>) -> Self {
        Self {
            targets,
            identity,
            brokers: Vec::new(),
            broker: None,
            operations: Vec::new(),
        }
    }

    /// Adds VCF Operations targets.
    #[must_use]
    pub fn with_operations(mut self, operations: Vec<OperationsTarget>) -> Self {
        self.operations = operations;
        self
    }

    /// Adds broker targets, all with `state` unless they carry their own.
    #[must_use]
    pub fn with_brokers(mut self, brokers: Vec<BrokerTarget>, state: Option<BrokerState>) -> Self {
        self.brokers = brokers;
        self.broker = state;
        self
    }

    /// The desired state of `broker`: its own, or the document's.
    #[must_use]
    pub fn broker_state_of<'a>(&'a self, broker: &'a BrokerTarget) -> Option<&'a BrokerState> {
        broker.broker.as_ref().or(self.broker.as_ref())
    }

    /// The desired identity of `target`: its own, or the document's.
    #[must_use]
    pub fn identity_of<'a>(&'a self, target: &'a Target) -> Option<&'a Identity> {
        target.identity.as_ref().or(self.identity.as_ref())
    }
}

/// Where a target or broker is and how to log in: written in the document
/// (`url` and credentials), or a named context of the caller's
/// configuration (`context`, resolved by a [`crate::ContextResolver`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Connection<C> {
    /// The endpoint and credentials written in the document.
    Direct(C),
    /// A named context of the caller's configuration.
    Context(String),
}

impl<C: Default> Default for Connection<C> {
    fn default() -> Self {
        Self::Direct(C::default())
    }
}

impl<C> Connection<C> {
    /// The endpoint and credentials written in the document, if any.
    #[must_use]
    pub fn direct(&self) -> Option<&C> {
        match self {
            Self::Direct(c) => Some(c),
            Self::Context(_) => None,
        }
    }

    /// The context's name, for a target given by context.
    #[must_use]
    pub fn context(&self) -> Option<&str> {
        match self {
            Self::Direct(_) => None,
            Self::Context(name) => Some(name),
        }
    }
}

/// `name`, else `context`, else `url`.
fn display_name<'a>(
    name: Option<&'a str>,
    context: Option<&'a str>,
    url: Option<&'a str>,
) -> &'a str {
    name.or(context).or(url).unwrap_or("")
}

/// A target's or broker's fields that do not make one connection (`url`
/// with `context`, two kinds of credentials): raised while the document is
/// read, then placed at `field` by [`crate::Document::from_text`].
#[derive(Debug)]
struct FieldError {
    /// The field, relative to the target (`token`).
    field: &'static str,
    message: String,
}

impl FieldError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// The prefix that names the field; it still reads well when a caller
/// deserializes a document with serde directly.
const FIELD_PREFIX: &str = "field `";

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{FIELD_PREFIX}{}`: {}", self.field, self.message)
    }
}

/// The field and message of a [`FieldError`]'s text (after the path the
/// YAML reader puts first, `brokers: `).
pub(crate) fn split_field_error(text: &str) -> Option<(&str, &str)> {
    let rest = &text[text.find(FIELD_PREFIX)? + FIELD_PREFIX.len()..];
    let (field, message) = rest.split_once("`: ")?;
    field
        .chars()
        .all(|c| c.is_ascii_alphanumeric())
        .then_some((field, message))
}

/// A context-only target or broker: none of the fields `context` replaces
/// (`fields`: name, whether set) may be written.
fn check_context_only(fields: &[(&'static str, bool)]) -> Result<(), FieldError> {
    match fields.iter().find(|(_, set)| *set) {
        Some((field, _)) => Err(FieldError::new(field, "not allowed with `context`")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::{FieldError, split_field_error};

    #[test]
    fn a_field_error_names_its_field() {
        let text = FieldError::new("caCert", "not allowed with `context`").to_string();
        assert_eq!(
            split_field_error(&text),
            Some(("caCert", "not allowed with `context`"))
        );
        assert_eq!(
            split_field_error(&format!("brokers: {text}")),
            Some(("caCert", "not allowed with `context`"))
        );
        assert_eq!(split_field_error("invalid type: integer"), None);
    }
}
