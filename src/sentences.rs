//! Korean sentence splitting.
//!
//! Sentences are spans of the input: splitting never changes or drops a
//! character, and the sentences plus the whitespace between them are the
//! whole input.

use std::ops::Range;

use crate::normalize::{CharCounter, analysis_view};
use crate::tokenize::{Morpheme, Pos};

/// One sentence: a span of the document and the morphemes inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Position in the document's sentence list.
    pub index: usize,
    /// Char offsets into the document, half-open.
    pub start: usize,
    pub end: usize,
    /// Byte offsets into the document, half-open.
    pub byte_start: usize,
    pub byte_end: usize,
    /// Indices into the document's morpheme list.
    pub morphemes: Range<usize>,
}

impl Sentence {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Splits `text` (analysed into `morphemes`) into sentences.
pub fn split(text: &str, morphemes: &[Morpheme]) -> Vec<Sentence> {
    let view = analysis_view(text);
    let mut ends = Vec::new();
    for (i, m) in morphemes.iter().enumerate() {
        let next_starts_line = morphemes
            .get(i + 1)
            .is_none_or(|next| view[m.byte_end..next.byte_start].contains('\n'));
        if m.pos == Pos::SF && morphemes.get(i + 1).is_none_or(|next| next.pos != Pos::SF)
            || next_starts_line
        {
            ends.push(m.byte_end);
        }
    }
    spans_from_ends(text, morphemes, &ends)
}

/// One sentence per non-blank line, for input that is already split.
pub fn from_lines(text: &str, morphemes: &[Morpheme]) -> Vec<Sentence> {
    let view = analysis_view(text);
    let mut ends = Vec::new();
    let mut offset = 0;
    for line in view.split_inclusive('\n') {
        let content = line.trim_end();
        if !content.trim().is_empty() {
            ends.push(offset + content.len());
        }
        offset += line.len();
    }
    spans_from_ends(text, morphemes, &ends)
}

/// Builds sentences ending at the given byte offsets: each starts at the first
/// non-whitespace char after the previous end.
fn spans_from_ends(text: &str, morphemes: &[Morpheme], ends: &[usize]) -> Vec<Sentence> {
    let view = analysis_view(text);
    let mut chars = CharCounter::new(text);
    let mut sentences = Vec::with_capacity(ends.len());
    let mut previous_end = 0;
    let mut next_morpheme = 0;
    for &end in ends {
        let skipped = view[previous_end..end].len() - view[previous_end..end].trim_start().len();
        let mut start = previous_end + skipped;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        if start >= end {
            continue;
        }
        let first = next_morpheme;
        while next_morpheme < morphemes.len() && morphemes[next_morpheme].byte_end <= end {
            next_morpheme += 1;
        }
        let char_start = chars.char_offset(start);
        let char_end = chars.char_offset(end);
        sentences.push(Sentence {
            index: sentences.len(),
            start: char_start,
            end: char_end,
            byte_start: start,
            byte_end: end,
            morphemes: first..next_morpheme,
        });
        previous_end = end;
    }
    sentences
}
