//! Reading the `--file` documents: a path or stdin, bounded, a JSON object.

use std::io::Read;

use clap::Args;
use serde::de::DeserializeOwned;

use crate::failure::Failure;

/// `--file PATH|-`.
#[derive(Debug, Clone, Args)]
pub struct FileArg {
    /// The JSON document; `-` reads stdin.
    #[arg(long, short = 'f', value_name = "PATH|-")]
    pub file: String,
}

impl FileArg {
    /// Whether the document comes from stdin.
    pub fn is_stdin(&self) -> bool {
        self.file == "-"
    }
}

/// The largest spec document accepted; real ones are a few kilobytes.
pub const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

/// Reads `source` (a path, or `-` for stdin) and decodes it as `T`.
pub fn read_document<T: DeserializeOwned>(source: &str) -> Result<T, Failure> {
    let text = read_bounded(source)?;
    let value: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| Failure::usage(format!("{}: not valid JSON: {e}", describe(source))))?;
    if !value.is_object() {
        return Err(Failure::usage(format!(
            "{}: expected a JSON object, found {}",
            describe(source),
            kind(&value)
        )));
    }
    let mut track = serde_path_to_error::Track::new();
    let deserializer = serde_path_to_error::Deserializer::new(value, &mut track);
    T::deserialize(deserializer).map_err(|e| {
        let path = track.path().to_string();
        let mut message = e.to_string();
        if is_secret_field(&path) {
            // serde quotes the offending value (`invalid type: integer
            // `12345678``): for a password or a secret, keep only what was
            // expected.
            message = match message.find(", expected ") {
                Some(at) => format!("invalid value (not shown){}", &message[at..]),
                None => "invalid value (not shown)".to_owned(),
            };
        }
        Failure::usage(format!("{}: at {path}: {message}", describe(source)))
    })
}

/// Whether the last segment of a spec path names a secret (`ldap.password`,
/// `fedIdpSpec.oidcSpec.clientSecret`, ...).
fn is_secret_field(path: &str) -> bool {
    let field = path.rsplit('.').next().unwrap_or(path).to_ascii_lowercase();
    field.contains("password") || field.contains("secret") || field.ends_with("token")
}

fn read_bounded(source: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let result = if source == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_DOCUMENT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(source)
            .and_then(|file| file.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes))
    };
    result.map_err(|e| Failure::usage(format!("cannot read {}: {e}", describe(source))))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(Failure::usage(format!(
            "{} is larger than {} KiB; a spec document is a few kilobytes",
            describe(source),
            MAX_DOCUMENT_BYTES / 1024
        )));
    }
    Ok(bytes)
}

fn describe(source: &str) -> String {
    if source == "-" {
        "stdin".to_owned()
    } else {
        source.to_owned()
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
