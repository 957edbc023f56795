//! vCenter's session operations on the broker profile: `POST /api/session`
//! (Basic) opens a session, `GET .../admin-client` takes its id, and
//! `DELETE /api/session` ends it: 204, after which the id is refused with
//! 401, as the vSphere Automation reference documents.

use reqwest::StatusCode;

use crate::common::{Env, start_with};
use idp_sim::SimConfig;

const SESSION: &str = "vmware-api-session-id";

async fn open_session(env: &Env) -> String {
    let response = env
        .http
        .post(format!("{}/api/session", env.sim.broker().url()))
        .basic_auth(env.sim.vcf().username(), Some(env.sim.vcf().password()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<String>().await.unwrap()
}

async fn admin_client(env: &Env, session: Option<&str>) -> StatusCode {
    let mut request = env.http.get(format!(
        "{}/api/vcenter/identity/broker/tenants/{}/admin-client",
        env.sim.broker().url(),
        env.sim.broker().tenant()
    ));
    if let Some(session) = session {
        request = request.header(SESSION, session);
    }
    request.send().await.unwrap().status()
}

async fn delete_session(env: &Env, session: Option<&str>) -> (StatusCode, Vec<u8>) {
    let mut request = env
        .http
        .delete(format!("{}/api/session", env.sim.broker().url()));
    if let Some(session) = session {
        request = request.header(SESSION, session);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_deleted_session_id_stops_working() {
    let env = start_with(SimConfig::builder()).await;
    assert!(env.sim.vcenter().sessions().is_empty());
    let first = open_session(&env).await;
    let second = open_session(&env).await;
    assert_ne!(first, second);
    assert_eq!(env.sim.vcenter().sessions().len(), 2);
    assert_eq!(admin_client(&env, Some(&first)).await, StatusCode::OK);

    let (status, body) = delete_session(&env, Some(&first)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty());
    assert_eq!(env.sim.vcenter().sessions().len(), 1);
    assert_eq!(
        admin_client(&env, Some(&first)).await,
        StatusCode::UNAUTHORIZED
    );
    // Ending one session leaves the other alone.
    assert_eq!(admin_client(&env, Some(&second)).await, StatusCode::OK);

    // An ended, unknown or missing session id: 401 without a body.
    for session in [Some(first.as_str()), Some("no-such-session"), None] {
        let (status, body) = delete_session(&env, session).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{session:?}");
        assert!(body.is_empty(), "{session:?}");
    }
    assert_eq!(env.sim.vcenter().sessions().len(), 1);

    // The request log has the deletes, with the session id redacted.
    let deletes: Vec<_> = env
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE" && r.path == "/api/session")
        .collect();
    let statuses: Vec<Option<u16>> = deletes.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(204), Some(401), Some(401), Some(401)]);
    assert_eq!(deletes[0].header(SESSION), Some(idp_sim::REDACTED));
    let log = format!("{:?}", env.sim.requests());
    assert!(!log.contains(&first) && !log.contains(&second));
}
