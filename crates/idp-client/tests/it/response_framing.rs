//! `max_response_bytes` skips its body wrapper when the response's framing
//! already bounds the body (a Content-Length within the limit); these cases
//! prove that a lying or contradictory framing cannot slip a larger body
//! through.

use idp_client::{ClientConfig, Error, Secret, VcfClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves `response` (raw bytes) to every connection, after reading the
/// request head.
async fn serve(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = stream.write_all(&response).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    url
}

fn client(url: &str, limit: u64) -> VcfClient {
    VcfClient::builder(url)
        .bearer_token(Secret::new("token"))
        .config(
            &ClientConfig::builder()
                .max_response_bytes(limit)
                .retry_policy(idp_client::RetryPolicy::none())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn chunked_beside_a_small_content_length_is_still_bounded() {
    // RFC 9112: Transfer-Encoding wins over Content-Length, so the body is
    // 5,000 bytes although the header says 10.
    let body = format!("{{\"elements\":[]{}}}", " ".repeat(5_000));
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 10\r\n\r\n{:x}\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body.as_bytes());
    response.extend_from_slice(b"\r\n0\r\n\r\n");
    let url = serve(response).await;
    let err = client(&url, 1_000)
        .list_identity_providers()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { declared: None, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_content_length_within_the_limit_bounds_what_is_read() {
    // The server sends more than it declared: only the declared bytes are
    // the body.
    let declared = b"{\"elements\":[]}";
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        declared.len()
    )
    .into_bytes();
    response.extend_from_slice(declared);
    response.extend_from_slice(" ".repeat(5_000).as_bytes());
    let url = serve(response).await;
    let providers = client(&url, 1_000).list_identity_providers().await.unwrap();
    assert!(providers.is_empty());
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused() {
    let body = format!("{{\"elements\":[]{}}}", " ".repeat(5_000));
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes();
    let url = serve(response).await;
    let err = client(&url, 1_000)
        .list_identity_providers()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                declared: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
}
