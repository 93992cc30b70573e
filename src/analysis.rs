//! The whole pipeline for one document: [`Analyzer`] holds what is loaded
//! once (dictionary, term lists, background statistics) and turns a text into
//! a [`Document`] (morphemes and sentences), which the keyword, summary and
//! entity stages read.

use crate::error::Result;
use crate::sentences::{self, Sentence};
use crate::tokenize::{Morpheme, Tokenizer, TokenizerConfig};

/// How sentences are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SentenceMode {
    /// kosum's Korean sentence splitter.
    #[default]
    Split,
    /// The input is already split, one sentence per line.
    PerLine,
}

/// What an [`Analyzer`] is built from.
#[derive(Debug, Clone, Default)]
pub struct AnalyzerConfig {
    pub tokenizer: TokenizerConfig,
}

/// Loaded resources, shared by all documents (and threads).
pub struct Analyzer {
    tokenizer: Tokenizer,
}

/// A document analysed into morphemes and sentences.
#[derive(Debug, Clone)]
pub struct Document<'t> {
    /// The text as read (offsets point into it).
    pub text: &'t str,
    pub morphemes: Vec<Morpheme>,
    pub sentences: Vec<Sentence>,
}

impl Analyzer {
    pub fn new(config: &AnalyzerConfig) -> Result<Self> {
        Ok(Self {
            tokenizer: Tokenizer::new(&config.tokenizer)?,
        })
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Tokenizes and splits `text`.
    pub fn document<'t>(&self, text: &'t str, mode: SentenceMode) -> Result<Document<'t>> {
        let morphemes = self.tokenizer.tokenize(text)?;
        let sentences = match mode {
            SentenceMode::Split => sentences::split(text, &morphemes),
            SentenceMode::PerLine => sentences::from_lines(text, &morphemes),
        };
        Ok(Document {
            text,
            morphemes,
            sentences,
        })
    }
}
