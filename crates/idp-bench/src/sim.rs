//! The simulator process: `idp-bench sim` ([`run_sim`]) and the handle
//! the measuring process holds on it ([`SimProcess`]), and the
//! operations measured on it ([`Op`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use idp_client::{
    BrokerClient, BrokerDirectorySpec, DirectorySource, FederatedSpecBuilder, Secret, VcfClient,
};
use serde_json::{Value, json};

use crate::runtime::runtime;

/// What the simulator process tells the measuring process.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) token: String,
    pub(crate) embedded_id: String,
    /// The broker tenant (the broker shares the simulator's base URL).
    pub(crate) tenant: String,
}

pub(crate) fn run_sim() -> Result<(), String> {
    let rt = runtime()?;
    rt.block_on(async {
        let config = idp_sim::SimConfig::builder()
            .access_token_lifetime(Duration::from_secs(24 * 3600))
            .build()
            .map_err(|e| e.to_string())?;
        let sim = idp_sim::Simulator::start(config)
            .await
            .map_err(|e| e.to_string())?;
        let token = sim.issue_access_token();
        // A federated provider beside the embedded one, with a sync client
        // token, so the list has both shapes.
        let client = VcfClient::builder(sim.vcf().url())
            .bearer_token(Secret::new(token.clone()))
            .build()
            .map_err(|e| e.to_string())?;
        let okta = FederatedSpecBuilder::okta("Okta")
            .directory_name("OktaDirectory")
            .default_domain("external-okta-idp.com")
            .domain("external-okta-idp.com")
            .client_id("578cbc9f-90c5-4356-9393-3a5bbf8be5f2")
            .client_secret(Secret::new("bench-client-secret"))
            .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
            .build()
            .map_err(|e| e.to_string())?;
        let federated = client
            .add_external_identity_provider(&okta)
            .await
            .map_err(|e| e.to_string())?;
        client
            .generate_sync_client_token(&federated, Some(Duration::from_secs(500_000)))
            .await
            .map_err(|e| e.to_string())?;
        // Two broker directories (Okta and Entra ID sources, as a VCF 9
        // single sign-on setup has), for the broker list.
        let broker = BrokerClient::builder(sim.broker().url())
            .tenant(sim.broker().tenant())
            .bearer_token(Secret::new(token.clone()))
            .build()
            .map_err(|e| e.to_string())?;
        for (name, source, domains) in [
            (
                "OktaDirectory",
                DirectorySource::Okta,
                ["external-okta-idp.com", "okta.example.com"],
            ),
            (
                "EntraDirectory",
                DirectorySource::Azure,
                ["contoso.onmicrosoft.com", "contoso.com"],
            ),
        ] {
            let mut spec = BrokerDirectorySpec::new(name, domains.iter().map(|d| (*d).to_owned()));
            spec.default_domain = Some(domains[0].to_owned());
            spec.source = Some(source);
            broker
                .create_directory(&spec)
                .await
                .map_err(|e| e.to_string())?;
        }
        let hello = json!({
            "url": sim.vcf().url(),
            "token": token,
            "embedded_id": sim.vcf().embedded_provider_id(),
            "tenant": sim.broker().tenant(),
        });
        println!("{hello}");
        std::io::stdout().flush().map_err(|e| e.to_string())?;
        // Serve until the measuring process closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .map_err(|e| e.to_string())?;
        sim.shutdown().await;
        Ok(())
    })
}

/// The simulator child process; stopped when dropped.
pub(crate) struct SimProcess {
    child: Child,
}

impl SimProcess {
    pub(crate) fn start() -> Result<(SimProcess, Target), String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .arg("sim")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the simulator process: {e}"))?;
        let stdout = child.stdout.take().ok_or("no simulator stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let hello: Value = serde_json::from_str(&line)
            .map_err(|e| format!("the simulator process said {line:?}: {e}"))?;
        let field = |name: &str| {
            hello
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("the simulator process gave no {name}"))
        };
        let target = Target {
            url: field("url")?,
            token: field("token")?,
            embedded_id: field("embedded_id")?,
            tenant: field("tenant")?,
        };
        Ok((SimProcess { child }, target))
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The operations measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    List,
    Get,
    /// The broker's directory list (`BrokerClient::list_directories`).
    BrokerList,
}

impl Op {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Op::List => "list_identity_providers",
            Op::Get => "get_identity_provider",
            Op::BrokerList => "list_directories",
        }
    }

    pub(crate) fn short(self) -> &'static str {
        match self {
            Op::List => "list",
            Op::Get => "get",
            Op::BrokerList => "broker-list",
        }
    }

    pub(crate) fn path(self, target: &Target) -> String {
        match self {
            Op::List => "/v1/identity-providers".to_owned(),
            Op::Get => format!("/v1/identity-providers/{}", target.embedded_id),
            Op::BrokerList => format!("/usergroup/t/{}/broker/directories", target.tenant),
        }
    }

    /// The `Accept` header the facade sends (and a raw client must send
    /// too): the vendor media type for the broker, from the spec.
    pub(crate) fn accept(self) -> &'static str {
        match self {
            Op::List | Op::Get => "application/json",
            Op::BrokerList => idp_api::broker::operations::GET_BROKER_DIRECTORIES
                .response_media
                .unwrap_or("application/json"),
        }
    }

    /// Parses [`Op::short`].
    pub(crate) fn parse(short: &str) -> Option<Op> {
        [Op::List, Op::Get, Op::BrokerList]
            .into_iter()
            .find(|op| op.short() == short)
    }
}
