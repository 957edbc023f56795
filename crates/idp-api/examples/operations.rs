//! Prints every operation of the generated tables, one per line:
//! `module METHOD path operationId`.
//!
//! ```sh
//! cargo run -p idp-api --example operations
//! ```

fn main() {
    for (module, operations) in [
        ("vcf", idp_api::vcf::operations::ALL),
        ("unleash", idp_api::unleash::operations::ALL),
    ] {
        for op in operations {
            println!("{module} {} {} {}", op.method, op.path, op.id);
        }
    }
}
