//! The set of active fault rules, shared by the server and the control
//! routes, and the one place that counts a rule's uses.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

use super::rule::{FaultId, FaultRule};
use crate::error::SimError;

/// The set of active rules; cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<FaultSet>>,
}

#[derive(Debug, Default)]
struct FaultSet {
    next_id: u64,
    rules: Vec<(FaultId, FaultRule)>,
}

/// An added rule, as listed by [`Faults::list`] and `GET /__sim/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActiveFault {
    /// The rule's id.
    pub id: FaultId,
    /// The rule; `times` is what remains.
    pub rule: FaultRule,
}

impl Faults {
    fn set(&self) -> MutexGuard<'_, FaultSet> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a rule after the existing ones. An invalid status is served as 500.
    pub fn add(&self, rule: FaultRule) -> FaultId {
        let mut set = self.set();
        set.next_id += 1;
        let id = FaultId(set.next_id);
        set.rules.push((id, rule));
        id
    }

    /// Validates, then adds, a rule.
    pub fn try_add(&self, rule: FaultRule) -> Result<FaultId, SimError> {
        rule.validate()?;
        Ok(self.add(rule))
    }

    /// Removes one rule; `false` if it was not there (or was used up).
    pub fn remove(&self, id: FaultId) -> bool {
        let mut set = self.set();
        let before = set.rules.len();
        set.rules.retain(|(i, _)| *i != id);
        set.rules.len() != before
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.set().rules.clear();
    }

    /// The active rules, in matching order.
    #[must_use]
    pub fn list(&self) -> Vec<ActiveFault> {
        self.set()
            .rules
            .iter()
            .map(|(id, rule)| ActiveFault {
                id: *id,
                rule: rule.clone(),
            })
            .collect()
    }

    /// Finds the first rule matching the request and counts one use of it.
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut set = self.set();
        let index = set
            .rules
            .iter()
            .position(|(_, r)| r.matches(method, path))?;
        let rule = set.rules[index].1.clone();
        match &mut set.rules[index].1.times {
            Some(n) if *n <= 1 => {
                set.rules.remove(index);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_counts_down() {
        let faults = Faults::default();
        faults.add(FaultRule::new("post", "/x").respond(503).times(2));
        assert!(faults.take("GET", "/x").is_none());
        assert!(faults.take("POST", "/x").is_some());
        assert_eq!(faults.list()[0].rule.times, Some(1));
        assert!(faults.take("POST", "/x").is_some());
        assert!(faults.take("POST", "/x").is_none());
        assert!(faults.list().is_empty());
    }
}
