use idp_config::connection::{Broker, BrokerCredentials, Endpoint};
use idp_config::{PemRef, SecretRef};

use super::super::precedence::tests::{PRECEDENCE, lookup, one_var};
use super::super::{Context, GlobalConnection, Layers};
use super::{BrokerAuth, resolve, resolve_auth, resolve_tenant};
use crate::settings::secret::SecretSource;

/// Environment variables, a `--secret-stdin` flag, a context, and what
/// they resolve to.
type Case = (
    &'static [(&'static str, &'static str)],
    bool,
    Option<Context>,
    Option<BrokerAuth>,
);

fn with_broker(broker: Broker) -> Context {
    Context {
        broker: Some(broker),
        ..Context::default()
    }
}

fn layers<'a>(
    global: &'a GlobalConnection,
    env: &'a dyn Fn(&str) -> Option<String>,
    context: Option<&'a Context>,
) -> Layers<'a> {
    Layers {
        global,
        env,
        context,
    }
}

#[test]
fn url_tenant_and_ca_flag_then_env_then_context() {
    let global = GlobalConnection::default();
    for ((flag, env, ctx), expected) in PRECEDENCE {
        let flag = flag.map(str::to_owned);
        let context = ctx.map(|c| {
            let mut broker = Broker::new(Endpoint::new(c), None);
            broker.tenant = Some(c.to_owned());
            with_broker(broker)
        });
        let url_env = one_var("BROKER_URL", *env);
        let got = resolve(flag.clone(), &layers(&global, &url_env, context.as_ref())).url;
        assert_eq!(got.as_deref(), *expected, "url {flag:?} {env:?} {ctx:?}");
        let tenant_env = one_var("BROKER_TENANT", *env);
        let got = resolve_tenant(
            flag.clone(),
            &layers(&global, &tenant_env, context.as_ref()),
        );
        assert_eq!(got.as_deref(), *expected, "tenant {flag:?} {env:?} {ctx:?}");
        // Another API's variable is not the broker's.
        let vcf_env = one_var("VCF_URL", *env);
        assert_eq!(
            resolve(flag.clone(), &layers(&global, &vcf_env, context.as_ref()))
                .url
                .is_some(),
            flag.as_ref().is_some_and(|f| !f.is_empty()) || ctx.is_some()
        );
    }
    // The CA file: --ca-cert > BROKER_CA_CERT > broker.ca-cert > ca-cert.
    let mut endpoint = Endpoint::default();
    endpoint.ca_cert = Some(PemRef::file("/ctx/broker.pem"));
    let both = Context {
        ca_cert: Some("/ctx/shared.pem".into()),
        ..with_broker(Broker::new(endpoint, None))
    };
    let shared = Context {
        ca_cert: Some("/ctx/shared.pem".into()),
        ..Context::default()
    };
    let flag = GlobalConnection {
        ca_cert: Some("/flag.pem".into()),
        ..GlobalConnection::default()
    };
    let env = lookup(&[("BROKER_CA_CERT", "/env.pem")]);
    let empty = lookup(&[]);
    for (global, env, context, expected) in [
        (&flag, &env, Some(&both), Some("/flag.pem")),
        (&global, &env, Some(&both), Some("/env.pem")),
        (&global, &empty, Some(&both), Some("/ctx/broker.pem")),
        (&global, &empty, Some(&shared), Some("/ctx/shared.pem")),
        (&global, &empty, None, None),
    ] {
        assert_eq!(
            resolve(None, &layers(global, env, context)).ca_cert,
            expected.map(PemRef::file)
        );
    }
}

#[test]
fn login_environment_then_context() {
    let reference =
        |key: &'static str, text: &str| Some(SecretSource::Context(key, SecretRef::parse(text)));
    let credentials = |c| with_broker(Broker::new(Endpoint::default(), Some(c)));
    let oauth = credentials(BrokerCredentials::OAuthClient {
        client_id: Some("ctx-client".to_owned()),
        client_secret: Some(SecretRef::parse("env:CTX_SECRET")),
    });
    let vcenter = credentials(BrokerCredentials::Vcenter {
        username: Some("ctx-user".to_owned()),
        password: Some(SecretRef::parse("file:/ctx/pw")),
    });
    let token = credentials(BrokerCredentials::Token(SecretRef::parse("env:CTX_TOKEN")));
    let client = |id: &str, secret| BrokerAuth::OAuthClient {
        client_id: id.to_owned(),
        secret,
    };
    let user = |name: &str, password| BrokerAuth::Vcenter {
        username: name.to_owned(),
        password,
    };
    let cases: Vec<Case> = vec![
        (&[], false, None, None),
        (&[], false, Some(Context::default()), None),
        (
            &[],
            false,
            Some(oauth.clone()),
            Some(client(
                "ctx-client",
                reference("broker.client-secret", "env:CTX_SECRET"),
            )),
        ),
        (
            &[],
            false,
            Some(vcenter.clone()),
            Some(user(
                "ctx-user",
                reference("broker.vcenter-password", "file:/ctx/pw"),
            )),
        ),
        (
            &[],
            false,
            Some(token),
            Some(BrokerAuth::Token(SecretSource::Context(
                "broker.token",
                SecretRef::parse("env:CTX_TOKEN"),
            ))),
        ),
        // The environment's credentials win over the context's.
        (
            &[
                ("BROKER_CLIENT_ID", "env-client"),
                ("BROKER_CLIENT_SECRET", "s"),
            ],
            false,
            Some(vcenter.clone()),
            Some(client(
                "env-client",
                Some(SecretSource::Env("BROKER_CLIENT_SECRET")),
            )),
        ),
        (
            &[("BROKER_TOKEN", "t")],
            false,
            Some(oauth.clone()),
            Some(BrokerAuth::Token(SecretSource::Env("BROKER_TOKEN"))),
        ),
        // The environment's user with the context's password.
        (
            &[("BROKER_VCENTER_USERNAME", "env-user")],
            false,
            Some(vcenter.clone()),
            Some(user(
                "env-user",
                reference("broker.vcenter-password", "file:/ctx/pw"),
            )),
        ),
        // A secret from the environment for the context's client.
        (
            &[("BROKER_CLIENT_SECRET", "s")],
            false,
            Some(oauth.clone()),
            Some(client(
                "ctx-client",
                Some(SecretSource::Env("BROKER_CLIENT_SECRET")),
            )),
        ),
        // --secret-stdin (a flag) beats both.
        (
            &[("BROKER_CLIENT_SECRET", "s")],
            true,
            Some(oauth),
            Some(client("ctx-client", Some(SecretSource::Stdin))),
        ),
        (
            &[("BROKER_VCENTER_USERNAME", "env-user")],
            false,
            None,
            Some(user("env-user", None)),
        ),
    ];
    for (vars, stdin, context, expected) in cases {
        let global = GlobalConnection {
            secret_stdin: stdin,
            ..GlobalConnection::default()
        };
        let env = lookup(vars);
        let got = resolve_auth(&layers(&global, &env, context.as_ref()));
        assert_eq!(got, expected, "{vars:?} stdin={stdin} {context:?}");
    }
}
