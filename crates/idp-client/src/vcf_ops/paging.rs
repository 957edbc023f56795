//! Paged listings: every page, bounded. A cursor, not a callback, so the
//! listing futures stay `Send` for any lifetime (an async closure would
//! not be, in `tokio::spawn`).

/// How many items a listing asks for per page.
pub(super) const PAGE_SIZE: i32 = 100;
/// A listing stops after this many pages, whatever the server says.
const MAX_PAGES: i32 = 1000;

/// Where a paged listing is: pages from 0 until one comes back short or
/// empty, the reported total is reached, or [`MAX_PAGES`].
pub(super) struct Pages<T> {
    next: Option<i32>,
    pub(super) items: Vec<T>,
}

impl<T> Pages<T> {
    pub(super) fn new() -> Self {
        Self {
            next: Some(0),
            items: Vec::new(),
        }
    }

    /// The page to ask for next, if any.
    pub(super) fn next_page(&self) -> Option<i32> {
        self.next
    }

    /// Takes one page's items and the total the server reported.
    pub(super) fn take(&mut self, items: Vec<T>, total: Option<i32>) {
        let short = items.len() < usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
        self.items.extend(items);
        let reached = total.is_some_and(|t| self.items.len() >= usize::try_from(t).unwrap_or(0));
        self.next = match self.next {
            Some(page) if !short && !reached && page + 1 < MAX_PAGES => Some(page + 1),
            _ => None,
        };
    }
}
