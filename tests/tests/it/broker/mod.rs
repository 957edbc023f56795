//! idp-client's `BrokerClient` against the simulated VCF Identity Broker,
//! a module per part of the API: every operation, the vendor media types on
//! the wire, errors without a body, the admin token's renewal (through an
//! OAuth client or vCenter), and the faults the fault matrix
//! (`fault_matrix/`, which runs every broker and vCenter operation under
//! every fault) does not hold. The helpers and media types they share are
//! here.

mod admin_token;
mod directories;
mod errors;
mod identity_providers;
mod media_types;
mod oauth_clients;
mod vcenter;

use idp_client::{
    BrokerClient, BrokerClientBuilder, BrokerDirectorySpec, BrokerOidcProfile,
    BrokerOidcProviderSpec, DirectorySource, Secret,
};
use idp_sim::{RecordedRequest, Simulator};
use idp_testkit::{broker_client, broker_client_builder, broker_vcenter_client};

const DIRECTORY: &str = "application/vnd.vmware.vidm.usergroup.broker.directory+json";
const DIRECTORY_LIST: &str = "application/vnd.vmware.vidm.usergroup.broker.directory.list+json";
const SYNC_CLIENT: &str =
    "application/vnd.vmware.vidm.usergroup.broker.directory.syncclientconfiguration+json";

fn builder(sim: &Simulator) -> BrokerClientBuilder {
    broker_client_builder(sim)
}

fn oauth(sim: &Simulator) -> BrokerClient {
    broker_client(sim)
}

/// A client whose admin token comes through the simulator's vCenter user.
fn vcenter(sim: &Simulator) -> BrokerClient {
    broker_vcenter_client(sim)
}

fn requests(sim: &Simulator, method: &str, path_part: &str) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.contains(path_part))
        .collect()
}

fn directory_spec(name: &str, domain: &str) -> BrokerDirectorySpec {
    let mut spec = BrokerDirectorySpec::new(name, [domain.to_owned()]);
    spec.default_domain = Some(domain.to_owned());
    spec.source = Some(DirectorySource::Okta);
    spec
}

/// An OIDC provider "Okta" for `directory_id`, with a client secret.
fn okta_oidc_spec(directory_id: &str) -> BrokerOidcProviderSpec {
    let mut oidc = BrokerOidcProfile::default();
    oidc.configuration_url =
        Some("https://okta.example.com/.well-known/openid-configuration".into());
    oidc.client_id = Some("okta-client".into());
    oidc.client_secret = Some(Secret::new("okta-secret"));
    let mut spec = BrokerOidcProviderSpec::default();
    spec.name = Some("Okta".into());
    spec.directory_ids = vec![directory_id.to_owned()];
    spec.oidc = Some(oidc);
    spec
}
