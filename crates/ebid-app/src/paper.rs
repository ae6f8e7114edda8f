//! 電子証明書更新確認 and 更新完了 on paper (some organizations ask for it): the workflow's sheets laid out as
//! ebid-pdf documents and written as PDF into the user's documents folder, from where they are printed or
//! filed. `EBID_PAPERS` names another folder (an administrator's shared one; a test's own).

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use ebid_pdf::{Block, Document, JapaneseFont, PdfError, Table, render};
use ebid_workflow::sheets::{Section, Sheet};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::macros::{format_description, offset};
use ts_rs::TS;

/// The environment variable naming the folder papers are written into.
pub const PAPERS_ENV: &str = "EBID_PAPERS";

/// Which paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    /// 電子証明書更新確認 (screen 9).
    Confirmation,
    /// 更新完了 (screen 10).
    Completion,
}

/// A paper written.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedPaper {
    /// Where the PDF is, to say on the screen.
    pub path: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error(
        "PDFを保存するフォルダが見つかりません。環境変数 {PAPERS_ENV} で保存先を指定してください。"
    )]
    NoFolder,
    #[error(
        "PDFを保存できません（{path}: {source}）。保存先のフォルダに書き込めるか確認してください。"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where papers go: `EBID_PAPERS`, else the user's documents folder, else the home folder.
pub fn papers_folder() -> Result<PathBuf, PaperError> {
    std::env::var_os(PAPERS_ENV)
        .map(PathBuf::from)
        .or_else(dirs::document_dir)
        .or_else(dirs::home_dir)
        .ok_or(PaperError::NoFolder)
}

/// Writes `sheet` as PDF into `folder`, named after the paper, the 調達機関 and the server's time
/// (`電子証明書更新確認_長崎県_20261202-1404.pdf`); an existing file is never overwritten.
pub fn write_paper(
    folder: &Path,
    sheet: &Sheet,
    organization: &str,
    at: OffsetDateTime,
    font: &JapaneseFont,
) -> Result<PathBuf, PaperError> {
    let pdf = render(&sheet_document(sheet), font)?;
    let stamp = at
        .to_offset(offset!(+9))
        .format(format_description!("[year][month][day]-[hour][minute]"))
        .unwrap_or_default();
    let stem = format!("{}_{}_{stamp}", sheet.title, file_safe(organization));
    let failed = |path: &Path, source| PaperError::Write {
        path: path.to_owned(),
        source,
    };
    fs::create_dir_all(folder).map_err(|e| failed(folder, e))?;
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.pdf")
        } else {
            format!("{stem}({n}).pdf")
        };
        let path = folder.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(&pdf).map_err(|e| failed(&path, e))?;
                tracing::info!(path = %path.display(), bytes = pdf.len(), "paper written");
                return Ok(path);
            }
            Err(error) if error.kind() == ErrorKind::AlreadyExists => n += 1,
            Err(error) => return Err(failed(&path, error)),
        }
    }
}

/// The sheet laid out: the heading lines, then each section; a table's first column is its labels, the
/// values share the rest of the width.
pub fn sheet_document(sheet: &Sheet) -> Document {
    let mut blocks = vec![Block::Paragraph(sheet.heading.join("\n"))];
    for section in &sheet.sections {
        match section {
            Section::Table { columns, rows } => {
                let values = rows
                    .iter()
                    .map(|row| row.values.len())
                    .chain([columns.len(), 1])
                    .max()
                    .unwrap_or(1);
                // A lone value column leaves the labels room for 「更新前の証明書シリアル番号」 on one line.
                let label_width = if values == 1 { 2.0 } else { 1.0 };
                let value_width = 3.0 / values as f32;
                blocks.push(Block::Table(Table {
                    widths: std::iter::once(label_width)
                        .chain(std::iter::repeat_n(value_width, values))
                        .collect(),
                    header: (!columns.is_empty()).then(|| {
                        std::iter::once(String::new())
                            .chain(columns.iter().cloned())
                            .collect()
                    }),
                    label_column: true,
                    rows: rows
                        .iter()
                        .map(|row| {
                            let mut cells = vec![row.label.clone()];
                            cells.extend(row.values.iter().cloned());
                            cells.resize(values + 1, String::new());
                            cells
                        })
                        .collect(),
                }));
            }
            Section::Sentences(sentences) => {
                blocks.extend(sentences.iter().cloned().map(Block::Paragraph));
            }
        }
    }
    Document {
        title: sheet.title.clone(),
        blocks,
    }
}

/// A name as part of a file name on every OS: the characters Windows forbids become `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || r#"<>:"/\|?*"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect()
}
