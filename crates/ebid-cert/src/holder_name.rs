//! Person names (ICカード取得者氏名) compared as a clerk would.

use crate::fold::nfkc_without_spaces;

/// Whether two holder names are the same person's name as written: equal after NFKC with all whitespace
/// removed, so 「長崎　太郎」, 「長崎 太郎」 and 「長崎太郎」 are one name. Old and new forms of a kanji
/// (「髙」 and 「高」) stay different: the CA registered one of them.
pub fn holder_equal(a: &str, b: &str) -> bool {
    nfkc_without_spaces(a) == nfkc_without_spaces(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_and_widths_do_not_count() {
        assert!(holder_equal("長崎　太郎", "長崎太郎"));
        assert!(holder_equal("長崎 太郎", " 長崎太郎 "));
        assert!(holder_equal("ＮＡＧＡＳＡＫＩ Ｔａｒｏ", "NAGASAKITaro"));
        assert!(holder_equal("ﾅｶﾞｻｷ ﾀﾛｳ", "ナガサキタロウ"));
    }

    #[test]
    fn different_names_differ() {
        assert!(!holder_equal("長崎太郎", "長崎次郎"));
        assert!(!holder_equal("髙橋一郎", "高橋一郎"));
        assert!(!holder_equal("長崎太郎", ""));
    }
}
