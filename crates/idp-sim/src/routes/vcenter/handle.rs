//! vCenter's handle on a running simulator.

use crate::Simulator;

/// The simulated vCenter of a running [`Simulator`] (from
/// [`Simulator::vcenter`]). Its users are the VCF users
/// ([`vcf::Handle::username`](crate::vcf::Handle::username)).
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The vCenter base URL: the simulator's URL (the broker's URL too).
    #[must_use]
    pub fn url(&self) -> String {
        self.sim.base_url.clone()
    }

    /// The ids of the open sessions: created by `POST /api/session` and not
    /// yet ended by `DELETE /api/session` (in no particular order).
    #[must_use]
    pub fn sessions(&self) -> Vec<String> {
        self.sim
            .shared
            .model()
            .vcenter
            .sessions
            .iter()
            .cloned()
            .collect()
    }
}
