//! Checks of the VCF spec fields that identity providers and identity
//! sources share: domain names, LDAP source details, OIDC settings.

use crate::routes::validate::{Invalid, Obj};
use crate::state::vcf::{OidcInfo, SourceDetails};

/// Whether a domain name is acceptable: letters, digits, `-`, `_`, `.`,
/// no empty labels.
pub(super) fn valid_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 253
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && domain.split('.').all(|label| !label.is_empty())
}

pub(super) fn domain_field(obj: &Obj<'_>, field: &str) -> Result<String, Invalid> {
    let domain = obj.str(field)?;
    let domain = domain.trim().to_owned();
    if valid_domain(&domain) {
        Ok(domain)
    } else {
        Err(Invalid::value(
            obj.name(field),
            "must be a domain name (letters, digits, '-', '_' and '.')",
        ))
    }
}

pub(super) fn source_details(ldap: &Obj<'_>) -> Result<SourceDetails, Invalid> {
    let details = ldap.obj("sourceDetails")?;
    Ok(SourceDetails {
        users_base_dn: details.str("usersBaseDn")?,
        groups_base_dn: details.str("groupsBaseDn")?,
        cert_chain: details.opt_str_list("certChain")?.unwrap_or_default(),
        server_endpoints: details.non_empty_str_list("serverEndpoints")?,
    })
}

pub(super) fn oidc(obj: &Obj<'_>) -> Result<OidcInfo, Invalid> {
    let client_id = obj.str("clientId")?;
    // Required, checked, and never stored.
    obj.str("clientSecret")?;
    Ok(OidcInfo {
        client_id,
        discovery_endpoint: obj.str("discoveryEndpoint")?,
    })
}

pub(super) fn canonical_ldap_type(
    obj: &Obj<'_>,
    field: &str,
    raw: &str,
) -> Result<String, Invalid> {
    match raw.to_ascii_lowercase().as_str() {
        "activedirectory" => Ok("ActiveDirectory".to_owned()),
        "openldap" => Ok("OpenLdap".to_owned()),
        _ => Err(Invalid::value(
            obj.name(field),
            format!("must be one of ActiveDirectory, OpenLdap (got {raw:?})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert!(valid_domain("embedded-ids.com"));
        assert!(valid_domain("localos"));
        assert!(!valid_domain("a/b"));
        assert!(!valid_domain(".."));
        assert!(!valid_domain("a..b"));
        assert!(!valid_domain("é.com"));
        assert!(!valid_domain("a\u{0}b"));
        assert!(!valid_domain(""));
    }
}
