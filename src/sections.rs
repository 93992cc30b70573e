//! Very long documents, analysed in sections so that memory stays bounded.
//!
//! A document's morphemes take several times its size in memory, and the
//! keyword and entity stages keep per-morpheme tables beside them, so a
//! 50 MB text analysed in one piece would need gigabytes. [`cut`] divides a
//! long text into sections of at most [`SECTION_BYTES`], preferring line
//! breaks, then sentence ends, then any space; [`Merger`] runs the ordinary
//! pipeline on one section at a time and keeps only the small results:
//! sentences (offsets shifted into the whole text), entity mentions, the
//! sections' best keywords and summary candidates. The final summary is
//! ranked again over all sections' candidates together.
//!
//! Peak memory is then one section's analysis plus the text and those
//! results, whatever the document's length.

use std::ops::Range;

use foldhash::HashMap;

use crate::addresses::Address;
use crate::analysis::{Analysis, SummaryLength};
use crate::entities::{Entity, EntityType, Mention};
use crate::keywords::Keyword;
use crate::sentences::{self, Sentence};
use crate::summary::SummarySentence;

/// The largest section analysed in one piece, in bytes (about 350,000
/// Korean characters). Documents up to twice this size are analysed whole.
pub const SECTION_BYTES: usize = 1 << 20;

/// Whether `text` is long enough to be analysed in sections.
pub fn is_long(text: &str) -> bool {
    text.len() > 2 * SECTION_BYTES
}

/// Byte ranges of `text`, in order, covering it exactly, each at most
/// `limit` bytes long (or one char, if a single char were longer). A section
/// ends after the last line break of its second half, or else after the last
/// space that follows sentence-final punctuation there, or else after the
/// last space there, or else at the limit.
pub fn cut(text: &str, limit: usize) -> Vec<Range<usize>> {
    let limit = limit.max(8);
    let mut sections = Vec::new();
    let mut start = 0;
    while text.len() - start > limit {
        let window_end = floor_boundary(text, start + limit);
        let window_start = floor_boundary(text, start + limit / 2);
        let window = &text[window_start..window_end];
        let after = |(i, c): (usize, char)| window_start + i + c.len_utf8();
        let cut = window
            .char_indices()
            .rev()
            .find(|&(_, c)| c == '\n')
            .map(after)
            .or_else(|| {
                let mut previous_is_end = false;
                let mut found = None;
                for (i, c) in window.char_indices() {
                    if c.is_whitespace() && previous_is_end {
                        found = Some((i, c));
                    }
                    previous_is_end = sentences::is_sentence_tail(c);
                }
                found.map(after)
            })
            .or_else(|| {
                window
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| c.is_whitespace())
                    .map(after)
            })
            .unwrap_or(window_end);
        // A char longer than the whole window cannot happen for limit >= 8,
        // but never loop without progress.
        let cut = if cut > start {
            cut
        } else {
            (start + 1..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len())
        };
        sections.push(start..cut);
        start = cut;
    }
    sections.push(start..text.len());
    sections
}

/// The char boundary at or before `index` (`str::floor_char_boundary` is
/// newer than kosum's minimum Rust version).
fn floor_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Accumulates the results of consecutive sections of one document.
#[derive(Debug, Default)]
pub struct Merger {
    /// The whole document's length in bytes (keyword scores are weighted by
    /// each section's share of it).
    total_bytes: usize,
    /// Bytes and chars of the sections merged so far.
    byte_base: usize,
    char_base: usize,
    sentences: Vec<Sentence>,
    addresses: Vec<Address>,
    /// Summary candidates: (sentence index in the whole text, section score).
    finalists: Vec<(usize, f64)>,
    /// Keywords by lowercased text, with their weighted score.
    keywords: Vec<Keyword>,
    keyword_index: HashMap<String, usize>,
    entities: Vec<Entity>,
    entity_index: HashMap<(EntityType, String), usize>,
}

impl Merger {
    /// A merger for a document of `total_bytes` bytes.
    pub fn new(total_bytes: usize) -> Self {
        Self {
            total_bytes,
            ..Self::default()
        }
    }

