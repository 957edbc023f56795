//! The `context: NAME` targets, brokers and VCF Operations of a
//! declarative document: the context's `[vcf]`, `[broker]` or `[ops]` table
//! (and its CA file) only, plus the run's timeout, `--insecure` and
//! `--allow-http`.

use std::path::PathBuf;
use std::sync::Arc;

use idp_client::{BrokerClient, VcfClient};
use idp_config::PemRef;

use super::precedence::no_env;
use super::transport::{Tail, read_ca};
use super::{GlobalConnection, Layers, Settings, broker, config_file_path, ops, vcf};
use crate::contexts::{self, Context, ContextsFile};
use crate::failure::Failure;

impl Settings {
    /// Resolves the `context: NAME` targets and brokers of a declarative
    /// document from the configuration file.
    pub fn context_resolver(&self) -> Arc<dyn idp_config::ContextResolver> {
        let file = config_file_path().and_then(|path| {
            let file = contexts::load(&path)?;
            Ok((path, file))
        });
        Arc::new(ContextClients {
            file,
            tail: self.tail(),
        })
    }
}

/// The contexts file, for `context:` targets and brokers of a declarative
/// document.
struct ContextClients {
    file: Result<(PathBuf, ContextsFile), Failure>,
    tail: Tail,
}

impl ContextClients {
    fn context(&self, name: &str) -> Result<&Context, idp_config::Error> {
        let (path, file) = self
            .file
            .as_ref()
            .map_err(|f| idp_config::Error::Usage(f.message.clone()))?;
        file.contexts.get(name).ok_or_else(|| {
            idp_config::Error::Usage(format!(
                "no context `{name}` in {}; see `idpctl config list`",
                path.display()
            ))
        })
    }

    /// The flags' tail with the context's CA file.
    fn tail(&self, name: &str, ca: Option<PemRef>) -> Result<Tail, idp_config::Error> {
        let mut tail = self.tail.clone();
        if let Some(ca) = ca {
            tail.ca_pem = Some(read_ca(&ca).map_err(|f| in_context(name, &f))?);
        }
        Ok(tail)
    }
}

fn in_context(name: &str, failure: &Failure) -> idp_config::Error {
    idp_config::Error::Usage(format!("context `{name}`: {}", failure.message))
}

/// The layers of a context alone.
fn only<'a>(global: &'a GlobalConnection, context: &'a Context) -> Layers<'a> {
    Layers {
        global,
        env: &no_env,
        context: Some(context),
    }
}

// Only the context counts here: the document named it, so neither the
// flags nor the environment are read.
impl idp_config::ContextResolver for ContextClients {
    fn client(&self, name: &str) -> Result<VcfClient, idp_config::Error> {
        let global = GlobalConnection::default();
        let layers = only(&global, self.context(name)?);
        let resolved = vcf::resolve(None, &layers);
        let url = resolved
            .url
            .ok_or_else(|| idp_config::Error::Usage(format!("context `{name}` has no vcf.url")))?;
        let builder = VcfClient::builder(url).config(&self.tail(name, resolved.ca_cert)?.config()?);
        let auth = vcf::resolve_auth(&layers);
        let builder =
            vcf::with_auth(builder, auth, layers.env).map_err(|f| in_context(name, &f))?;
        Ok(builder.build()?)
    }

    fn broker_client(&self, name: &str) -> Result<BrokerClient, idp_config::Error> {
        let global = GlobalConnection::default();
        let layers = only(&global, self.context(name)?);
        let resolved = broker::resolve(None, &layers);
        let url = resolved.url.ok_or_else(|| {
            idp_config::Error::Usage(format!("context `{name}` has no broker.url"))
        })?;
        let mut builder =
            BrokerClient::builder(url).config(&self.tail(name, resolved.ca_cert)?.config()?);
        if let Some(tenant) = broker::resolve_tenant(None, &layers) {
            builder = builder.tenant(tenant);
        }
        let auth = broker::resolve_auth(&layers);
        let builder =
            broker::with_auth(builder, auth, layers.env).map_err(|f| in_context(name, &f))?;
        Ok(builder.build()?)
    }

    fn ops_client(&self, name: &str) -> Result<idp_client::vcf_ops::Client, idp_config::Error> {
        let global = GlobalConnection::default();
        let layers = only(&global, self.context(name)?);
        let resolved = ops::resolve(None, &layers);
        let url = resolved
            .url
            .ok_or_else(|| idp_config::Error::Usage(format!("context `{name}` has no ops.url")))?;
        let builder = idp_client::vcf_ops::Client::builder(url)
            .config(&self.tail(name, resolved.ca_cert)?.config()?);
        let auth = ops::resolve_auth(&layers);
        let builder =
            ops::with_auth(builder, auth, layers.env).map_err(|f| in_context(name, &f))?;
        Ok(builder.build()?)
    }
}
