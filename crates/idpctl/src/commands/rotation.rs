//! What the rotate commands share (`vcf sync-token rotate`, `unleash
//! scim-token rotate`, `broker sync-client rotate`): the delivery options,
//! a pre-flight check of the delivery target, delivery, recovery when
//! delivery fails after rotation, and `--verify` ([`crate::commands::verify`]).

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::Args;
use idp_client::{ClientConfig, EntraClient, OktaClient, Secret};
use serde_json::json;

use crate::commands::expiry::{human_duration, rfc3339};
use crate::commands::verify::{Verification, Verified, VerifyArgs};
use crate::delivery::recovery::Saved;
use crate::delivery::{ROTATED_NOT_DELIVERED, Recovery, Target, entra, file, okta};
use crate::duration::parse_duration;
use crate::failure::Failure;
use crate::output::{Output, fields};
use crate::settings::{EntraConnection, OktaConnection, Settings};

/// Where the new token goes.
#[derive(Debug, Clone, Default, Args)]
pub struct DeliveryArgs {
    /// Where to deliver the new token: `stdout` (default), `file:PATH`
    /// (written atomically, mode 0600; a symlink at PATH is refused) or
    /// `okta:APP_ID` (the app's default provisioning connection; needs
    /// OKTA_URL and OKTA_API_TOKEN, or a context's okta table) or
    /// `entra:SERVICE_PRINCIPAL_ID` (its synchronization secrets; needs
    /// ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, or a
    /// context's entra table).
    #[arg(long, value_name = "TARGET", value_parser = parse_target)]
    pub deliver: Option<Target>,
    /// The SCIM base URL delivered with the token to an identity provider.
    /// Default: the SCIM URL VCF returns with the token; for Unleash,
    /// `<unleash url>/scim` (to an entra: target
    /// `<unleash url>/scim?aadOptscim062020`, which Unleash needs for
    /// Entra's deprovisioning); for the VCF Identity Broker,
    /// `<broker url>/usergroup/t/<tenant>/scim/v2`. Given, it is delivered
    /// as is.
    #[arg(long, value_name = "URL")]
    pub scim_url: Option<String>,
    /// Where the token goes if delivery fails after rotation: a new file
    /// (mode 0600) or `stdout`. Default: a new file
    /// `idpctl-recovered-token-*` in the current directory.
    #[arg(long, value_name = "PATH|stdout", value_parser = parse_recovery)]
    pub recovery: Option<Recovery>,
    #[command(flatten)]
    pub verify: VerifyArgs,
    #[command(flatten)]
    pub okta: OktaConnection,
    #[command(flatten)]
    pub entra: EntraConnection,
}

/// `--deliver stdout | file:PATH | okta:APP_ID | entra:SERVICE_PRINCIPAL_ID`,
/// refused at parse time (exit 2) with the forms it takes.
fn parse_target(text: &str) -> Result<Target, String> {
    Target::parse(text).map_err(|f| {
        // Clap names the option already.
        let message = f.message.strip_prefix("--deliver ").unwrap_or(&f.message);
        message.to_owned()
    })
}

/// `--recovery PATH | stdout`: not empty.
fn parse_recovery(text: &str) -> Result<Recovery, String> {
    if text.trim().is_empty() {
        return Err("expected a path for a new file, or stdout".to_owned());
    }
    Ok(Recovery::parse(Some(text)))
}

/// The new token's lifetime and when a sync client rotation is due:
/// shared by `vcf sync-token rotate` and `broker sync-client rotate`.
#[derive(Debug, Clone, Default, Args)]
pub struct SyncRotationArgs {
    /// Token lifetime: seconds (3600) or with a unit (90m, 12h, 30d); the
    /// broker keeps whole minutes. Default: the server's.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub ttl: Option<Duration>,
    /// Rotate only when the current token expires within this time (for
    /// cron); an unknown expiry (no token yet; for the broker also client
    /// credentials, which do not expire) counts as due.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub if_expiring_within: Option<Duration>,
}

