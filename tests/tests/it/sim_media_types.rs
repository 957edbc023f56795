//! The simulator is an oracle independent of our specs: it writes the
//! broker's and vCenter's paths and vendor media types from the vendors'
//! reference (`idp_sim::broker::operations()`). The specs'
//! `x-idp-media-types`, as generated into `idp_api`'s operation tables,
//! must agree with it operation by operation, so a wrong media type in a
//! spec fails here instead of passing every end-to-end test.

use idp_api::Operation as SpecOperation;
use idp_sim::Operation as SimOperation;

/// Every difference between a spec's operation table and the operations
/// the simulator serves.
fn differences(api: &str, spec: &[&SpecOperation], sim: &[SimOperation]) -> Vec<String> {
    let mut found = Vec::new();
    for op in spec {
        let Some(served) = sim.iter().find(|s| s.id == op.id) else {
            found.push(format!("{api}: the simulator does not serve {}", op.id));
            continue;
        };
        if served.method != op.method.as_str() || served.path != op.path {
            found.push(format!(
                "{api} {}: the spec says {} {}, the simulator serves {} {}",
                op.id, op.method, op.path, served.method, served.path
            ));
        }
        if served.request_media != op.request_media {
            found.push(format!(
                "{api} {}: request media type {:?} in the spec, {:?} in the simulator",
                op.id, op.request_media, served.request_media
            ));
        }
        if served.response_media != op.response_media {
            found.push(format!(
                "{api} {}: response media type {:?} in the spec, {:?} in the simulator",
                op.id, op.response_media, served.response_media
            ));
        }
    }
    for served in sim {
        if !spec.iter().any(|op| op.id == served.id) {
            found.push(format!("{api}: the spec lacks {}", served.id));
        }
    }
    found
}

#[test]
fn the_broker_spec_has_the_simulators_media_types() {
    let found = differences(
        "broker",
        idp_api::broker::operations::ALL,
        idp_sim::broker::operations(),
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
    // Not vacuous: every operation with a body but the token endpoint has a
    // vendor type (19 operations: three deletes and the token have none).
    let typed = idp_sim::broker::operations()
        .iter()
        .filter(|op| op.request_media.is_some() || op.response_media.is_some())
        .count();
    assert_eq!(typed, 15);
}

#[test]
fn the_vcenter_spec_has_the_simulators_operations() {
    let found = differences(
        "vcenter",
        idp_api::vcenter::operations::ALL,
        idp_sim::vcenter::operations(),
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_wrong_media_type_is_reported() {
    let mut sim = idp_sim::broker::operations().to_vec();
    let patched = sim
        .iter_mut()
        .find(|op| op.id == "getBrokerDirectory")
        .unwrap();
    patched.response_media = Some("application/json");
    sim.retain(|op| op.id != "deleteBrokerDirectory");
    let found = differences("broker", idp_api::broker::operations::ALL, &sim);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].contains("does not serve deleteBrokerDirectory")
            || found[1].contains("does not serve deleteBrokerDirectory")
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("getBrokerDirectory: response media type"))
    );
}
