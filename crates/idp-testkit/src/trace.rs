//! Capturing every tracing event and span (and `log` record) of the current
//! thread as text, for tests that prove no secret is ever logged.

use std::io::Write;
use std::sync::{Arc, Mutex, Once, PoisonError};

use tracing::Dispatch;
use tracing::subscriber::{DefaultGuard, NoSubscriber};
use tracing_subscriber::fmt::format::FmtSpan;

/// Everything traced on this thread at TRACE level (span events included)
/// while it lives. A `#[tokio::test]` runs the client's and the simulator's
/// tasks on its one thread, so that is everything the test's calls log.
pub struct TraceCapture {
    buffer: Buffer,
    _guard: DefaultGuard,
    // tracing caches each callsite's interest process-wide; with one
    // registered dispatcher it asks only the registering thread's, so a
    // sibling test without a subscriber would switch our callsites off. A
    // second (inert) dispatcher makes tracing ask all of them.
    _anchor: Dispatch,
}

impl std::fmt::Debug for TraceCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TraceCapture").finish_non_exhaustive()
    }
}

impl TraceCapture {
    /// Starts capturing (and routes `log` records into tracing, once per
    /// process: reqwest, hyper-util and rustls log through `log`).
    #[must_use]
    pub fn start() -> Self {
        static LOG_RECORDS: Once = Once::new();
        LOG_RECORDS.call_once(|| {
            let _ = tracing_log::LogTracer::init();
        });
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        TraceCapture {
            buffer,
            _guard: tracing::subscriber::set_default(subscriber),
            _anchor: Dispatch::new(NoSubscriber::default()),
        }
    }

    /// The text written so far.
    #[must_use]
    pub fn text(&self) -> String {
        let bytes = self.buffer.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// The shared bytes the subscriber writes to.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
