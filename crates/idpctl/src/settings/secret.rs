//! Where a secret comes from, decided before it is read: stdin, a
//! variable, or a reference of the context.

use std::io::BufRead;

use idp_client::Secret;
use idp_config::SecretRef;

use super::precedence::{Given, Lookup};
use crate::failure::Failure;

/// Where a secret comes from, before it is read.
#[derive(Debug, Clone, PartialEq)]
pub enum SecretSource {
    /// The first line of stdin (`--secret-stdin`).
    Stdin,
    /// An environment variable.
    Env(&'static str),
    /// A reference of the context (`env:NAME`, `file:PATH`) and its key
    /// (`vcf.password`).
    Context(&'static str, SecretRef),
}

impl Given for SecretSource {}

impl SecretSource {
    /// `--secret-stdin` as a layer: stdin when the flag is on.
    pub fn stdin(on: bool) -> Option<Self> {
        on.then_some(Self::Stdin)
    }

    /// A variable as a layer: the variable when it is set.
    pub fn env(env: Lookup<'_>, name: &'static str) -> Option<Self> {
        env(name).map(|_| Self::Env(name))
    }

    /// A context's reference as a layer.
    pub fn context(key: &'static str, reference: Option<&SecretRef>) -> Option<Self> {
        reference.map(|r| Self::Context(key, r.clone()))
    }

    /// Reads the secret now.
    pub fn read(&self, env: Lookup<'_>) -> Result<Secret, Failure> {
        match self {
            Self::Stdin => read_secret_line(),
            Self::Env(name) => env(name)
                .map(Secret::new)
                .ok_or_else(|| Failure::usage(format!("{name} is not set"))),
            Self::Context(key, reference) => reference
                .resolve(&format!("context {key}"))
                .map_err(|e| Failure::usage(e.to_string())),
        }
    }
}

/// The first line of stdin, as a secret.
fn read_secret_line() -> Result<Secret, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the secret from stdin: {e}")))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    if secret.is_empty() {
        return Err(Failure::usage("--secret-stdin: stdin is empty"));
    }
    Ok(Secret::new(secret))
}
