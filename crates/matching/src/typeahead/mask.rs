//! Which letters and digits a name contains, as 64 bits: a name lacking a letter or digit of the
//! query cannot match it (skim compares ASCII case-insensitively), so one AND rejects most names
//! of a million before any byte of them is read.

/// Bit of an ASCII letter (either case) or digit; everything else has no bit.
fn bit(b: u8) -> u64 {
    match b.to_ascii_lowercase() {
        c @ b'a'..=b'z' => 1 << (c - b'a'),
        c @ b'0'..=b'9' => 1 << (26 + c - b'0'),
        _ => 0,
    }
}

/// The mask of a name.
pub fn of(name: &[u8]) -> u64 {
    name.iter().fold(0, |m, &b| m | bit(b))
}

/// Bit position of the record rank stored above the character bits (the scan reads it with
/// the mask it already loaded instead of looking the record up).
const RANK_SHIFT: u32 = 60;

/// A name's mask with its record's rank among equal matches (0–3, `Corpus::rank`) stored
/// in the top bits.
pub fn with_rank(mask: u64, rank: u8) -> u64 {
    mask | (u64::from(rank) << RANK_SHIFT)
}

/// The rank stored by [`with_rank`].
pub fn rank(mask: u64) -> u8 {
    (mask >> RANK_SHIFT) as u8
}

/// The bits every matching name must have: the query's letters and digits (other bytes are
/// checked by the subsequence pass).
pub fn of_query(q: &[u8]) -> u64 {
    of(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_lacking_a_query_letter_is_rejected_whatever_the_case() {
        let name = of("Hikvision USA".as_bytes());
        assert_eq!(name & of_query(b"hkv"), of_query(b"hkv"));
        assert_ne!(name & of_query(b"hkz"), of_query(b"hkz"));
        assert_eq!(of_query("société".as_bytes()), of_query(b"socit"));
    }

    #[test]
    fn the_rank_rides_above_the_characters() {
        let m = with_rank(of(b"zz99"), 3);
        assert_eq!(rank(m), 3);
        assert_eq!(m & of_query(b"z9"), of_query(b"z9"));
    }
}
