//! `idpctl apply -f FILE`: make every target match the document.

use std::io::IsTerminal;

use clap::Args;
use idp_config::Outcome;
use serde_json::json;

use crate::commands::plan::{DocumentArgs, compute, progress_line, render};
use crate::commands::service_keys::ServiceKeys;
use crate::confirm::Confirm;
use crate::delivery::ROTATED_NOT_DELIVERED;
use crate::failure::Failure;
use crate::output::{Output, OutputFormat, table};
use crate::settings::Settings;

/// `idpctl apply`.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub document: DocumentArgs,
    #[command(flatten)]
    pub confirm: Confirm,
    /// Allow replacing the external provider (delete then add: users briefly cannot log in through it).
    #[arg(long)]
    pub allow_replace: bool,
    /// Where a new service user's API key goes if its delivery
    /// (`access[].deliverKey`) fails: a new file (mode 0600) or `stdout`.
    /// Default: a new file `idpctl-recovered-key-*` in the current
    /// directory.
    #[arg(long, value_name = "PATH|stdout")]
    pub recovery: Option<String>,
}

pub async fn run(args: ApplyArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let (document, options) = args.document.load(settings)?;
    let keys = std::sync::Arc::new(ServiceKeys::new(args.recovery.clone()));
    let options = options
        .allow_replace(args.allow_replace)
        .key_delivery(keys.clone());
    let plan = compute(&document, &options).await?;
    let plan_text = render(&plan, &options);
    // The plan goes first: on stdout as text, on stderr in JSON mode (stdout
    // then holds one JSON document).
    match out.format {
        OutputFormat::Json => {
            if std::io::stderr().is_terminal() {
                eprint!("{}", crate::output::terminal_safe(&plan_text));
            }
        }
        _ => crate::output::write_stdout(&crate::output::terminal_safe(&plan_text))?,
    }
    if plan.has_replace() && !args.allow_replace {
        return Err(Failure::usage(
            "the plan replaces an external provider: pass --allow-replace to apply it (nothing was changed)",
        ));
    }
    let held = plan.unpermitted(&options);
    if !held.is_empty() {
        let list: Vec<String> = held
            .iter()
            .map(|(target, change)| format!("{target}: {}", change.summary()))
            .collect();
        return Err(Failure::usage(format!(
            "the plan updates {} object(s) ({}); SDDC Manager's update replaces the whole object, so each update resends the object's secrets from the document (servers never return them): pass --update-secrets to apply it (nothing was changed)",
            held.len(),
            list.join("; ")
        )));
    }
    if plan.has_changes() {
        let count: usize = plan.targets.iter().map(|t| t.changes.len()).sum();
        let targets = plan
            .targets
            .iter()
            .filter(|t| !t.changes.is_empty())
            .count();
        args.confirm
            .ask(&format!("apply {count} change(s) to {targets} target(s)"))?;
        progress_line("applying...");
    }
    let report = idp_config::apply(&plan, &options).await;
    out.emit(&json!({ "plan": plan, "report": report }), || {
        let rows: Vec<Vec<String>> = report
            .targets
            .iter()
            .map(|t| {
                let total = t.done.len() + t.not_done.len();
                vec![
                    t.target.clone(),
                    match t.outcome {
                        Outcome::Unchanged => "no changes".to_owned(),
                        Outcome::Applied => "applied".to_owned(),
                        _ => "failed".to_owned(),
                    },
                    format!("{}/{}", t.done.len(), total),
                    format!("{:.1}s", t.duration.as_secs_f64()),
                ]
            })
            .collect();
        let mut text = table(&["TARGET", "RESULT", "CHANGES", "DURATION"], &rows);
        for t in report
            .targets
            .iter()
            .filter(|t| t.outcome == Outcome::Failed)
        {
            if let Some(error) = &t.error {
                text.push_str(&format!("{}: error: {}\n", t.target, error.message));
            }
            for done in &t.done {
                text.push_str(&format!("{}: done: {done}\n", t.target));
            }
            for not_done in &t.not_done {
                text.push_str(&format!("{}: not done: {not_done}\n", t.target));
            }
        }
        text
    })?;
    if keys.any_not_delivered() {
        Err(Failure::exit_with(
            ROTATED_NOT_DELIVERED,
            "a new service user's API key could not be delivered and was saved for recovery (see the report above)",
        ))
    } else if report.is_success() {
        Ok(())
    } else {
        let failed = report
            .targets
            .iter()
            .filter(|t| t.outcome == Outcome::Failed)
            .count();
        Err(Failure::other(format!(
            "{failed} of {} target(s) failed; run apply again to converge",
            report.targets.len()
        )))
    }
}
