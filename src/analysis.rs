//! The whole pipeline for one document: [`Analyzer`] holds what is loaded
//! once (dictionary, term lists, background statistics) and turns a text into
//! a [`Document`] (morphemes and sentences), which the keyword, summary and
//! entity stages read.

use crate::addresses::{self, Address};
use crate::entities::{self, Entity, Gazetteer};
use std::borrow::Cow;

use crate::error::Result;
use crate::keywords::{self, Keyword, KeywordOptions};
use crate::normalize;
use crate::scoring::{self, Idf};
use crate::sections::{self, Merger};
use crate::sentences::{self, Sentence};
use crate::summary::{self, SummaryMethod, SummaryOptions, SummarySentence};
use crate::tokenize::{Morpheme, Tokenizer, TokenizerConfig};
use foldhash::HashSet;

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

impl Request {
    /// How many keywords the keyword stage ranks (0: it does not run). A
    /// summary that weighs sentences by the keywords they cover needs the
    /// stage too, with at least the default ten.
    pub fn keyword_stage_size(&self) -> usize {
        let wanted = self.keywords.unwrap_or(0);
        if self.summary.is_some() && self.summary_keyword_weight > 0.0 {
            wanted.max(KeywordOptions::default().top)
        } else {
            wanted
        }
    }
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
    /// The web addresses of the text (in the view), found once for the
    /// splitter, the keyword candidates and the entities.
    pub addresses: Vec<Address>,
    /// Empty for a text analysed in sections (see [`Analyzer::analyze`]).
    pub morphemes: Vec<Morpheme>,
    pub sentences: Vec<Sentence>,
}

impl Document<'_> {
    /// Room for the distinct terms a stage may meet in this document: about
    /// one new term in four morphemes, so that the tables the keyword and
    /// summary stages fill per term seldom grow.
    pub fn term_room(&self) -> usize {
        self.morphemes.len() / 4
    }
}

/// Builds now, once per process, what analysing with `request` and `idf`
/// otherwise builds on first use and no [`Analyzer`] holds: the compiled
/// address patterns (every analysis finds addresses), the byline and
/// section-label patterns (when the keyword stage runs), and the background
/// table's row starts (when a stage weighs terms by the default IDF; 1.9 M
/// instructions). A caller with a spare core runs it on another thread
/// while [`Analyzer::new`] loads the dictionary, so the first document does
/// not wait for it.
pub fn warm_up(request: &Request, idf: &Idf) {
    crate::addresses::warm_up();
    let keywords = request.keyword_stage_size() > 0;
    if keywords {
        crate::candidates::warm_up();
    }
    if matches!(idf, Idf::Background) && (keywords || request.summary.is_some()) {
        crate::resources::Background::builtin();
    }
}

impl Analyzer {
    pub fn new(config: &AnalyzerConfig) -> Result<Self> {
        let terms = config.tokenizer.terms();
        Ok(Self {
            tokenizer: Tokenizer::with_terms(&terms)?,
            gazetteer: Gazetteer::new(&terms)?,
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
        self.document_in_view(text, normalize::analysis_view(text), mode)
    }

    /// [`Analyzer::document`] for a caller that holds `view`, the
    /// [`normalize::analysis_view`] of `text` (a section's slice of a long
    /// text's view).
    fn document_in_view<'t>(
        &self,
        text: &'t str,
        view: Cow<'t, str>,
        mode: SentenceMode,
    ) -> Result<Document<'t>> {
        let morphemes = self.tokenizer.tokenize_view(text, &view)?;
        let addresses = addresses::find(&view);
        let sentences = match mode {
            SentenceMode::Split => sentences::split(text, &view, &morphemes, &addresses),
            SentenceMode::PerLine => sentences::from_lines(text, &view, &morphemes),
        };
        Ok(Document {
            text,
            view,
            addresses,
            morphemes,
            sentences,
        })
    }
}

impl Analyzer {
    /// Runs the requested stages on `text`. Texts longer than twice
    /// [`sections::SECTION_BYTES`] are analysed section by section (see
    /// [`sections`]), so memory stays bounded; their [`Document`] then holds
    /// the sentences but no morphemes.
    pub fn analyze<'t>(&self, text: &'t str, request: &Request) -> Result<Analysis<'t>> {
        if sections::is_long(text) {
            self.analyze_in_sections(text, request)
        } else {
            self.analyze_whole(text, request)
        }
    }

    fn analyze_whole<'t>(&self, text: &'t str, request: &Request) -> Result<Analysis<'t>> {
        let document = self.document(text, request.sentence_mode)?;
        Ok(self.analyze_document(document, request))
    }

    /// Runs the requested stages on an analysed document.
    fn analyze_document<'t>(&self, document: Document<'t>, request: &Request) -> Analysis<'t> {
        let entities = if request.entities {
            entities::extract(&document, &self.gazetteer)
        } else {
            Vec::new()
        };
        let top = request.keyword_stage_size();
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
        keywords.truncate(request.keywords.unwrap_or(0));
        Analysis {
            document,
            summary,
            keywords,
            entities,
        }
    }
}

