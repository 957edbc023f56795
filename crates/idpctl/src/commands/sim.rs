//! `idpctl sim`: the simulator, standalone, until Ctrl-C.

use idp_sim::{Profile, SimConfig, Simulator};

use crate::cli::SimArgs;
use crate::failure::Failure;
use crate::output::progress;

pub async fn run(args: SimArgs) -> Result<(), Failure> {
    let profile: Profile = args
        .profile
        .parse()
        .map_err(|e| Failure::usage(format!("--profile: {e}")))?;
    let config = SimConfig::builder()
        .profile(profile)
        .listen(args.listen)
        .tls(args.tls)
        .build()
        .map_err(|e| Failure::usage(format!("simulator configuration: {e}")))?;
    let sim = Simulator::start(config)
        .await
        .map_err(|e| Failure::other(format!("cannot start the simulator: {e}")))?;
    // These are the simulator's own throwaway credentials, printed so that
    // a user can point idpctl or a test suite at it.
    progress!(
        "idp simulator ({profile}) listening on {}",
        sim.local_addr()
    );
    progress!("");
    progress!("VCF_URL={}", sim.vcf_url());
    progress!("VCF_USERNAME={}", sim.vcf_username());
    progress!("VCF_PASSWORD={}", sim.vcf_password());
    progress!("UNLEASH_URL={}", sim.unleash_url());
    progress!("UNLEASH_API_TOKEN={}", sim.unleash_api_key());
    progress!("OKTA_URL={}", sim.okta_url());
    progress!("OKTA_API_TOKEN={}", sim.okta_api_token());
    progress!("OKTA_APP_ID={}", sim.okta_app_id());
    progress!("ENTRA_LOGIN_URL={}", sim.entra_login_url());
    progress!("ENTRA_GRAPH_URL={}", sim.entra_graph_url());
    progress!("ENTRA_TENANT_ID={}", sim.entra_tenant_id());
    progress!("ENTRA_CLIENT_ID={}", sim.entra_client_id());
    progress!("ENTRA_CLIENT_SECRET={}", sim.entra_client_secret());
    progress!(
        "ENTRA_SERVICE_PRINCIPAL_ID={}",
        sim.entra_service_principal_id()
    );
    progress!(
        "admin: {}/__sim/faults, {}/__sim/requests",
        sim.admin_url(),
        sim.admin_url()
    );
    if let Some(pem) = sim.ca_pem() {
        progress!("");
        progress!("CA certificate (save it and pass --ca-cert FILE):");
        progress!("{}", pem.trim_end());
    }
    progress!("");
    progress!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::other(format!("cannot wait for Ctrl-C: {e}")))?;
    sim.shutdown().await;
    Ok(())
}
