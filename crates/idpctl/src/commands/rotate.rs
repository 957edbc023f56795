//! `idpctl vcf sync-token rotate`, `idpctl unleash scim-token rotate` and
//! `idpctl broker sync-client rotate`: rotation with a pre-flight check of
//! the delivery target, delivery, and recovery when delivery fails after
//! rotation.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use idp_client::{BrokerClient, EntraClient, OktaClient, Secret, SyncClientCredentialKind};
use serde_json::json;

use crate::cli::{BrokerRotateArgs, DeliveryArgs, UnleashRotateArgs, VcfRotateArgs};
use crate::confirm::confirm;
use crate::delivery::recovery::Saved;
use crate::delivery::{ROTATED_NOT_DELIVERED, Recovery, Target, entra, file, okta};
use crate::failure::Failure;
use crate::output::{Output, fields};
use crate::settings::Settings;

/// How to finish a delivery by hand, given where the saved token is.
type ByHand = Box<dyn Fn(&str) -> String>;

/// The parsed and pre-flight-checked delivery plan.
struct Plan {
    target: Target,
    recovery: Recovery,
    /// `--scim-url`: the SCIM URL to deliver instead of the default.
    scim_url: Option<String>,
    /// The Okta client of an `okta:` target, built by the pre-flight.
    okta: Option<OktaClient>,
    /// The Entra client of an `entra:` target, built by the pre-flight.
    entra: Option<EntraClient>,
}

impl Plan {
    /// Parses the delivery arguments (usage errors); nothing is sent yet.
    fn parse(args: &DeliveryArgs) -> Result<Self, Failure> {
        Ok(Self {
            target: Target::parse(args.deliver.as_deref().unwrap_or("stdout"))?,
            recovery: Recovery::parse(args.recovery.as_deref()),
            scim_url: args.scim_url.clone(),
            okta: None,
            entra: None,
        })
    }

    /// Checks that delivery can work; nothing has been rotated when this
    /// fails.
    async fn preflight(&mut self, settings: &Settings) -> Result<(), Failure> {
        self.target.preflight_file()?;
        if self.target != Target::Stdout {
            self.recovery.preflight()?;
        }
        if let Target::Okta(app_id) = &self.target {
            let client = settings.okta_client()?;
            okta::preflight(&client, app_id).await?;
            self.okta = Some(client);
        }
        if let Target::Entra(id) = &self.target {
            let client = settings.entra_client()?;
            entra::preflight(&client, id).await?;
            self.entra = Some(client);
        }
        Ok(())
    }

    /// Delivers `token` (and the SCIM URL, for identity providers) to a
    /// target that is not stdout; on failure saves the token and fails
    /// with [`ROTATED_NOT_DELIVERED`] and the steps to finish by hand.
    async fn deliver(
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

/// Rotates a VCF sync client token and delivers it.
pub async fn vcf(args: VcfRotateArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let mut plan = Plan::parse(&args.delivery)?;
    let client = settings.vcf_client()?;
    let rotated = Rotated {
        id_key: "idpId",
        id: &args.idp_id,
        what: format!("the sync client token of identity provider {}", args.idp_id),
    };
    if let Some(within) = args.rotation.if_expiring_within {
        let provider = client.get_identity_provider(&args.idp_id).await?;
        let expires_at = provider
            .fed_idp
            .and_then(|f| f.sync_client_token_info)
            .and_then(|i| i.expires_at);
        if let Some(left) = not_due(expires_at, within) {
            return rotated.emit_not_due(expires_at, left, out);
        }
    }
    plan.preflight(settings).await?;
    let token = client
        .generate_sync_client_token(&args.idp_id, args.rotation.ttl)
        .await?;
    rotated
        .finish(
            &plan,
            &token.token,
            token.scim_url.as_deref(),
            token.expires_at,
            out,
        )
        .await
}

/// Rotates a VCF Identity Broker directory's sync client token and
/// delivers it with the broker's SCIM URL ([`broker_scim_url`]).
pub async fn broker(
    args: BrokerRotateArgs,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::parse(&args.delivery)?;
    let client = settings.broker_client()?;
    let rotated = Rotated {
        id_key: "directoryId",
        id: &args.directory_id,
        what: format!(
            "the sync client token of broker directory {}",
            args.directory_id
        ),
    };
    if let Some(within) = args.rotation.if_expiring_within {
        let sync = client.sync_client(&args.directory_id).await?;
        // Client credentials do not expire: no token expiry to go by.
        let expires_at = sync
            .access_token_expires_at
            .filter(|_| sync.generate_token != Some(false));
        if let Some(left) = not_due(expires_at, within) {
            return rotated.emit_not_due(expires_at, left, out);
        }
    }
    plan.preflight(settings).await?;
    confirm(
        args.yes,
        &format!(
            "generate a new sync client token for broker directory {} (its current credentials stop working at once)",
            args.directory_id
        ),
    )?;
    let sync = client
        .generate_sync_client_credentials(
            &args.directory_id,
            SyncClientCredentialKind::Token,
            args.rotation.ttl,
        )
        .await?;
    let Some(token) = &sync.access_token else {
        // The client checks the answer carries the token; kept as an error
        // rather than a panic all the same.
        return Err(Failure::other(format!(
            "{} was rotated but the broker returned no token",
            rotated.what
        )));
    };
    let scim_url = broker_scim_url(&client);
    rotated
        .finish(
            &plan,
            token,
            Some(&scim_url),
            sync.access_token_expires_at,
            out,
        )
        .await
}

/// The SCIM 2.0 base URL of a VCF Identity Broker tenant, which identity
/// providers push users and groups to with a directory's sync client token:
/// `<broker url>/usergroup/t/<tenant>/scim/v2` (where this comes from:
/// docs/identity-broker-api.md, "The SCIM URL").
pub fn broker_scim_url(client: &BrokerClient) -> String {
    format!(
        "{}/usergroup/t/{}/scim/v2",
        client.base_url(),
        client.tenant()
    )
}

/// What a sync client rotation (VCF or broker) rotated, for its output.
struct Rotated<'a> {
    /// The JSON key of the id (`idpId`, `directoryId`).
    id_key: &'static str,
    id: &'a str,
    /// "the sync client token of ...", for messages.
    what: String,
}

impl Rotated<'_> {
    /// `--if-expiring-within` found the token not due: nothing rotated.
    fn emit_not_due(
        &self,
        expires_at: Option<DateTime<Utc>>,
        left: Duration,
        out: Output,
    ) -> Result<(), Failure> {
        let expires = rfc3339(expires_at);
        let left_text = crate::commands::status::human_duration(left);
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
    async fn finish(
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
            return emit_token(token, scim_url, expires.as_deref(), out);
        }
        plan.deliver(token, scim_url, &self.what).await?;
        out.emit(
            &json!({
                self.id_key: self.id,
                "rotated": true,
                "deliveredTo": plan.target.to_string(),
                "scimUrl": scim_url,
                "expiresAt": expires,
            }),
            || {
                fields(&[
                    ("rotated", self.id.to_owned()),
                    ("delivered to", plan.target.to_string()),
                    ("scim url", scim_url.unwrap_or("-").to_owned()),
                    (
                        "expires at",
                        expires.clone().unwrap_or_else(|| "unknown".into()),
                    ),
                ])
            },
        )
    }
}

