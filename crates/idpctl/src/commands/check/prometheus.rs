//! `idpctl check -o prometheus`: the report in the Prometheus text
//! exposition format, for node_exporter's textfile collector.

use std::fmt::Write as _;

use super::Report;
use crate::commands::vcf::TokenStatus;

/// The Prometheus text exposition format (version 0.0.4).
pub fn prometheus_text(report: &Report) -> String {
    let mut text = String::new();
    metric_header(
        &mut text,
        "idp_check_status",
        "State of idpctl check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
    );
    let _ = writeln!(text, "idp_check_status {}", report.state().code());
    let systems = [
        ("vcf", report.vcf.as_ref().map(Result::is_ok)),
        ("unleash", report.unleash.as_ref().map(Result::is_ok)),
        ("broker", report.broker.as_ref().map(Result::is_ok)),
        ("ops", report.ops.as_ref().map(Result::is_ok)),
    ];
    if systems.iter().any(|(_, up)| up.is_some()) {
        metric_header(
            &mut text,
            "idp_up",
            "Whether the system answered the check (1) or not (0).",
        );
        for (system, up) in systems {
            if let Some(up) = up {
                let _ = writeln!(text, "idp_up{{system=\"{system}\"}} {}", u8::from(up));
            }
        }
    }
    if let Some(Ok(tokens)) = &report.vcf {
        metric_header(
            &mut text,
            "idp_sync_client_token_expiry_known",
            "Whether VCF says when the sync client token expires (0: unknown or no token).",
        );
        for token in tokens {
            let _ = writeln!(
                text,
                "idp_sync_client_token_expiry_known{{{}}} {}",
                token_labels(token),
                u8::from(token.expiry.is_some())
            );
        }
        metric_header(
            &mut text,
            "idp_sync_client_token_expiry_timestamp_seconds",
            "When the VCF SCIM sync client token expires, in seconds since the Unix epoch.",
        );
        for token in tokens {
            if let Some(expiry) = token.expiry {
                let _ = writeln!(
                    text,
                    "idp_sync_client_token_expiry_timestamp_seconds{{{}}} {}",
                    token_labels(token),
                    expiry.timestamp()
                );
            }
        }
    }
    if let Some(Ok(keys)) = &report.service_keys {
        metric_header(
            &mut text,
            "idp_vcf_service_user_key_created_timestamp_seconds",
            "When a VCF service user's API key was made (its creationTimestamp), in seconds since the Unix epoch.",
        );
        for key in keys {
            if let Some(created) = key.created_at {
                let _ = writeln!(
                    text,
                    "idp_vcf_service_user_key_created_timestamp_seconds{{name=\"{}\"}} {}",
                    escape_label(&key.name),
                    created.timestamp()
                );
            }
        }
    }
    if let Some(Ok(tokens)) = &report.broker {
        metric_header(
            &mut text,
            "idp_broker_sync_client_token_expiry_timestamp_seconds",
            "When a VCF Identity Broker directory's sync client token expires, in seconds since the Unix epoch.",
        );
        for token in tokens {
            if let Some(expiry) = token.expires_at {
                let _ = writeln!(
                    text,
                    "idp_broker_sync_client_token_expiry_timestamp_seconds{{directory=\"{}\",name=\"{}\"}} {}",
                    escape_label(&token.directory_id),
                    escape_label(&token.directory),
                    expiry.timestamp()
                );
            }
        }
    }
    if let Some(Ok(tokens)) = &report.ops {
        metric_header(
            &mut text,
            "idp_ops_token_expiry_timestamp_seconds",
            "When a VCF Operations sync client token (kind=\"sync_client\") or API token (kind=\"api_token\") expires, in seconds since the Unix epoch.",
        );
        for token in tokens {
            if let Some(expiry) = token.expires_at {
                let _ = writeln!(
                    text,
                    "idp_ops_token_expiry_timestamp_seconds{{{}}} {}",
                    ops_labels(token),
                    expiry.timestamp()
                );
            }
        }
        metric_header(
            &mut text,
            "idp_ops_token_expired",
            "Whether VCF Operations says the API token has expired (tokenStatus EXPIRED).",
        );
        for token in tokens.iter().filter(|t| t.kind == "api_token") {
            let _ = writeln!(
                text,
                "idp_ops_token_expired{{{}}} {}",
                ops_labels(token),
                u8::from(token.expired)
            );
        }
    }
    if let Some(Ok(scim)) = &report.unleash {
        metric_header(
            &mut text,
            "idp_unleash_scim_enabled",
            "Whether Unleash SCIM is enabled.",
        );
        let _ = writeln!(text, "idp_unleash_scim_enabled {}", u8::from(scim.enabled));
        metric_header(
            &mut text,
            "idp_unleash_scim_has_token",
            "Whether Unleash SCIM has a token.",
        );
        let _ = writeln!(
            text,
            "idp_unleash_scim_has_token {}",
            u8::from(scim.has_token)
        );
    }
    text
}

fn metric_header(text: &mut String, name: &str, help: &str) {
    let _ = writeln!(text, "# HELP {name} {help}");
    let _ = writeln!(text, "# TYPE {name} gauge");
}

fn token_labels(token: &TokenStatus) -> String {
    format!(
        "provider=\"{}\",name=\"{}\",scim_url=\"{}\"",
        escape_label(&token.id),
        escape_label(&token.name),
        escape_label(token.scim_url.as_deref().unwrap_or(""))
    )
}

fn ops_labels(token: &super::ops::OpsToken) -> String {
    format!(
        "kind=\"{}\",realm=\"{}\",id=\"{}\",name=\"{}\"",
        token.kind,
        escape_label(&token.realm),
        escape_label(&token.id),
        escape_label(&token.name)
    )
}

/// Label values escape `\`, `"` and line feeds.
fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::escape_label;

    #[test]
    fn escapes_label_values() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
