//! `cargo xtask check | regen`.

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
        _ => {
            eprintln!("usage: cargo xtask <check|regen>");
            eprintln!("  check   lint the specs, validate examples and fixtures, check codegen");
            eprintln!(
                "  regen   rewrite specs canonically; write generated code to target/generated/"
            );
            ExitCode::from(2)
        }
    }
}