    /// Adds the analysis of the next section.
    pub fn add(&mut self, analysis: Analysis<'_>) {
        let (byte_base, char_base) = (self.byte_base, self.char_base);
        let sentence_base = self.sentences.len();
        let section_bytes = analysis.document.text.len();
        let section_chars = analysis.document.text.chars().count();
        let weight = section_bytes as f64 / self.total_bytes.max(1) as f64;
        self.sentences
            .extend(analysis.document.sentences.into_iter().map(|s| Sentence {
                index: s.index + sentence_base,
                start: s.start + char_base,
                end: s.end + char_base,
                byte_start: s.byte_start + byte_base,
                byte_end: s.byte_end + byte_base,
                morphemes: 0..0,
            }));
        self.addresses
            .extend(analysis.document.addresses.into_iter().map(|a| Address {
                span: a.span.start + byte_base..a.span.end + byte_base,
                kind: a.kind,
            }));
        self.finalists.extend(
            analysis
                .summary
                .iter()
                .map(|chosen| (chosen.index + sentence_base, chosen.score)),
        );
        for keyword in analysis.keywords {
            let key = keyword.text.to_lowercase();
            match self.keyword_index.get(&key) {
                Some(&at) => {
                    let kept = &mut self.keywords[at];
                    kept.score += keyword.score * weight;
                    kept.count += keyword.count;
                }
                None => {
                    self.keyword_index.insert(key, self.keywords.len());
                    self.keywords.push(Keyword {
                        score: keyword.score * weight,
                        start: keyword.start + char_base,
                        end: keyword.end + char_base,
                        ..keyword
                    });
                }
            }
        }
        for entity in analysis.entities {
            let mentions = entity.mentions.iter().map(|m| Mention {
                start: m.start + char_base,
                end: m.end + char_base,
            });
            let key = (entity.kind, entity.canonical.to_lowercase());
            match self.entity_index.get(&key) {
                Some(&at) => self.entities[at].mentions.extend(mentions),
                None => {
                    self.entity_index.insert(key, self.entities.len());
                    let mentions = mentions.collect();
                    self.entities.push(Entity { mentions, ..entity });
                }
            }
        }
        self.byte_base += section_bytes;
        self.char_base += section_chars;
    }

    /// All sentences of the document so far, in order.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// The sections' summary candidates in document order, as sentence
    /// indices into [`Merger::sentences`] with their section scores.
    pub fn finalists(&self) -> &[(usize, f64)] {
        &self.finalists
    }

    /// The best `top` keywords of the whole document.
    pub fn keywords(&self, top: usize) -> Vec<Keyword> {
        let mut keywords = self.keywords.clone();
        keywords.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
        keywords.truncate(top);
        keywords
    }

    /// Consumes the merger: (sentences, web addresses, entities in order of
    /// first mention).
    pub fn finish(self) -> (Vec<Sentence>, Vec<Address>, Vec<Entity>) {
        (self.sentences, self.addresses, self.entities)
    }
}

/// The request for ranking the finalists again, one per line: how many of
/// them a summary of `length` over `total_sentences` sentences keeps.
pub fn final_length(length: SummaryLength, total_sentences: usize) -> SummaryLength {
    match length {
        SummaryLength::Ratio(r) => {
            let r = if r.is_finite() {
                r.clamp(0.0, 1.0)
            } else {
                0.0
            };
            SummaryLength::Sentences(((r * total_sentences as f64).round() as usize).max(1))
        }
        other => other,
    }
}

/// The finalists' texts, one per line (line breaks inside a sentence become
/// spaces, so char lengths are kept), for ranking them one sentence per line.
pub fn finalist_lines(text: &str, sentences: &[Sentence], finalists: &[(usize, f64)]) -> String {
    let mut lines = String::new();
    for &(index, _) in finalists {
        if let Some(sentence) = sentences.get(index) {
            lines.extend(
                sentence
                    .text(text)
                    .chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
            );
        }
        lines.push('\n');
    }
    lines
}

