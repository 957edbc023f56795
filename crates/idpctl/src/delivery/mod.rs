//! Where a freshly rotated token goes (`--deliver TARGET`) and where it is
//! saved when delivery fails after rotation (`--recovery`).
//!
//! This lives in `idpctl`, not in `idp-client`: writing files, printing and
//! recovery are command-line concerns; the vendor targets `okta:` and
//! `entra:` call the facade clients of `idp-client`.
//!
//! The order is always: parse (usage error), the target's pre-flight
//! ([`file::preflight`], [`okta::preflight`], [`entra::preflight`]) and
//! [`Recovery::preflight`] (nothing rotated yet), rotate, delivery with
//! bounded retries ([`file::deliver`], [`okta::deliver`],
//! [`entra::deliver`]), and on failure [`Recovery::save`].
//!
//! A vendor delivery is retried by the client's own retry policy, the one
//! place retries are decided: Okta's connection `POST` and Graph's secrets
//! `PUT` are idempotent (setting the same value twice), so transient
//! failures (connection errors, timeouts, 408, 429, 502, 503, 504) are
//! retried up to the policy's three attempts in all, honouring
//! `Retry-After`; a refusal is not retried.

pub mod entra;
pub mod file;
pub mod okta;
pub mod recovery;

use std::path::PathBuf;

pub use recovery::Recovery;

use crate::failure::Failure;

/// Exit code of a rotation whose new token could not be delivered (it was
/// saved by [`Recovery`] instead). Documented in the README.
pub const ROTATED_NOT_DELIVERED: u8 = 7;

/// A pre-flight error of a vendor target: the client's failure (its exit
/// code kept), saying that nothing was rotated.
fn preflight_failure(target: &str, error: idp_client::Error) -> Failure {
    let mut failure = Failure::from(error);
    failure.message = format!(
        "cannot deliver to {target}: {}; nothing was rotated",
        failure.message
    );
    failure
}

/// A parsed `--deliver` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Print the token on stdout (the default; the command's usual output).
    Stdout,
    /// Write the token to a file, atomically, mode 0600.
    File(PathBuf),
    /// Set an Okta app's default provisioning connection (the app id).
    Okta(String),
    /// Put a Microsoft Entra service principal's synchronization secrets
    /// (its object id).
    Entra(String),
}

impl Target {
    /// Parses `stdout`, `file:PATH`, `okta:APP_ID` or
    /// `entra:SERVICE_PRINCIPAL_ID`.
    pub fn parse(text: &str) -> Result<Self, Failure> {
        if text == "stdout" {
            return Ok(Self::Stdout);
        }
        let Some((scheme, rest)) = text.split_once(':') else {
            return Err(unknown_target(text));
        };
        match scheme {
            "file" if !rest.is_empty() => Ok(Self::File(PathBuf::from(rest))),
            "file" => Err(Failure::usage(
                "--deliver file: needs a path, e.g. file:/etc/scim/token",
            )),
            "okta" if okta::valid_app_id(rest) => Ok(Self::Okta(rest.to_owned())),
            "okta" => Err(Failure::usage(
                "--deliver okta: needs the app id (letters and digits), e.g. okta:0oa1gjh63g214q0Hq0g4",
            )),
            "entra" if entra::valid_id(rest) => Ok(Self::Entra(rest.to_owned())),
            "entra" => Err(Failure::usage(
                "--deliver entra: needs the service principal's object id (a GUID), e.g. entra:6b3474d8-233e-463f-b0a3-86433d8ba889",
            )),
            _ => Err(unknown_target(text)),
        }
    }

    /// Checks, before anything is rotated, that a file target can be
    /// written (vendor targets are checked by their own pre-flight).
    pub fn preflight_file(&self) -> Result<(), Failure> {
        match self {
            Self::File(path) => file::preflight(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot deliver to file:{}: {e}; nothing was rotated",
                    path.display()
                ))
            }),
            Self::Stdout | Self::Okta(_) | Self::Entra(_) => Ok(()),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Stdout => f.write_str("stdout"),
            Self::File(path) => write!(f, "file:{}", path.display()),
            Self::Okta(app_id) => write!(f, "okta:{app_id}"),
            Self::Entra(id) => write!(f, "entra:{id}"),
        }
    }
}

fn unknown_target(text: &str) -> Failure {
    Failure::usage(format!(
        "--deliver `{text}`: expected stdout, file:PATH, okta:APP_ID or entra:SERVICE_PRINCIPAL_ID"
    ))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::Target;

    #[test]
    fn parses_targets() {
        assert_eq!(Target::parse("stdout").unwrap(), Target::Stdout);
        assert_eq!(
            Target::parse("file:/tmp/t").unwrap(),
            Target::File(PathBuf::from("/tmp/t"))
        );
        assert_eq!(
            Target::parse("okta:0oa1").unwrap(),
            Target::Okta("0oa1".into())
        );
        for bad in [
            "",
            "file:",
            "okta:",
            "okta:../x",
            "entra:",
            "entra:xyz",
            "entra:../x",
            "s3:x",
            "stdout:",
        ] {
            let failure = Target::parse(bad).unwrap_err();
            assert_eq!(failure.code, 2, "{bad}");
        }
        assert_eq!(
            Target::parse("entra:6b3474d8-233e").unwrap(),
            Target::Entra("6b3474d8-233e".into())
        );
    }
}
