//! IAM tasks: what a 202 answer starts.

use idp_api::vcf_ops::types as wire;
use serde::Serialize;

use super::{epoch, open_enum};
use crate::runtime::FromWire;

open_enum!(
    /// Where a task is.
    TaskStatus {
        /// Waiting to run.
        Queued => "QUEUED",
        /// Running.
        InProgress => "IN_PROGRESS",
        /// Ended with an error.
        Failed => "FAILED",
        /// Done.
        Completed => "COMPLETED",
    }
);

impl TaskStatus {
    /// Whether the task has ended (`COMPLETED` or `FAILED`).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }
}

/// An asynchronous IAM task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Task {
    /// Its id (poll it with `get_task`).
    pub id: String,
    /// Its status; `None` when the server did not say.
    pub status: Option<TaskStatus>,
    /// `IDP_RESET`, `SSO_REALM_RESET`, ... as sent.
    pub task_type: Option<String>,
    /// Why it failed, when the server said.
    pub error: Option<TaskError>,
}

/// Why a task failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskError {
    /// The server's error code.
    pub code: Option<String>,
    /// The server's message.
    pub message: Option<String>,
    /// When it failed.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

impl FromWire<wire::IamTaskDetails> for Task {
    fn from_wire(wire: wire::IamTaskDetails) -> Self {
        Self {
            id: wire.task_id,
            status: wire
                .task_status
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(TaskStatus::parse),
            task_type: wire.task_type,
            error: wire.error_details.map(|e| TaskError {
                code: e.error_code,
                message: e.error_message,
                at: e.timestamp.and_then(epoch),
            }),
        }
    }
}

impl Task {
    /// A task known by its id only, before its first poll.
    pub(crate) fn pending(id: &str) -> Self {
        Self {
            id: id.to_owned(),
            status: None,
            task_type: None,
            error: None,
        }
    }
}
