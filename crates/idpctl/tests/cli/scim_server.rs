//! `idpctl scim probe` against a real third-party SCIM server:
//! `scim2-server` from PyPI (project-local venv `target/tools/scim-venv`,
//! created by `idp_testkit::scim_tools`), on 127.0.0.1 with a bearer
//! token. Skipped with a message only where Python is missing, never when
//! `CI` is set.

use idp_testkit::{ScimServer, scim_tools_or_skip};

use crate::common::{idpctl, json_stdout, stderr};

const TOKEN: &str = "scim2-server-test-token";

fn probe(url: &str, token: &str) -> assert_cmd::Command {
    let mut command = idpctl();
    command
        .env("SCIM_TOKEN", token)
        .args(["-o", "json", "scim", "probe", url]);
    command
}

#[test]
fn probe_against_scim2_server() {
    let Some(tools) = scim_tools_or_skip("probe_against_scim2_server") else {
        return;
    };
    let server = ScimServer::start(&tools, TOKEN).unwrap_or_else(|e| panic!("{e}"));

    // Accepted: 0, with its discovery endpoints found.
    let assert = probe(&server.url, TOKEN).assert().success();
    let json = json_stdout(&assert);
    assert_eq!(json["looksLikeScim"], true);
    assert_eq!(json["contentType"], "application/scim+json");
    assert!(
        json["discovery"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["present"] == true),
        "{json}"
    );
    assert!(
        !assert
            .get_output()
            .stdout
            .windows(TOKEN.len())
            .any(|w| w == TOKEN.as_bytes())
    );

    // A wrong token: 4.
    let assert = probe(&server.url, "wrong-token").assert().code(4);
    assert!(stderr(&assert).contains("HTTP 401"), "{}", stderr(&assert));
    // One path segment off: 3.
    let off = server.url.replace("/v2", "/v3");
    let assert = probe(&off, TOKEN).assert().code(3);
    assert!(
        stderr(&assert).contains("not a SCIM endpoint"),
        "{}",
        stderr(&assert)
    );
    // TLS to a server that speaks plain HTTP: 6, a TLS failure.
    let tls = server.url.replace("http://", "https://");
    let assert = probe(&tls, TOKEN).assert().code(6);
    assert!(
        stderr(&assert).to_lowercase().contains("tls"),
        "{}",
        stderr(&assert)
    );
}
