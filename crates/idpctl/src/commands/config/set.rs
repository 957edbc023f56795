//! `idpctl config set NAME ...`: create or change a context, one table per
//! API. Values are edited in the file's own form (the TOML table); a table
//! holds one kind of credentials, so giving one kind drops the other.

use std::path::{Path, PathBuf};

use clap::Args;
use idp_config::connection::section::{
    BrokerSection, EntraSection, OktaSection, OpsSection, UnleashSection, VcfSection,
};

use super::keys::{Key, edit, unset};
use idp_config::{PemRef, SecretRef};
use serde_json::json;

use crate::contexts::{self, Context, ContextsFile};
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;

/// `idpctl config set NAME ...`.
#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    /// The context to create or change.
    pub name: String,

    /// SDDC Manager base URL.
    #[arg(long, value_name = "URL", help_heading = "VCF")]
    pub vcf_url: Option<String>,
    /// CA certificate(s) to trust for SDDC Manager, PEM (default: --ca-cert's).
    #[arg(long, value_name = "PEM_FILE", help_heading = "VCF")]
    pub vcf_ca_cert: Option<PathBuf>,
    /// The VCF user (with --vcf-password; replaces a token).
    #[arg(long, value_name = "USER", help_heading = "VCF")]
    pub vcf_username: Option<String>,
    /// Where the VCF password is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF")]
    pub vcf_password: Option<String>,
    /// Where a VCF bearer token is (replaces a user): env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF")]
    pub vcf_token: Option<String>,
    /// Where a VCF service account's API key is (replaces a user or token):
    /// env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF")]
    pub vcf_api_key: Option<String>,

    /// Unleash base URL.
    #[arg(long, value_name = "URL", help_heading = "Unleash")]
    pub unleash_url: Option<String>,
    /// CA certificate(s) to trust for Unleash, PEM (default: --ca-cert's).
    #[arg(long, value_name = "PEM_FILE", help_heading = "Unleash")]
    pub unleash_ca_cert: Option<PathBuf>,
    /// Where the Unleash API token is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "Unleash")]
    pub unleash_api_token: Option<String>,

    /// VCF Identity Broker base URL (the vCenter).
    #[arg(long, value_name = "URL", help_heading = "VCF Identity Broker")]
    pub broker_url: Option<String>,
    /// The broker tenant (default CUSTOMER).
    #[arg(long, value_name = "TENANT", help_heading = "VCF Identity Broker")]
    pub broker_tenant: Option<String>,
    /// CA certificate(s) to trust for the broker, PEM (default: --ca-cert's).
    #[arg(long, value_name = "PEM_FILE", help_heading = "VCF Identity Broker")]
    pub broker_ca_cert: Option<PathBuf>,
    /// A vCenter user for the broker (with --broker-vcenter-password;
    /// replaces a client or token).
    #[arg(long, value_name = "USER", help_heading = "VCF Identity Broker")]
    pub broker_vcenter_username: Option<String>,
    /// Where the broker's vCenter password is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF Identity Broker")]
    pub broker_vcenter_password: Option<String>,
    /// An OAuth 2.0 client of the broker (with --broker-client-secret;
    /// replaces a user or token).
    #[arg(long, value_name = "CLIENT_ID", help_heading = "VCF Identity Broker")]
    pub broker_client_id: Option<String>,
    /// Where the broker OAuth 2.0 client's secret is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF Identity Broker")]
    pub broker_client_secret: Option<String>,
    /// Where a broker admin token is (replaces a user or client): env:NAME
    /// or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF Identity Broker")]
    pub broker_token: Option<String>,

    /// Okta org URL, for --deliver okta:APP_ID.
    #[arg(long, value_name = "URL", help_heading = "Okta")]
    pub okta_url: Option<String>,
    /// CA certificate(s) to trust for Okta, PEM (default: --ca-cert's).
    #[arg(long, value_name = "PEM_FILE", help_heading = "Okta")]
    pub okta_ca_cert: Option<PathBuf>,
    /// Where the Okta API token (or `Bearer <access token>`) is: env:NAME
    /// or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "Okta")]
    pub okta_api_token: Option<String>,

    /// The Microsoft Entra directory (tenant) id, for --deliver entra:ID.
    #[arg(long, value_name = "TENANT_ID", help_heading = "Microsoft Entra")]
    pub entra_tenant_id: Option<String>,
    /// The app registration's client id.
    #[arg(long, value_name = "CLIENT_ID", help_heading = "Microsoft Entra")]
    pub entra_client_id: Option<String>,
    /// Where the app registration's client secret is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "Microsoft Entra")]
    pub entra_client_secret: Option<String>,
    /// The Microsoft identity platform login host (default the global one).
    #[arg(long, value_name = "URL", help_heading = "Microsoft Entra")]
    pub entra_login_url: Option<String>,
    /// The Microsoft Graph host (default the global one).
    #[arg(long, value_name = "URL", help_heading = "Microsoft Entra")]
    pub entra_graph_url: Option<String>,
    /// CA certificate(s) to trust for Entra, PEM (default: --ca-cert's).
    #[arg(long, value_name = "PEM_FILE", help_heading = "Microsoft Entra")]
    pub entra_ca_cert: Option<PathBuf>,

    /// VCF Operations base URL (VCF 9.1 fleet identity).
    #[arg(long, value_name = "URL", help_heading = "VCF Operations")]
    pub ops_url: Option<String>,
    /// CA certificate(s) to trust for VCF Operations, PEM (default: --ca-cert's).
    #[arg(long, value_name = "PEM_FILE", help_heading = "VCF Operations")]
    pub ops_ca_cert: Option<PathBuf>,
    /// The VCF Operations user (with --ops-password; replaces a token).
    #[arg(long, value_name = "USER", help_heading = "VCF Operations")]
    pub ops_username: Option<String>,
    /// Where the VCF Operations password is: env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF Operations")]
    pub ops_password: Option<String>,
    /// The user's authentication source (default: local users).
    #[arg(long, value_name = "SOURCE", help_heading = "VCF Operations")]
    pub ops_auth_source: Option<String>,
    /// Where a VCF single sign-on bearer token is (replaces a user):
    /// env:NAME or file:PATH.
    #[arg(long, value_name = "REF", help_heading = "VCF Operations")]
    pub ops_token: Option<String>,

    /// Remove a key (repeatable): a table (`broker`) or one of its keys
    /// (`vcf.password`).
    #[arg(long, value_name = "KEY", value_enum)]
    pub unset: Vec<Key>,
}

