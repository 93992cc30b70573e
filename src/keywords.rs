//! Keywords and keyphrases: what a document is about, in a few terms a reader
//! would agree with, best first.
//!
//! The terms come from [`crate::candidates`] (nouns, names and compound noun
//! phrases, particles and stopwords removed).
//!
//! ## Word scores
//!
//! Every mention of a candidate word has a weight
//! m = (1 + 1/(i + 1)) · 2 if in a title line · 1.5 if a name, where i is the
//! sentence index (early mentions count up to twice as much), a title line is
//! a heading of its own ([`crate::candidates::Candidates::title`]), and a
//! name is a proper noun or a capitalized Latin word or acronym (what an
//! article is about is more often named than general). M(w) sums the weights
//! of w's mentions. Each word w then gets a score from two views of the
//! document, each a distribution over words summing to 1, averaged:
//!
//! - **TF-IDF**: T(w) = M(w)·idf(w) / Σᵥ M(v)·idf(v), with idf from [`Idf`]
//!   (general Korean text, or a user's folder).
//! - **TextRank with a position prior** (as in PositionRank): R(w) is the
//!   weighted PageRank (damping 0.85) of a graph whose nodes are the words and
//!   whose edges count how often two words occur within
//!   [`KeywordOptions::window`] candidate words of each other inside one
//!   sentence; the random jump goes to w with probability ∝ M(w).
//!
//! s(w) = ½·T(w) + ½·R(w).
//!
//! ## Term scores
//!
//! A term t (a word, a joined compound such as 지카바이러스, or a phrase of
//! up to three compounds) gets, for each of its compounds, the share of the
//! compound's strongest word that t's occurrences account for:
//!
//! S(t) = Σ_{compounds g of t} max_{w ∈ g} s(w) · min(c(t) / c(w), left(w))
//!
//! where c counts occurrences and left(w), initially 1, is the share of w not
//! yet used up. A phrase whose words occur only inside it ("깃허브
//! 코파일럿") beats each word alone; a word that also stands alone keeps
//! most of its score for itself.
//!
//! ## Selection and deduplication
//!
//! Greedy: the best term is taken; if it has several words, the share
//! c(t)/c(w) of each is used up, so terms that overlap it later score only
//! for what is left. A word taken alone keeps its share for phrases that add
//! a new word ("클라우드" then "클라우드 사업자"), but a phrase made only of
//! words already taken or used up scores nothing. So after "마이크로소프트",
//! "마이크로소프트 애저" (애저 written only there) competes with "애저" and
//! only one of them is listed; after "엔비디아 GPU" is taken, "엔비디아"
//! keeps the share of its mentions outside that phrase. Reported scores are
//! these marginal scores, so they never increase down the list. Single Hangul
//! syllables ("판", "썬") are reported only when they occur at least
//! [`STRONG_SINGLE_SYLLABLE`] times, and phrases of three compounds only
//! when they recur.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::analysis::Document;
use crate::candidates::{CandidateOptions, Candidates, Collector, Term};
use crate::resources::{Stopwords, is_hangul_syllable};
use crate::scoring::{Graph, Idf, pagerank, undirected_graph};

/// One keyword or keyphrase of a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Keyword {
    /// The term's most common surface in the document (compound noun
    /// phrases keep their inner space: "클라우드 인프라").
    pub text: String,
    pub score: f64,
    /// How many times the term occurs (inflected and particle-attached
    /// occurrences merged).
    pub count: usize,
    /// Char offsets of the first mention.
    pub start: usize,
    pub end: usize,
}

/// How many keywords to find, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordOptions {
    /// How many keywords to return (`-k/--top`).
    pub top: usize,
    /// The longest keyphrase, in words (1 to [`crate::candidates::MAX_PHRASE_WORDS`]).
    pub max_phrase_words: usize,
    /// The co-occurrence window of the TextRank graph, in candidate words.
    pub window: usize,
}

impl Default for KeywordOptions {
    fn default() -> Self {
        Self {
            top: 10,
            max_phrase_words: crate::candidates::MAX_PHRASE_WORDS,
            window: 4,
        }
    }
}

/// PageRank damping (the usual 0.85 of TextRank).
const DAMPING: f64 = 0.85;

/// How many times a single Hangul syllable must occur to be reported alone.
pub const STRONG_SINGLE_SYLLABLE: usize = 3;

/// How much a mention of a name (a proper noun, an acronym) counts relative
/// to a common noun: what an article is about is more often someone or
/// something named than a general notion.
const NAME_WEIGHT: f64 = 1.5;

/// How much a title line's mentions weigh in the position prior, relative to
/// a mention in the first body sentence.
const TITLE_WEIGHT: f64 = 2.0;

