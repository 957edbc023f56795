//! The delivery engine as `idp-config`'s [`KeyDelivery`]: the API keys of
//! service users that `idpctl apply` creates go to their grant's
//! `deliverKey` (`file:PATH`, mode 0600) with the pre-flight and recovery
//! of rotated tokens.

use std::sync::atomic::{AtomicBool, Ordering};

use idp_client::Secret;
use idp_config::{Error, KeyDelivery};
use std::future::Future;
use std::pin::Pin;

use crate::commands::rotation::{DeliveryArgs, Plan};
use crate::delivery::{Recovery, Target};

/// Delivers new service-user keys; remembers whether one had to be saved
/// for recovery instead (exit 7).
#[derive(Debug)]
pub struct ServiceKeys {
    /// `--recovery`, or `None` for a new file per key in the current
    /// directory.
    recovery: Option<String>,
    not_delivered: AtomicBool,
}

impl ServiceKeys {
    pub fn new(recovery: Option<String>) -> Self {
        Self {
            recovery,
            not_delivered: AtomicBool::new(false),
        }
    }

    /// Whether a key was made but saved for recovery instead of delivered.
    pub fn any_not_delivered(&self) -> bool {
        self.not_delivered.load(Ordering::SeqCst)
    }

    fn recovery_for(&self, user: &str) -> Recovery {
        match &self.recovery {
            Some(text) => Recovery::parse(Some(text)),
            None => {
                let safe: String = user
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                Recovery::parse(Some(&format!(
                    "idpctl-recovered-key-{safe}-{}-{}",
                    chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
                    std::process::id()
                )))
            }
        }
    }
}

/// A `deliverKey` value: `file:PATH` only (an API key is no SCIM token for
/// an identity provider, and stdout holds apply's report).
fn file_target(text: &str) -> Result<Target, Error> {
    match Target::parse(text.trim()) {
        Ok(target @ Target::File(_)) => Ok(target),
        Ok(_) => Err(Error::Usage(format!(
            "deliverKey `{text}`: a service user's key goes to file:PATH"
        ))),
        Err(failure) => Err(Error::Usage(format!("deliverKey: {}", failure.message))),
    }
}

impl KeyDelivery for ServiceKeys {
    fn preflight(&self, target: &str) -> Result<(), Error> {
        let target = file_target(target)?;
        target.preflight_file().map_err(|f| {
            Error::Usage(f.message.replace("nothing was rotated", "nothing was sent"))
        })?;
        if let Some(text) = &self.recovery {
            Recovery::parse(Some(text))
                .preflight()
                .map_err(|f| Error::Usage(f.message))?;
        }
        Ok(())
    }

    fn deliver<'a>(
        &'a self,
        target: &'a str,
        user: &'a str,
        key: &'a Secret,
    ) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>> {
        Box::pin(async move {
            let target = file_target(target)?;
            let args = DeliveryArgs {
                deliver: Some(target),
                recovery: Some(self.recovery_for(user)),
                ..DeliveryArgs::default()
            };
            let what = format!("the API key of service user {user}");
            Plan::new(&args)
                .deliver(key, None, &what)
                .await
                .map_err(|failure| {
                    self.not_delivered.store(true, Ordering::SeqCst);
                    let remedy = failure.remediation.unwrap_or_default();
                    Error::Usage(format!("{}; {remedy}", failure.message))
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use idp_client::Secret;
    use idp_config::KeyDelivery;

    use super::ServiceKeys;

    #[tokio::test]
    async fn a_key_that_cannot_be_written_is_saved_for_recovery_once() {
        let keys_dir = tempfile::tempdir().unwrap();
        let recovery_dir = tempfile::tempdir().unwrap();
        let recovery = recovery_dir.path().join("recovered");
        let target = format!("file:{}/key", keys_dir.path().join("gone").display());
        std::fs::create_dir(keys_dir.path().join("gone")).unwrap();
        let keys = ServiceKeys::new(Some(recovery.display().to_string()));
        keys.preflight(&target).unwrap();
        assert!(keys.preflight("okta:0oa1").is_err());
        assert!(keys.preflight("stdout").is_err());
        // The directory goes between the pre-flight and the delivery.
        std::fs::remove_dir(keys_dir.path().join("gone")).unwrap();
        let key = Secret::new("service-key-value-Zr41");
        let error = keys.deliver(&target, "ci", &key).await.unwrap_err();
        let text = error.to_string();
        assert!(!text.contains("service-key-value-Zr41"), "{text}");
        assert!(text.contains(&recovery.display().to_string()), "{text}");
        assert!(keys.any_not_delivered());
        assert_eq!(
            std::fs::read_to_string(&recovery).unwrap(),
            "service-key-value-Zr41\n"
        );
    }
}
