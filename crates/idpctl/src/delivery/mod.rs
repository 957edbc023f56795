//! Where a freshly rotated token goes (`--deliver TARGET`) and where it is
//! saved when delivery fails after rotation (`--recovery`).
//!
//! This lives in `idpctl`, not in `idp-client`: writing files, printing and
//! recovery are command-line concerns; the vendor target `okta:` calls the
//! facade client of `idp-client`. `entra:` is parsed and refused with a
//! usage error (not built yet), never faked.
//!
//! The order is always: parse (usage error), the target's pre-flight
//! ([`file::preflight`], [`okta::preflight`]) and [`Recovery::preflight`]
//! (nothing rotated yet), rotate, delivery with bounded retries
//! ([`file::deliver`], [`okta::deliver`]), and on failure [`Recovery::save`].

pub mod file;
pub mod okta;
pub mod recovery;

use std::path::PathBuf;

pub use recovery::Recovery;

use crate::failure::Failure;

/// Exit code of a rotation whose new token could not be delivered (it was
/// saved by [`Recovery`] instead). Documented in the README.
pub const ROTATED_NOT_DELIVERED: u8 = 7;

/// A parsed `--deliver` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Print the token on stdout (the default; the command's usual output).
    Stdout,
    /// Write the token to a file, atomically, mode 0600.
    File(PathBuf),
    /// Set an Okta app's default provisioning connection (the app id).
    Okta(String),
}

impl Target {
    /// Parses `stdout`, `file:PATH` or `okta:APP_ID`; `entra:` is recognised
    /// and refused as not supported yet.
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
            "entra" => Err(Failure::usage(
                "--deliver entra:… is not supported yet; use okta:APP_ID, file:PATH or stdout",
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
            Self::Stdout | Self::Okta(_) => Ok(()),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Stdout => f.write_str("stdout"),
            Self::File(path) => write!(f, "file:{}", path.display()),
            Self::Okta(app_id) => write!(f, "okta:{app_id}"),
        }
    }
}

fn unknown_target(text: &str) -> Failure {
    Failure::usage(format!(
        "--deliver `{text}`: expected stdout, file:PATH or okta:APP_ID (entra:SERVICE_PRINCIPAL_ID is not supported yet)"
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
            "entra:abc",
            "s3:x",
            "stdout:",
        ] {
            let failure = Target::parse(bad).unwrap_err();
            assert_eq!(failure.code, 2, "{bad}");
        }
        assert!(
            Target::parse("entra:abc")
                .unwrap_err()
                .message
                .contains("not supported yet")
        );
    }
}
