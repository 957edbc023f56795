//! Where a freshly rotated token goes (`--deliver TARGET`) and where it is
//! saved when delivery fails after rotation (`--recovery`).
//!
//! This lives in `idpctl`, not in `idp-client`: writing files, printing and
//! recovery are command-line concerns. Vendor targets (`okta:`, `entra:`)
//! will call facade clients of `idp-client` from here; until those exist
//! they are parsed and refused with a usage error, never faked.
//!
//! The order is always: parse (usage error), [`Target::preflight`] and
//! [`Recovery::preflight`] (nothing rotated yet), rotate, [`file::deliver`]
//! with bounded retries, and on failure [`Recovery::save`].

pub mod file;
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
}

impl Target {
    /// Parses `stdout` or `file:PATH`; vendor schemes are recognised and
    /// refused as not supported yet.
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
            "okta" | "entra" => Err(Failure::usage(format!(
                "--deliver {scheme}:… is not supported yet; use file:PATH or stdout"
            ))),
            _ => Err(unknown_target(text)),
        }
    }

    /// Checks, before anything is rotated, that delivery can work.
    pub fn preflight(&self) -> Result<(), Failure> {
        match self {
            Self::Stdout => Ok(()),
            Self::File(path) => file::preflight(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot deliver to file:{}: {e}; nothing was rotated",
                    path.display()
                ))
            }),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Stdout => f.write_str("stdout"),
            Self::File(path) => write!(f, "file:{}", path.display()),
        }
    }
}

fn unknown_target(text: &str) -> Failure {
    Failure::usage(format!(
        "--deliver `{text}`: expected stdout or file:PATH (okta:APP_ID and entra:SERVICE_PRINCIPAL_ID are not supported yet)"
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
        for bad in ["", "file:", "okta:0oa1", "entra:abc", "s3:x", "stdout:"] {
            let failure = Target::parse(bad).unwrap_err();
            assert_eq!(failure.code, 2, "{bad}");
        }
        assert!(
            Target::parse("okta:0oa1")
                .unwrap_err()
                .message
                .contains("not supported yet")
        );
    }
}