/// The keywords of `document`, best first (at most `options.top`).
pub fn extract(document: &Document<'_>, idf: &Idf, options: &KeywordOptions) -> Vec<Keyword> {
    if options.top == 0 {
        return Vec::new();
    }
    let candidate_options = CandidateOptions {
        max_phrase_words: options.max_phrase_words,
    };
    let candidates = Collector::new(Stopwords::builtin(), &candidate_options).collect(document);
    let word_scores = word_scores(&candidates, idf, options.window);
    select(document.text, &candidates, &word_scores, options.top)
}

/// s(w) for every word of `candidates` (see the module docs).
pub fn word_scores(candidates: &Candidates, idf: &Idf, window: usize) -> Vec<f64> {
    let words = &candidates.words;
    if words.is_empty() {
        return Vec::new();
    }
    // Position-weighted mention counts: the TF of T and the jump
    // distribution π of the ranking.
    let mut weighted = vec![0.0; words.len()];
    for mention in &candidates.mentions {
        let mut weight = 1.0 + 1.0 / (mention.sentence + 1) as f64;
        if mention.name {
            weight *= NAME_WEIGHT;
        }
        weighted[mention.word] += if candidates.title == Some(mention.sentence) {
            TITLE_WEIGHT * weight
        } else {
            weight
        };
    }
    let tfidf: Vec<f64> = words
        .iter()
        .zip(&weighted)
        .map(|(word, tf)| tf * idf.weight(&word.key).max(0.0))
        .collect();
    let tfidf_total: f64 = tfidf.iter().sum();
    let rank = pagerank(
        &cooccurrence_graph(candidates, window),
        DAMPING,
        Some(&weighted),
    );

    tfidf
        .iter()
        .zip(&rank)
        .map(|(t, r)| {
            let t = if tfidf_total > 0.0 {
                t / tfidf_total
            } else {
                0.0
            };
            0.5 * t + 0.5 * r
        })
        .collect()
}

/// Words linked by how often they occur within `window` candidate words of
/// each other in one sentence (undirected); each word's neighbours in
/// ascending order.
fn cooccurrence_graph(candidates: &Candidates, window: usize) -> Graph {
    let pairs = cooccurrences(candidates, window);
    // Counts of whole co-occurrences: their sum is exact in any order.
    undirected_graph(
        candidates.words.len(),
        || pairs.iter().map(|&(a, b)| (a, b, 1.0)),
        |count, more| *count += more,
    )
}

/// The two words of every co-occurrence (see [`cooccurrence_graph`]).
fn cooccurrences(candidates: &Candidates, window: usize) -> Vec<(usize, usize)> {
    let mentions = &candidates.mentions;
    let mut pairs = Vec::new();
    for (i, mention) in mentions.iter().enumerate() {
        for other in mentions.iter().skip(i + 1).take(window.max(2) - 1) {
            if other.sentence != mention.sentence {
                break;
            }
            if other.word != mention.word {
                pairs.push((mention.word, other.word));
            }
        }
    }
    pairs
}

/// A term waiting in the greedy selection, ordered by score, then first
/// mention, then fewer words.
struct Queued {
    score: f64,
    start: usize,
    words: usize,
    term: usize,
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.start.cmp(&self.start))
            .then_with(|| other.words.cmp(&self.words))
            .then_with(|| other.term.cmp(&self.term))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Queued {}

/// S(t) with the shares of its words still available: per compound, its
/// strongest word (a compound such as 지카바이러스 is one thing, however many
/// morphemes the dictionary cuts it into).
fn term_score(
    term: &Term,
    candidates: &Candidates,
    word_scores: &[f64],
    left: &[f64],
    taken: &[bool],
) -> f64 {
    if term.words().len() > 1 && term.words().iter().all(|&w| taken[w] || left[w] <= 0.0) {
        return 0.0;
    }
    term.compounds()
        .iter()
        .map(|compound| {
            term.words()
                .get(compound.clone())
                .unwrap_or_default()
                .iter()
                .map(|&w| {
                    let share = term.count as f64 / candidates.words[w].count.max(1) as f64;
                    word_scores[w] * share.min(left[w])
                })
                .fold(0.0, f64::max)
        })
        .sum()
}

/// Whether `term` may be reported at all: a weak single syllable neither
/// alone nor as a spaced word of a phrase ("AI 판"), and a phrase of more
/// than two words only when it recurs.
fn reportable(text: &str, term: &Term, candidates: &Candidates) -> bool {
    if term.compounds().len() > 2 && term.count < 2 {
        return false;
    }
    let weak = |word: usize| {
        let word = &candidates.words[word];
        word.single_syllable && word.count < STRONG_SINGLE_SYLLABLE
    };
    match *term.words() {
        [word] => !weak(word),
        _ if term.compounds().len() == 1 => true,
        _ => {
            let surface = text.get(term.common_surface()).unwrap_or_default();
            !surface.split(' ').any(|part| {
                let mut chars = part.chars();
                chars.next().is_some_and(is_hangul_syllable) && chars.next().is_none()
            }) || !term.words().iter().any(|&w| weak(w))
        }
    }
}

