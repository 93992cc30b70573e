//! The whole pipeline for one document: [`Analyzer`] holds what is loaded
//! once (dictionary, term lists, background statistics) and turns a text into
//! a [`Document`] (morphemes and sentences), which the keyword, summary and
//! entity stages read.

use crate::entities::{self, Entity, Gazetteer};
use std::borrow::Cow;

use crate::error::Result;
use crate::keywords::{self, Keyword, KeywordOptions};
use crate::normalize;
use crate::scoring::Idf;
use crate::sentences::{self, Sentence};
use crate::summary::{self, SummaryMethod, SummaryOptions, SummarySentence};
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

/// How long a summary should be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SummaryLength {
    /// This many sentences (`-n`).
    Sentences(usize),
    /// This share of the document's sentences, at least one (`--ratio`).
    Ratio(f64),
    /// As many top sentences as fit in this many chars (`--max-chars`).
    MaxChars(usize),
}

impl Default for SummaryLength {
    fn default() -> Self {
        SummaryLength::Sentences(3)
    }
}

/// Which stages to run on a document, and their sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub sentence_mode: SentenceMode,
    /// Run the summary stage with this length.
    pub summary: Option<SummaryLength>,
    /// How summary sentences are ranked.
    pub summary_method: SummaryMethod,
    /// Weight of keyword coverage in the summary (see
    /// [`SummaryOptions::keyword_weight`]; 0 turns it off).
    pub summary_keyword_weight: f64,
    /// Run the keyword stage, keeping this many.
    pub keywords: Option<usize>,
    /// Run the entity stage.
    pub entities: bool,
}

impl Default for Request {
    /// Everything, with the interface's default sizes.
    fn default() -> Self {
        Self {
            sentence_mode: SentenceMode::Split,
            summary: Some(SummaryLength::default()),
            summary_method: SummaryMethod::default(),
            summary_keyword_weight: 0.0,
            keywords: Some(10),
            entities: true,
        }
    }
}

/// Everything kosum found in one document.
#[derive(Debug, Clone)]
pub struct Analysis<'t> {
    pub document: Document<'t>,
    /// Chosen sentences in document order (empty if not requested).
    pub summary: Vec<SummarySentence>,
    /// Best first (empty if not requested).
    pub keywords: Vec<Keyword>,
    /// In order of first mention (empty if not requested).
    pub entities: Vec<Entity>,
}

/// What an [`Analyzer`] is built from.
#[derive(Debug, Clone, Default)]
pub struct AnalyzerConfig {
    pub tokenizer: TokenizerConfig,
    /// Term weights for keywords and summaries: general Korean statistics by
    /// default, or document frequencies from `kosum idf build` / the batch.
    pub idf: Idf,
}

/// Loaded resources, shared by all documents (and threads).
pub struct Analyzer {
    tokenizer: Tokenizer,
    gazetteer: Gazetteer,
    idf: Idf,
}

/// A document analysed into morphemes and sentences.
#[derive(Debug, Clone)]
pub struct Document<'t> {
    /// The text as read (offsets point into it).
    pub text: &'t str,
    /// [`normalize::analysis_view`] of `text`, computed once for all stages
    /// (same byte layout as `text`).
    pub view: Cow<'t, str>,
    pub morphemes: Vec<Morpheme>,
    pub sentences: Vec<Sentence>,
}

impl Analyzer {
    pub fn new(config: &AnalyzerConfig) -> Result<Self> {
        Ok(Self {
            tokenizer: Tokenizer::new(&config.tokenizer)?,
            gazetteer: Gazetteer::new(&config.tokenizer.terms())?,
            idf: config.idf.clone(),
        })
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The term weights in use.
    pub fn idf(&self) -> &Idf {
        &self.idf
    }

    /// The entity gazetteer (our terms plus the user's).
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Tokenizes and splits `text`.
    pub fn document<'t>(&self, text: &'t str, mode: SentenceMode) -> Result<Document<'t>> {
        let view = normalize::analysis_view(text);
        let morphemes = self.tokenizer.tokenize_view(text, &view)?;
        let sentences = match mode {
            SentenceMode::Split => sentences::split(text, &view, &morphemes),
            SentenceMode::PerLine => sentences::from_lines(text, &view, &morphemes),
        };
        Ok(Document {
            text,
            view,
            morphemes,
            sentences,
        })
    }
}

impl Analyzer {
    /// Runs the requested stages on `text`.
    pub fn analyze<'t>(&self, text: &'t str, request: &Request) -> Result<Analysis<'t>> {
        let document = self.document(text, request.sentence_mode)?;
        let entities = if request.entities {
            entities::extract(&document, &self.gazetteer)
        } else {
            Vec::new()
        };
        // A summary that weighs sentences by the keywords they cover needs
        // the keyword stage too (at least the default ten).
        let wanted = request.keywords.unwrap_or(0);
        let top = if request.summary.is_some() && request.summary_keyword_weight > 0.0 {
            wanted.max(KeywordOptions::default().top)
        } else {
            wanted
        };
        let mut keywords = if top > 0 {
            keywords::extract(
                &document,
                &self.idf,
                &KeywordOptions {
                    top,
                    ..KeywordOptions::default()
                },
            )
        } else {
            Vec::new()
        };
        let summary = match request.summary {
            Some(length) => summary::summarize(
                &document,
                &keywords,
                &self.idf,
                &SummaryOptions {
                    length,
                    method: request.summary_method,
                    keyword_weight: request.summary_keyword_weight,
                },
            ),
            None => Vec::new(),
        };
        keywords.truncate(wanted);
        Ok(Analysis {
            document,
            summary,
            keywords,
            entities,
        })
    }
}
