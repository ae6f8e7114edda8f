//! Company names (企業名称) compared as a clerk would.
//!
//! A clerk sees 「株式会社長崎土木」, 「㈱長崎土木」 and 「（株）長崎土木」 as one name, but the position of
//! the legal-entity mark is part of the name: 「株式会社長崎土木」 (前株) and 「長崎土木株式会社」 (後株) are
//! different companies. Romaji forms ("Co., Ltd.", "K.K.") are not mapped: another script is another name.

use crate::fold::nfkc_without_spaces;

/// Abbreviated legal-entity marks as they read after NFKC (which already turned 「㈱」 and 「（株）」 into
/// 「(株)」), each with the written-out form it stands for.
const MARKS: [(&str, &str); 5] = [
    ("(株)", "株式会社"),
    ("(有)", "有限会社"),
    ("(同)", "合同会社"),
    ("(資)", "合資会社"),
    ("(名)", "合名会社"),
];

/// The form two names are compared in: NFKC, no whitespace, and every abbreviated legal-entity mark written
/// out in place (so its position, 前株 or 後株, is kept).
pub fn normalize(name: &str) -> String {
    MARKS
        .iter()
        .fold(nfkc_without_spaces(name), |name, (short, long)| {
            name.replace(short, long)
        })
}

/// Whether two company names are the same company's name as a clerk reads them.
pub fn same_company(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_of_kabushiki_kaisha_is_one_name() {
        let forms = [
            "株式会社長崎土木",
            "㈱長崎土木",
            "(株)長崎土木",
            "（株）長崎土木",
            "株式会社　長崎土木",
            "株式会社 長崎土木",
            " ( 株 ) 長崎土木 ",
        ];
        for form in forms {
            assert_eq!(normalize(form), "株式会社長崎土木", "{form}");
            assert!(same_company(forms[0], form), "{form}");
        }
    }

    #[test]
    fn widths_do_not_count() {
        assert!(same_company("ＡＢＣ建設株式会社", "ABC建設株式会社"));
        assert!(same_company("ＡＢＣ建設㈱", "ABC建設株式会社"));
        assert!(same_company("第１建設㈲", "第1建設有限会社"));
        assert!(same_company("ﾅｶﾞｻｷ建設(株)", "ナガサキ建設株式会社"));
    }

    #[test]
    fn other_legal_entity_marks() {
        assert!(same_company("㈲長崎土木", "有限会社長崎土木"));
        assert!(same_company("（有）長崎土木", "有限会社長崎土木"));
        assert!(same_company("(同)長崎土木", "合同会社長崎土木"));
        assert!(same_company("長崎土木（資）", "長崎土木合資会社"));
        assert!(same_company("㈴長崎土木", "合名会社長崎土木"));
    }

    #[test]
    fn position_of_the_mark_matters() {
        assert!(!same_company("株式会社長崎土木", "長崎土木株式会社"));
        assert!(!same_company("㈱長崎土木", "長崎土木㈱"));
    }

    #[test]
    fn different_names_differ() {
        assert!(!same_company("株式会社長崎土木", "有限会社長崎土木"));
        assert!(!same_company("株式会社長崎土木", "合同会社長崎土木"));
        assert!(!same_company("株式会社長崎土木", "株式会社長崎土本"));
        assert!(!same_company("株式会社長崎土木", "長崎土木"));
    }

    #[test]
    fn zero_width_and_bidi_controls_are_not_seen() {
        assert!(same_company("株式会社長崎土木", "株式会社長崎\u{200B}土木"));
        assert!(same_company(
            "\u{202E}株式会社長崎土木\u{202C}",
            "(株)長崎土木"
        ));
        assert!(!same_company(
            "株式会社長崎土木",
            "株式会社\u{2066}長崎\u{2069}建設"
        ));
    }

    #[test]
    fn romaji_marks_are_not_mapped() {
        assert!(!same_company(
            "Nagasaki Doboku Co., Ltd.",
            "株式会社長崎土木"
        ));
        assert!(!same_company(
            "Nagasaki Doboku K.K.",
            "Nagasaki Doboku Co., Ltd."
        ));
    }
}
