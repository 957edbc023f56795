//! The keys of a context as the file names them (`vcf.url`,
//! `broker.client-secret`), for `config set --unset`, and editing a table
//! through its file form.

use clap::ValueEnum;
use idp_config::connection::section::{
    BrokerSection, EntraSection, OktaSection, OpsSection, UnleashSection, VcfSection,
};

use crate::contexts::Context;
use crate::failure::Failure;

/// A key of a context, as the file names it (`vcf.url`); the flat names of
/// earlier versions (`vcf-url`) are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Key {
    #[value(name = "ca-cert")]
    CaCert,
    #[value(name = "vcf")]
    Vcf,
    #[value(name = "vcf.url", alias = "vcf-url")]
    VcfUrl,
    #[value(name = "vcf.ca-cert")]
    VcfCaCert,
    #[value(name = "vcf.username", alias = "vcf-username")]
    VcfUsername,
    #[value(name = "vcf.password", alias = "vcf-password")]
    VcfPassword,
    #[value(name = "vcf.token", alias = "vcf-token")]
    VcfToken,
    #[value(name = "vcf.api-key", alias = "vcf-api-key")]
    VcfServiceAccount,
    #[value(name = "unleash")]
    Unleash,
    #[value(name = "unleash.url", alias = "unleash-url")]
    UnleashUrl,
    #[value(name = "unleash.ca-cert")]
    UnleashCaCert,
    #[value(name = "unleash.api-token", alias = "unleash-api-token")]
    UnleashApiToken,
    #[value(name = "broker")]
    Broker,
    #[value(name = "broker.url", alias = "broker-url")]
    BrokerUrl,
    #[value(name = "broker.tenant", alias = "broker-tenant")]
    BrokerTenant,
    #[value(name = "broker.ca-cert", alias = "broker-ca-cert")]
    BrokerCaCert,
    #[value(name = "broker.vcenter-username", alias = "broker-vcenter-username")]
    BrokerVcenterUsername,
    #[value(name = "broker.vcenter-password", alias = "broker-vcenter-password")]
    BrokerVcenterPassword,
    #[value(name = "broker.client-id", alias = "broker-client-id")]
    BrokerClientId,
    #[value(name = "broker.client-secret", alias = "broker-client-secret")]
    BrokerClientSecret,
    #[value(name = "broker.token", alias = "broker-token")]
    BrokerToken,
    #[value(name = "okta")]
    Okta,
    #[value(name = "okta.url")]
    OktaUrl,
    #[value(name = "okta.ca-cert")]
    OktaCaCert,
    #[value(name = "okta.api-token")]
    OktaApiToken,
    #[value(name = "entra")]
    Entra,
    #[value(name = "entra.tenant-id")]
    EntraTenantId,
    #[value(name = "entra.client-id")]
    EntraClientId,
    #[value(name = "entra.client-secret")]
    EntraClientSecret,
    #[value(name = "entra.login-url")]
    EntraLoginUrl,
    #[value(name = "entra.graph-url")]
    EntraGraphUrl,
    #[value(name = "entra.ca-cert")]
    EntraCaCert,
    #[value(name = "ops")]
    Ops,
    #[value(name = "ops.url")]
    OpsUrl,
    #[value(name = "ops.ca-cert")]
    OpsCaCert,
    #[value(name = "ops.username")]
    OpsUsername,
    #[value(name = "ops.password")]
    OpsPassword,
    #[value(name = "ops.auth-source")]
    OpsAuthSource,
    #[value(name = "ops.token")]
    OpsToken,
}

/// Edits one table in its file form; a table left empty is removed.
pub fn edit<M, S>(table: &mut Option<M>, f: impl FnOnce(&mut S)) -> Result<(), Failure>
where
    M: Default + PartialEq + TryFrom<S>,
    <M as TryFrom<S>>::Error: std::fmt::Display,
    S: From<M>,
{
    let mut section = S::from(table.take().unwrap_or_default());
    f(&mut section);
    let model = M::try_from(section).map_err(|e| Failure::usage(e.to_string()))?;
    *table = (model != M::default()).then_some(model);
    Ok(())
}

