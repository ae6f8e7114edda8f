//! Characters that change how text looks without being seen: zero-width characters and bidirectional
//! controls. A certificate's names could hide them: 「株式会社長崎\u{200B}土木」 looks exactly like the
//! registered name, and U+202E shows what follows it reversed. Text read from a certificate never keeps them
//! (so what the user sees is what the server compares), and name comparisons drop them on both sides.
//!
//! An explicit list rather than all of Unicode's format characters (category Cf): the others (Arabic number
//! signs, Egyptian hieroglyph controls, interlinear annotation, …) are visible or structural in the scripts
//! that use them, and none of these lists is in a dependency the workspace already has.

/// Whether `c` is a zero-width character or a bidirectional control.
pub fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        // SOFT HYPHEN: shown only at a line break.
        '\u{00AD}'
        // ARABIC LETTER MARK, MONGOLIAN VOWEL SEPARATOR: bidi and shaping marks with no glyph.
        | '\u{061C}'
        | '\u{180E}'
        // ZERO WIDTH SPACE, NON-JOINER, JOINER, LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK.
        | '\u{200B}'..='\u{200F}'
        // LRE, RLE, PDF, LRO, RLO: embeddings and overrides.
        | '\u{202A}'..='\u{202E}'
        // WORD JOINER and the invisible operators.
        | '\u{2060}'..='\u{2064}'
        // LRI, RLI, FSI, PDI: isolates.
        | '\u{2066}'..='\u{2069}'
        // ZERO WIDTH NO-BREAK SPACE (a byte order mark inside text).
        | '\u{FEFF}'
    )
}

/// `text` without its zero-width characters and bidirectional controls.
pub fn strip_invisible(text: &str) -> String {
    text.chars().filter(|&c| !is_invisible_control(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_and_bidi_controls_go_and_nothing_else() {
        assert_eq!(
            strip_invisible("株式会社\u{200B}長崎\u{202E}土木\u{2066}\u{FEFF}"),
            "株式会社長崎土木"
        );
        // Ideographic space, kana and ASCII punctuation are visible text.
        assert_eq!(
            strip_invisible("長崎\u{3000}太郎 (株)"),
            "長崎\u{3000}太郎 (株)"
        );
    }
}
