//! `idpctl config list | show | use | set | delete`: the named contexts of
//! the configuration file. Secrets are stored and shown only as references.

use serde_json::json;

use crate::cli::{ConfigCommand, ConfigSetArgs, ContextField};
use crate::contexts::{self, Context, ContextsFile};
use crate::failure::Failure;
use crate::output::{self, Output};
use crate::settings::Settings;

pub fn run(command: ConfigCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    let path = crate::settings::config_file_path()?;
    let mut file = contexts::load(&path)?;
    match command {
        ConfigCommand::List => list(&file, &path, out),
        ConfigCommand::Show { name } => {
            let name = match name {
                Some(name) => name,
                None => settings.context_in_force()?.ok_or_else(|| {
                    Failure::usage(format!(
                        "no context is in force (none named, no current-context in {}); give a name",
                        path.display()
                    ))
                })?,
            };
            let context = existing(&file, &name, &path)?;
            show(&name, context, out)
        }
        ConfigCommand::Use { name } => {
            existing(&file, &name, &path)?;
            file.current_context = Some(name.clone());
            contexts::save(&path, &file)?;
            out.emit(&json!({ "currentContext": name }), || {
                format!("current context: {name}\n")
            })
        }
        ConfigCommand::Set(args) => {
            let name = args.name.clone();
            let created = !file.contexts.contains_key(&name);
            let context = file.contexts.entry(name.clone()).or_default();
            apply_set(context, &args, settings)?;
            contexts::save(&path, &file)?;
            let verb = if created { "created" } else { "updated" };
            out.emit(&json!({ "context": name, "result": verb }), || {
                format!("context {name} {verb} in {}\n", path.display())
            })
        }
        ConfigCommand::Delete { name } => {
            existing(&file, &name, &path)?;
            file.contexts.remove(&name);
            let was_current = file.current_context.as_deref() == Some(name.as_str());
            if was_current {
                file.current_context = None;
            }
            contexts::save(&path, &file)?;
            out.emit(&json!({ "context": name, "result": "deleted" }), || {
                let mut text = format!("context {name} deleted\n");
                if was_current {
                    text.push_str("it was the current context: none is current now\n");
                }
                text
            })
        }
    }
}

fn existing<'a>(
    file: &'a ContextsFile,
    name: &str,
    path: &std::path::Path,
) -> Result<&'a Context, Failure> {
    file.contexts.get(name).ok_or_else(|| {
        Failure::usage(format!(
            "no context `{name}` in {}; see `idpctl config list`",
            path.display()
        ))
    })
}

