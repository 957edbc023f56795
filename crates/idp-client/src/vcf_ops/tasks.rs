//! IAM tasks: reading one, and the one polling loop every operation that
//! answers 202 with a task goes through.

use std::time::Duration;

use super::client::Client;
use super::models::{Task, TaskStatus};
use super::ops::GET_IAM_TASK_DETAILS;
use crate::Error;
use crate::runtime::FromWire;
use crate::runtime::input::path_segment;

impl Client {
    /// Reads a task (`GET .../iam/tasks/{taskId}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad id; 404 when there is none.
    pub async fn get_task(&self, task_id: &str) -> Result<Task, Error> {
        path_segment("taskId", task_id)?;
        let api = &self.inner.api;
        let task = self
            .run(&GET_IAM_TASK_DETAILS, || api.get_iam_task_details(task_id))
            .await?;
        task_of(GET_IAM_TASK_DETAILS.id(), task)
    }

    /// Polls a task until it ends, for at most `timeout`: first after the
    /// client's initial poll interval, then with the interval doubling up
    /// to its maximum. Each poll is a `tracing` event (`task_id`,
    /// `status`).
    ///
    /// # Errors
    ///
    /// [`Error::TaskFailed`] when it ends `FAILED` (with the server's code
    /// and message); [`Error::TaskTimeout`] when it has not ended in time;
    /// any [`Error`] of a poll.
    pub async fn wait_task(&self, task_id: &str, timeout: Duration) -> Result<Task, Error> {
        self.wait_task_with_progress(task_id, timeout, |_| {}).await
    }

    /// [`wait_task`](Self::wait_task), calling `progress` with the task
    /// after each poll.
    ///
    /// # Errors
    ///
    /// As [`wait_task`](Self::wait_task).
    pub async fn wait_task_with_progress(
        &self,
        task_id: &str,
        timeout: Duration,
        mut progress: impl FnMut(&Task) + Send,
    ) -> Result<Task, Error> {
        path_segment("taskId", task_id)?;
        let pending = Task::pending(task_id);
        self.await_task(GET_IAM_TASK_DETAILS.id(), pending, timeout, &mut progress)
            .await
    }

    /// The one polling loop every operation answering with a task uses.
    pub(super) async fn await_task(
        &self,
        operation: &'static str,
        started: Task,
        timeout: Duration,
        progress: &mut (dyn FnMut(&Task) + Send),
    ) -> Result<Task, Error> {
        let start = tokio::time::Instant::now();
        let mut task = started;
        let mut interval = self.inner.polling.initial;
        loop {
            if let Some(outcome) = finished(operation, &task) {
                return outcome;
            }
            let waited = start.elapsed();
            if waited >= timeout {
                return Err(Error::TaskTimeout {
                    operation,
                    task_id: task.id.clone(),
                    last_status: task
                        .status
                        .as_ref()
                        .map_or_else(|| "UNKNOWN".to_owned(), |s| s.as_wire().to_owned()),
                    waited,
                });
            }
            tokio::time::sleep(interval.min(timeout - waited)).await;
            interval = (interval * 2).min(self.inner.polling.max);
            task = self.get_task(&task.id).await?;
            tracing::info!(
                task_id = %task.id,
                status = task.status.as_ref().map_or("UNKNOWN", TaskStatus::as_wire),
                "task progress"
            );
            progress(&task);
        }
    }
}

/// What a task that has ended comes to; `None` while it runs.
fn finished(operation: &'static str, task: &Task) -> Option<Result<Task, Error>> {
    match task.status {
        Some(TaskStatus::Completed) => Some(Ok(task.clone())),
        Some(TaskStatus::Failed) => Some(Err(Error::TaskFailed {
            operation,
            task_id: task.id.clone(),
            code: task.error.as_ref().and_then(|e| e.code.clone()),
            message: task
                .error
                .as_ref()
                .and_then(|e| e.message.as_deref())
                .map(crate::error::bounded_line),
        })),
        _ => None,
    }
}

/// A task answer with its id checked.
pub(super) fn task_of(
    operation: &'static str,
    wire: idp_api::vcf_ops::types::IamTaskDetails,
) -> Result<Task, Error> {
    let task = Task::from_wire(wire);
    if task.id.trim().is_empty() {
        return Err(Error::Decode {
            operation,
            status: None,
            path: "taskId".into(),
            message: "missing or empty".into(),
        });
    }
    Ok(task)
}
