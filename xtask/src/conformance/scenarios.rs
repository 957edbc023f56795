//! The conformance scenarios: one table, run against the real open-source
//! Unleash and against `idp-sim`'s Unleash side, through `idp-client` and
//! through the `idpctl` binary.
//!
//! **This table specifies the simulator's Unleash behaviour.** Every
//! scenario states what a real open-source Unleash answers (status, error
//! name, the exit code of `idpctl`, how many requests reach the server); the
//! run asserts that both servers give exactly that, and that their outcomes
//! are identical field by field (result or error kind, status, vendor error
//! name and message, body summary, the error's text, idpctl's exit code and
//! output). A change to the simulator's Unleash routes starts here.

use std::fmt::Write as _;

/// Which base URL the client is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// `http://host:port/unleash`: the documented form.
    SubPath,
    /// `http://host:port`: the sub-path forgotten.
    WithoutSubPath,
    /// `http://host:port/unleash/api`: copied from an API URL.
    TrailingApi,
    /// `http://host:port/unleash/`.
    TrailingSlash,
}

impl Base {
    /// The base URL for a server whose origin is `origin`.
    #[must_use]
    pub fn url(self, origin: &str) -> String {
        match self {
            Self::SubPath => format!("{origin}/unleash"),
            Self::WithoutSubPath => origin.to_owned(),
            Self::TrailingApi => format!("{origin}/unleash/api"),
            Self::TrailingSlash => format!("{origin}/unleash/"),
        }
    }
}

/// Which API key the client is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The admin token, as is.
    Admin,
    /// The admin token with a `Bearer ` prefix.
    AdminBearer,
    /// A token the server does not know.
    Wrong,
    /// A valid backend (client SDK) token: not an admin token.
    NonAdmin,
}

/// What the client is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `GET /api/admin/scim-settings` (`idpctl unleash scim-settings get`).
    GetSettings,
    /// `POST /api/admin/scim-settings {"enabled": true}`
    /// (`idpctl unleash scim-settings set --enabled true`).
    EnableScim,
    /// `POST /api/admin/scim-settings/generate-new-token`
    /// (`idpctl unleash scim-token rotate --yes`).
    RotateToken,
}

impl Action {
    /// The `idpctl` arguments after the global options.
    #[must_use]
    pub fn idpctl_args(self) -> &'static [&'static str] {
        match self {
            Self::GetSettings => &["unleash", "scim-settings", "get"],
            Self::EnableScim => &["unleash", "scim-settings", "set", "--enabled", "true"],
            Self::RotateToken => &["unleash", "scim-token", "rotate", "--yes"],
        }
    }
}

/// What both servers must answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// The HTTP status of the answer (`None`: success without error).
    pub status: u16,
    /// The vendor error's `name` (`None` when the body has none).
    pub vendor_name: Option<&'static str>,
    /// Words the library's error text must contain.
    pub mentions: &'static [&'static str],
    /// `idpctl`'s exit code.
    pub exit: i32,
    /// Requests that reach the server for one library call (and again for
    /// one `idpctl` run): 1 means nothing was retried.
    pub requests: usize,
}

/// One scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// A short name.
    pub name: &'static str,
    /// The base URL form.
    pub base: Base,
    /// The key.
    pub key: Key,
    /// Whether maintenance mode is switched on first
    /// (`POST /api/admin/maintenance {"enabled": true}`).
    pub maintenance: bool,
    /// The operation.
    pub action: Action,
    /// The answer both servers must give.
    pub expect: Expect,
}

const NOT_FOUND: Expect = Expect {
    status: 404,
    vendor_name: Some("NotFoundError"),
    mentions: &["Enterprise", "not available"],
    exit: 3,
    requests: 1,
};

