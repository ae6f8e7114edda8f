//! Where a command's running commentary goes (the server's time, the card shown before its PIN, the
//! prompts): standard output, or standard error when standard output carries `--json`, so that a script
//! reads the JSON alone and the user still sees the card and its tries left before typing a PIN.

use std::fmt::Display;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narration {
    Stdout,
    Stderr,
}

impl Narration {
    /// Standard error when standard output is for JSON.
    pub fn beside_json(json: bool) -> Self {
        if json { Self::Stderr } else { Self::Stdout }
    }

    pub fn line(self, text: impl Display) {
        match self {
            Self::Stdout => println!("{text}"),
            Self::Stderr => eprintln!("{text}"),
        }
    }
}
