//! The simulated SDDC Manager and Unleash against their specs: every JSON
//! body the simulator sends, under every profile and Unleash edition,
//! decodes into the generated `idp_api` type that the spec names for the
//! operation and status, and decoding loses nothing (re-serializing the
//! typed value gives back every field and value the simulator sent). The
//! SDDC Manager bodies under vcf-9 also validate against VMware's own
//! descriptions (`vendor.rs`).

mod scenario;
pub(super) mod schema;
pub(super) mod vendor;

use std::collections::BTreeSet;

use idp_sim::{Profile, SimConfig, Simulator, UnleashEdition};
use reqwest::{RequestBuilder, StatusCode, header};
use serde_json::Value;

use scenario::{Run, unleash_operations, vcf_operations};
use schema::{Declared, Spec, declared_body, decode_as};

/// Which server a request went to.
#[derive(Debug, Clone, Copy)]
enum Server {
    Vcf,
    Unleash,
}

/// Sends requests to one simulator and checks every answer against a spec.
struct Conformance {
    vcf: Spec,
    unleash: Spec,
    /// Every failed check: `profile op status: problem`.
    failures: Vec<String>,
    /// `(operation, status)` pairs whose body was checked.
    checked: BTreeSet<(String, u16)>,
    label: String,
    /// Every SDDC Manager JSON answer: (label, operation, status, body).
    vcf_bodies: Vec<(String, String, u16, Value)>,
}

impl Conformance {
    fn new() -> Self {
        Conformance {
            vcf: Spec::load("vcf-identity.json"),
            unleash: Spec::load("unleash-scim.json"),
            failures: Vec::new(),
            checked: BTreeSet::new(),
            label: String::new(),
            vcf_bodies: Vec::new(),
        }
    }

