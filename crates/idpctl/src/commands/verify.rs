//! `--verify` and `--verify-old`, shared by every rotate command: after
//! delivery, the delivered SCIM URL is probed with the new token
//! (`idp_client::ScimClient`), or for an `entra:` target Entra itself is
//! asked (Graph's `validateCredentials`); `--verify-old` also checks that
//! the previous token is refused. A failed verification after a successful
//! delivery is exit 8 ([`exit::VERIFY_FAILED`]): the token is in place, the
//! URL or the token may be wrong.
//!
//! A rotate command gets all of this by flattening [`DeliveryArgs`] (which
//! carries [`VerifyArgs`]) and ending with [`Plan::deliver`] then
//! [`Plan::verify`](crate::commands::rotation::Plan::verify), as
//! [`Rotated::finish`](crate::commands::rotation::Rotated::finish) does.
//!
//! [`DeliveryArgs`]: crate::commands::rotation::DeliveryArgs
//! [`Plan::deliver`]: crate::commands::rotation::Plan::deliver

use clap::Args;
use idp_client::{ClientConfig, EntraClient, ScimClient, ScimVerdict, Secret};
use serde::Serialize;

use crate::failure::{Failure, exit};

/// `--verify`, `--verify-old`.
#[derive(Debug, Clone, Default, Args)]
pub struct VerifyArgs {
    /// After delivery, check that the delivered SCIM URL accepts the new
    /// token (read-only SCIM requests; for an entra: target, Entra's own
    /// credential validation). Exit 8 when it does not.
    #[arg(long)]
    pub verify: bool,
    /// With --verify, also check that the previous token is now refused
    /// (when the command has it: the content of a file: target before it
    /// is replaced). Implies --verify.
    #[arg(long)]
    pub verify_old: bool,
}

impl VerifyArgs {
    /// Whether anything is to be verified.
    pub fn wanted(&self) -> bool {
        self.verify || self.verify_old
    }
}

/// What verification found, for the command's output.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// `scim` (the endpoint probed) or `entra` (Entra's validation).
    pub by: &'static str,
    /// The new token opens the SCIM URL.
    pub new_token_accepted: bool,
    /// The previous token is refused: `Some(true)`; `None` when not checked.
    pub old_token_refused: Option<bool>,
    /// Why the previous token was not checked, when asked to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_token_note: Option<String>,
}

impl Verified {
    /// One line for the table output.
    pub fn line(&self) -> String {
        let old = match (self.old_token_refused, &self.old_token_note) {
            (Some(true), _) => "; the previous token is refused".to_owned(),
            (_, Some(note)) => format!("; {note}"),
            _ => String::new(),
        };
        let by = if self.by == "entra" {
            "Entra validated the credentials"
        } else {
            "the SCIM endpoint accepts the new token"
        };
        format!("{by}{old}")
    }
}

/// The exit-8 failure: the token is in place but does not work there.
fn failed(what: &str, target: &str, url: &str, why: &str) -> Failure {
    let mut failure = Failure::exit_with(
        exit::VERIFY_FAILED,
        format!(
            "{what} was rotated and delivered to {target} (the new token is in place), but verification failed: {why}"
        ),
    );
    failure.remediation = Some(format!(
        "the SCIM URL ({url}) or the token may be wrong: check the URL with `idpctl scim probe {url} --token-file FILE`, or pass --scim-url"
    ));
    failure
}

/// Verifies `token` at `scim_url` after delivery to `target`.
pub struct Verification<'a> {
    pub what: &'a str,
    pub target: String,
    pub scim_url: &'a str,
    /// The SCIM endpoint's client configuration (CA, TLS, timeouts).
    pub config: &'a ClientConfig,
    /// Entra's client and service principal, for an `entra:` target.
    pub entra: Option<(&'a EntraClient, &'a str)>,
}

impl Verification<'_> {
    async fn probe(&self, token: &Secret) -> Result<ScimVerdict, Failure> {
        let client = ScimClient::builder(self.scim_url)
            .bearer_token(token.clone())
            .config(self.config)
            .build()
            .map_err(|e| {
                failed(
                    self.what,
                    &self.target,
                    self.scim_url,
                    &Failure::from(e).message,
                )
            })?;
        match client.probe().await {
            Ok(probe) => Ok(probe.verdict),
            Err(e) => Err(failed(
                self.what,
                &self.target,
                self.scim_url,
                &Failure::from(e).message,
            )),
        }
    }

    /// Checks the new token (and with `old`, that the previous one is
    /// refused).
    pub async fn run(
        &self,
        args: &VerifyArgs,
        token: &Secret,
        old: Option<&Secret>,
    ) -> Result<Verified, Failure> {
        let by = if let Some((client, id)) = self.entra {
            if let Err(e) = client
                .validate_synchronization_credentials(id, self.scim_url, token)
                .await
            {
                let reason = Failure::from(e).message;
                return Err(failed(
                    self.what,
                    &self.target,
                    self.scim_url,
                    &format!("Entra's credential validation failed: {reason}"),
                ));
            }
            "entra"
        } else {
            let verdict = self.probe(token).await?;
            if !verdict.is_ok() {
                return Err(failed(
                    self.what,
                    &self.target,
                    self.scim_url,
                    &verdict.to_string(),
                ));
            }
            "scim"
        };
        let mut verified = Verified {
            by,
            new_token_accepted: true,
            old_token_refused: None,
            old_token_note: None,
        };
        if args.verify_old {
            match old {
                Some(old) if old.expose() == token.expose() => {
                    verified.old_token_note =
                        Some("the previous token was the same as the new one".to_owned());
                }
                Some(old) => match self.probe(old).await? {
                    ScimVerdict::TokenRefused { .. } => verified.old_token_refused = Some(true),
                    verdict => {
                        return Err(failed(
                            self.what,
                            &self.target,
                            self.scim_url,
                            &format!(
                                "the previous token still works at the SCIM endpoint ({verdict})"
                            ),
                        ));
                    }
                },
                None => {
                    verified.old_token_note = Some(
                        "the previous token is not known to this command (only a file: target holds it); not checked"
                            .to_owned(),
                    );
                }
            }
        }
        Ok(verified)
    }
}