pub fn run(
    args: &SetArgs,
    file: &mut ContextsFile,
    path: &Path,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let name = args.name.clone();
    let created = !file.contexts.contains_key(&name);
    let context = file.contexts.entry(name.clone()).or_default();
    apply(context, args, settings)?;
    contexts::save(path, file)?;
    let verb = if created { "created" } else { "updated" };
    out.emit(&json!({ "context": name, "result": verb }), || {
        format!("context {name} {verb} in {}\n", path.display())
    })
}

/// A change to one field: `None` leaves it, `Some(None)` removes it (an
/// empty value), `Some(Some(v))` sets it.
type Change<T> = Option<Option<T>>;

fn change<T>(field: &mut Option<T>, change: Change<T>) {
    if let Some(value) = change {
        *field = value;
    }
}

/// Whether a change sets a value.
fn sets<T>(change: &Change<T>) -> bool {
    matches!(change, Some(Some(_)))
}

fn text(value: Option<&String>) -> Change<String> {
    value.map(|v| Some(v.trim().to_owned()).filter(|v| !v.is_empty()))
}

/// A CA file, stored with its absolute path: the file is used from any
/// directory.
fn ca_file(flag: &str, value: Option<&PathBuf>) -> Result<Change<PemRef>, Failure> {
    value
        .map(|path| {
            std::path::absolute(path)
                .map(|p| Some(PemRef::file(p)))
                .map_err(|e| Failure::usage(format!("{flag} {}: {e}", path.display())))
        })
        .transpose()
}

/// A secret reference; a literal is refused (it would be stored).
fn reference(flag: &str, value: Option<&String>) -> Result<Change<SecretRef>, Failure> {
    match value.map(|v| v.trim()) {
        None => Ok(None),
        Some("") => Ok(Some(None)),
        Some(text) => contexts::parse_reference(text)
            .map(|r| Some(Some(r)))
            .map_err(|e| Failure::usage(format!("{flag}: {e}"))),
    }
}

/// At most one kind of credentials per table in one command (`kinds`: the
/// flags of each kind, whether a value is given).
fn one_kind(api: &str, kinds: &[(&str, bool)]) -> Result<(), Failure> {
    let given: Vec<&str> = kinds
        .iter()
        .filter(|(_, set)| *set)
        .map(|(f, _)| *f)
        .collect();
    if given.len() > 1 {
        return Err(Failure::usage(format!(
            "give one kind of {api} credentials, not {}",
            given.join(" and ")
        )));
    }
    Ok(())
}

