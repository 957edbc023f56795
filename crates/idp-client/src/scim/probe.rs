//! The SCIM probe: the discovery endpoints when present, then
//! `GET /Users?startIndex=1&count=1`, and one verdict.

use std::fmt;

use http::StatusCode;
use idp_api::Secret;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::Value;

use crate::config::redact_url;
use crate::{ClientConfig, Error};

/// The operation name the probe's errors carry.
const OPERATION: &str = "scimProbe";
/// RFC 7644's list response schema.
const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The discovery endpoints (RFC 7644 §4), read when present.
const DISCOVERY: [&str; 3] = ["ServiceProviderConfig", "ResourceTypes", "Schemas"];

/// Configures a SCIM probe [`Client`]; start with [`Client::builder`].
pub struct ClientBuilder {
    url: String,
    config: ClientConfig,
    token: Option<Secret>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("url", &redact_url(&self.url))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The bearer token the SCIM endpoint should accept (required).
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The transport settings (default [`ClientConfig::default`]); the
    /// probe never retries (it reports what it saw).
    #[must_use]
    pub fn config(mut self, config: &ClientConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Builds the probe. Nothing is sent yet.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an invalid URL, `http://` to a host that is not
    /// loopback (unless allowed), a missing or empty token, or a TLS setup
    /// failure.
    pub fn build(self) -> Result<Client, Error> {
        // A query on a SCIM URL is for the identity provider (Entra's
        // `?aadOptscim062020`): the requests go to the path alone.
        let raw = self.url.trim();
        let without_query = raw.split(['?', '#']).next().unwrap_or(raw);
        let base = self.config.endpoint(without_query)?;
        let token = self
            .token
            .filter(|t| !t.expose().trim().is_empty())
            .ok_or_else(|| Error::config("a SCIM probe needs the bearer token"))?;
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", token.expose().trim()))
            .map_err(|_| Error::config("the token is not a valid header value"))?;
        authorization.set_sensitive(true);
        Ok(Client {
            http: self.config.build_client()?,
            base,
            authorization,
            max_response_bytes: self.config.max_response_bytes(),
        })
    }
}

/// A read-only SCIM 2.0 probe of one base URL.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    authorization: HeaderValue,
    max_response_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScimClient")
            .field("base", &redact_url(&self.base))
            .finish_non_exhaustive()
    }
}

/// What one discovery endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiscoveryAnswer {
    /// `ServiceProviderConfig`, `ResourceTypes` or `Schemas`.
    pub endpoint: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Whether it answered 2xx with a JSON body carrying `schemas`.
    pub present: bool,
}

/// The probe's one verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScimVerdict {
    /// Reachable, TLS accepted, token accepted, answers like SCIM.
    Ok,
    /// The endpoint refused the token (401 or 403).
    TokenRefused {
        /// The HTTP status.
        status: u16,
    },
    /// The URL answers, but not like a SCIM endpoint.
    NotScim {
        /// What was wrong (no secret, bounded).
        reason: String,
    },
}

impl ScimVerdict {
    /// Whether the endpoint is usable with the token.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        *self == Self::Ok
    }
}

impl fmt::Display for ScimVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ok => f.write_str("the SCIM endpoint accepts the token"),
            Self::TokenRefused { status } => {
                write!(f, "the SCIM endpoint refuses the token (HTTP {status})")
            }
            Self::NotScim { reason } => write!(f, "not a SCIM endpoint: {reason}"),
        }
    }
}

/// What the probe saw.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScimProbe {
    /// The base URL probed (without a query).
    pub url: String,
    /// Whether it was reached over TLS (`https`).
    pub tls: bool,
    /// The discovery endpoints' answers (empty when the token was refused
    /// on the first).
    pub discovery: Vec<DiscoveryAnswer>,
    /// The status of `GET /Users?startIndex=1&count=1`, when it was sent.
    pub users_status: Option<u16>,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
    /// Its `totalResults`, when it was a SCIM list.
    pub total_results: Option<u64>,
    /// The verdict.
    pub verdict: ScimVerdict,
}

