//! The first step of every name comparison: what a clerk does not see as a difference.

use unicode_normalization::UnicodeNormalization;

use crate::invisible::is_invisible_control;

/// NFKC (full-width letters and digits become half-width, half-width katakana full-width, 「㈱」 becomes
/// 「(株)」), then every whitespace character dropped, U+3000 included: a clerk does not count spaces. Zero-width
/// characters and bidirectional controls go too: a clerk cannot see them (and the registered side may come
/// from a form, not a certificate).
///
/// NFKC runs again after the spaces are gone: a space kept a letter and a combining mark apart (「ｶ ﾞ」, or
/// 「¨」, which NFKC writes as a space and a mark), and without it they compose (「ガ」), so that the result
/// is one canonical form, the same whether or where spaces were typed.
pub(crate) fn nfkc_without_spaces(text: &str) -> String {
    text.nfkc()
        .filter(|&c| !c.is_whitespace() && !is_invisible_control(c))
        .collect::<String>()
        .nfkc()
        .collect()
}