/// Greedy selection with used-up shares (see the module docs).
fn select(text: &str, candidates: &Candidates, word_scores: &[f64], top: usize) -> Vec<Keyword> {
    let mut left = vec![1.0; candidates.words.len()];
    let mut taken = vec![false; candidates.words.len()];
    let mut queue: BinaryHeap<Queued> = candidates
        .terms
        .iter()
        .enumerate()
        .filter(|(_, term)| reportable(text, term, candidates))
        .map(|(index, term)| Queued {
            score: term_score(term, candidates, word_scores, &left, &taken),
            start: term.first.start,
            words: term.words().len(),
            term: index,
        })
        .collect();
    let mut keywords = Vec::with_capacity(top.min(candidates.terms.len()));
    while keywords.len() < top {
        let Some(best) = queue.pop() else {
            break;
        };
        let term = &candidates.terms[best.term];
        let score = term_score(term, candidates, word_scores, &left, &taken);
        if score <= 0.0 {
            continue;
        }
        if score < best.score - 1e-12 {
            queue.push(Queued { score, ..best });
            continue;
        }
        match *term.words() {
            [word] => taken[word] = true,
            _ => {
                for &w in term.words() {
                    let share = term.count as f64 / candidates.words[w].count.max(1) as f64;
                    left[w] = (left[w] - share).max(0.0);
                }
            }
        }
        let surface = term.common_surface();
        keywords.push(Keyword {
            text: text.get(surface).unwrap_or_default().to_string(),
            score,
            count: term.count,
            start: term.first.start,
            end: term.first.end,
        });
    }
    keywords
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::analysis::{Analyzer, AnalyzerConfig, SentenceMode};

    fn analyzer() -> &'static Analyzer {
        static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
        ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).unwrap())
    }

    fn top(text: &str, k: usize) -> Vec<Keyword> {
        let document = analyzer().document(text, SentenceMode::Split).unwrap();
        let options = KeywordOptions {
            top: k,
            ..KeywordOptions::default()
        };
        extract(&document, &Idf::default(), &options)
    }

    fn texts(keywords: &[Keyword]) -> Vec<&str> {
        keywords.iter().map(|k| k.text.as_str()).collect()
    }

    #[test]
    fn a_phrase_and_its_only_word_are_not_both_listed() {
        // 애저 occurs only inside "마이크로소프트 애저".
        let text = "마이크로소프트가 성장했다. 마이크로소프트 애저 매출이 늘었다. \
                    마이크로소프트는 투자를 늘린다. 마이크로소프트의 주가가 올랐다.";
        let found = top(text, 10);
        let list = texts(&found);
        assert_eq!(list[0], "마이크로소프트", "{list:?}");
        let phrase = list.contains(&"마이크로소프트 애저");
        let word = list.contains(&"애저");
        assert!(phrase != word, "{list:?}");
    }

    #[test]
    fn a_word_that_also_stands_alone_keeps_its_own_place() {
        // 엔비디아 occurs inside "엔비디아 GPU" and twice alone.
        let text = "엔비디아 GPU 수요가 크다. 엔비디아가 멜라녹스를 샀다. \
                    엔비디아는 네트워크도 판다. 엔비디아 GPU 가격이 올랐다.";
        let list: Vec<String> = top(text, 10).into_iter().map(|k| k.text).collect();
        assert!(list.contains(&"엔비디아".to_string()), "{list:?}");
        assert!(list.contains(&"엔비디아 GPU".to_string()), "{list:?}");
    }

    #[test]
    fn scores_fall_down_the_list_and_top_is_respected() {
        let text = "클라우드 시장이 커진다. 클라우드 보안이 중요하다. 보안 인력이 모자란다. \
                    데이터센터 투자가 늘었다. 데이터센터 전력이 문제다.";
        for k in [1, 3, 50] {
            let found = top(text, k);
            assert!(found.len() <= k);
            assert!(
                found.windows(2).all(|p| p[0].score >= p[1].score),
                "{found:?}"
            );
        }
        assert_eq!(top(text, 1)[0].text, "클라우드");
    }

    #[test]
    fn weak_single_syllables_are_not_reported() {
        let text = "AI 판 흔드는 협력\n\n판이 커졌다. AI 기업들이 AI 모델을 낸다.";
        let list: Vec<String> = top(text, 10).into_iter().map(|k| k.text).collect();
        assert!(!list.iter().any(|k| k == "판" || k == "AI 판"), "{list:?}");
        assert!(list.contains(&"AI".to_string()), "{list:?}");
    }
}