fn apply(context: &mut Context, args: &SetArgs, settings: &Settings) -> Result<(), Failure> {
    let global = settings.global();
    if global.insecure || global.allow_http || global.secret_stdin {
        return Err(Failure::usage(
            "config set stores URLs, users, CA files and secret references only; --insecure, --allow-http and --secret-stdin are not stored",
        ));
    }
    if let Some(path) = &global.ca_cert {
        let path = std::path::absolute(path)
            .map_err(|e| Failure::usage(format!("--ca-cert {}: {e}", path.display())))?;
        context.ca_cert = Some(path);
    }
    set_vcf(context, args, settings)?;
    set_unleash(context, args, settings)?;
    set_broker(context, args, settings)?;
    set_okta(context, args, settings)?;
    set_entra(context, args, settings)?;
    set_ops(context, args, settings)?;
    for key in &args.unset {
        unset(context, *key)?;
    }
    Ok(())
}

/// A command's flag, else the same flag given before the noun.
fn own_or_early<'a>(own: Option<&'a String>, early: Option<&'a String>) -> Option<&'a String> {
    own.or(early)
}

fn set_vcf(context: &mut Context, a: &SetArgs, settings: &Settings) -> Result<(), Failure> {
    let url = text(own_or_early(
        a.vcf_url.as_ref(),
        settings.early().vcf_url.as_ref(),
    ));
    let ca = ca_file("--vcf-ca-cert", a.vcf_ca_cert.as_ref())?;
    let username = text(a.vcf_username.as_ref());
    let password = reference("--vcf-password", a.vcf_password.as_ref())?;
    let token = reference("--vcf-token", a.vcf_token.as_ref())?;
    let api_key = reference("--vcf-api-key", a.vcf_api_key.as_ref())?;
    let user = sets(&username) || sets(&password);
    one_kind(
        "VCF",
        &[
            ("--vcf-username/--vcf-password", user),
            ("--vcf-token", sets(&token)),
            ("--vcf-api-key", sets(&api_key)),
        ],
    )?;
    if [
        url.is_some(),
        ca.is_some(),
        username.is_some(),
        password.is_some(),
        token.is_some(),
        api_key.is_some(),
    ]
    .contains(&true)
    {
        edit(&mut context.vcf, |s: &mut VcfSection| {
            if user {
                (s.token, s.api_key) = (None, None);
            }
            if sets(&token) {
                (s.username, s.password, s.api_key) = (None, None, None);
            }
            if sets(&api_key) {
                (s.username, s.password, s.token) = (None, None, None);
            }
            change(&mut s.url, url);
            change(&mut s.ca_cert, ca);
            change(&mut s.username, username);
            change(&mut s.password, password);
            change(&mut s.token, token);
            change(&mut s.api_key, api_key);
        })?;
    }
    Ok(())
}

fn set_unleash(context: &mut Context, a: &SetArgs, settings: &Settings) -> Result<(), Failure> {
    let url = text(own_or_early(
        a.unleash_url.as_ref(),
        settings.early().unleash_url.as_ref(),
    ));
    let ca = ca_file("--unleash-ca-cert", a.unleash_ca_cert.as_ref())?;
    let token = reference("--unleash-api-token", a.unleash_api_token.as_ref())?;
    if [url.is_some(), ca.is_some(), token.is_some()].contains(&true) {
        edit(&mut context.unleash, |s: &mut UnleashSection| {
            change(&mut s.url, url);
            change(&mut s.ca_cert, ca);
            change(&mut s.api_token, token);
        })?;
    }
    Ok(())
}

