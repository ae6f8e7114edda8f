//! The little BER-TLV the PIV objects need: one-byte tags and two-byte `5F..`/`7F..` tags, definite lengths.
//! Written by hand because PIV only ever nests three well-known levels, and a general ASN.1 crate would
//! want a schema for data that is not ASN.1-typed.

/// Finds the value of the first `tag` at the top level of `data`.
pub(crate) fn find(data: &[u8], tag: u16) -> Option<&[u8]> {
    let mut rest = data;
    while !rest.is_empty() {
        let (this_tag, after_tag) = read_tag(rest)?;
        let (len, after_len) = read_len(after_tag)?;
        let value = after_len.get(..len)?;
        if this_tag == tag {
            return Some(value);
        }
        rest = &after_len[len..];
    }
    None
}

fn read_tag(data: &[u8]) -> Option<(u16, &[u8])> {
    let first = *data.first()?;
    if first & 0x1F == 0x1F {
        let second = *data.get(1)?;
        Some((u16::from_be_bytes([first, second]), &data[2..]))
    } else {
        Some((u16::from(first), &data[1..]))
    }
}

fn read_len(data: &[u8]) -> Option<(usize, &[u8])> {
    match *data.first()? {
        n @ 0..=0x7F => Some((usize::from(n), &data[1..])),
        0x81 => Some((usize::from(*data.get(1)?), &data[2..])),
        0x82 => Some((
            usize::from(u16::from_be_bytes([*data.get(1)?, *data.get(2)?])),
            &data[3..],
        )),
        _ => None,
    }
}

/// Encodes one TLV with a one-byte tag.
pub(crate) fn encode(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match value.len() {
        n @ 0..=0x7F => out.push(n as u8),
        n @ 0x80..=0xFF => out.extend_from_slice(&[0x81, n as u8]),
        n => {
            out.push(0x82);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_lookup_with_every_length_form() {
        let cert = vec![0x30; 300];
        let inner = [encode(0x70, &cert), encode(0x71, &[0x00]), vec![0xFE, 0x00]].concat();
        let object = encode(0x53, &inner);
        let found = find(find(&object, 0x53).unwrap(), 0x70).unwrap();
        assert_eq!(found, cert.as_slice());
        assert_eq!(find(find(&object, 0x53).unwrap(), 0x71).unwrap(), &[0x00]);
        assert_eq!(encode(0x81, &[0; 200])[..3], [0x81, 0x81, 200]);
    }

    #[test]
    fn two_byte_tags_and_truncation() {
        let data = [0x5F, 0xC1, 0x02, 0xAA, 0xBB];
        assert_eq!(find(&data, 0x5FC1), Some(&[0xAA, 0xBB][..]));
        assert_eq!(find(&data[..4], 0x5FC1), None);
        assert_eq!(find(&[0x53, 0x82, 0x01], 0x53), None);
    }
}
