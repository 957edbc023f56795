//! References to secrets and certificates, resolved only when needed.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use idp_client::Secret;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// A secret in a document: `env:NAME`, `file:PATH`, or (only when the
/// caller allows it) the literal value. Never printed.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum SecretRef {
    /// The value of an environment variable.
    Env(String),
    /// The contents of a file (one trailing newline removed).
    File(PathBuf),
    /// The value itself, written into the document.
    Literal(Secret),
}

impl SecretRef {
    /// Reads `env:NAME`, `file:PATH`, or else a literal.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        if let Some(name) = text.strip_prefix("env:") {
            Self::Env(name.trim().to_owned())
        } else if let Some(path) = text.strip_prefix("file:") {
            Self::File(PathBuf::from(path.trim()))
        } else {
            Self::Literal(Secret::new(text))
        }
    }

    /// Whether the value is written in the document.
    #[must_use]
    pub fn is_literal(&self) -> bool {
        matches!(self, Self::Literal(_))
    }

    /// Reads the secret; `field` names it in errors (never the value).
    ///
    /// # Errors
    ///
    /// [`Error::Reference`] when the variable is unset or not UTF-8, or
    /// the file cannot be read or is empty.
    pub fn resolve(&self, field: &str) -> Result<Secret, Error> {
        let value = match self {
            Self::Literal(secret) => return Ok(secret.clone()),
            // VarError's own text would show a non-UTF-8 value: say what is
            // wrong without it.
            Self::Env(name) => std::env::var(name).map_err(|e| Error::Reference {
                field: field.to_owned(),
                message: match e {
                    std::env::VarError::NotPresent => {
                        format!("environment variable {name} is not set")
                    }
                    std::env::VarError::NotUnicode(_) => {
                        format!("environment variable {name} is not valid UTF-8")
                    }
                },
            })?,
            Self::File(path) => read_file(field, path)?,
        };
        if value.is_empty() {
            return Err(Error::Reference {
                field: field.to_owned(),
                message: format!("{self} is empty"),
            });
        }
        Ok(Secret::new(value))
    }
}

fn read_file(field: &str, path: &PathBuf) -> Result<String, Error> {
    let mut text = std::fs::read_to_string(path).map_err(|e| Error::Reference {
        field: field.to_owned(),
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(name) => write!(f, "env:{name}"),
            Self::File(path) => write!(f, "file:{}", path.display()),
            Self::Literal(_) => f.write_str("(literal secret)"),
        }
    }
}

impl fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretRef({self})")
    }
}

impl Serialize for SecretRef {
    /// References serialize as written; a literal as `(literal secret)`,
    /// never its value.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SecretRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}

impl JsonSchema for SecretRef {
    fn schema_name() -> Cow<'static, str> {
        "SecretRef".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A secret: `env:NAME` or `file:PATH` (a literal value is refused unless allowed).",
            "type": "string",
            "examples": ["env:OKTA_CLIENT_SECRET", "file:/run/secrets/okta"]
        })
    }
}

/// Certificates (PEM) in a document: `file:PATH` or the PEM text itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PemRef(pub String);

impl PemRef {
    /// A reference to the PEM file at `path`.
    #[must_use]
    pub fn file(path: impl AsRef<std::path::Path>) -> Self {
        Self(format!("file:{}", path.as_ref().display()))
    }

    /// The file of a `file:PATH` reference; `None` for PEM text.
    #[must_use]
    pub fn path(&self) -> Option<PathBuf> {
        self.0
            .strip_prefix("file:")
            .map(|p| PathBuf::from(p.trim()))
    }

    /// The PEM text, read from the file for `file:PATH`; `field` names it in
    /// errors.
    ///
    /// # Errors
    ///
    /// [`Error::Reference`] when the file cannot be read.
    pub fn resolve(&self, field: &str) -> Result<String, Error> {
        match self.0.strip_prefix("file:") {
            Some(path) => read_file(field, &PathBuf::from(path.trim())),
            None => Ok(self.0.clone()),
        }
    }
}

impl JsonSchema for PemRef {
    fn schema_name() -> Cow<'static, str> {
        "PemRef".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Certificates (PEM): `file:PATH` or the PEM text.",
            "type": "string"
        })
    }
}

/// Parses a duration: seconds, or a number with one of the units `s`, `m`,
/// `h`, `d` (`3600`, `90s`, `90m`, `12h`, `30d`); at least one second.
///
/// # Errors
///
/// A message saying what is wrong.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (examples: 3600, 90m, 12h, 30d)"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}` (use s, m, h or d)"
            ));
        }
    };
    let seconds = number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too long"))?;
    if seconds == 0 {
        return Err("a token lifetime must be at least one second".to_owned());
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{SecretRef, parse_duration};

    #[test]
    fn parses_every_documented_form() {
        assert_eq!(parse_duration("3600"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(43_200)));
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(2_592_000)));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "0", "m", "12x", "1.5h", "-3", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn references_never_show_a_literal() {
        let literal = SecretRef::parse("hunter2");
        assert!(literal.is_literal());
        assert!(!format!("{literal:?} {literal}").contains("hunter2"));
        assert_eq!(
            serde_json::to_string(&literal).ok().as_deref(),
            Some("\"(literal secret)\"")
        );
        assert_eq!(SecretRef::parse("env:X").to_string(), "env:X");
        assert_eq!(SecretRef::parse("file:/a/b").to_string(), "file:/a/b");
    }
}
