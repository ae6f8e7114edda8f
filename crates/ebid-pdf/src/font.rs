//! The Japanese face a PDF is written with, found among the PC's fonts when the PDF is made: nothing is
//! bundled (a Japanese face is 5–20 MB), and every PC that runs the app has one. Only the glyphs a document
//! uses are embedded (subset by krilla), so the file stays small whichever face was found.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use fontdb::{Database, Family, Language, Query, Style};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::PdfError;

/// The faces looked for, best first: Windows' (Yu Gothic from Windows 8.1, Meiryo from Vista, MS Gothic
/// before), macOS's (Hiragino), then Linux's usual packages. All sans-serif: a form is read, not typeset.
const PREFERRED: [&str; 11] = [
    "Yu Gothic",
    "Meiryo",
    "MS Gothic",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "TakaoGothic",
];

/// A face must draw these to be taken: kanji and kana of the papers. A Latin face with a Japanese name
/// record, or a damaged file, is passed over.
const PROBE: &str = "電子証明書更新確認御社の企業名称ください";

/// A face that draws Japanese, ready to be embedded.
#[derive(Clone)]
pub struct JapaneseFont {
    data: Arc<Vec<u8>>,
    index: u32,
    family: String,
    pdf: krilla::text::Font,
}

impl std::fmt::Debug for JapaneseFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JapaneseFont")
            .field("family", &self.family)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl JapaneseFont {
    /// The first of the usual Japanese faces installed on this PC, else any face with a Japanese name that
    /// draws Japanese. Scanning the system's fonts takes a moment: keep the font for the next PDF.
    pub fn find_system() -> Result<Self, PdfError> {
        let mut fonts = Database::new();
        fonts.load_system_fonts();
        Self::find_in(&fonts)
    }

    /// As [`JapaneseFont::find_system`], among the fonts of one folder (and its subfolders) only: a face
    /// shipped beside the program, or a test's folder.
    pub fn find_in_folder(folder: &Path) -> Result<Self, PdfError> {
        let mut fonts = Database::new();
        fonts.load_fonts_dir(folder);
        Self::find_in(&fonts)
    }

    /// The face at `index` of a font file's bytes (0 unless the file is a collection, `.ttc`).
    pub fn from_bytes(data: Vec<u8>, index: u32) -> Result<Self, PdfError> {
        let size = data.len();
        let not_a_font = || PdfError::NotAFont {
            name: format!("{size} バイト、{index} 番目の書体"),
        };
        let face = FontRef::from_index(&data, index).map_err(|_| not_a_font())?;
        let family = face
            .localized_strings(skrifa::string::StringId::FAMILY_NAME)
            .english_or_first()
            .map(|name| name.to_string())
            .unwrap_or_default();
        let data = Arc::new(data);
        let pdf = krilla::text::Font::new(krilla::Data::from(data.clone()), index)
            .ok_or_else(not_a_font)?;
        Ok(Self {
            data,
            index,
            family,
            pdf,
        })
    }

    /// The face's family name, as its file names it in English: 「Noto Sans CJK JP」.
    pub fn family(&self) -> &str {
        &self.family
    }

    fn find_in(fonts: &Database) -> Result<Self, PdfError> {
        let named = PREFERRED.iter().filter_map(|family| {
            fonts.query(&Query {
                families: &[Family::Name(family)],
                ..Query::default()
            })
        });
        let japanese_named = fonts
            .faces()
            .filter(|face| {
                face.style == Style::Normal
                    && face
                        .families
                        .iter()
                        .any(|(_, language)| *language == Language::Japanese_Japan)
            })
            .map(|face| face.id);
        // A face that cannot be read (removed since listed, not readable by this user) is passed over.
        named
            .chain(japanese_named)
            .filter_map(|id| fonts.with_face_data(id, |data, index| (data.to_vec(), index)))
            .filter_map(|(data, index)| Self::from_bytes(data, index).ok())
            .find(|font| font.draws(PROBE))
            .ok_or_else(|| PdfError::NoJapaneseFont {
                looked_for: PREFERRED.join(", "),
            })
    }

    fn draws(&self, text: &str) -> bool {
        self.glyphs_for(text.chars())
            .is_ok_and(|glyphs| text.chars().all(|c| glyphs.has(c)))
    }

    /// The glyph and advance of each of `chars`, and the face's vertical metrics.
    pub(crate) fn glyphs_for(&self, chars: impl Iterator<Item = char>) -> Result<Glyphs, PdfError> {
        let face = FontRef::from_index(&self.data, self.index).map_err(|_| PdfError::NotAFont {
            name: self.family.clone(),
        })?;
        let metrics = face.metrics(Size::unscaled(), LocationRef::default());
        let em = f32::from(metrics.units_per_em.max(1));
        let advances = face.glyph_metrics(Size::unscaled(), LocationRef::default());
        let charmap = face.charmap();
        let advance = |glyph| advances.advance_width(glyph).unwrap_or(em) / em;
        let chars: BTreeSet<char> = chars.collect();
        Ok(Glyphs {
            known: chars
                .into_iter()
                .filter_map(|c| {
                    let glyph = charmap.map(c)?;
                    Some((c, (glyph.to_u32(), advance(glyph))))
                })
                .collect(),
            missing_advance: advance(skrifa::GlyphId::NOTDEF),
            ascent: metrics.ascent / em,
            descent: metrics.descent / em,
        })
    }

    pub(crate) fn pdf_font(&self) -> krilla::text::Font {
        self.pdf.clone()
    }
}

/// The glyphs of one document's characters, measured in ems: what the layout wraps with is what is drawn.
#[derive(Debug, Clone)]
pub(crate) struct Glyphs {
    /// A character's glyph id and advance.
    pub(crate) known: HashMap<char, (u32, f32)>,
    /// A character the face lacks is drawn as its .notdef glyph (a box), and its text is still extractable.
    pub(crate) missing_advance: f32,
    /// Above the baseline, positive.
    pub(crate) ascent: f32,
    /// Below the baseline, negative.
    pub(crate) descent: f32,
}

impl Glyphs {
    pub(crate) fn has(&self, c: char) -> bool {
        self.known.contains_key(&c)
    }

    pub(crate) fn id(&self, c: char) -> u32 {
        self.known.get(&c).map_or(0, |&(id, _)| id)
    }

    pub(crate) fn advance(&self, c: char) -> f32 {
        self.known
            .get(&c)
            .map_or(self.missing_advance, |&(_, advance)| advance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pc_without_a_japanese_font_is_told_what_to_install() {
        let empty = tempfile::tempdir().unwrap();
        let error = JapaneseFont::find_in_folder(empty.path()).unwrap_err();
        assert!(matches!(error, PdfError::NoJapaneseFont { .. }));
        let message = error.to_string();
        assert!(
            message.contains("日本語のフォントが見つからない"),
            "{message}"
        );
        assert!(message.contains("Yu Gothic") && message.contains("Noto Sans CJK JP"));
    }

    #[test]
    fn bytes_that_are_no_font_are_refused() {
        let error = JapaneseFont::from_bytes(b"%PDF-1.7 not a font".to_vec(), 0).unwrap_err();
        assert!(matches!(error, PdfError::NotAFont { .. }), "{error:?}");
    }
}
