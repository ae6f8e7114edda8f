//! PKCS#11's ECDSA signature is the raw `r || s` (PKCS#11 v2.40, 2.3.1); the rest of ebid, like PIV, carries
//! the DER `Ecdsa-Sig-Value` (RFC 3279, 2.2.3) that X.509 and CMS use.

/// `SEQUENCE { INTEGER r, INTEGER s }` from `r || s`, or `None` when the input is not two halves.
pub(crate) fn from_raw(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) || raw.len() > 2 * 66 {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let body = [integer(r), integer(s)].concat();
    // At most 2 × (2 + 1 + 66) bytes: the length fits in one byte after 0x81 when above 127.
    let mut der = vec![0x30];
    if body.len() > 0x7f {
        der.push(0x81);
    }
    der.push(u8::try_from(body.len()).ok()?);
    der.extend(body);
    Some(der)
}

/// A DER INTEGER of an unsigned big-endian value: leading zeros dropped, one zero added back when the top bit
/// is set (the value is positive).
fn integer(value: &[u8]) -> Vec<u8> {
    let first = value.iter().position(|&b| b != 0).unwrap_or(value.len());
    let trimmed = &value[first..];
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    // At most 67 bytes: always a short-form length.
    let mut der = vec![0x02, content.len() as u8];
    der.extend(content);
    der
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_become_positive_minimal_integers() {
        let mut raw = vec![0u8; 64];
        raw[0] = 0x80; // r's top bit set: a zero byte is added.
        raw[32] = 0x00; // s starts with zeros: they are dropped.
        raw[33] = 0x01;
        let der = from_raw(&raw).unwrap();
        assert_eq!(&der[..5], &[0x30, 2 + 33 + 2 + 31, 0x02, 33, 0x00]);
        assert_eq!(&der[2 + 2 + 33..2 + 2 + 33 + 3], &[0x02, 31, 0x01]);
    }

    #[test]
    fn zero_is_one_zero_byte_and_odd_lengths_are_refused() {
        assert_eq!(
            from_raw(&[0, 0]).unwrap(),
            vec![0x30, 6, 0x02, 1, 0, 0x02, 1, 0]
        );
        assert!(from_raw(&[1, 2, 3]).is_none());
        assert!(from_raw(&[]).is_none());
    }
}
