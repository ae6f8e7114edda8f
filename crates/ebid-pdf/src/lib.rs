//! Papers as PDF: a [`Document`] (a title, paragraphs, tables of wrapped text columns) rendered on A4
//! portrait with a Japanese face found on the PC ([`JapaneseFont::find_system`]), embedded as a subset so
//! that the file is small and its text real (selectable, searchable, extractable).
//!
//! Some organizations ask for 電子証明書更新確認 and 更新完了 on paper; the app saves them as PDF, which
//! every PC can print. The papers' words are the workflow's (`ebid_workflow::sheets`); this crate knows
//! nothing of them, nor of any other ebid crate, so the server never links it and its layout can serve any
//! paper.

mod error;
mod font;
mod layout;
mod model;
mod render;
mod wrap;

pub use error::PdfError;
pub use font::JapaneseFont;
pub use model::{Block, Document, Table};
pub use render::render;