/// Maps the summary of the finalist lines back to sentence indices of the
/// whole text; `None` if the lines were not read as one sentence each.
pub fn map_final(
    chosen: &[SummarySentence],
    finalists: &[(usize, f64)],
    lines_read: usize,
) -> Option<Vec<SummarySentence>> {
    if lines_read != finalists.len() {
        return None;
    }
    chosen
        .iter()
        .map(|c| {
            finalists.get(c.index).map(|&(index, _)| SummarySentence {
                index,
                score: c.score,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analyzer, AnalyzerConfig, Request};

    fn covers(text: &str, sections: &[Range<usize>], limit: usize) {
        let mut at = 0;
        for section in sections {
            assert_eq!(section.start, at);
            assert!(section.end > section.start);
            assert!(section.len() <= limit, "{section:?} > {limit}");
            assert!(text.is_char_boundary(section.end));
            at = section.end;
        }
        assert_eq!(at, text.len());
    }

    #[test]
    fn short_texts_are_one_section() {
        assert_eq!(cut("짧은 글이다.", 100), vec![0..17]);
        assert_eq!(cut("", 100), vec![0..0]);
    }

    #[test]
    fn sections_end_at_line_breaks_first() {
        let text = "첫 문장이다. 둘째 문장이다.\n셋째 문장이다. 넷째 문장이다.\n다섯째.";
        let sections = cut(text, 60);
        covers(text, &sections, 60);
        assert!(text[sections[0].clone()].ends_with('\n'));
    }

    #[test]
    fn without_line_breaks_sections_end_after_a_sentence() {
        let text =
            "가나다라마바사 아자차카 타파하. 가나다 라마바 사아자 차카타 파하 가나.".repeat(20);
        let sections = cut(&text, 200);
        covers(&text, &sections, 200);
        for section in &sections[..sections.len() - 1] {
            assert!(text[section.clone()].ends_with(". "), "{section:?}");
        }
    }

    #[test]
    fn text_without_any_space_is_cut_at_char_boundaries() {
        let text = "한".repeat(1000);
        let sections = cut(&text, 100);
        covers(&text, &sections, 100);
        assert!(sections.len() >= 30);
    }

    #[test]
    fn ratio_summaries_keep_their_share_of_the_whole_text() {
        assert_eq!(
            final_length(SummaryLength::Ratio(0.1), 95),
            SummaryLength::Sentences(10)
        );
        assert_eq!(
            final_length(SummaryLength::Ratio(0.0), 95),
            SummaryLength::Sentences(1)
        );
        assert_eq!(
            final_length(SummaryLength::Sentences(3), 95),
            SummaryLength::Sentences(3)
        );
    }

    #[test]
    fn merged_results_point_into_the_whole_text() {
        let analyzer = Analyzer::new(&AnalyzerConfig::default()).unwrap();
        let first = "마이크로소프트가 오픈AI에 투자했다. 클라우드 사업이 커졌다.\n";
        let second = "엔비디아 GPU 수요가 늘었다. 마이크로소프트는 데이터센터를 짓는다.";
        let whole = format!("{first}{second}");
        let chars: Vec<char> = whole.chars().collect();
        let slice = |start: usize, end: usize| chars[start..end].iter().collect::<String>();
        let mut merger = Merger::new(whole.len());
        for part in [first, second] {
            merger.add(analyzer.analyze(part, &Request::default()).unwrap());
        }
        assert_eq!(merger.sentences().len(), 4);
        for (index, sentence) in merger.sentences().iter().enumerate() {
            assert_eq!(sentence.index, index);
            assert_eq!(sentence.text(&whole), slice(sentence.start, sentence.end));
        }
        assert_eq!(
            merger.sentences()[2].text(&whole),
            "엔비디아 GPU 수요가 늘었다."
        );
        let keywords = merger.keywords(10);
        let microsoft = keywords
            .iter()
            .find(|k| k.text == "마이크로소프트")
            .unwrap();
        assert_eq!(microsoft.count, 2);
        assert_eq!(slice(microsoft.start, microsoft.end), "마이크로소프트");
        let (_, _, entities) = merger.finish();
        let microsoft = entities
            .iter()
            .find(|e| e.canonical.contains("Microsoft") || e.text == "마이크로소프트")
            .unwrap();
        assert_eq!(microsoft.mentions.len(), 2);
        for mention in &microsoft.mentions {
            assert_eq!(slice(mention.start, mention.end), "마이크로소프트");
        }
    }

    #[test]
    fn idf_terms_of_a_long_text_come_from_all_its_sections() {
        let analyzer = Analyzer::new(&AnalyzerConfig::default()).unwrap();
        let filler = "클라우드 사업자들이 데이터센터를 늘렸다. ".repeat(2 * SECTION_BYTES / 50);
        let text = format!("양자컴퓨터 이야기로 시작한다. {filler}핵융합 이야기로 끝난다.");
        assert!(is_long(&text));
        let terms = analyzer.idf_terms(&text).unwrap();
        for wanted in ["양자컴퓨터", "핵융합", "데이터센터"] {
            assert!(terms.iter().any(|t| t.contains(wanted)), "{wanted}");
        }
        let mut sorted = terms.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), terms.len(), "terms are distinct");
    }
}