/// The scenario list.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "raw admin key, read SCIM settings",
        base: Base::SubPath,
        key: Key::Admin,
        maintenance: false,
        action: Action::GetSettings,
        expect: NOT_FOUND,
    },
    Scenario {
        name: "admin key with Bearer, read SCIM settings",
        base: Base::SubPath,
        key: Key::AdminBearer,
        maintenance: false,
        action: Action::GetSettings,
        expect: NOT_FOUND,
    },
    Scenario {
        name: "raw admin key, enable SCIM",
        base: Base::SubPath,
        key: Key::Admin,
        maintenance: false,
        action: Action::EnableScim,
        expect: NOT_FOUND,
    },
    Scenario {
        name: "raw admin key, rotate the SCIM token",
        base: Base::SubPath,
        key: Key::Admin,
        maintenance: false,
        action: Action::RotateToken,
        expect: NOT_FOUND,
    },
    Scenario {
        name: "wrong key, read SCIM settings",
        base: Base::SubPath,
        key: Key::Wrong,
        maintenance: false,
        action: Action::GetSettings,
        expect: Expect {
            status: 401,
            vendor_name: Some("UnauthorizedError"),
            mentions: &["You must log in to use Unleash."],
            exit: 4,
            requests: 1,
        },
    },
    Scenario {
        name: "wrong key, rotate the SCIM token",
        base: Base::SubPath,
        key: Key::Wrong,
        maintenance: false,
        action: Action::RotateToken,
        expect: Expect {
            status: 401,
            vendor_name: Some("UnauthorizedError"),
            mentions: &["You must log in to use Unleash."],
            exit: 4,
            requests: 1,
        },
    },
    Scenario {
        name: "non-admin (backend) key, read SCIM settings",
        base: Base::SubPath,
        key: Key::NonAdmin,
        maintenance: false,
        action: Action::GetSettings,
        expect: Expect {
            status: 403,
            vendor_name: None,
            mentions: &["expected a different token type"],
            exit: 4,
            requests: 1,
        },
    },
    Scenario {
        name: "non-admin (backend) key, rotate the SCIM token",
        base: Base::SubPath,
        key: Key::NonAdmin,
        maintenance: false,
        action: Action::RotateToken,
        expect: Expect {
            status: 403,
            vendor_name: None,
            mentions: &["expected a different token type"],
            exit: 4,
            requests: 1,
        },
    },
    Scenario {
        name: "maintenance mode, rotate the SCIM token",
        base: Base::SubPath,
        key: Key::Admin,
        maintenance: true,
        action: Action::RotateToken,
        expect: Expect {
            status: 503,
            vendor_name: None,
            mentions: &["maintenance mode"],
            exit: 5,
            requests: 1,
        },
    },
    Scenario {
        name: "maintenance mode, enable SCIM",
        base: Base::SubPath,
        key: Key::Admin,
        maintenance: true,
        action: Action::EnableScim,
        expect: Expect {
            status: 503,
            vendor_name: None,
            mentions: &["maintenance mode"],
            exit: 5,
            requests: 1,
        },
    },
    Scenario {
        name: "maintenance mode, read SCIM settings (reads pass)",
        base: Base::SubPath,
        key: Key::Admin,
        maintenance: true,
        action: Action::GetSettings,
        expect: NOT_FOUND,
    },
    Scenario {
        name: "base URL without the sub-path, read SCIM settings",
        base: Base::WithoutSubPath,
        key: Key::Admin,
        maintenance: false,
        action: Action::GetSettings,
        expect: Expect {
            status: 404,
            vendor_name: None,
            mentions: &["Cannot GET /api/admin/scim-settings", "base URL"],
            exit: 3,
            requests: 1,
        },
    },
    Scenario {
        name: "base URL without the sub-path, rotate the SCIM token",
        base: Base::WithoutSubPath,
        key: Key::Admin,
        maintenance: false,
        action: Action::RotateToken,
        expect: Expect {
            status: 404,
            vendor_name: None,
            mentions: &[
                "Cannot POST /api/admin/scim-settings/generate-new-token",
                "base URL",
            ],
            exit: 3,
            requests: 1,
        },
    },
    Scenario {
        name: "base URL with a trailing /api, read SCIM settings",
        base: Base::TrailingApi,
        key: Key::Admin,
        maintenance: false,
        action: Action::GetSettings,
        expect: NOT_FOUND,
    },
    Scenario {
        name: "base URL with a trailing /, read SCIM settings",
        base: Base::TrailingSlash,
        key: Key::Admin,
        maintenance: false,
        action: Action::GetSettings,
        expect: NOT_FOUND,
    },
];

/// What one server answered to one scenario, through the library and the
/// CLI, with the server's address replaced by `<server>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// `ok` or the `idp_client::Error` variant.
    pub result: String,
    /// The HTTP status.
    pub status: Option<u16>,
    /// The vendor error's `name`.
    pub vendor_name: Option<String>,
    /// The vendor error's message.
    pub vendor_message: Option<String>,
    /// The summary of a body that was not a vendor error.
    pub body: Option<String>,
    /// The error's `Display`.
    pub display: String,
    /// Requests the library sent.
    pub requests: usize,
    /// `idpctl`'s exit code.
    pub exit: i32,
    /// `idpctl`'s stderr.
    pub stderr: String,
    /// Requests `idpctl` sent.
    pub cli_requests: usize,
}

/// Where an outcome breaks the scenario's expectation.
#[must_use]
pub fn deviations(scenario: &Scenario, outcome: &Outcome) -> Vec<String> {
    let expect = &scenario.expect;
    let mut found = Vec::new();
    if outcome.status != Some(expect.status) {
        found.push(format!(
            "status {:?}, expected {}",
            outcome.status, expect.status
        ));
    }
    if outcome.vendor_name.as_deref() != expect.vendor_name {
        found.push(format!(
            "vendor error name {:?}, expected {:?}",
            outcome.vendor_name, expect.vendor_name
        ));
    }
    for word in expect.mentions {
        if !outcome.display.contains(word) {
            found.push(format!(
                "the error does not mention {word:?}: {}",
                outcome.display
            ));
        }
    }
    if outcome.exit != expect.exit {
        found.push(format!(
            "idpctl exit {}, expected {}",
            outcome.exit, expect.exit
        ));
    }
    if outcome.requests != expect.requests || outcome.cli_requests != expect.requests {
        found.push(format!(
            "{} request(s) from the library and {} from idpctl, expected {}",
            outcome.requests, outcome.cli_requests, expect.requests
        ));
    }
    found
}

