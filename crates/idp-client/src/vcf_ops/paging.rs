//! Paged listings: every page, bounded.

use crate::Error;

/// How many items a listing asks for per page.
pub(super) const PAGE_SIZE: i32 = 100;
/// A listing stops after this many pages, whatever the server says.
const MAX_PAGES: i32 = 1000;

/// One page of a listing and the total the server reported.
pub(super) struct Page<T> {
    items: Vec<T>,
    total: Option<i32>,
}

pub(super) fn page_of<T>(items: Vec<T>, total: Option<i32>) -> Page<T> {
    Page { items, total }
}

/// Every item of a paged listing: pages from 0 until one comes back short
/// or empty, the reported total is reached, or [`MAX_PAGES`].
pub(super) async fn collect_pages<T, F>(mut fetch: F) -> Result<Vec<T>, Error>
where
    F: AsyncFnMut(i32) -> Result<Page<T>, Error>,
{
    let mut all = Vec::new();
    for page in 0..MAX_PAGES {
        let Page { items, total } = fetch(page).await?;
        let short = items.len() < usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
        all.extend(items);
        let reached = total.is_some_and(|t| all.len() >= usize::try_from(t).unwrap_or(0));
        if short || reached {
            break;
        }
    }
    Ok(all)
}
