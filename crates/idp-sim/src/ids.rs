//! Identifiers and generated credentials: UUIDs, random hex, passwords,
//! Unleash API keys. A leaf: it imports nothing from the crate, so the
//! configuration, the state and the token logic can all use it.

use rand::Rng;
use rand::distr::Alphanumeric;

/// A random (version 4) UUID in its usual text form.
pub(crate) fn new_uuid() -> String {
    let mut b: [u8; 16] = rand::rng().random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        b[0],
        b[1],
        b[2],
        b[3],
        b[4],
        b[5],
        b[6],
        b[7],
        b[8],
        b[9],
        b[10],
        b[11],
        b[12],
        b[13],
        b[14],
        b[15]
    )
}

/// A random password that satisfies VCF's complexity rules.
pub(crate) fn generate_password() -> String {
    let core: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(14)
        .map(char::from)
        .collect();
    format!("Sim{core}1!")
}

/// A random Unleash admin API key in Unleash's `*:*.<hex>` form.
pub(crate) fn generate_unleash_key() -> String {
    format!("*:*.{}", random_hex(32))
}

/// `n` random bytes as lower-case hex.
pub(crate) fn random_hex(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets() {
        assert!(generate_password().len() >= 16);
        assert_ne!(generate_password(), generate_password());
        assert_eq!(generate_unleash_key().len(), 4 + 64);
    }

    #[test]
    fn uuid_shape() {
        let u = new_uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert_ne!(u, new_uuid());
    }
}
