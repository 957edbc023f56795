//! What a non-JSON error body says, in one bounded line: for an HTML page
//! its visible text (the `<pre>` or `<body>` text, scripts and styles left
//! out), not its `<title>`, which is often just "Error".

/// Elements whose content is never visible text.
const INVISIBLE: &[&str] = &["script", "style", "head", "noscript", "template"];

/// The visible text of `body`: for HTML, the text of its first `<pre>`,
/// else of its `<body>`, else of the whole document, else its `<title>`;
/// for anything else the body itself. Whitespace is collapsed; not bounded
/// or sanitized (the caller does both).
pub(crate) fn visible_text(body: &str) -> String {
    let body = body.trim();
    if !looks_like_html(body) {
        return collapse(body);
    }
    let lower = body.to_ascii_lowercase();
    for element in ["pre", "body"] {
        if let Some(inner) = element_content(body, &lower, element) {
            let text = collapse(&text_of(inner));
            if !text.is_empty() {
                return text;
            }
        }
    }
    let text = collapse(&text_of(body));
    if !text.is_empty() {
        return text;
    }
    element_content(body, &lower, "title")
        .map(|t| collapse(&decode_entities(t)))
        .unwrap_or_default()
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<!doctype",
        "<html",
        "<head",
        "<body",
        "<title",
        "<pre",
        "<p>",
        "<h1",
        "<div",
    ]
    .iter()
    .any(|marker| head.contains(marker))
}

/// The content of the first `<name …>…</name>` (or to the end when it is
/// not closed). `lower` is `text` in ASCII lower case, so offsets agree.
fn element_content<'t>(text: &'t str, lower: &str, name: &str) -> Option<&'t str> {
    let mut from = 0;
    loop {
        let open = from + lower[from..].find(&format!("<{name}"))?;
        let after = lower.as_bytes().get(open + 1 + name.len()).copied();
        // `<pre>` but not `<prefix>`.
        if matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
            let start = open + lower[open..].find('>')? + 1;
            let end = lower[start..]
                .find(&format!("</{name}"))
                .map_or(text.len(), |e| start + e);
            return text.get(start..end);
        }
        from = open + 1;
    }
}

/// Text with tags, comments and invisible elements removed and entities
/// decoded.
fn text_of(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while i < html.len() {
        let rest = &lower[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if let Some(tag) = rest.strip_prefix('<') {
            let tag_end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            i += tag_end;
            if INVISIBLE.contains(&name.as_str()) {
                let close = format!("</{name}");
                i += lower[i..].find(&close).map_or(lower.len() - i, |e| {
                    e + lower[i + e..]
                        .find('>')
                        .map_or(lower.len() - i - e, |g| g + 1)
                });
            }
            // Block elements separate words.
            out.push(' ');
            continue;
        }
        let next = rest.find('<').map_or(html.len(), |n| i + n);
        out.push_str(&decode_entities(&html[i..next]));
        i = next;
    }
    out
}

/// Decodes the common named entities and numeric character references.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Whitespace runs become one space; trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::visible_text;

    #[test]
    fn express_404_is_its_pre_text() {
        let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /api/admin/scim-settings</pre>\n</body>\n</html>\n";
        assert_eq!(visible_text(page), "Cannot GET /api/admin/scim-settings");
    }

    #[test]
    fn body_text_without_scripts_and_styles() {
        let page = "<html><head><title>T</title><style>p{color:red}</style></head><body><script>var a = '<b>';</script><h1>502 Bad Gateway</h1><hr><center>nginx &amp; co</center><!-- hidden --></body></html>";
        assert_eq!(visible_text(page), "502 Bad Gateway nginx & co");
    }

    #[test]
    fn title_when_nothing_else_shows() {
        assert_eq!(
            visible_text("<html><head><title>Only &lt;this&gt;</title></head><body></body></html>"),
            "Only <this>"
        );
    }

    #[test]
    fn plain_text_is_collapsed() {
        assert_eq!(
            visible_text("  upstream\n\n timed   out "),
            "upstream timed out"
        );
        assert_eq!(visible_text("a &amp; b"), "a &amp; b");
    }
}