/// `Some(time left)` when a token expiring at `expires_at` is not due for
/// rotation within `within`; `None` (due) when it is, or when the expiry
/// is unknown.
fn not_due(expires_at: Option<DateTime<Utc>>, within: Duration) -> Option<Duration> {
    time_left(expires_at).filter(|left| *left > within)
}

/// Rotates the Unleash SCIM token and delivers it.
pub async fn unleash(
    args: UnleashRotateArgs,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::parse(&args.delivery)?;
    let client = settings.unleash_client()?;
    plan.preflight(settings).await?;
    confirm(
        args.yes,
        "generate a new Unleash SCIM token (the current one stops working at once)",
    )?;
    let token = client.generate_scim_token().await?;
    let scim_url = format!("{}/scim", client.base_url());
    match &plan.target {
        // The token is what this command exists to produce: it is printed.
        Target::Stdout => out.emit(&json!({ "token": token.token.expose() }), || {
            format!("{}\n", token.token.expose())
        }),
        Target::File(_) | Target::Okta(_) | Target::Entra(_) => {
            plan.deliver(&token.token, Some(&scim_url), "the Unleash SCIM token")
                .await?;
            out.emit(
                &json!({ "rotated": true, "deliveredTo": plan.target.to_string() }),
                || {
                    format!(
                        "rotated the Unleash SCIM token; delivered to {}\n",
                        plan.target
                    )
                },
            )
        }
    }
}

/// A new sync client token printed (`--deliver stdout`), as `vcf
/// sync-token` has always printed it: the token, the SCIM URL and the
/// expiry.
fn emit_token(
    token: &Secret,
    scim_url: Option<&str>,
    expires_at: Option<&str>,
    out: Output,
) -> Result<(), Failure> {
    // The token is what this command exists to produce: it is printed.
    let json = json!({
        "token": token.expose(),
        "scimUrl": scim_url,
        "expiresAt": expires_at,
    });
    out.emit(&json, || {
        fields(&[
            ("token", token.expose().to_owned()),
            ("scim url", scim_url.unwrap_or("-").to_owned()),
            ("expires at", expires_at.unwrap_or("unknown").to_owned()),
        ])
    })
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

/// Time until `expires_at`; `None` when unknown, zero when past.
pub fn time_left(expires_at: Option<DateTime<Utc>>) -> Option<Duration> {
    let left = expires_at? - Utc::now();
    Some(left.to_std().unwrap_or(Duration::ZERO))
}

/// RFC 3339, UTC, whole seconds.
pub fn rfc3339(time: Option<DateTime<Utc>>) -> Option<String> {
    time.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}
