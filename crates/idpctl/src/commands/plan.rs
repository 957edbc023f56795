//! `idpctl plan -f FILE`: what `apply` would change, per target.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use idp_config::{Action, Document, LoadOptions, Options, Permission, Plan};
use serde_json::Value;

use crate::failure::{Failure, exit};
use crate::output::Output;
use crate::settings::Settings;

/// The highest `--parallel`.
pub const MAX_PARALLEL: u64 = 256;

/// The document and the targets: shared by `plan` and `apply`.
#[derive(Debug, Clone, Args)]
pub struct DocumentArgs {
    /// The declarative document (YAML, or JSON when it ends in .json).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: PathBuf,
    /// Only this target (repeatable); default: every target.
    #[arg(long = "target", value_name = "NAME")]
    pub targets: Vec<String>,
    /// Accept secrets written into the document (instead of env:NAME / file:PATH).
    #[arg(long)]
    pub allow_literal_secrets: bool,
    /// Allow updates, which resend the object's secrets (the update replaces the whole object; servers never return secrets); also update objects that differ in nothing readable, to push rotated secrets.
    #[arg(long)]
    pub update_secrets: bool,
    /// How many targets at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=MAX_PARALLEL))]
    pub parallel: u64,
}

/// `idpctl plan`.
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub document: DocumentArgs,
    /// Exit 0 when nothing would change, 2 when something would, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
}

impl DocumentArgs {
    /// Reads the document (exit 2 when it is invalid or names a context the
    /// configuration file does not have) and the options for the library;
    /// `context:` targets, brokers and VCF Operations come from the
    /// configuration file.
    pub fn load(&self, settings: &Settings) -> Result<(Document, Options), Failure> {
        let document = Document::from_file(
            &self.file,
            LoadOptions::default().allow_literal_secrets(self.allow_literal_secrets),
        )
        .map_err(|e| Failure::usage(e.to_string()))?;
        let selected = |name: &str| {
            self.targets.is_empty()
                || self
                    .targets
                    .iter()
                    .any(|n| n.trim().eq_ignore_ascii_case(name))
        };
        let targets = document
            .targets
            .iter()
            .filter(|t| selected(t.display_name()))
            .filter_map(|t| t.connection.context());
        let brokers = document
            .brokers
            .iter()
            .filter(|b| selected(b.display_name()))
            .filter_map(|b| b.connection.context());
        let operations = document
            .operations
            .iter()
            .filter(|o| selected(o.display_name()))
            .filter_map(|o| o.connection.context());
        settings.require_contexts(targets.chain(brokers).chain(operations))?;
        let options = Options::default()
            .targets(self.targets.clone())
            .parallel(usize::try_from(self.parallel).unwrap_or(8))
            .update_secrets(self.update_secrets)
            .client_config(settings.fleet_client_config()?)
            .resolver(settings.context_resolver());
        Ok((document, options))
    }
}

/// A line on stderr on a terminal, nothing on a pipe.
pub fn progress_line(text: &str) {
    let mut stderr = std::io::stderr();
    if stderr.is_terminal() {
        let _ = std::io::Write::write_all(
            &mut stderr,
            format!("{}\n", idp_client::terminal::sanitize(text)).as_bytes(),
        );
    }
}

/// Computes the plan (usage errors exit 2).
pub async fn compute(document: &Document, options: &Options) -> Result<Plan, Failure> {
    progress_line("reading the targets...");
    idp_config::plan(document, options)
        .await
        .map_err(|e| Failure::usage(e.to_string()))
}

pub async fn run(args: PlanArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let detailed = args.detailed_exitcode;
    let result = async {
        let (document, options) = args.document.load(settings)?;
        let plan = compute(&document, &options).await?;
        out.emit(&plan, || render(&plan, &options))?;
        Ok::<_, Failure>(plan)
    }
    .await;
    match result {
        Err(mut failure) if detailed => {
            failure.code = exit::OTHER;
            Err(failure)
        }
        Err(failure) => Err(failure),
        Ok(plan) if plan.has_errors() => Err(Failure::other(
            "some targets could not be planned (see above)",
        )),
        Ok(plan) if detailed && plan.has_changes() => Err(Failure::exit_only(2)),
        Ok(_) => Ok(()),
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::Null => "(none)".to_owned(),
        other => other.to_string(),
    }
}

/// The plan as text: per target its changes with their field-level
/// differences and the secrets they would send (an update's only with
/// `--update-secrets`, without which it is not applied), then a count.
pub fn render(plan: &Plan, options: &Options) -> String {
    let mut text = String::new();
    let mut counts = [0usize; 4];
    for target in &plan.targets {
        if let Some(error) = &target.error {
            text.push_str(&format!("{}: error: {}\n", target.target, error.message));
            continue;
        }
        if target.changes.is_empty() {
            text.push_str(&format!("{}: no changes\n", target.target));
            continue;
        }
        text.push_str(&format!(
            "{}: {} change(s)\n",
            target.target,
            target.changes.len()
        ));
        for change in &target.changes {
            let (mark, slot) = match change.action {
                Action::Create | Action::Grant => ('+', 0),
                Action::Update | Action::ChangeRole => ('~', 1),
                Action::Replace => ('!', 2),
                _ => ('-', 3),
            };
            counts[slot] += 1;
            text.push_str(&format!("  {mark} {}\n", change.summary()));
            for field in &change.fields {
                if field.from.is_null() {
                    text.push_str(&format!("      {}: {}\n", field.field, value(&field.to)));
                } else {
                    text.push_str(&format!(
                        "      {}: {} -> {}\n",
                        field.field,
                        value(&field.from),
                        value(&field.to)
                    ));
                }
            }
            let held = change.needs.filter(|p| !options.permits(*p));
            for secret in &change.secrets {
                match held {
                    Some(Permission::UpdateSecrets) => text.push_str(&format!(
                        "      {secret}: (secret) would be resent: needs --update-secrets\n"
                    )),
                    _ => text.push_str(&format!("      {secret}: (secret) will be sent\n")),
                }
            }
            if let Some(note) = &change.note {
                text.push_str(&format!("      note: {note}\n"));
            }
        }
    }
    text.push_str(&format!(
        "Plan: {} to create, {} to update, {} to replace, {} to delete.\n",
        counts[0], counts[1], counts[2], counts[3]
    ));
    text
}
