//! A 3xx answer explained: redirects are never followed (a followed POST
//! could be replayed elsewhere, and the APIs never redirect), so the error
//! says where the server pointed and what that usually means.

use http::{HeaderMap, StatusCode, header::LOCATION};

use super::Error;

const TO_HTTPS: &str = "the server redirects http:// to https://: use an https:// base URL";
const TO_LOGIN: &str = "a redirect usually means a proxy or single sign-on page in front of the \
     API, not the API itself: use the API's own address, or a base URL that reaches it directly";

/// The error for a redirect answer to a request for `request_url`.
pub(crate) fn redirect_error(
    operation: &'static str,
    status: StatusCode,
    request_url: &url::Url,
    headers: &HeaderMap,
) -> Error {
    let target = headers
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| request_url.join(value.trim()).ok());
    let (body, hint) = match target {
        Some(mut target) => {
            // The query string may carry session state or tokens.
            target.set_query(None);
            target.set_fragment(None);
            let _ = target.set_username("");
            let _ = target.set_password(None);
            let same_host = request_url.host_str() == target.host_str();
            let hint = if request_url.scheme() == "http" && target.scheme() == "https" && same_host
            {
                TO_HTTPS
            } else {
                TO_LOGIN
            };
            (format!("redirected to {target}"), hint)
        }
        None => (
            "a redirect without a readable Location".to_owned(),
            TO_LOGIN,
        ),
    };
    Error::Api {
        operation,
        status,
        vendor: None,
        body: Some(super::bounded_line(&body)),
        hint: Some(hint),
        retry_after: None,
    }
}