impl Analyzer {
    /// The distinct candidate words of `text`, for learning IDF from a
    /// corpus ([`crate::scoring::IdfBuilder::add_terms`]); long texts are
    /// read in sections, like [`Analyzer::analyze`] reads them.
    pub fn idf_terms(&self, text: &str) -> Result<Vec<String>> {
        if !sections::is_long(text) {
            let document = self.document(text, SentenceMode::Split)?;
            return Ok(scoring::candidate_terms(&document));
        }
        let mut terms = HashSet::default();
        self.for_each_section(text, SentenceMode::Split, |document| {
            terms.extend(scoring::candidate_terms(&document));
        })?;
        Ok(terms.into_iter().collect())
    }

    /// Analyses a long `text` section by section (see [`sections`]) into
    /// documents handed to `each` in order, and returns the text's analysis
    /// view: computed once for the whole text, each section reads its slice.
    fn for_each_section<'t>(
        &self,
        text: &'t str,
        mode: SentenceMode,
        mut each: impl FnMut(Document<'_>),
    ) -> Result<Cow<'t, str>> {
        let view = normalize::analysis_view(text);
        for range in sections::cut(text, sections::SECTION_BYTES) {
            let section_view = Cow::Borrowed(&view[range.clone()]);
            each(self.document_in_view(&text[range], section_view, mode)?);
        }
        Ok(view)
    }

    fn analyze_in_sections<'t>(&self, text: &'t str, request: &Request) -> Result<Analysis<'t>> {
        // Each section keeps more keywords than asked for, so that a term
        // that matters across the document but ranks lower in some sections
        // still adds up.
        let section_request = Request {
            keywords: request.keywords.map(|top| (top * 3).max(30)),
            ..request.clone()
        };
        let mut merger = Merger::new(text.len());
        let view = self.for_each_section(text, request.sentence_mode, |document| {
            merger.add(self.analyze_document(document, &section_request));
        })?;
        let summary = match request.summary {
            Some(length) => self.rank_finalists(text, &merger, length, request)?,
            None => Vec::new(),
        };
        let keywords = merger.keywords(request.keywords.unwrap_or(0));
        let (sentences, addresses, entities) = merger.finish();
        Ok(Analysis {
            document: Document {
                text,
                view,
                addresses,
                morphemes: Vec::new(),
                sentences,
            },
            summary,
            keywords,
            entities,
        })
    }

    /// The summary of a sectioned document: the sections' picks ranked again
    /// together (or, if even they are too long for one piece, kept as they are).
    fn rank_finalists(
        &self,
        text: &str,
        merger: &Merger,
        length: SummaryLength,
        request: &Request,
    ) -> Result<Vec<SummarySentence>> {
        let finalists = merger.finalists();
        let kept = || {
            finalists
                .iter()
                .map(|&(index, score)| SummarySentence { index, score })
                .collect()
        };
        let lines = sections::finalist_lines(text, merger.sentences(), finalists);
        if sections::is_long(&lines) {
            return Ok(kept());
        }
        let ranked = self.analyze_whole(
            &lines,
            &Request {
                sentence_mode: SentenceMode::PerLine,
                summary: Some(sections::final_length(length, merger.sentences().len())),
                keywords: None,
                entities: false,
                ..request.clone()
            },
        )?;
        Ok(
            sections::map_final(&ranked.summary, finalists, ranked.document.sentences.len())
                .unwrap_or_else(kept),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyword_stage_runs_for_keywords_and_for_keyword_weighted_summaries() {
        assert_eq!(Request::default().keyword_stage_size(), 10);
        let entities_only = Request {
            summary: None,
            keywords: None,
            ..Request::default()
        };
        assert_eq!(entities_only.keyword_stage_size(), 0);
        let three = Request {
            keywords: Some(3),
            ..entities_only.clone()
        };
        assert_eq!(three.keyword_stage_size(), 3);
        let weighted_summary = Request {
            summary: Some(SummaryLength::default()),
            summary_keyword_weight: 0.3,
            ..entities_only.clone()
        };
        assert_eq!(weighted_summary.keyword_stage_size(), 10);
        let plain_summary = Request {
            summary_keyword_weight: 0.0,
            ..weighted_summary
        };
        assert_eq!(plain_summary.keyword_stage_size(), 0);
    }
}