/// How to finish a delivery by hand, given where the saved token is.
type ByHand = Box<dyn Fn(&str) -> String>;

/// The parsed and pre-flight-checked delivery plan.
pub struct Plan {
    pub target: Target,
    recovery: Recovery,
    /// `--scim-url`: the SCIM URL to deliver instead of the default.
    scim_url: Option<String>,
    /// The Okta client of an `okta:` target, built by the pre-flight.
    okta: Option<OktaClient>,
    /// The Entra client of an `entra:` target, built by the pre-flight.
    entra: Option<EntraClient>,
    /// Where Okta and Entra are (with the environment and the context).
    okta_connection: OktaConnection,
    entra_connection: EntraConnection,
    verify: VerifyArgs,
    /// The SCIM endpoints' client configuration, read by the pre-flight
    /// when verifying.
    scim_config: Option<ClientConfig>,
    /// The token a `file:` target held before, for `--verify-old`.
    old_token: Option<Secret>,
}

impl Plan {
    /// The plan of the delivery arguments; nothing is sent yet.
    pub fn new(args: &DeliveryArgs) -> Self {
        Self {
            target: args.deliver.clone().unwrap_or(Target::Stdout),
            recovery: args
                .recovery
                .clone()
                .unwrap_or_else(|| Recovery::parse(None)),
            scim_url: args.scim_url.clone(),
            okta: None,
            entra: None,
            okta_connection: args.okta.clone(),
            entra_connection: args.entra.clone(),
            verify: args.verify.clone(),
            scim_config: None,
            old_token: None,
        }
    }

    /// Checks that delivery can work; nothing has been rotated when this
    /// fails.
    pub async fn preflight(&mut self, settings: &Settings) -> Result<(), Failure> {
        self.target.preflight_file()?;
        if self.target != Target::Stdout {
            self.recovery.preflight()?;
        }
        if let Target::Okta(app_id) = &self.target {
            let client = settings.okta(&self.okta_connection).client()?;
            okta::preflight(&client, app_id).await?;
            self.okta = Some(client);
        }
        if let Target::Entra(id) = &self.target {
            let client = settings.entra(&self.entra_connection).client()?;
            entra::preflight(&client, id).await?;
            self.entra = Some(client);
        }
        if self.verify.wanted() {
            self.scim_config = Some(settings.scim_config()?);
        }
        if self.verify.verify_old
            && let Target::File(path) = &self.target
        {
            // Absent or unreadable: nothing to compare (a first delivery).
            self.old_token = std::fs::read_to_string(path)
                .ok()
                .and_then(|text| text.lines().next().map(|l| l.trim().to_owned()))
                .filter(|line| !line.is_empty())
                .map(Secret::new);
        }
        Ok(())
    }

    /// With `--verify`: checks, after delivery, that the delivered SCIM
    /// URL accepts `token` (and with `--verify-old`, that the previous
    /// token is refused); `None` without `--verify`. Exit 8 when it fails.
    pub async fn verify(
        &self,
        token: &Secret,
        scim_url: Option<&str>,
        what: &str,
    ) -> Result<Option<Verified>, Failure> {
        if !self.verify.wanted() {
            return Ok(None);
        }
        let Some(scim_url) = self.scim_url.as_deref().or(scim_url) else {
            return Err(Failure::exit_with(
                crate::failure::exit::VERIFY_FAILED,
                format!(
                    "{what} was rotated and delivered to {}, but there is no SCIM URL to verify it at (pass --scim-url)",
                    self.target
                ),
            ));
        };
        let Some(config) = &self.scim_config else {
            return Err(Failure::other(
                "internal: the verify pre-flight did not run",
            ));
        };
        let entra = match (&self.target, &self.entra) {
            (Target::Entra(id), Some(client)) => Some((client, id.as_str())),
            _ => None,
        };
        let verification = Verification {
            what,
            target: self.target.to_string(),
            scim_url,
            config,
            entra,
        };
        verification
            .run(&self.verify, token, self.old_token.as_ref())
            .await
            .map(Some)
    }

