//! Confirmation on a terminal: the destructive commands ask, and only a
//! "y" lets them through. The terminal is a pseudo-terminal from
//! util-linux `script`; without it these tests are skipped.

use assert_cmd::Command;

use crate::common::{TestSim, stdout};

/// Whether `script` can run a command on a pseudo-terminal here.
fn have_script() -> bool {
    let works = std::process::Command::new("script")
        .args(["-q", "-e", "-c", "true", "/dev/null"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!("skipped: util-linux `script` cannot allocate a pseudo-terminal here");
    }
    works
}

/// `idpctl <args>` on a pseudo-terminal, typing `answer`; the environment
/// is `env`'s.
fn on_terminal(env: &Command, args: &str, answer: &str) -> assert_cmd::assert::Assert {
    let mut cmd = Command::new("script");
    for (key, value) in env.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let line = format!("'{}' {args}", env!("CARGO_BIN_EXE_idpctl"));
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
        .write_stdin(answer)
        .timeout(std::time::Duration::from_secs(60));
    cmd.assert()
}

#[test]
fn destructive_commands_ask_on_a_terminal() {
    if !have_script() {
        return;
    }
    let sim = TestSim::start();

    // "n" (or anything but y/yes) aborts, and nothing is sent.
    for answer in ["n\n", "\n", "maybe\n"] {
        let assert =
            on_terminal(&sim.unleash(), "-o json unleash scim-token rotate", answer).code(2);
        let out = stdout(&assert);
        assert!(out.contains("[y/N]"), "{out}");
        assert!(out.contains("error: aborted"), "{out}");
    }
    let id = sim.add_okta();
    sim.clear_requests();
    let embedded = sim.simulator().vcf().embedded_provider_id();
    on_terminal(&sim.vcf(), &format!("vcf idp delete {id}"), "no\n").code(2);
    on_terminal(
        &sim.vcf(),
        &format!("vcf source delete {embedded} embedded-ids.com"),
        "N\n",
    )
    .code(2);
    sim.assert_nothing_sent("declined on a terminal");

    // "y" goes ahead.
    let assert = on_terminal(&sim.unleash(), "-o json unleash scim-token rotate", "y\n").success();
    let token = sim.simulator().unleash().scim_token().unwrap();
    assert!(stdout(&assert).contains(&token));
    on_terminal(&sim.vcf(), &format!("vcf idp delete {id}"), "yes\n").success();
    assert_eq!(sim.simulator().vcf().external_provider_id(), None);
    on_terminal(
        &sim.vcf(),
        &format!("vcf source delete {embedded} embedded-ids.com"),
        "Y\n",
    )
    .success();
    assert_eq!(sim.simulator().vcf().identity_source_count(), 2);
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let sim = TestSim::start();
    let has_escape = |text: &str| text.contains("\u{1b}[");
    // On a pipe: never.
    let piped = sim
        .vcf()
        .args(["-vv", "vcf", "idp", "list"])
        .assert()
        .success();
    let all = format!("{}{}", stdout(&piped), crate::common::stderr(&piped));
    assert!(!has_escape(&all), "{all:?}");
    if !have_script() {
        return;
    }
    // On a terminal: the -v log lines and clap's help are coloured...
    let coloured = on_terminal(&sim.vcf(), "-vv vcf idp list", "").success();
    assert!(has_escape(&stdout(&coloured)), "{:?}", stdout(&coloured));
    // ...unless NO_COLOR is set.
    for args in ["-vv vcf idp list", "vcf idp list --help"] {
        let mut env = sim.vcf();
        env.env("NO_COLOR", "1");
        let plain = on_terminal(&env, args, "").success();
        assert!(!has_escape(&stdout(&plain)), "{args}: {:?}", stdout(&plain));
    }
}
