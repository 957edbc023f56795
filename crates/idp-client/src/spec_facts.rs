//! The facade's operation facts checked against the specs: every spec
//! operation has one facade operation, every hint names a status the spec
//! declares for it, and every JSON success body the spec declares is one
//! the pipeline receives typed.

use std::collections::BTreeSet;

use idp_api::{Operation, SuccessBody};

use crate::runtime::op::Op;

fn facade_ops() -> Vec<&'static Op> {
    [
        crate::vcf::ops::ALL,
        crate::unleash::ops::ALL,
        crate::okta::ops::ALL,
        crate::entra::ops::ALL,
        crate::vcenter::ops::ALL,
        crate::broker::ops::ALL,
        crate::vcf_ops::ops::ALL,
    ]
    .concat()
}

fn spec_ops() -> Vec<&'static Operation> {
    [
        idp_api::vcf::operations::ALL,
        idp_api::unleash::operations::ALL,
        idp_api::broker::operations::ALL,
        idp_api::vcenter::operations::ALL,
        idp_api::okta::operations::ALL,
        idp_api::msidentity::operations::ALL,
        idp_api::msgraph::operations::ALL,
        idp_api::vcf_ops::operations::ALL,
    ]
    .concat()
}

#[test]
fn every_spec_operation_has_exactly_one_facade_operation() {
    let facade: Vec<&str> = facade_ops().iter().map(|op| op.id()).collect();
    let unique: BTreeSet<&str> = facade.iter().copied().collect();
    assert_eq!(
        unique.len(),
        facade.len(),
        "duplicate facade operations: {facade:?}"
    );
    let spec: BTreeSet<&str> = spec_ops().iter().map(|op| op.id).collect();
    assert_eq!(unique, spec);
}

#[test]
fn every_hint_names_a_status_the_spec_declares() {
    let mut wrong = Vec::new();
    for op in facade_ops() {
        for (status, _) in op.hints {
            // `default` would declare anything: a hint needs the exact code
            // or its range.
            let declared = op.spec.statuses.iter().any(|declared| {
                *declared == status.to_string() || *declared == format!("{}XX", status / 100)
            });
            if !declared {
                wrong.push(format!("{} {status}", op.id()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "hints for statuses the spec does not declare: {wrong:?}"
    );
}

#[test]
fn every_json_success_body_of_the_spec_is_received_typed() {
    let received: BTreeSet<&str> = crate::runtime::exec::RECEIVED_JSON
        .iter()
        .map(|path| path.rsplit("::").next().unwrap_or(path).trim())
        .collect();
    let mut declared = BTreeSet::new();
    for op in spec_ops() {
        if op.success == SuccessBody::Json {
            let schema = op
                .success_schema
                .unwrap_or_else(|| panic!("{}: a JSON success body without a named schema", op.id));
            declared.insert(schema);
        }
    }
    assert_eq!(received, declared);
}
