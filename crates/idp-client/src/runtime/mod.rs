//! What every client runs on, whatever its API: the operation table
//! ([`op`]), the request pipeline ([`exec`]: one span, retries, the mapping
//! of every outcome to [`crate::Error`]), the retry policy ([`retry`]), the
//! tolerant decoder ([`decode`]), tracing ([`telemetry`]), the input checks
//! every client shares ([`input`]) and the conversion from the generated
//! types ([`FromWire`]). It knows no credentials and no API.

pub(crate) mod decode;
pub(crate) mod exec;
pub(crate) mod input;
pub(crate) mod op;
pub(crate) mod retry;
pub(crate) mod telemetry;

/// A conversion from a generated (wire) type. Crate-private, unlike
/// `From`, so the generated layer stays out of the public API.
pub(crate) trait FromWire<W> {
    /// The facade's value of a decoded response part.
    fn from_wire(wire: W) -> Self;
}
