//! The fault matrix: every operation of every API the facade covers (VCF,
//! Unleash, the VCF Identity Broker, vCenter's part in the broker's login,
//! Okta, Microsoft Entra ID) against every fault the simulator (or a closed
//! port) can produce, each cell asserting the exact outcome — the `Error`
//! variant and its helpers, how many requests were sent (seen by the
//! client's tracing span and by the simulator's request log), which logins
//! and renewals went with them, that no `POST` was processed twice, and
//! what became of the server's state.
//!
//! The expected outcome of every cell is computed below from the stated
//! policy ([`expected`]); the observed matrix is rendered as Markdown and
//! must equal the generated section of `docs/RELIABILITY.md`. After a
//! deliberate change, rewrite it with
//! `IDP_UPDATE_RELIABILITY=1 cargo test -p idp-tests --test it fault_matrix`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use idp_client::{Error, RetryPolicy, RootCertificates, Secret, UnleashClient, VcfClient};
use idp_sim::{FaultBody, FaultRule, SimConfig, Simulator};
use idp_testkit::{ad_source_builder, okta_builder, start_sim};
use tracing::instrument::WithSubscriber as _;
use tracing::span::{Attributes, Id, Record};
use tracing::{Subscriber, field::Field};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

/// Attempts per operation in the policy under test.
const MAX_ATTEMPTS: u32 = 3;
/// The request timeout of the timeout row (the simulator waits 2 s).
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);
/// The response bound of the oversized-body rows.
const SMALL_BODY_LIMIT: u64 = 256 * 1024;
/// The oversized bodies: 2 MiB.
const OVERSIZED_BODY: u64 = 2 * 1024 * 1024;
/// The nesting depth of the deep error body.
const DEEP_NESTING: usize = 10_000;
/// The domain name of the identity source the source operations use.
const DOMAIN: &str = "fault-matrix.example.com";

mod calls;
mod cell;
mod doc;
mod facts;
mod faults;
mod ops;
mod outcomes;
mod sends;
mod setup;

use calls::*;
use cell::*;
use doc::*;
use faults::*;
use ops::*;
use outcomes::*;
use sends::*;
use setup::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault() {
    let faults = Fault::all();
    let gate = Arc::new(tokio::sync::Semaphore::new(12));
    let mut running = tokio::task::JoinSet::new();
    for fault in &faults {
        for op in Op::ALL {
            let fault = *fault;
            let permit = Arc::clone(&gate).acquire_owned().await.unwrap();
            running.spawn(async move {
                let _permit = permit;
                let cell = tokio::time::timeout(Duration::from_secs(60), run_cell(op, fault))
                    .await
                    .unwrap_or_else(|_| panic!("{} × {}: hung", op.name(), fault.title()));
                ((fault, op), cell)
            });
        }
    }
    let mut cells = BTreeMap::new();
    while let Some(joined) = running.join_next().await {
        let (key, cell) = joined.unwrap();
        cells.insert(key, cell);
    }
    assert_eq!(cells.len(), faults.len() * Op::ALL.len());

    let mismatches: Vec<String> = cells
        .iter()
        .filter_map(|((fault, op), cell)| {
            let want = expected(*op, *fault);
            (want != *cell).then(|| {
                format!(
                    "{} × {}:\n    expected {want:?}\n    observed {cell:?}",
                    op.name(),
                    fault.title()
                )
            })
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} cells differ from the policy:\n{}",
        mismatches.len(),
        cells.len(),
        mismatches.join("\n")
    );

    // The document shows exactly what was observed.
    let generated = render(&faults, &cells);
    let path = doc_path();
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let section = doc
        .split_once(DOC_BEGIN)
        .and_then(|(_, rest)| rest.split_once(DOC_END))
        .map(|(inside, _)| inside.trim().to_owned());
    if std::env::var_os("IDP_UPDATE_RELIABILITY").is_some() {
        let (head, tail) = match doc.split_once(DOC_BEGIN) {
            Some((head, rest)) => (
                head.to_owned(),
                rest.split_once(DOC_END)
                    .map_or(String::new(), |(_, t)| t.to_owned()),
            ),
            None => (doc.clone(), "\n".to_owned()),
        };
        let updated = format!(
            "{head}{DOC_BEGIN}\n\n{}\n\n{DOC_END}{tail}",
            generated.trim()
        );
        std::fs::write(&path, updated).unwrap();
        return;
    }
    let Some(section) = section else {
        panic!(
            "docs/RELIABILITY.md has no generated fault matrix section: run \
             IDP_UPDATE_RELIABILITY=1 cargo test -p idp-tests --test it fault_matrix"
        );
    };
    if let Some((line, (doc_line, observed))) = section
        .lines()
        .map(Some)
        .chain(std::iter::repeat(None))
        .zip(
            generated
                .trim()
                .lines()
                .map(Some)
                .chain(std::iter::repeat(None)),
        )
        .take_while(|pair| *pair != (None, None))
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "docs/RELIABILITY.md differs from the observed matrix at line {} of its \
             generated section:\n  document: {doc_line:?}\n  observed: {observed:?}\n\
             After a deliberate change, run \
             IDP_UPDATE_RELIABILITY=1 cargo test -p idp-tests --test it fault_matrix",
            line + 1
        );
    }
}
