//! `cargo xtask check | regen | bench | schemathesis | conformance | scim-conformance | public-api | package-check | deny | man | noop-build | ci | vendor-extract | vendor-check`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let root = xtask::workspace_root();
    let command = std::env::args().nth(1);
    match command.as_deref() {
        Some("check") => {
            let problems = xtask::check(&root);
            if problems.is_empty() {
                println!("xtask check: specs, examples, fixtures and code generation are in order");
                ExitCode::SUCCESS
            } else {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                eprintln!("xtask check: {} problem(s)", problems.len());
                ExitCode::FAILURE
            }
        }
        Some("regen") => match xtask::regen(&root) {
            Ok(files) => {
                for file in files {
                    println!("wrote {}", file.display());
                }
                ExitCode::SUCCESS
            }
            Err(problem) => {
                eprintln!("{problem}");
                ExitCode::FAILURE
            }
        },
        Some("bench") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let result = xtask::bench::BenchOptions::parse(&args)
                .map_err(|e| format!("{e}\n{}", xtask::bench::USAGE))
                .and_then(|options| xtask::bench::bench(&root, &options));
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("xtask bench: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("schemathesis") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let options = match xtask::schemathesis::Options::parse(&args) {
                Ok(options) if options.help => {
                    println!("{}", xtask::schemathesis::USAGE);
                    return ExitCode::SUCCESS;
                }
                Ok(options) => options,
                Err(message) => {
                    eprintln!(
                        "xtask schemathesis: {message}\n{}",
                        xtask::schemathesis::USAGE
                    );
                    return ExitCode::from(2);
                }
            };
            match xtask::schemathesis::schemathesis(&root, &options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("xtask schemathesis: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("scim-conformance") => match xtask::scim_conformance::scim_conformance(&root) {
            Ok(()) => {
                println!(
                    "xtask scim-conformance: every scim2-tester check passes or is a listed vendor quirk"
                );
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("xtask scim-conformance: {message}");
                ExitCode::FAILURE
            }
        },
        Some("conformance") => match xtask::conformance::conformance(&root) {
            Ok(_) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("xtask conformance: {message}");
                ExitCode::FAILURE
            }
        },
        Some("public-api") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let mode = match args
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                [] => xtask::public_api::Mode::Check,
                ["--bless"] => xtask::public_api::Mode::Bless,
                ["--help" | "-h"] => {
                    println!("{}", xtask::public_api::USAGE);
                    return ExitCode::SUCCESS;
                }
                _ => {
                    eprintln!("{}", xtask::public_api::USAGE);
                    return ExitCode::from(2);
                }
            };
            match xtask::public_api::public_api(&root, mode) {
                Ok(report) => {
                    print!("{report}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("xtask public-api: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("man") => {
            let dir = xtask::man::default_dir(&root);
            match xtask::man::man(&root, &dir) {
                Ok(pages) => {
                    println!("xtask man: {} pages in {}", pages.len(), dir.display());
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("xtask man: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("deny") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            match xtask::deny::deny(&root, &args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("xtask deny: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("noop-build") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            match xtask::noop_build::noop_build(&root, &args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("xtask noop-build: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("ci") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            match xtask::ci::ci(&root, &args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("xtask ci: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("vendor-extract") => vendor_extract(&root),
        Some("vendor-check") => vendor_check(&root),
        Some("package-check") => match xtask::package::package_check(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("xtask package-check: {message}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo xtask <check|regen|bench|schemathesis|conformance|public-api|package-check|deny|man|noop-build|ci|vendor-extract|vendor-check>"
            );
            eprintln!("  check   lint the specs, validate examples and fixtures, check codegen");
            eprintln!(
                "  regen   rewrite specs canonically; write generated code to target/generated/\n          and the committed code crates/idp-api/generated/"
            );
            eprintln!(
                "  bench   client overhead, decode throughput, CLI and build cost (BENCHMARKS.md; --help)"
            );
            eprintln!(
                "  schemathesis  schemathesis against the simulator with the specs (not in CI; --help)"
            );
            eprintln!(
                "  conformance   real Unleash (npm, PostgreSQL) against the simulator, same scenarios"
            );
            eprintln!(
                "  public-api    public API of idp-client and idp-sim against crates/*/public-api.txt (--bless)"
            );
            eprintln!(
                "  package-check cargo package the published crates, build and run them from the packages,\n                two checkouts sharing one target directory build their own specs"
            );
            eprintln!(
                "  deny          cargo fetch --locked, then cargo deny check licenses bans sources offline\n                (installs cargo-deny into target/tools; ARGS to override)"
            );
            eprintln!(
                "  noop-build    a second `cargo build -p idpctl` (or ARGS) compiles nothing"
            );
            eprintln!(
                "  ci            .ci/run here; --fresh: in a fresh clone with empty CARGO_HOME and target dir (--keep)"
            );
            eprintln!(
                "  vendor-extract SOURCE [--commit C]  the subsets of VMware's OpenAPI descriptions we use,\n                into openapi/vendor/ with provenance (--help)"
            );
            eprintln!(
                "  vendor-check  openapi/vcf-identity.json against those subsets; differences waived in\n                openapi/vendor/waivers.toml (offline; --all, --stubs)"
            );
            ExitCode::from(2)
        }
    }
}

fn vendor_extract(root: &std::path::Path) -> ExitCode {
    use xtask::vendor::extract::{self, Outcome};
    let args: Vec<String> = std::env::args().skip(2).collect();
    let options = match extract::Options::parse(&args) {
        Ok(options) if options.help => {
            println!("{}", extract::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(options) => options,
        Err(message) => {
            eprintln!("xtask vendor-extract: {message}\n{}", extract::USAGE);
            return ExitCode::from(2);
        }
    };
    match extract::vendor_extract(root, &options) {
        Ok(outcomes) => {
            for outcome in outcomes {
                match outcome {
                    Outcome::Written(done) => {
                        println!(
                            "{} {}: {} operations, {} components",
                            if done.changed { "wrote" } else { "unchanged" },
                            done.file.display(),
                            done.operations,
                            done.components
                        );
                        for (tag, n) in &done.by_tag {
                            println!("  tag {tag}: {n}");
                        }
                        for (prefix, n) in &done.by_prefix {
                            println!("  {prefix}: {n}");
                        }
                        for missing in &done.missing {
                            println!("  not in the vendor's description: {missing}");
                        }
                    }
                    Outcome::Skipped(why) => println!("skipped {why}"),
                }
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("xtask vendor-extract: {message}");
            ExitCode::FAILURE
        }
    }
}

fn vendor_check(root: &std::path::Path) -> ExitCode {
    use xtask::vendor::check;
    let args: Vec<String> = std::env::args().skip(2).collect();
    let (all, stubs) = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => (false, false),
        ["--all"] => (true, false),
        ["--stubs"] => (false, true),
        ["--help" | "-h"] => {
            println!("{}", check::USAGE);
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{}", check::USAGE);
            return ExitCode::from(2);
        }
    };
    let report = check::vendor_check(root);
    if stubs {
        print!("{}", report.stubs());
        return if report.passed() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    if all {
        for (difference, waiver) in &report.waived {
            println!("waived (waiver {waiver}): {difference}");
        }
    }
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    for difference in &report.unwaived {
        eprintln!("not waived: {difference}");
    }
    for stale in &report.stale {
        eprintln!("{stale}");
    }
    for (stem, spec) in &report.compared {
        let n = report
            .waived
            .iter()
            .filter(|(d, _)| &d.vendor == stem)
            .count();
        let m = report.unwaived.iter().filter(|d| &d.vendor == stem).count();
        println!("xtask vendor-check: {spec} vs {stem}: {n} waived, {m} not waived");
    }
    for stem in &report.not_compared {
        println!("xtask vendor-check: {stem}: not compared (no spec of ours yet)");
    }
    let evidence: Vec<String> = report
        .evidence
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    println!(
        "xtask vendor-check: waivers by evidence: {}",
        evidence.join(", ")
    );
    if report.passed() {
        println!("xtask vendor-check: every difference is waived, no waiver is stale");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "xtask vendor-check: {} problem(s), {} difference(s) not waived, {} stale waiver(s)",
            report.problems.len(),
            report.unwaived.len(),
            report.stale.len()
        );
        ExitCode::FAILURE
    }
}
