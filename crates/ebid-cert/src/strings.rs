//! Text of a DN attribute or otherName value, whatever ASN.1 string type carries it.
//!
//! Written by hand because x509-parser gives no text for BMPString, UniversalString or TeletexString
//! (`AttributeTypeAndValue::as_str` fails on them), and those are exactly the types older Japanese CAs used
//! for kanji (BMPString) and European tools for accented names (TeletexString).

use x509_parser::asn1_rs::{Any, Class, Tag};

use crate::CertError;
use crate::invisible::strip_invisible;

/// Decodes `value` to text without its zero-width characters and bidirectional controls (see
/// [`crate::invisible`]); `attribute` only names the field in the error.
pub(crate) fn decode(value: &Any<'_>, attribute: &str) -> Result<String, CertError> {
    decode_as_written(value, attribute).map(|text| strip_invisible(&text))
}

/// The text exactly as the certificate encodes it.
fn decode_as_written(value: &Any<'_>, attribute: &str) -> Result<String, CertError> {
    let bytes = value.data;
    let invalid = |string_type| CertError::BadString {
        attribute: attribute.to_owned(),
        string_type,
    };
    // DER writes every string primitive (X.690 §10.2); the content of a constructed one is its pieces'
    // TLVs, not text, so taking it as text would show tag and length bytes as a name.
    if value.class() != Class::Universal || value.header.is_constructed() {
        return Err(invalid("string"));
    }
    match value.tag() {
        Tag::Utf8String => String::from_utf8(bytes.to_vec()).map_err(|_| invalid("UTF8String")),
        // The 7-bit types: only the 7 bits are checked, not each type's narrower alphabet, because tools
        // routinely write characters such as '*' or '@' into PrintableString and the text is still clear.
        Tag::PrintableString => ascii(bytes).ok_or_else(|| invalid("PrintableString")),
        Tag::Ia5String => ascii(bytes).ok_or_else(|| invalid("IA5String")),
        Tag::NumericString => ascii(bytes).ok_or_else(|| invalid("NumericString")),
        Tag::VisibleString => ascii(bytes).ok_or_else(|| invalid("VisibleString")),
        // T.61 proper is a stateful multi-byte code nobody implements; real-world TeletexStrings are Latin-1,
        // where every byte is the code point of the same value, so no byte is invalid.
        Tag::T61String => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => utf16be(bytes).ok_or_else(|| invalid("BMPString")),
        Tag::UniversalString => utf32be(bytes).ok_or_else(|| invalid("UniversalString")),
        _ => Err(invalid("string")),
    }
}

fn ascii(bytes: &[u8]) -> Option<String> {
    bytes
        .is_ascii()
        .then(|| bytes.iter().map(|&b| char::from(b)).collect())
}

/// BMPString is UCS-2 big-endian; surrogate pairs are accepted too, lone surrogates are not.
fn utf16be(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// UniversalString is UCS-4 big-endian: four bytes a code point.
fn utf32be(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    bytes
        .chunks_exact(4)
        .map(|quad| char::from_u32(u32::from_be_bytes([quad[0], quad[1], quad[2], quad[3]])))
        .collect()
}

#[cfg(test)]
mod tests {
    use x509_parser::asn1_rs::{FromDer, Header, Length};

    use super::*;

    fn value(tag: Tag, bytes: &[u8]) -> Any<'_> {
        Any::new(
            Header::new(Class::Universal, false, tag, Length::Definite(bytes.len())),
            bytes,
        )
    }

    fn text(tag: Tag, bytes: &[u8]) -> Result<String, CertError> {
        decode(&value(tag, bytes), "O")
    }

    fn bad(string_type: &'static str) -> Result<String, CertError> {
        Err(CertError::BadString {
            attribute: "O".to_owned(),
            string_type,
        })
    }

    #[test]
    fn utf8_kanji() {
        assert_eq!(
            text(Tag::Utf8String, "長崎土木".as_bytes()).as_deref(),
            Ok("長崎土木")
        );
        assert_eq!(text(Tag::Utf8String, &[0xe9, 0x95]), bad("UTF8String"));
    }

    #[test]
    fn seven_bit_types_take_ascii_only() {
        assert_eq!(
            text(Tag::PrintableString, b"Nagasaki*Doboku").as_deref(),
            Ok("Nagasaki*Doboku")
        );
        assert_eq!(text(Tag::Ia5String, b"a@b.jp").as_deref(), Ok("a@b.jp"));
        assert_eq!(text(Tag::NumericString, b"0123").as_deref(), Ok("0123"));
        assert_eq!(text(Tag::VisibleString, b"x").as_deref(), Ok("x"));
        assert_eq!(
            text(Tag::PrintableString, "é".as_bytes()),
            bad("PrintableString")
        );
        assert_eq!(text(Tag::Ia5String, &[0xff]), bad("IA5String"));
    }

    #[test]
    fn teletex_is_latin1() {
        assert_eq!(
            text(Tag::T61String, b"Jos\xe9 M\xfcller").as_deref(),
            Ok("José Müller")
        );
    }

    #[test]
    fn bmp_is_utf16be() {
        assert_eq!(
            text(Tag::BmpString, &[0x9e, 0x7f, 0x5c, 0xf6]).as_deref(),
            Ok("鹿島")
        );
        // A surrogate pair (U+20BB7 𠮷, a name kanji outside the BMP) is taken.
        assert_eq!(
            text(Tag::BmpString, &[0xd8, 0x42, 0xdf, 0xb7]).as_deref(),
            Ok("𠮷")
        );
        assert_eq!(text(Tag::BmpString, &[0x9e, 0x7f, 0x5c]), bad("BMPString"));
        assert_eq!(text(Tag::BmpString, &[0xd8, 0x00]), bad("BMPString"));
    }

    #[test]
    fn universal_is_utf32be() {
        assert_eq!(
            text(
                Tag::UniversalString,
                &[0, 0, 0x9e, 0x7f, 0, 0x02, 0x0b, 0xb7]
            )
            .as_deref(),
            Ok("鹿𠮷")
        );
        assert_eq!(
            text(Tag::UniversalString, &[0, 0, 0x9e]),
            bad("UniversalString")
        );
        assert_eq!(
            text(Tag::UniversalString, &[0, 0x11, 0, 0]),
            bad("UniversalString")
        );
    }

    #[test]
    fn non_strings_are_refused() {
        assert_eq!(text(Tag::Integer, &[1]), bad("string"));
        let (_, tagged) = Any::from_der(&[0x80, 0x01, b'a']).expect("context-specific [0]");
        assert_eq!(decode(&tagged, "O"), bad("string"));
    }

    /// Found by `each_string_type_decodes_to_its_text_or_a_typed_error` (tests/hostile_input.rs): a
    /// constructed UTF8String (tag 2C) was read as if its pieces' TLVs were the text.
    #[test]
    fn constructed_strings_are_refused() {
        let (_, constructed) = Any::from_der(&[0x2c, 0x05, 0x0c, 0x03, b'a', b'b', b'c'])
            .expect("constructed UTF8String");
        assert_eq!(
            decode(&constructed, "CN"),
            Err(CertError::BadString {
                attribute: "CN".to_owned(),
                string_type: "string",
            })
        );
    }
}
