//! The 202 operations' tasks: polled to COMPLETED, FAILED (by the
//! simulator's failure switch or a fault rule) and a timeout.

use std::time::Duration;

use idp_client::Error;
use idp_client::vcf_ops::TaskStatus;
use idp_sim::FaultRule;
use idp_testkit::{ops_client, ops_client_builder, start_ops_sim};
use serde_json::json;

use super::create_oidc;

const TASKS: &str = "/suite-api/api/fleet-management/iam/tasks/{taskId}";

#[tokio::test]
async fn a_task_goes_queued_in_progress_completed_with_progress_events() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let (idp, _) = create_oidc(&client, &sim).await;
    let task = client
        .start_delete_identity_provider(&idp, true)
        .await
        .unwrap();
    assert_eq!(task.status, Some(TaskStatus::Queued));
    assert_eq!(task.task_type.as_deref(), Some("IDP_RESET"));
    // Not deleted until the task completes.
    client.get_identity_provider(&idp).await.unwrap();

    let mut seen = Vec::new();
    let done = client
        .wait_task_with_progress(&task.id, Duration::from_secs(60), |t| {
            seen.push(t.status.clone());
        })
        .await
        .unwrap();
    assert_eq!(done.status, Some(TaskStatus::Completed));
    assert_eq!(
        seen,
        [Some(TaskStatus::InProgress), Some(TaskStatus::Completed)]
    );
    assert!(
        client
            .get_identity_provider(&idp)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.query.as_deref() == Some("force=true"))
    );
    // A finished task reads the same afterwards.
    assert_eq!(
        client.get_task(&task.id).await.unwrap().status,
        Some(TaskStatus::Completed)
    );
}

#[tokio::test]
async fn a_failed_task_is_an_error_with_the_servers_code_and_message() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let (idp, _) = create_oidc(&client, &sim).await;
    sim.vcf_ops()
        .fail_next_task("1500", "the identity broker is not reachable");
    let error = client
        .delete_identity_provider(&idp, false)
        .await
        .unwrap_err();
    match &error {
        Error::TaskFailed {
            operation,
            code,
            message,
            ..
        } => {
            assert_eq!(*operation, "deleteIDPConfiguration");
            assert_eq!(code.as_deref(), Some("1500"));
            assert_eq!(
                message.as_deref(),
                Some("the identity broker is not reachable")
            );
        }
        other => panic!("expected TaskFailed, got {other:?}"),
    }
    assert!(error.to_string().contains("FAILED"));
    // Nothing was deleted.
    client.get_identity_provider(&idp).await.unwrap();
}

#[tokio::test]
async fn a_fault_rule_answering_failed_ends_the_wait() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let (idp, _) = create_oidc(&client, &sim).await;
    let task = client
        .start_delete_identity_provider(&idp, false)
        .await
        .unwrap();
    sim.faults().add(FaultRule::new("GET", TASKS).respond_json(
        200,
        json!({
            "taskId": task.id,
            "taskStatus": "FAILED",
            "taskType": "IDP_RESET",
            "errorDetails": {"errorCode": "42", "errorMessage": "injected\u{1b}[31m failure"}
        }),
    ));
    let error = client
        .wait_task(&task.id, Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::TaskFailed { code, .. } if code.as_deref() == Some("42")));
    // The server's text cannot drive the terminal.
    assert!(!error.to_string().contains('\u{1b}'));
}

#[tokio::test]
async fn a_task_not_done_in_time_is_a_timeout_and_can_be_awaited_later() {
    let sim = start_ops_sim().await;
    let client = ops_client_builder(&sim)
        .task_timeout(Duration::ZERO)
        .build()
        .unwrap();
    let (idp, _) = create_oidc(&client, &sim).await;
    let error = client
        .delete_identity_provider(&idp, false)
        .await
        .unwrap_err();
    let Error::TaskTimeout {
        task_id,
        last_status,
        ..
    } = &error
    else {
        panic!("expected TaskTimeout, got {error:?}");
    };
    assert_eq!(last_status, "QUEUED");
    assert!(error.to_string().contains("poll it by its id"));
    let done = client
        .wait_task(task_id, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(done.status, Some(TaskStatus::Completed));
    assert!(
        client
            .get_task("no-such-task")
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn a_poll_that_fails_transiently_is_retried() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let (idp, _) = create_oidc(&client, &sim).await;
    sim.faults()
        .add(FaultRule::new("GET", TASKS).respond(503).times(1));
    let task = client.delete_identity_provider(&idp, false).await.unwrap();
    assert_eq!(task.status, Some(TaskStatus::Completed));
}