/// Removes a table or one of its keys.
pub fn unset(context: &mut Context, key: Key) -> Result<(), Failure> {
    match key {
        Key::CaCert => context.ca_cert = None,
        Key::Vcf => context.vcf = None,
        Key::Unleash => context.unleash = None,
        Key::Broker => context.broker = None,
        Key::Okta => context.okta = None,
        Key::Entra => context.entra = None,
        Key::Ops => context.ops = None,
        Key::VcfUrl => edit(&mut context.vcf, |s: &mut VcfSection| s.url = None)?,
        Key::VcfCaCert => edit(&mut context.vcf, |s: &mut VcfSection| s.ca_cert = None)?,
        Key::VcfUsername => edit(&mut context.vcf, |s: &mut VcfSection| s.username = None)?,
        Key::VcfPassword => edit(&mut context.vcf, |s: &mut VcfSection| s.password = None)?,
        Key::VcfToken => edit(&mut context.vcf, |s: &mut VcfSection| s.token = None)?,
        Key::VcfServiceAccount => edit(&mut context.vcf, |s: &mut VcfSection| s.api_key = None)?,
        Key::UnleashUrl => edit(&mut context.unleash, |s: &mut UnleashSection| s.url = None)?,
        Key::UnleashCaCert => {
            edit(&mut context.unleash, |s: &mut UnleashSection| {
                s.ca_cert = None
            })?;
        }
        Key::UnleashApiToken => {
            edit(&mut context.unleash, |s: &mut UnleashSection| {
                s.api_token = None
            })?;
        }
        Key::BrokerUrl => edit(&mut context.broker, |s: &mut BrokerSection| s.url = None)?,
        Key::BrokerTenant => edit(&mut context.broker, |s: &mut BrokerSection| s.tenant = None)?,
        Key::BrokerCaCert => {
            edit(&mut context.broker, |s: &mut BrokerSection| {
                s.ca_cert = None
            })?;
        }
        Key::BrokerVcenterUsername => edit(&mut context.broker, |s: &mut BrokerSection| {
            s.vcenter_username = None;
        })?,
        Key::BrokerVcenterPassword => edit(&mut context.broker, |s: &mut BrokerSection| {
            s.vcenter_password = None;
        })?,
        Key::BrokerClientId => {
            edit(&mut context.broker, |s: &mut BrokerSection| {
                s.client_id = None
            })?;
        }
        Key::BrokerClientSecret => edit(&mut context.broker, |s: &mut BrokerSection| {
            s.client_secret = None;
        })?,
        Key::BrokerToken => edit(&mut context.broker, |s: &mut BrokerSection| s.token = None)?,
        Key::OktaUrl => edit(&mut context.okta, |s: &mut OktaSection| s.url = None)?,
        Key::OktaCaCert => edit(&mut context.okta, |s: &mut OktaSection| s.ca_cert = None)?,
        Key::OktaApiToken => edit(&mut context.okta, |s: &mut OktaSection| s.api_token = None)?,
        Key::EntraTenantId => edit(&mut context.entra, |s: &mut EntraSection| {
            s.tenant_id = None
        })?,
        Key::EntraClientId => edit(&mut context.entra, |s: &mut EntraSection| {
            s.client_id = None
        })?,
        Key::EntraClientSecret => edit(&mut context.entra, |s: &mut EntraSection| {
            s.client_secret = None;
        })?,
        Key::EntraLoginUrl => edit(&mut context.entra, |s: &mut EntraSection| {
            s.login_url = None
        })?,
        Key::EntraGraphUrl => edit(&mut context.entra, |s: &mut EntraSection| {
            s.graph_url = None
        })?,
        Key::EntraCaCert => edit(&mut context.entra, |s: &mut EntraSection| s.ca_cert = None)?,
        Key::OpsUrl => edit(&mut context.ops, |s: &mut OpsSection| s.url = None)?,
        Key::OpsCaCert => edit(&mut context.ops, |s: &mut OpsSection| s.ca_cert = None)?,
        Key::OpsUsername => edit(&mut context.ops, |s: &mut OpsSection| s.username = None)?,
        Key::OpsPassword => edit(&mut context.ops, |s: &mut OpsSection| s.password = None)?,
        Key::OpsAuthSource => edit(&mut context.ops, |s: &mut OpsSection| {
            s.auth_source = None;
        })?,
        Key::OpsToken => edit(&mut context.ops, |s: &mut OpsSection| s.token = None)?,
    }
    Ok(())
}