fn set_broker(context: &mut Context, a: &SetArgs, settings: &Settings) -> Result<(), Failure> {
    let early = settings.early();
    let url = text(own_or_early(
        a.broker_url.as_ref(),
        early.broker_url.as_ref(),
    ));
    let tenant = text(own_or_early(
        a.broker_tenant.as_ref(),
        early.broker_tenant.as_ref(),
    ));
    let ca = ca_file("--broker-ca-cert", a.broker_ca_cert.as_ref())?;
    let user = text(a.broker_vcenter_username.as_ref());
    let password = reference(
        "--broker-vcenter-password",
        a.broker_vcenter_password.as_ref(),
    )?;
    let client_id = text(a.broker_client_id.as_ref());
    let secret = reference("--broker-client-secret", a.broker_client_secret.as_ref())?;
    let token = reference("--broker-token", a.broker_token.as_ref())?;
    let vcenter = sets(&user) || sets(&password);
    let client = sets(&client_id) || sets(&secret);
    one_kind(
        "broker",
        &[
            (
                "--broker-vcenter-username/--broker-vcenter-password",
                vcenter,
            ),
            ("--broker-client-id/--broker-client-secret", client),
            ("--broker-token", sets(&token)),
        ],
    )?;
    let changes = [
        url.is_some(),
        tenant.is_some(),
        ca.is_some(),
        user.is_some(),
        password.is_some(),
        client_id.is_some(),
        secret.is_some(),
        token.is_some(),
    ];
    if changes.contains(&true) {
        edit(&mut context.broker, |s: &mut BrokerSection| {
            if vcenter || sets(&token) {
                (s.client_id, s.client_secret) = (None, None);
            }
            if client || sets(&token) {
                (s.vcenter_username, s.vcenter_password) = (None, None);
            }
            if vcenter || client {
                s.token = None;
            }
            change(&mut s.url, url);
            change(&mut s.tenant, tenant);
            change(&mut s.ca_cert, ca);
            change(&mut s.vcenter_username, user);
            change(&mut s.vcenter_password, password);
            change(&mut s.client_id, client_id);
            change(&mut s.client_secret, secret);
            change(&mut s.token, token);
        })?;
    }
    Ok(())
}

fn set_okta(context: &mut Context, a: &SetArgs, settings: &Settings) -> Result<(), Failure> {
    let url = text(own_or_early(
        a.okta_url.as_ref(),
        settings.early().okta_url.as_ref(),
    ));
    let ca = ca_file("--okta-ca-cert", a.okta_ca_cert.as_ref())?;
    let token = reference("--okta-api-token", a.okta_api_token.as_ref())?;
    if [url.is_some(), ca.is_some(), token.is_some()].contains(&true) {
        edit(&mut context.okta, |s: &mut OktaSection| {
            change(&mut s.url, url);
            change(&mut s.ca_cert, ca);
            change(&mut s.api_token, token);
        })?;
    }
    Ok(())
}

fn set_entra(context: &mut Context, a: &SetArgs, settings: &Settings) -> Result<(), Failure> {
    let graph = text(own_or_early(
        a.entra_graph_url.as_ref(),
        settings.early().entra_graph_url.as_ref(),
    ));
    let login = text(a.entra_login_url.as_ref());
    let tenant = text(a.entra_tenant_id.as_ref());
    let client_id = text(a.entra_client_id.as_ref());
    let secret = reference("--entra-client-secret", a.entra_client_secret.as_ref())?;
    let ca = ca_file("--entra-ca-cert", a.entra_ca_cert.as_ref())?;
    let changes = [
        graph.is_some(),
        login.is_some(),
        tenant.is_some(),
        client_id.is_some(),
        secret.is_some(),
        ca.is_some(),
    ];
    if changes.contains(&true) {
        edit(&mut context.entra, |s: &mut EntraSection| {
            change(&mut s.graph_url, graph);
            change(&mut s.login_url, login);
            change(&mut s.tenant_id, tenant);
            change(&mut s.client_id, client_id);
            change(&mut s.client_secret, secret);
            change(&mut s.ca_cert, ca);
        })?;
    }
    Ok(())
}

fn set_ops(context: &mut Context, a: &SetArgs, settings: &Settings) -> Result<(), Failure> {
    let url = text(own_or_early(
        a.ops_url.as_ref(),
        settings.early().ops_url.as_ref(),
    ));
    let ca = ca_file("--ops-ca-cert", a.ops_ca_cert.as_ref())?;
    let username = text(a.ops_username.as_ref());
    let password = reference("--ops-password", a.ops_password.as_ref())?;
    let auth_source = text(a.ops_auth_source.as_ref());
    let token = reference("--ops-token", a.ops_token.as_ref())?;
    let user = sets(&username) || sets(&password) || sets(&auth_source);
    one_kind(
        "VCF Operations",
        &[
            ("--ops-username/--ops-password/--ops-auth-source", user),
            ("--ops-token", sets(&token)),
        ],
    )?;
    let changes = [
        url.is_some(),
        ca.is_some(),
        username.is_some(),
        password.is_some(),
        auth_source.is_some(),
        token.is_some(),
    ];
    if changes.contains(&true) {
        edit(&mut context.ops, |s: &mut OpsSection| {
            if user {
                s.token = None;
            }
            if sets(&token) {
                (s.username, s.password, s.auth_source) = (None, None, None);
            }
            change(&mut s.url, url);
            change(&mut s.ca_cert, ca);
            change(&mut s.username, username);
            change(&mut s.password, password);
            change(&mut s.auth_source, auth_source);
            change(&mut s.token, token);
        })?;
    }
    Ok(())
}