/// Where two servers' outcomes differ, field by field.
#[must_use]
pub fn differences(real: &Outcome, sim: &Outcome) -> Vec<String> {
    let mut found = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            found.push(format!("{name}: real {a:?} / simulator {b:?}"));
        }
    };
    field("result", real.result.clone(), sim.result.clone());
    field(
        "status",
        format!("{:?}", real.status),
        format!("{:?}", sim.status),
    );
    field(
        "vendor name",
        format!("{:?}", real.vendor_name),
        format!("{:?}", sim.vendor_name),
    );
    field(
        "vendor message",
        format!("{:?}", real.vendor_message),
        format!("{:?}", sim.vendor_message),
    );
    field(
        "body",
        format!("{:?}", real.body),
        format!("{:?}", sim.body),
    );
    field("error text", real.display.clone(), sim.display.clone());
    field(
        "requests",
        real.requests.to_string(),
        sim.requests.to_string(),
    );
    field("idpctl exit", real.exit.to_string(), sim.exit.to_string());
    field("idpctl stderr", real.stderr.clone(), sim.stderr.clone());
    field(
        "idpctl requests",
        real.cli_requests.to_string(),
        sim.cli_requests.to_string(),
    );
    found
}

/// The Markdown table of a run, for `docs/RELIABILITY.md`.
#[must_use]
pub fn markdown(rows: &[(Scenario, Outcome, Outcome)]) -> String {
    let mut text = String::from(
        "| Scenario | Real Unleash 7.5.1 (open source) | idp-sim (open-source mode) | idpctl exit | Requests |\n|---|---|---|---|---|\n",
    );
    for (scenario, real, sim) in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} / {} | {} / {} |",
            scenario.name,
            cell(real),
            cell(sim),
            real.exit,
            sim.exit,
            real.requests,
            sim.requests,
        );
    }
    text
}

fn cell(outcome: &Outcome) -> String {
    let mut text = match outcome.status {
        Some(status) => status.to_string(),
        None => outcome.result.clone(),
    };
    if let Some(name) = &outcome.vendor_name {
        let _ = write!(text, " `{name}`");
    }
    if let Some(message) = &outcome.vendor_message {
        let _ = write!(text, " \"{}\"", message.replace('|', "\\|"));
    } else if let Some(body) = &outcome.body {
        let _ = write!(text, " page: \"{}\"", body.replace('|', "\\|"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome() -> Outcome {
        Outcome {
            result: "Api".into(),
            status: Some(404),
            vendor_name: Some("NotFoundError".into()),
            vendor_message: Some("The path you were looking for (/x) is not available.".into()),
            body: None,
            display: "getScimSettings: HTTP 404 Not Found: not available; hint: SCIM needs Unleash Enterprise".into(),
            requests: 1,
            exit: 3,
            stderr: "error: ...\n".into(),
            cli_requests: 1,
        }
    }

    #[test]
    fn identical_outcomes_have_no_differences_and_any_field_is_one() {
        assert!(differences(&outcome(), &outcome()).is_empty());
        let mut other = outcome();
        other.vendor_message = Some("Could not find the SCIM settings".into());
        other.cli_requests = 2;
        let found = differences(&outcome(), &other);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("vendor message"), "{found:?}");
    }

    #[test]
    fn deviations_from_the_table_are_reported() {
        let scenario = SCENARIOS[0];
        assert!(deviations(&scenario, &outcome()).is_empty());
        let mut retried = outcome();
        retried.requests = 2;
        retried.exit = 5;
        retried.display = "no hint".into();
        let found = deviations(&scenario, &retried);
        assert!(found.iter().any(|d| d.contains("Enterprise")), "{found:?}");
        assert!(found.iter().any(|d| d.contains("exit 5")), "{found:?}");
        assert!(
            found.iter().any(|d| d.contains("2 request(s)")),
            "{found:?}"
        );
    }

    #[test]
    fn every_scenario_expects_one_request_and_the_table_renders_each() {
        assert!(SCENARIOS.iter().all(|s| s.expect.requests == 1));
        let rows: Vec<_> = SCENARIOS
            .iter()
            .map(|s| (*s, outcome(), outcome()))
            .collect();
        let table = markdown(&rows);
        assert_eq!(table.lines().count(), SCENARIOS.len() + 2);
        assert_eq!(Base::TrailingApi.url("http://h"), "http://h/unleash/api");
    }
}