    /// Delivers `token` (and the SCIM URL, for identity providers) to a
    /// target that is not stdout; on failure saves the token and fails
    /// with [`ROTATED_NOT_DELIVERED`] and the steps to finish by hand.
    pub async fn deliver(
        &self,
        token: &Secret,
        scim_url: Option<&str>,
        what: &str,
    ) -> Result<(), Failure> {
        let scim = self.scim_url.as_deref().or(scim_url);
        let scim_text = scim.unwrap_or("<the SCIM URL>").to_owned();
        let (error, how): (String, ByHand) = match &self.target {
            Target::Stdout => return Ok(()),
            Target::File(path) => {
                let Err(error) = file::deliver(path, token).await else {
                    return Ok(());
                };
                let path = path.display().to_string();
                (
                    error.to_string(),
                    Box::new(move |source| {
                        format!(
                            "put the token from {source} into {path} yourself (one line, mode 0600), then delete the recovery copy"
                        )
                    }),
                )
            }
            Target::Okta(app_id) => {
                let Some(client) = &self.okta else {
                    return Err(Failure::other("internal: the Okta pre-flight did not run"));
                };
                let Err(error) =
                    to_vendor(scim, |scim| okta::deliver(client, app_id, scim, token)).await
                else {
                    return Ok(());
                };
                let (org, app_id) = (client.base_url().to_owned(), app_id.clone());
                (
                    error,
                    Box::new(move |source| okta::by_hand(&org, &app_id, &scim_text, source)),
                )
            }
            Target::Entra(id) => {
                let Some(client) = &self.entra else {
                    return Err(Failure::other("internal: the Entra pre-flight did not run"));
                };
                let Err(error) =
                    to_vendor(scim, |scim| entra::deliver(client, id, scim, token)).await
                else {
                    return Ok(());
                };
                let (graph, id) = (client.graph_url().to_owned(), id.clone());
                (
                    error,
                    Box::new(move |source| entra::by_hand(&graph, &id, &scim_text, source)),
                )
            }
        };
        let saved = self.recovery.save(token);
        let source = match &saved {
            Saved::File(saved) => saved.display().to_string(),
            Saved::Stdout => "the token printed above".to_owned(),
        };
        Err(Failure {
            code: ROTATED_NOT_DELIVERED,
            message: format!(
                "{what} was rotated (the old one no longer works) but delivery to {} failed: {error}; {}",
                self.target,
                saved.describe()
            ),
            remediation: Some(how(&source)),
            reference: None,
        })
    }
}

/// What a sync client rotation (VCF or broker) rotated, for its output.
pub struct Rotated<'a> {
    /// The JSON key of the id (`idpId`, `directoryId`).
    pub id_key: &'static str,
    pub id: &'a str,
    /// "the sync client token of ...", for messages.
    pub what: String,
}

