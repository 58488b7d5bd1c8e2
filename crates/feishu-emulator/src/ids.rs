//! Deterministic identifiers: the same fixture and the same sequence of calls
//! always produce the same chat ids, tab ids, tokens and log ids.

/// A counter-based generator of ids that look like the platform's.
#[derive(Debug, Clone)]
pub(crate) struct IdGen {
    seed: u64,
    counter: u64,
    log_counter: u64,
}

/// SplitMix64: a tiny, well-known mixing function; deterministic and fast.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl IdGen {
    /// A generator whose ids depend only on `seed` and the call sequence.
    pub(crate) fn new(seed: u64) -> Self {
        IdGen {
            seed,
            counter: 0,
            log_counter: 0,
        }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        mix(self.seed ^ mix(self.counter))
    }

    /// `n` hex digits (a multiple of 16 or less).
    pub(crate) fn hex(&mut self, n: usize) -> String {
        let mut out = String::with_capacity(n + 16);
        while out.len() < n {
            out.push_str(&format!("{:016x}", self.next()));
        }
        out.truncate(n);
        out
    }

    /// A chat id: `oc_` and 32 hex digits.
    pub(crate) fn chat_id(&mut self) -> String {
        format!("oc_{}", self.hex(32))
    }

    /// A message id: `om_` and 32 hex digits.
    pub(crate) fn message_id(&mut self) -> String {
        format!("om_{}", self.hex(32))
    }

    /// A thread id: `omt_` and 12 hex digits.
    pub(crate) fn thread_id(&mut self) -> String {
        format!("omt_{}", self.hex(12))
    }

    /// A reaction id: 25 characters of letters, digits and `-`.
    pub(crate) fn reaction_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-";
        let mut out = String::with_capacity(25);
        let mut bits = self.next();
        for i in 0..25 {
            if i % 10 == 0 && i > 0 {
                bits = self.next();
            }
            out.push(char::from(ALPHABET[(bits % 63) as usize]));
            bits /= 63;
        }
        out
    }

    /// An uploaded resource's key in the platform's current form:
    /// `{prefix}_v3_` and 4 hex digits, `_`, then a UUID whose last digit is
    /// `g` (`img_v3_02a1_1f0c...-...g`).
    fn resource_key(&mut self, prefix: &str, version: &str) -> String {
        let h = self.hex(33);
        format!(
            "{prefix}_v3_{version}{}_{}-{}-{}-{}-{}g",
            &h[0..2],
            &h[2..10],
            &h[10..14],
            &h[14..18],
            &h[18..22],
            &h[22..33],
        )
    }

    /// An uploaded image's key: `img_v3_02..._...g`.
    pub(crate) fn image_key(&mut self) -> String {
        self.resource_key("img", "02")
    }

    /// An uploaded file's key: `file_v3_00..._...g`.
    pub(crate) fn file_key(&mut self) -> String {
        self.resource_key("file", "00")
    }

    /// A 19-digit numeric id, like tab and menu ids.
    pub(crate) fn numeric(&mut self) -> String {
        format!(
            "{}",
            7_000_000_000_000_000_000u64 + self.next() % 1_000_000_000_000_000_000
        )
    }

    /// An access token with the given prefix (`t-`, `a-`).
    pub(crate) fn token(&mut self, prefix: &str) -> String {
        format!("{prefix}{}", self.hex(40))
    }

    /// A log id for the `x-tt-logid` header, in the platform's form: the
    /// UTC time as `YYYYMMDDhhmmss`, then 20 upper-case hex digits
    /// (`202409131613579778D691D6E05516DE2D`). The digits come from the log
    /// id's own counter through a bijective mix, so no two answers of one
    /// emulator share a log id (and the ids of created resources do not
    /// depend on how many calls were made).
    pub(crate) fn log_id(&mut self, now_micros: i64) -> String {
        self.log_counter += 1;
        let unique = mix(self.seed ^ mix(self.log_counter));
        format!(
            "{}{unique:016X}{:04X}",
            utc_stamp(now_micros),
            mix(self.log_counter) >> 48
        )
    }
}

/// `YYYYMMDDhhmmss` of a time in microseconds since the epoch (UTC).
pub(crate) fn utc_stamp(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_and_well_formed() {
        let mut a = IdGen::new(7);
        let mut b = IdGen::new(7);
        let id = a.chat_id();
        assert_eq!(id, b.chat_id());
        assert_eq!(id.len(), 35);
        assert!(id[3..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a.chat_id(), id);
        let n = a.numeric();
        assert_eq!(n.len(), 19);
        assert!(n.chars().all(|c| c.is_ascii_digit()));
        assert!(a.token("t-").starts_with("t-"));
        let log_id = a.log_id(1_726_215_237_000_000);
        assert_eq!(log_id.len(), 34);
        assert!(log_id.starts_with("20240913081357"), "{log_id}");
        assert!(log_id[14..]
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() && c.is_ascii_hexdigit()));
        assert_ne!(a.log_id(0), a.log_id(0));
        assert_eq!(utc_stamp(0), "19700101000000");
        assert_eq!(utc_stamp(951_782_400_000_000), "20000229000000");
    }
}
