//! Keywords and keyphrases: what a document is about, in a few terms a reader
//! would agree with, best first.
//!
//! The terms come from [`crate::candidates`] (nouns, names and compound noun
//! phrases, particles and stopwords removed). Each candidate **word** w gets
//! a score from two views of the document, each a distribution over words
//! summing to 1, averaged:
//!
//! - **TF-IDF**: T(w) = tf(w)·idf(w) / Σᵥ tf(v)·idf(v), where tf counts every
//!   mention (inflected and particle-attached forms merged) and idf comes
//!   from [`Idf`] (general Korean text, or a user's folder).
//! - **TextRank with a position prior** (PositionRank): R(w) is the weighted
//!   PageRank (damping 0.85) of a graph whose nodes are the words and whose
//!   edges count how often two words occur within
//!   [`KeywordOptions::window`] candidate words of each other inside one
//!   sentence. The random jump is not uniform but proportional to
//!   π(w) = Σ over mentions of w of 1 + 1/(i + 1), i being the sentence index,
//!   with mentions in a title line counted twice: early and title mentions
//!   matter more, as in news and blog writing.
//!
//! s(w) = ½·T(w) + ½·R(w).
//!
//! A **term** t (a word or a keyphrase of several words) gets the share of
//! each of its words that its occurrences account for:
//!
//! S(t) = Σ_{w ∈ t} s(w) · c(t) / c(w)
//!
//! where c counts occurrences. A phrase whose words occur only inside it
//! ("깃허브 코파일럿") beats each word alone; a word that also stands alone
//! keeps most of its score for itself.
//!
//! **Deduplication** is greedy: the best term is taken, and the share c(t)/c(w)
//! of each of its words is used up, so later terms that contain those words
//! only score for what is left. After "마이크로소프트" is taken,
//! "마이크로소프트 애저" scores only for 애저 and competes with "애저" alone;
//! after "엔비디아 GPU" is taken, "엔비디아" keeps the share of its mentions
//! outside that phrase. Reported scores are these marginal scores, so they
//! never increase down the list. Single Hangul syllables ("판", "썬") are
//! reported only when they occur at least [`STRONG_SINGLE_SYLLABLE`] times.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use crate::analysis::Document;
use crate::candidates::{CandidateOptions, Candidates, Collector, Term};
use crate::resources::{Stopwords, is_hangul_syllable};
use crate::scoring::{Graph, Idf, pagerank};

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
/// each other in one sentence (undirected).
fn cooccurrence_graph(candidates: &Candidates, window: usize) -> Graph {
    let mut weights: HashMap<(usize, usize), f64> = HashMap::new();
    let mentions = &candidates.mentions;
    for (i, mention) in mentions.iter().enumerate() {
        for other in mentions.iter().skip(i + 1).take(window.max(2) - 1) {
            if other.sentence != mention.sentence {
                break;
            }
            if other.word != mention.word {
                let pair = (mention.word.min(other.word), mention.word.max(other.word));
                *weights.entry(pair).or_insert(0.0) += 1.0;
            }
        }
    }
    let mut graph: Graph = vec![Vec::new(); candidates.words.len()];
    let mut pairs: Vec<_> = weights.into_iter().collect();
    pairs.sort_by_key(|&(pair, _)| pair);
    for ((a, b), weight) in pairs {
        graph[a].push((b, weight));
        graph[b].push((a, weight));
    }
    graph
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
    if term.words.len() > 1 && term.words.iter().all(|&w| taken[w] || left[w] <= 0.0) {
        return 0.0;
    }
    term.compounds
        .iter()
        .map(|compound| {
            term.words
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
    if term.compounds.len() > 2 && term.count < 2 {
        return false;
    }
    let weak = |word: usize| {
        let word = &candidates.words[word];
        word.single_syllable && word.count < STRONG_SINGLE_SYLLABLE
    };
    match term.words[..] {
        [word] => !weak(word),
        _ if term.compounds.len() == 1 => true,
        _ => {
            let surface = text.get(term.common_surface()).unwrap_or_default();
            !surface.split(' ').any(|part| {
                let mut chars = part.chars();
                chars.next().is_some_and(is_hangul_syllable) && chars.next().is_none()
            }) || !term.words.iter().any(|&w| weak(w))
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
            words: term.words.len(),
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
        match term.words[..] {
            [word] => taken[word] = true,
            _ => {
                for &w in &term.words {
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