/// One answer: status, content type and bounded body.
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A JSON body with a `schemas` array.
    fn has_schemas(&self) -> bool {
        self.json()
            .is_some_and(|v| v.get("schemas").is_some_and(Value::is_array))
    }
}

impl Client {
    /// A probe of the SCIM base URL `url` (`https://host/scim/v2`; a query
    /// string is not sent).
    pub fn builder(url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            url: url.into(),
            config: ClientConfig::default(),
            token: None,
        }
    }

    /// The base URL the requests go to.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn get(&self, path: &str) -> Result<Answer, Error> {
        let url = format!("{}/{path}", self.base);
        let mut response = self
            .http
            .get(&url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/scim+json, application/json")
            .send()
            .await
            .map_err(|e| Error::transport(OPERATION, e))?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Error::transport(OPERATION, e))?
        {
            body.extend_from_slice(&chunk);
            if body.len() as u64 > self.max_response_bytes {
                return Err(Error::ResponseTooLarge {
                    operation: OPERATION,
                    status: Some(status),
                    limit: self.max_response_bytes,
                    declared: None,
                });
            }
        }
        tracing::debug!(path, status = status.as_u16(), "SCIM probe answer");
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }

    /// Sends the read-only requests and gives the verdict.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the endpoint cannot be reached (connection,
    /// TLS, timeout); [`Error::Api`] when `GET /Users` answers a status that
    /// is neither success, a refusal (401/403) nor 404 (a 5xx);
    /// [`Error::ResponseTooLarge`] for an answer over the configured bound.
    /// A refused token and an endpoint that is not SCIM are verdicts, not
    /// errors.
    pub async fn probe(&self) -> Result<ScimProbe, Error> {
        let mut probe = ScimProbe {
            url: self.base.clone(),
            tls: self.base.starts_with("https://"),
            discovery: Vec::new(),
            users_status: None,
            content_type: None,
            total_results: None,
            verdict: ScimVerdict::Ok,
        };
        for endpoint in DISCOVERY {
            let answer = self.get(endpoint).await?;
            let status = answer.status.as_u16();
            if matches!(status, 401 | 403) {
                probe.verdict = ScimVerdict::TokenRefused { status };
                return Ok(probe);
            }
            probe.discovery.push(DiscoveryAnswer {
                endpoint,
                status,
                present: answer.status.is_success() && answer.has_schemas(),
            });
        }
        let users = self.get("Users?startIndex=1&count=1").await?;
        let status = users.status.as_u16();
        probe.users_status = Some(status);
        probe.content_type.clone_from(&users.content_type);
        probe.verdict = match status {
            401 | 403 => ScimVerdict::TokenRefused { status },
            404 | 405 => ScimVerdict::NotScim {
                reason: format!("GET /Users answered HTTP {status}"),
            },
            _ if users.status.is_success() => {
                let json_type = users
                    .content_type
                    .as_deref()
                    .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
                let body = users.json();
                let is_list = body.as_ref().is_some_and(|v| {
                    v.get("schemas")
                        .and_then(Value::as_array)
                        .is_some_and(|s| s.iter().any(|s| s == LIST_RESPONSE))
                });
                probe.total_results = body
                    .as_ref()
                    .and_then(|v| v.get("totalResults"))
                    .and_then(Value::as_u64);
                if !json_type {
                    ScimVerdict::NotScim {
                        reason: format!(
                            "GET /Users answered {} instead of application/scim+json",
                            users.content_type.as_deref().unwrap_or("no content type")
                        ),
                    }
                } else if !is_list {
                    ScimVerdict::NotScim {
                        reason: "GET /Users answered JSON without the SCIM ListResponse schema"
                            .to_owned(),
                    }
                } else {
                    ScimVerdict::Ok
                }
            }
            _ => {
                return Err(Error::from_body(
                    OPERATION,
                    users.status,
                    None,
                    None,
                    &users.body,
                ));
            }
        };
        Ok(probe)
    }
}
