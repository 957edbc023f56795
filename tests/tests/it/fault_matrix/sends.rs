//! Counting sends through the client's tracing spans.

use super::*;

/// Sums, per operation id, the `attempt` of every finished
/// `idp_client.operation` span.
#[derive(Clone, Default)]
pub(super) struct Sends(Arc<Mutex<HashMap<String, u64>>>);

#[derive(Default)]
pub(super) struct SpanFields {
    pub(super) operation: String,
    pub(super) attempt: u64,
}

impl tracing::field::Visit for SpanFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "operation" {
            value.clone_into(&mut self.operation);
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "attempt" {
            self.attempt = value;
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S> Layer<S> for Sends
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "idp_client.operation" {
            return;
        }
        let mut fields = SpanFields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<SpanFields>()
        {
            values.record(fields);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(fields) = span.extensions().get::<SpanFields>()
        {
            *self
                .0
                .lock()
                .unwrap()
                .entry(fields.operation.clone())
                .or_default() += fields.attempt;
        }
    }
}

impl Sends {
    pub(super) fn of(&self, operation: &str) -> u64 {
        self.0.lock().unwrap().get(operation).copied().unwrap_or(0)
    }
}
