//! Contexts in the current shape (one table per API) and in the flat keys
//! earlier versions wrote: an old file is read and used as it is, `config
//! set` rewrites it in the current shape, which reads back the same; Okta
//! and Entra deliveries take their connection from a context.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common::{TestSim, VCF_PASSWORD, idpctl, json_stdout, stderr};

fn with_config(path: &Path) -> Command {
    let mut cmd = idpctl();
    cmd.env("IDPCTL_CONFIG", path);
    cmd
}

fn config_path(dir: &Path) -> PathBuf {
    dir.join("idpctl").join("config.toml")
}

/// The file an earlier idpctl wrote with `config set` for the simulator:
/// flat keys, every API of that time.
fn old_file(sim: &TestSim) -> String {
    format!(
        "# idpctl contexts (`idpctl config --help`). Secrets are references only: env:NAME or file:PATH.\n\
         current-context = \"old\"\n\
         \n\
         [contexts.old]\n\
         vcf-url = \"{}\"\n\
         vcf-username = \"{}\"\n\
         vcf-password = \"env:CTX_VCF_PASSWORD\"\n\
         unleash-url = \"{}\"\n\
         unleash-api-token = \"env:CTX_UNLEASH_KEY\"\n\
         broker-url = \"{}\"\n\
         broker-tenant = \"{}\"\n\
         broker-client-id = \"{}\"\n\
         broker-client-secret = \"env:CTX_BROKER_SECRET\"\n",
        sim.simulator().vcf().url(),
        sim.simulator().vcf().username(),
        sim.simulator().unleash().url(),
        sim.simulator().broker().url(),
        sim.simulator().broker().tenant(),
        sim.simulator().broker().client_id(),
    )
}

#[test]
fn a_file_in_the_flat_keys_of_earlier_versions_is_read_used_and_rewritten() {
    let sim = TestSim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let old = old_file(&sim);
    std::fs::write(&path, &old).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let secrets = [
        ("CTX_VCF_PASSWORD", VCF_PASSWORD.to_owned()),
        (
            "CTX_UNLEASH_KEY",
            sim.simulator().unleash().api_key().to_owned(),
        ),
        (
            "CTX_BROKER_SECRET",
            sim.simulator().broker().client_secret(),
        ),
    ];
    let use_every_api = || {
        for words in [
            &["vcf", "idp", "list"][..],
            &["unleash", "scim-settings", "get"],
            &["broker", "directory", "list"],
        ] {
            let assert = with_config(&path)
                .envs(secrets.iter().map(|(k, v)| (k, v)))
                .args(["-o", "json"])
                .args(words)
                .assert()
                .success();
            assert!(stderr(&assert).is_empty(), "{words:?}: {}", stderr(&assert));
        }
    };
    let show = || {
        json_stdout(
            &with_config(&path)
                .args(["-o", "json", "config", "show"])
                .assert()
                .success(),
        )
    };

    // Read and used as it is; reading does not rewrite it.
    use_every_api();
    let before = show();
    assert_eq!(before["vcf"]["url"], sim.simulator().vcf().url());
    assert_eq!(before["vcf"]["password"], "env:CTX_VCF_PASSWORD");
    assert_eq!(before["unleash"]["api-token"], "env:CTX_UNLEASH_KEY");
    assert_eq!(
        before["broker"]["client-id"],
        sim.simulator().broker().client_id()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), old);

    // `config set` rewrites the whole file in the current shape.
    with_config(&path)
        .args([
            "config",
            "set",
            "old",
            "--broker-tenant",
            sim.simulator().broker().tenant(),
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    for table in [
        "[contexts.old.vcf]",
        "[contexts.old.unleash]",
        "[contexts.old.broker]",
    ] {
        assert!(text.contains(table), "{table}: {text}");
    }
    assert!(
        !text.contains("vcf-url") && !text.contains("broker-client-id"),
        "{text}"
    );

    // Read again: the same context, still working.
    assert_eq!(show(), before);
    use_every_api();
}

/// `--deliver okta:APP` and `entra:SP` take the Okta and Entra connection
/// from the context when neither flags nor the environment give it; the
/// environment still beats the context.
#[test]
fn deliveries_take_okta_and_entra_from_the_context() {
    let sim = TestSim::start();
    let id = sim.add_okta();
    let app = sim.simulator().okta().app_id();
    let sp = sim.simulator().entra().service_principal_id();
    let dir = tempfile::tempdir().unwrap();
    let path = config_path(dir.path());
    with_config(&path)
        .args(["config", "set", "deliver"])
        .args(["--okta-url", &sim.simulator().okta().url()])
        .args(["--okta-api-token", "env:CTX_OKTA_TOKEN"])
        .args(["--entra-tenant-id", &sim.simulator().entra().tenant_id()])
        .args(["--entra-client-id", &sim.simulator().entra().client_id()])
        .args(["--entra-client-secret", "env:CTX_ENTRA_SECRET"])
        .args(["--entra-login-url", &sim.simulator().entra().login_url()])
        .args(["--entra-graph-url", &sim.simulator().entra().graph_url()])
        .assert()
        .success();
    let rotate = |target: String| {
        let mut cmd = with_config(&path);
        cmd.env("VCF_URL", sim.simulator().vcf().url())
            .env("VCF_USERNAME", sim.simulator().vcf().username())
            .env("VCF_PASSWORD", sim.simulator().vcf().password())
            .env("CTX_OKTA_TOKEN", sim.simulator().okta().api_token())
            .env("CTX_ENTRA_SECRET", sim.simulator().entra().client_secret())
            .args(["--context", "deliver", "vcf", "sync-token", "rotate", &id])
            .arg("--deliver")
            .arg(target);
        cmd
    };

    rotate(format!("okta:{app}")).assert().success();
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(sim.simulator().okta().delivered(&app).unwrap().token, token);

    rotate(format!("entra:{sp}")).assert().success();
    let token = sim.simulator().vcf().sync_client_token(&id).unwrap();
    assert_eq!(sim.simulator().entra().delivered(&sp).unwrap().token, token);

    // The environment's Okta URL beats the context's: nothing answers
    // there, nothing is rotated.
    let closed = format!("http://127.0.0.1:{}", crate::common::closed_port());
    let refused = rotate(format!("okta:{app}"))
        .env("OKTA_URL", &closed)
        .assert()
        .code(6);
    assert!(
        stderr(&refused).contains("nothing was rotated"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(sim.simulator().vcf().sync_client_token(&id).unwrap(), token);
}

/// `config set --unset` completes the keys as the file names them.
#[test]
fn unset_completes_the_keys_of_the_tables() {
    let assert = idpctl()
        .env("COMPLETE", "fish")
        .args(["--", "idpctl", "config", "set", "x", "--unset", "broker."])
        .assert()
        .success();
    let keys: Vec<String> = crate::common::stdout(&assert)
        .lines()
        .map(str::to_owned)
        .collect();
    for key in [
        "broker.url",
        "broker.tenant",
        "broker.client-secret",
        "broker.token",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key}: {keys:?}");
    }
}