impl Rotated<'_> {
    /// `--if-expiring-within` found the token not due: nothing rotated.
    pub fn emit_not_due(
        &self,
        expires_at: Option<DateTime<Utc>>,
        left: Duration,
        out: Output,
    ) -> Result<(), Failure> {
        let expires = rfc3339(expires_at);
        let left_text = human_duration(left);
        out.emit(
            &json!({ self.id_key: self.id, "rotated": false, "due": false, "expiresAt": expires }),
            || {
                format!(
                    "not due: {} expires at {} (in {left_text})\n",
                    self.what,
                    expires.as_deref().unwrap_or("?")
                )
            },
        )
    }

    /// Prints the new token (stdout) or delivers it and reports where.
    pub async fn finish(
        &self,
        plan: &Plan,
        token: &Secret,
        scim_url: Option<&str>,
        expires_at: Option<DateTime<Utc>>,
        out: Output,
    ) -> Result<(), Failure> {
        let expires = rfc3339(expires_at);
        // The SCIM URL that goes with the token: `--scim-url` over the
        // server's or the default.
        let scim_url = plan.scim_url.as_deref().or(scim_url);
        if plan.target == Target::Stdout {
            let verified = plan.verify(token, scim_url, &self.what).await;
            emit_token(
                token,
                scim_url,
                expires.as_deref(),
                verified.as_ref().ok().and_then(Option::as_ref),
                out,
            )?;
            return verified.map(|_| ());
        }
        plan.deliver(token, scim_url, &self.what).await?;
        let verified = plan.verify(token, scim_url, &self.what).await;
        let shown = verified.as_ref().ok().and_then(Option::as_ref);
        let mut json = json!({
            self.id_key: self.id,
            "rotated": true,
            "deliveredTo": plan.target.to_string(),
            "scimUrl": scim_url,
            "expiresAt": expires,
        });
        if let Some(v) = shown {
            json["verified"] = json!(v);
        }
        out.emit(&json, || {
            let mut pairs = vec![
                ("rotated", self.id.to_owned()),
                ("delivered to", plan.target.to_string()),
                ("scim url", scim_url.unwrap_or("-").to_owned()),
                (
                    "expires at",
                    expires.clone().unwrap_or_else(|| "unknown".into()),
                ),
            ];
            if let Some(v) = shown {
                pairs.push(("verified", v.line()));
            }
            fields(&pairs)
        })?;
        verified.map(|_| ())
    }
}

/// A new sync client token printed (`--deliver stdout`), as `vcf
/// sync-token` has always printed it: the token, the SCIM URL and the
/// expiry.
fn emit_token(
    token: &Secret,
    scim_url: Option<&str>,
    expires_at: Option<&str>,
    verified: Option<&Verified>,
    out: Output,
) -> Result<(), Failure> {
    // The token is what this command exists to produce: it is printed.
    let mut json = json!({
        "token": token.expose(),
        "scimUrl": scim_url,
        "expiresAt": expires_at,
    });
    if let Some(v) = verified {
        json["verified"] = json!(v);
    }
    out.emit(&json, || {
        let mut pairs = vec![
            ("token", token.expose().to_owned()),
            ("scim url", scim_url.unwrap_or("-").to_owned()),
            ("expires at", expires_at.unwrap_or("unknown").to_owned()),
        ];
        if let Some(v) = verified {
            pairs.push(("verified", v.line()));
        }
        fields(&pairs)
    })
}

/// Unleash's SCIM URL for `target`: `<unleash url>/scim`, and to an
/// `entra:` target `<unleash url>/scim?aadOptscim062020` (Unleash's SCIM
/// documentation: Entra's deprovisioning works only with it).
pub fn unleash_scim_url(unleash_url: &str, target: &Target) -> String {
    let base = format!("{}/scim", unleash_url.trim_end_matches('/'));
    match target {
        Target::Entra(_) => format!("{base}?aadOptscim062020"),
        _ => base,
    }
}

/// Delivers to an identity provider with the SCIM URL, if one is known; the
/// error text otherwise.
async fn to_vendor<'a, F, Fut>(scim: Option<&'a str>, deliver: F) -> Result<(), String>
where
    F: FnOnce(&'a str) -> Fut,
    Fut: Future<Output = Result<(), idp_client::Error>>,
{
    match scim {
        Some(scim) => deliver(scim).await.map_err(|e| Failure::from(e).message),
        None => Err(
            "the server returned no SCIM URL to deliver with the token (pass --scim-url)"
                .to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{Target, unleash_scim_url};

    #[test]
    fn unleash_s_url_to_entra_carries_the_compliance_flag() {
        let url = "https://unleash.example.com/unleash/";
        assert_eq!(
            unleash_scim_url(url, &Target::Entra("6b3474d8".into())),
            "https://unleash.example.com/unleash/scim?aadOptscim062020"
        );
        for target in [Target::Stdout, Target::Okta("0oa1".into())] {
            assert_eq!(
                unleash_scim_url(url, &target),
                "https://unleash.example.com/unleash/scim"
            );
        }
    }
}