    /// Sends `request` (as operation `operation_id`, or to no operation when
    /// `None`) and checks the answer; returns the status and the body.
    async fn send(
        &mut self,
        server: Server,
        operation_id: Option<&str>,
        request: RequestBuilder,
    ) -> (StatusCode, Vec<u8>) {
        let response = request.send().await.unwrap();
        let status = response.status();
        let json_labelled = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|ct| ct.as_bytes().starts_with(b"application/json"));
        let body = response.bytes().await.unwrap().to_vec();
        let what = format!(
            "{} {} {}",
            self.label,
            operation_id.unwrap_or("(no operation)"),
            status.as_u16()
        );
        if let Err(problem) = self.check(server, operation_id, status, json_labelled, &body) {
            self.failures.push(format!(
                "{what}: {problem}; body: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        if let (Server::Vcf, Some(op), Ok(value)) =
            (server, operation_id, serde_json::from_slice::<Value>(&body))
        {
            self.vcf_bodies
                .push((self.label.clone(), op.to_owned(), status.as_u16(), value));
        }
        self.checked.insert((
            operation_id.unwrap_or("(no operation)").to_owned(),
            status.as_u16(),
        ));
        (status, body)
    }

    fn check(
        &self,
        server: Server,
        operation_id: Option<&str>,
        status: StatusCode,
        json_labelled: bool,
        body: &[u8],
    ) -> Result<(), String> {
        let spec = match server {
            Server::Vcf => &self.vcf,
            Server::Unleash => &self.unleash,
        };
        let declared = match operation_id {
            Some(op) => {
                let response = spec
                    .response(op, status.as_u16())
                    .ok_or("the spec declares no such status for the operation")?;
                declared_body(spec, response)
            }
            // Fallbacks (unknown route, wrong method) and injected faults:
            // the server's error schema.
            None => Declared::Schema(
                match server {
                    Server::Vcf => "VcfError",
                    Server::Unleash => "UnleashError",
                }
                .to_owned(),
            ),
        };
        match declared {
            Declared::NoBody if body.is_empty() => Ok(()),
            // The spec's description of setScimSettings says servers answer
            // "with the settings or with no body", but its 2XX declares no
            // content (one success kind per operation, for progenitor).
            Declared::NoBody if operation_id == Some("setScimSettings") => {
                let value: Value = serde_json::from_slice(body)
                    .map_err(|e| format!("ScimSettings body is not JSON: {e}"))?;
                decode_as(spec, "ScimSettings", &value)
            }
            Declared::NoBody => Err("a body where the spec declares none".into()),
            // Text the facade interprets; VCF labels it JSON, and when it
            // parses as JSON it must be a string.
            // (or sends none: vcf-9 answers some of them 201/204 without a body).
            Declared::Text => match serde_json::from_slice::<Value>(body) {
                Ok(Value::String(_)) | Err(_) => Ok(()),
                Ok(other) => Err(format!("a JSON {other} where the spec declares a string")),
            },
            Declared::Schema(name) => {
                if !json_labelled {
                    return Err(format!("{name} not labelled application/json"));
                }
                let value: Value = serde_json::from_slice(body)
                    .map_err(|e| format!("{name} body is not JSON: {e}"))?;
                decode_as(spec, &name, &value)
            }
        }
    }
}

/// Runs the scenarios under every profile (and both Unleash editions).
async fn exercise() -> Conformance {
    let mut conformance = Conformance::new();
    let read_only = "read-only-key";
    // Every profile with Unleash Enterprise, then the open source edition
    // (SCIM routes answer 404 there).
    let runs = Profile::ALL
        .into_iter()
        .map(|profile| (profile, UnleashEdition::Enterprise))
        .chain([(Profile::Vcf52, UnleashEdition::OpenSource)]);
    for (profile, edition) in runs {
        let config = SimConfig::builder()
            .profile(profile)
            .unleash_edition(edition)
            .unleash_read_only_key(read_only)
            .build()
            .unwrap();
        let sim = Simulator::start(config).await.unwrap();
        let token = sim.issue_access_token();
        conformance.label = format!("{profile}/{}", edition.as_str());
        let mut run = Run {
            sim,
            c: &mut conformance,
            token,
        };
        if edition == UnleashEdition::Enterprise {
            vcf_operations(&mut run).await;
        }
        unleash_operations(&mut run, read_only).await;
    }
    conformance
}

#[tokio::test]
async fn every_body_decodes_strictly_into_the_generated_types() {
    let conformance = exercise().await;
    assert!(
        conformance.failures.is_empty(),
        "the simulator sent bodies the spec does not describe:\n{}",
        conformance.failures.join("\n")
    );
    // Every operation of both specs was exercised, with success and error.
    for spec in [&conformance.vcf, &conformance.unleash] {
        for id in spec.doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|op| op.get("operationId").and_then(Value::as_str))
        {
            let statuses: Vec<u16> = conformance
                .checked
                .iter()
                .filter(|(op, _)| op == id)
                .map(|(_, status)| *status)
                .collect();
            assert!(
                statuses.iter().any(|s| (200..300).contains(s)),
                "{id}: no success seen ({statuses:?})"
            );
            assert!(
                statuses.iter().any(|s| *s >= 400),
                "{id}: no error seen ({statuses:?})"
            );
        }
    }
}

#[tokio::test]
async fn vcf_9_bodies_validate_against_the_vendor_descriptions() {
    let conformance = exercise().await;
    let waived = vendor::Waived::load();
    let mut problems = Vec::new();
    let mut validated = BTreeSet::new();
    for vendor in vendor::Vendor::all() {
        for (label, op, status, body) in &conformance.vcf_bodies {
            if !label.starts_with(&format!("{}/", Profile::Vcf9)) {
                continue;
            }
            let Some(found) = vendor.check(&waived, op, *status, body) else {
                continue;
            };
            validated.insert((op.clone(), *status));
            problems.extend(
                found
                    .into_iter()
                    .map(|p| format!("{} {label} {op} {status}: {p}; body: {body}", vendor.name)),
            );
        }
    }
    assert!(
        problems.is_empty(),
        "the simulator sent bodies VMware's description does not allow:\n{}",
        problems.join("\n")
    );
    // The listing, one provider, a login, a precheck and an error at least.
    for (op, status) in [
        ("getIdentityProviders", 200),
        ("getIdentityProviderById", 200),
        ("createToken", 201),
        ("getIdentityPrecheckResult", 200),
    ] {
        assert!(
            validated.contains(&(op.to_owned(), status)),
            "{op} {status} not validated: {validated:?}"
        );
    }
    assert!(validated.iter().any(|(_, s)| *s >= 400), "{validated:?}");
}