fn list(file: &ContextsFile, path: &std::path::Path, out: Output) -> Result<(), Failure> {
    let json = json!({
        "path": path.display().to_string(),
        "currentContext": file.current_context,
        "contexts": file.contexts,
    });
    out.emit(&json, || {
        let rows: Vec<Vec<String>> = file
            .contexts
            .iter()
            .map(|(name, context)| {
                let current = file.current_context.as_deref() == Some(name.as_str());
                vec![
                    if current { "*" } else { "" }.to_owned(),
                    name.clone(),
                    context.vcf_url.clone().unwrap_or_default(),
                    context.unleash_url.clone().unwrap_or_default(),
                    context.broker_url.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let mut text = output::table(
            &["CURRENT", "NAME", "VCF URL", "UNLEASH URL", "BROKER URL"],
            &rows,
        );
        text.push_str(&format!("file: {}\n", path.display()));
        text
    })
}

fn show(name: &str, context: &Context, out: Output) -> Result<(), Failure> {
    let mut json = serde_json::to_value(context)
        .map_err(|e| Failure::other(format!("cannot render JSON: {e}")))?;
    if let Some(object) = json.as_object_mut() {
        object.insert("name".to_owned(), json!(name));
    }
    out.emit(&json, || {
        let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not set)".to_owned());
        let reference = |v: Option<&idp_config::SecretRef>| {
            v.map_or_else(|| "(not set)".to_owned(), ToString::to_string)
        };
        output::fields(&[
            ("name", name.to_owned()),
            ("vcf-url", text(&context.vcf_url)),
            ("vcf-username", text(&context.vcf_username)),
            ("vcf-password", reference(context.vcf_password.as_ref())),
            ("vcf-token", reference(context.vcf_token.as_ref())),
            (
                "ca-cert",
                text(&context.ca_cert.as_ref().map(|p| p.display().to_string())),
            ),
            ("unleash-url", text(&context.unleash_url)),
            (
                "unleash-api-token",
                reference(context.unleash_api_token.as_ref()),
            ),
            ("broker-url", text(&context.broker_url)),
            ("broker-tenant", text(&context.broker_tenant)),
            (
                "broker-ca-cert",
                text(
                    &context
                        .broker_ca_cert
                        .as_ref()
                        .map(|p| p.display().to_string()),
                ),
            ),
            (
                "broker-vcenter-username",
                text(&context.broker_vcenter_username),
            ),
            (
                "broker-vcenter-password",
                reference(context.broker_vcenter_password.as_ref()),
            ),
            ("broker-client-id", text(&context.broker_client_id)),
            (
                "broker-client-secret",
                reference(context.broker_client_secret.as_ref()),
            ),
            ("broker-token", reference(context.broker_token.as_ref())),
        ])
    })
}

/// Stores a CA file's absolute path: the file is used from any directory.
fn set_path(
    field: &mut Option<std::path::PathBuf>,
    flag: &str,
    value: Option<&std::path::Path>,
) -> Result<(), Failure> {
    if let Some(path) = value {
        let path = std::path::absolute(path)
            .map_err(|e| Failure::usage(format!("{flag} {}: {e}", path.display())))?;
        *field = Some(path);
    }
    Ok(())
}

/// An empty value removes the field.
fn set_text(field: &mut Option<String>, value: Option<&str>) {
    if let Some(value) = value {
        *field = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    }
}

fn set_reference(
    field: &mut Option<idp_config::SecretRef>,
    flag: &str,
    value: Option<&str>,
) -> Result<(), Failure> {
    match value.map(str::trim) {
        None => {}
        Some("") => *field = None,
        Some(text) => {
            *field = Some(
                contexts::parse_reference(text)
                    .map_err(|e| Failure::usage(format!("{flag}: {e}")))?,
            );
        }
    }
    Ok(())
}

fn apply_set(
    context: &mut Context,
    args: &ConfigSetArgs,
    settings: &Settings,
) -> Result<(), Failure> {
    let flags = settings.flags();
    if flags.insecure || flags.allow_http || flags.secret_stdin {
        return Err(Failure::usage(
            "config set stores URLs, the user, the CA file and secret references only; --insecure, --allow-http and --secret-stdin are not stored",
        ));
    }
    set_text(&mut context.vcf_url, flags.vcf_url.as_deref());
    set_text(&mut context.unleash_url, flags.unleash_url.as_deref());
    set_text(&mut context.broker_url, flags.broker_url.as_deref());
    set_text(&mut context.broker_tenant, flags.broker_tenant.as_deref());
    set_path(&mut context.ca_cert, "--ca-cert", flags.ca_cert.as_deref())?;
    set_path(
        &mut context.broker_ca_cert,
        "--broker-ca-cert",
        args.broker_ca_cert.as_deref(),
    )?;
    set_text(
        &mut context.broker_vcenter_username,
        args.broker_vcenter_username.as_deref(),
    );
    set_text(
        &mut context.broker_client_id,
        args.broker_client_id.as_deref(),
    );
    for (field, flag, value) in [
        (
            &mut context.broker_vcenter_password,
            "--broker-vcenter-password",
            &args.broker_vcenter_password,
        ),
        (
            &mut context.broker_client_secret,
            "--broker-client-secret",
            &args.broker_client_secret,
        ),
        (
            &mut context.broker_token,
            "--broker-token",
            &args.broker_token,
        ),
    ] {
        set_reference(field, flag, value.as_deref())?;
    }
    set_text(&mut context.vcf_username, args.vcf_username.as_deref());
    set_reference(
        &mut context.vcf_password,
        "--vcf-password",
        args.vcf_password.as_deref(),
    )?;
    set_reference(
        &mut context.vcf_token,
        "--vcf-token",
        args.vcf_token.as_deref(),
    )?;
    set_reference(
        &mut context.unleash_api_token,
        "--unleash-api-token",
        args.unleash_api_token.as_deref(),
    )?;
    for field in &args.unset {
        match field {
            ContextField::VcfUrl => context.vcf_url = None,
            ContextField::VcfUsername => context.vcf_username = None,
            ContextField::VcfPassword => context.vcf_password = None,
            ContextField::VcfToken => context.vcf_token = None,
            ContextField::CaCert => context.ca_cert = None,
            ContextField::UnleashUrl => context.unleash_url = None,
            ContextField::UnleashApiToken => context.unleash_api_token = None,
            ContextField::BrokerUrl => context.broker_url = None,
            ContextField::BrokerTenant => context.broker_tenant = None,
            ContextField::BrokerCaCert => context.broker_ca_cert = None,
            ContextField::BrokerVcenterUsername => context.broker_vcenter_username = None,
            ContextField::BrokerVcenterPassword => context.broker_vcenter_password = None,
            ContextField::BrokerClientId => context.broker_client_id = None,
            ContextField::BrokerClientSecret => context.broker_client_secret = None,
            ContextField::BrokerToken => context.broker_token = None,
        }
    }
    Ok(())
}
