//! `--ttl` values: `3600`, `90s`, `90m`, `12h`, `30d`.

use std::time::Duration;

/// Parses seconds, or a number with one of the units s, m, h, d.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (examples: 3600, 90m, 12h, 30d)"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}` (use s, m, h or d)"
            ));
        }
    };
    let seconds = number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too long"))?;
    if seconds == 0 {
        return Err("a token lifetime must be at least one second".to_owned());
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::parse_duration;

    #[test]
    fn parses_every_documented_form() {
        assert_eq!(parse_duration("3600"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(43_200)));
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(2_592_000)));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "0", "m", "12x", "1.5h", "-3", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad} was accepted");
        }
    }
}
