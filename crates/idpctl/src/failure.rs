//! How a failed command is reported: `error:`, `remediation:` and
//! `reference:` lines on stderr, and an exit code.

use idp_client::Error;
use idp_client::terminal::sanitize;

/// Exit codes of `idpctl`.
pub mod exit {
    /// Anything not covered below.
    pub const OTHER: u8 = 1;
    /// A usage or configuration error: nothing was sent.
    pub const USAGE: u8 = 2;
    /// The server said the object does not exist.
    pub const NOT_FOUND: u8 = 3;
    /// The server refused the credentials or the permission.
    pub const UNAUTHORIZED: u8 = 4;
    /// Any other error answered by the server.
    pub const SERVER: u8 = 5;
    /// Network, TLS or timeout.
    pub const NETWORK: u8 = 6;
    // 7: a token was rotated but not delivered (`crate::delivery`).
    /// A rotated token was delivered, but `--verify` found that the SCIM
    /// endpoint does not accept it (or `--verify-old`, that it still
    /// accepts the previous one).
    pub const VERIFY_FAILED: u8 = 8;
    // `idpctl check` uses 0-3 in the monitoring-plugin convention instead.
}

/// A failed command, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// The `error:` line.
    pub message: String,
    /// The `remediation:` line, when the server gave one.
    pub remediation: Option<String>,
    /// The `reference:` line, when the server gave one.
    pub reference: Option<String>,
}

impl Failure {
    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(exit::USAGE, message)
    }

    /// Any other failure (exit 1).
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(exit::OTHER, message)
    }

    /// A failure with this exit code and message.
    pub fn exit_with(code: u8, message: impl Into<String>) -> Self {
        Self::new(code, message)
    }

    /// Only an exit code: the command already said everything on stdout
    /// (`idpctl check`).
    pub fn exit_only(code: u8) -> Self {
        Self::new(code, "")
    }

    fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            remediation: None,
            reference: None,
        }
    }

    /// The lines to print on stderr, each made terminal-safe (the text may
    /// come from a server).
    pub fn render(&self) -> String {
        if self.message.is_empty() {
            return String::new();
        }
        let mut text = format!("error: {}\n", sanitize(&self.message));
        if let Some(remediation) = &self.remediation {
            text.push_str(&format!("remediation: {}\n", sanitize(remediation)));
        }
        if let Some(reference) = &self.reference {
            text.push_str(&format!("reference: {}\n", sanitize(reference)));
        }
        text
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let code = exit_code(&error);
        let Some(status) = error
            .status()
            .filter(|_| matches!(error, Error::Api { .. }))
        else {
            // idp_client::Error's Display (and its causes') never includes
            // a secret.
            return Self::new(code, with_causes(&error));
        };
        let operation = error.operation().unwrap_or("request");
        let vendor = error.vendor();
        let detail = vendor
            .and_then(|v| v.summary().map(str::to_owned))
            .or_else(|| {
                error
                    .body_snippet()
                    .map(|s| format!("the server answered: {s}"))
            })
            .unwrap_or_else(|| "no details in the response".to_owned());
        let mut message = format!("{operation} failed with HTTP {status}: {detail}");
        if let Error::Api {
            hint: Some(hint), ..
        } = &error
        {
            message.push_str(&format!(" ({hint})"));
        }
        Self {
            code,
            message,
            remediation: vendor.and_then(|v| v.remediation.clone()),
            reference: vendor.and_then(|v| v.reference_token.clone()),
        }
    }
}

/// The error's line followed by its causes (the `source()` chain: for a
/// transport failure, what the HTTP stack said), each said once.
fn with_causes(error: &Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    // Bounded: a chain is a handful of errors deep.
    for _ in 0..8 {
        let Some(current) = cause else {
            break;
        };
        let line = current.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        cause = current.source();
    }
    text
}

/// The exit code for a library error.
fn exit_code(error: &Error) -> u8 {
    match error {
        Error::InvalidInput { .. } | Error::Config { .. } => exit::USAGE,
        Error::Api { .. } if error.is_not_found() => exit::NOT_FOUND,
        Error::Api { .. } if error.is_unauthorized() || error.is_forbidden() => exit::UNAUTHORIZED,
        Error::Api { .. }
        | Error::Decode { .. }
        | Error::ResponseTooLarge { .. }
        | Error::IdUnknown { .. } => exit::SERVER,
        Error::Transport { .. } => exit::NETWORK,
        _ => exit::OTHER,
    }
}

#[cfg(test)]
mod tests {
    use super::Failure;

    #[test]
    fn renders_each_line_the_server_gave() {
        let failure = Failure {
            code: 5,
            message: "boom".into(),
            remediation: Some("retry later".into()),
            reference: Some("ABC123".into()),
        };
        assert_eq!(
            failure.render(),
            "error: boom\nremediation: retry later\nreference: ABC123\n"
        );
        assert_eq!(Failure::usage("bad flag").render(), "error: bad flag\n");
        assert_eq!(Failure::usage("x").code, 2);
    }
}
