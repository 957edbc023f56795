//! A line diff (longest common subsequence) printed unified-style:
//! `-` lines only in the old text, `+` lines only in the new one, with up
//! to [`CONTEXT`] unchanged lines around each change.

/// Unchanged lines shown around a change.
pub const CONTEXT: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same,
    Removed,
    Added,
}

/// The diff of `old` against `new`; empty when they are equal.
#[must_use]
pub fn diff(old: &[String], new: &[String]) -> String {
    let edits = edits(old, new);
    let changed: Vec<bool> = edits.iter().map(|(edit, _)| *edit != Edit::Same).collect();
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (position, (edit, line)) in edits.iter().enumerate() {
        let near_change = (position.saturating_sub(CONTEXT)..=position + CONTEXT)
            .any(|i| changed.get(i).copied().unwrap_or(false));
        if !near_change {
            continue;
        }
        if last_shown.is_some_and(|last| last + 1 != position) {
            out.push_str("@@\n");
        }
        last_shown = Some(position);
        let sign = match edit {
            Edit::Same => ' ',
            Edit::Removed => '-',
            Edit::Added => '+',
        };
        out.push(sign);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The edit script from `old` to `new`.
fn edits<'a>(old: &'a [String], new: &'a [String]) -> Vec<(Edit, &'a str)> {
    // lengths[i][j]: longest common subsequence of old[i..] and new[j..].
    let mut lengths = vec![vec![0_usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lengths[i][j] = if old[i] == new[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut script = Vec::with_capacity(old.len().max(new.len()));
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            script.push((Edit::Same, old[i].as_str()));
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || lengths[i + 1][j] >= lengths[i][j + 1]) {
            // Removals first, as unified diffs print them.
            script.push((Edit::Removed, old[i].as_str()));
            i += 1;
        } else {
            script.push((Edit::Added, new[j].as_str()));
            j += 1;
        }
    }
    script
}
