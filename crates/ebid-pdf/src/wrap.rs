//! Line breaking for Japanese mixed with Latin text: a line may break between any two Japanese characters,
//! never inside a Latin word or number unless the word alone is wider than the line (a long serial number),
//! never before closing punctuation nor after an opening bracket (the basic 禁則処理), and a `\n` always
//! breaks. The widths come from the caller, so that what is measured is what is drawn.

use std::ops::Range;

/// Characters a line must not start with: closing brackets and punctuation, small kana, the long vowel mark.
const NO_LINE_START: &str = "、。，．・：；？！ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ）〕］｝〉》」』】〙〗,.:;!?)]}%";
/// Characters a line must not end with: opening brackets.
const NO_LINE_END: &str = "（〔［｛〈《「『【〘〖([{";

/// The byte ranges of `text`'s lines, each at most `max_width` wide where a break allows it, with the spaces
/// at the breaks dropped. `width` gives one character's width in the same unit as `max_width`.
pub(crate) fn wrap(text: &str, max_width: f32, width: impl Fn(char) -> f32) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for paragraph in text.split('\n') {
        wrap_paragraph(paragraph, offset, max_width, &width, &mut lines);
        offset += paragraph.len() + 1;
    }
    lines
}

fn wrap_paragraph(
    text: &str,
    offset: usize,
    max_width: f32,
    width: &impl Fn(char) -> f32,
    lines: &mut Vec<Range<usize>>,
) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start = 0; // index into `chars` of the current line's first character
    let mut line_width = 0.0;
    let mut last_break: Option<usize> = None; // a break allowed before this index, after `start`
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if i > start && allows_break(chars[i - 1].1, c) {
            last_break = Some(i);
        }
        let w = width(c);
        if line_width + w > max_width && i > start && !c.is_whitespace() {
            // Break at the last opportunity, or inside a word too wide for any line.
            let at = last_break.unwrap_or(i);
            // (A break is never allowed before a space, so the next line starts with a character.)
            lines.push(trimmed(text, offset, &chars, start, at));
            start = at;
            last_break = None;
            line_width = chars[start..i].iter().map(|&(_, c)| width(c)).sum();
        }
        line_width += w;
        i += 1;
    }
    lines.push(trimmed(text, offset, &chars, start, chars.len()));
}

/// Whether a line may break between `before` and `after`.
fn allows_break(before: char, after: char) -> bool {
    if after.is_whitespace() || NO_LINE_START.contains(after) || NO_LINE_END.contains(before) {
        return false;
    }
    if before.is_whitespace() {
        return true;
    }
    // Inside a Latin word or number; anywhere next to a Japanese character.
    !(before.is_ascii() && after.is_ascii())
}

/// The byte range of `chars[from..to]` in the whole text, without trailing spaces.
fn trimmed(
    text: &str,
    offset: usize,
    chars: &[(usize, char)],
    from: usize,
    to: usize,
) -> Range<usize> {
    let byte = |index: usize| chars.get(index).map_or(text.len(), |&(at, _)| at);
    let line = &text[byte(from)..byte(to)];
    offset + byte(from)..offset + byte(from) + line.trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide.
    fn lines(text: &str, max: f32) -> Vec<&str> {
        wrap(text, max, |_| 1.0)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn japanese_breaks_between_any_two_characters() {
        assert_eq!(
            lines("御社の企業名称であること", 5.0),
            ["御社の企業", "名称である", "こと"]
        );
    }

    #[test]
    fn punctuation_stays_off_the_start_of_a_line() {
        // 「。」 would start the second line: the line breaks one character earlier instead.
        assert_eq!(lines("確認してください。", 8.0), ["確認してくださ", "い。"]);
        // An opening bracket never ends a line.
        assert_eq!(lines("更新「完了」", 3.0), ["更新", "「完", "了」"]);
    }

    #[test]
    fn latin_words_break_at_spaces_and_long_ones_anywhere() {
        assert_eq!(lines("Demo CA root", 8.0), ["Demo CA", "root"]);
        assert_eq!(lines("0123456789ABCDEF", 6.0), ["012345", "6789AB", "CDEF"]);
        assert_eq!(lines("番号 0123456789", 6.0), ["番号", "012345", "6789"]);
    }

    #[test]
    fn newlines_break_and_empty_lines_stay() {
        assert_eq!(lines("一行目\n\n三行目", 10.0), ["一行目", "", "三行目"]);
        assert_eq!(lines("", 10.0), [""]);
    }

    #[test]
    fn widths_decide_not_character_counts() {
        let text = "ABあいう";
        let wide = |c: char| if c.is_ascii() { 0.5 } else { 1.0 };
        let got: Vec<&str> = wrap(text, 2.0, wide)
            .into_iter()
            .map(|range| &text[range])
            .collect();
        assert_eq!(got, ["ABあ", "いう"]);
    }
}
