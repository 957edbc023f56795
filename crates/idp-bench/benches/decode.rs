//! Decoding a 10,000-provider `GET /v1/identity-providers` body (the seed
//! shapes: embedded, Microsoft ADFS and federated Okta providers, each with
//! its own id and name):
//!
//! - `typed`: `idp_client::fuzzing::provider_page`, the path the client's
//!   `list_identity_providers` takes once the bytes have arrived (strict
//!   generated decode, tolerant fallback, normalization into
//!   `IdentityProvider`s);
//! - `value`: `serde_json::from_slice::<serde_json::Value>` of the same bytes.
//!
//! `cargo xtask bench` runs it (`cargo bench -p idp-bench --bench decode`)
//! and reads the MB/s and the ratio from criterion's output files.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const PROVIDERS: usize = 10_000;

fn decode(c: &mut Criterion) {
    let body = match idp_bench::corpus::provider_list(PROVIDERS) {
        Ok(body) => body,
        Err(e) => panic!("cannot build the provider list: {e}"),
    };
    let (federated, embedded, other) = idp_bench::corpus::mix(&body);
    eprintln!(
        "decode: {PROVIDERS} providers ({federated} federated, {embedded} embedded, {other} ADFS), {} bytes",
        body.len()
    );
    // The typed decode must accept the body (and see every provider).
    match idp_client::fuzzing::provider_page(&body) {
        Ok(providers) => assert_eq!(providers.len(), PROVIDERS),
        Err(e) => panic!("the typed decode rejects the corpus: {e}"),
    }

    let mut group = c.benchmark_group("decode_provider_list");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(30);
    group.bench_function("typed", |b| {
        b.iter(|| idp_client::fuzzing::provider_page(black_box(&body)));
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)));
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
