//! For arbitrary desired states: apply, then the plan is empty, and a
//! second apply sends no write request.

use idp_config::{Document, External, ExternalType, Identity};
use idp_sim::SimConfig;
use idp_testkit::start_sim;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::fleet::{broker_named, converge_for_property, options, source, target};

fn external() -> impl Strategy<Value = Option<External>> {
    let kinds = prop_oneof![
        Just(ExternalType::Okta),
        Just(ExternalType::EntraId),
        Just(ExternalType::PingFederate)
    ];
    let domains = proptest::sample::subsequence(
        vec!["a.example.com", "b.example.org", "c.example.net"],
        1..=3,
    );
    prop_oneof![
        Just(None),
        Just(Some(External::None)),
        (kinds, "[a-z][a-z0-9-]{0,10}", domains)
            .prop_map(|(kind, name, domains)| Some(broker_named(kind, &name, &domains))),
    ]
}

fn identity() -> impl Strategy<Value = Identity> {
    let sources = proptest::collection::vec(
        (
            proptest::sample::select(vec![
                "corp.example.com",
                "lab.example.com",
                "dev.example.com",
            ]),
            "ou=[a-z]{1,8}",
        ),
        0..3,
    );
    (external(), proptest::option::of(sources), any::<bool>()).prop_map(
        |(external, sources, prune)| {
            let mut identity = Identity::default().prune_embedded_sources(prune);
            identity.external = external;
            identity.embedded_sources = sources.map(|list| {
                let mut seen = Vec::new();
                list.into_iter()
                    .filter(|(d, _)| {
                        let fresh = !seen.contains(d);
                        seen.push(*d);
                        fresh
                    })
                    .map(|(d, users)| source(d, &users))
                    .collect()
            });
            identity
        },
    )
}

#[test]
fn apply_then_plan_is_empty() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime.block_on(start_sim(SimConfig::builder()));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let opts = options().allow_replace(true);
    runner
        .run(&proptest::collection::vec(identity(), 1..3), |states| {
            for identity in states {
                let doc = Document::new(vec![target("t", &sim)], Some(identity));
                runtime.block_on(converge_for_property(&doc, &opts, &sim));
            }
            Ok(())
        })
        .unwrap();
    runtime.block_on(sim.shutdown());
}
