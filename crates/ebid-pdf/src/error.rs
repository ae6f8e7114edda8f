//! What making a PDF can fail with, in words the user can act on: the common case is a PC without a Japanese
//! font, which the user can fix by installing one.

use std::path::PathBuf;

/// Why no PDF could be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// None of the Japanese faces Windows, macOS or Linux ship was found, nor any other face with a
    /// Japanese name that draws Japanese text.
    #[error(
        "日本語のフォントが見つからないため、PDFを作成できません（探したフォント: {looked_for}）。日本語のフォント（Linuxでは Noto Sans CJK JP や IPAexゴシック）をインストールしてから、もう一度お試しください。"
    )]
    NoJapaneseFont { looked_for: String },
    /// The font file was listed but could not be read (removed, or not readable by this user).
    #[error("フォントファイル {path} を読み込めませんでした。")]
    UnreadableFont { path: PathBuf },
    /// The bytes given as a font are not one, or the collection has no face at that index.
    #[error("フォントとして読めないデータです（{name}）。")]
    NotAFont { name: String },
    /// A table row with another number of cells than the table has columns: drawing it would drop text.
    #[error("表の行のセルの数 {found} が、列の数 {columns} と合いません。")]
    RaggedTable { columns: usize, found: usize },
    /// The PDF writer refused (a font it cannot embed, a limit of the format).
    #[error("PDFを書き出せませんでした（{0}）。")]
    Write(String),
}
