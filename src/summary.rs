//! Extractive summaries: the key sentences of a document, in its order.
//!
//! A summary is picked in four steps.
//!
//! 1. **Sentence profiles.** Each sentence becomes a bag of content terms:
//!    nouns (NNG, NNP), roots (XR) and Latin words with the digits glued to
//!    them (`GPT3`, `H100`), weighted by how rare they are in general Korean
//!    ([`Idf`]). Lines that carry no statement are marked as non-content:
//!    titles and list lines without a final predicate, bylines (an e-mail
//!    address), rows of bare numbers and very short fragments. They are only
//!    chosen when a document has too few real sentences.
//! 2. **Centrality.** Sentences that share rare terms with many others state
//!    what the document is about. [`SummaryMethod::TextRank`] ranks them by
//!    weighted PageRank over a similarity graph; [`SummaryMethod::LexRank`]
//!    by PageRank over the graph of sentence pairs whose cosine passes a
//!    threshold; [`SummaryMethod::Centroid`] by closeness to the document's
//!    overall term vector; [`SummaryMethod::Lead`] takes the opening.
//!    The graph is sparse so long documents stay cheap: pairs are found
//!    through an inverted index in which a term shared by many sentences only
//!    links each of them to its nearest neighbours in the posting list, and
//!    every sentence keeps its strongest [`NEIGHBOURS`] edges.
//! 3. **Priors.** News puts the point first, so early sentences get a boost
//!    that fades with position; sentences that repeat the headline (lines
//!    before the first statement) or mention the document's keywords (when
//!    the keyword stage supplies them) get more. The PageRank walk restarts
//!    from this prior (position-biased PageRank), so sentences that echo the
//!    opening gain too; longer sentences, which carry more of the story, are
//!    preferred over short asides.
//! 4. **Selection.** Maximal marginal relevance: the next sentence is the one
//!    whose score, less its overlap with what is already chosen, is highest,
//!    so the summary does not say the same thing twice.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use crate::analysis::{Document, SummaryLength};
use crate::keywords::Keyword;
use crate::resources::lowercase;
use crate::scoring::{Graph, Grouped, Idf, pagerank, undirected_graph};
use crate::tokenize::{Morpheme, Pos};

/// One chosen sentence: its index in the document's sentence list and its
/// score. Text and offsets come from that sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct SummarySentence {
    pub index: usize,
    pub score: f64,
}

/// How sentences are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SummaryMethod {
    /// Weighted PageRank over BM25 sentence similarity, with news priors.
    #[default]
    TextRank,
    /// PageRank over the thresholded cosine graph, with news priors.
    LexRank,
    /// Baseline: the first sentences.
    Lead,
    /// Baseline: closeness to the document's term centroid.
    Centroid,
}

impl SummaryMethod {
    /// Every method, default first.
    pub const ALL: [SummaryMethod; 4] = [
        SummaryMethod::TextRank,
        SummaryMethod::LexRank,
        SummaryMethod::Lead,
        SummaryMethod::Centroid,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            SummaryMethod::TextRank => "textrank",
            SummaryMethod::LexRank => "lexrank",
            SummaryMethod::Lead => "lead",
            SummaryMethod::Centroid => "centroid",
        }
    }
}

impl std::fmt::Display for SummaryMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A method name that is not one of [`SummaryMethod::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown summary method `{0}` (expected textrank, lexrank, lead or centroid)")]
pub struct UnknownMethod(pub String);

impl std::str::FromStr for SummaryMethod {
    type Err = UnknownMethod;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        SummaryMethod::ALL
            .into_iter()
            .find(|method| method.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownMethod(name.to_string()))
    }
}

/// How to summarize.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SummaryOptions {
    pub length: SummaryLength,
    pub method: SummaryMethod,
    /// How much a sentence that covers all of the document's keywords gains
    /// over one covering none (`--keyword-weight`). Off by default: on the
    /// dev gold (41 news articles) a weight of 0.5 lowered sentence F1 from
    /// 0.661 to 0.635 and 0.1 to 0.650, because news keywords concentrate in
    /// the lead, which the position prior already favours.
    pub keyword_weight: f64,
}

/// Strongest edges each sentence keeps in the similarity graph.
pub const NEIGHBOURS: usize = 24;

/// A term shared by more sentences than this links each sentence only to
/// this many of its nearest fellow holders (half before, half after).
const POSTING_WINDOW: usize = 64;

/// PageRank damping. Lower than the usual 0.85 because the random walk
/// restarts from the news prior (position-biased PageRank): half of a
/// sentence's rank comes from where it stands and what it mentions, half from
/// the sentences that echo it.
const DAMPING: f64 = 0.5;

/// BM25 term-frequency saturation and length normalisation.
const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;

/// LexRank links two sentences whose cosine is at least this.
const LEXRANK_THRESHOLD: f64 = 0.1;

/// How much the opening of a news text outweighs the rest: the prior is
/// 1 + LEAD_BOOST / (1 + position / LEAD_SPAN), position counted in content
/// sentences.
const LEAD_BOOST: f64 = 2.0;
const LEAD_SPAN: f64 = 3.0;

/// How much a sentence that repeats the headline (the lines before the
/// first statement) gains over one unrelated to it, per unit of cosine.
const HEADLINE_BOOST: f64 = 0.5;

/// MMR trade-off: the weight of a sentence's own score against its overlap
/// with sentences already chosen.
const MMR_LAMBDA: f64 = 0.85;

/// A sentence this close (TF-IDF cosine) to one already chosen restates it,
/// and is only taken when every other candidate is used up.
const DUPLICATE_COSINE: f64 = 0.8;

/// Longer sentences carry more of the story: scores are multiplied by
/// (content terms / average content terms) to this power.
const LENGTH_EXPONENT: f64 = 0.75;

/// Sentences with fewer content terms than this are fragments.
const MIN_CONTENT_TERMS: usize = 3;

/// Scores of non-content lines are scaled by this, so that they rank after
/// every real sentence yet keep their order among themselves.
const NON_CONTENT_FACTOR: f64 = 1e-3;

/// The summary of `document`: the chosen sentences in document order, each
/// with its score (see [`score_sentences`]).
pub fn summarize(
    document: &Document,
    keywords: &[Keyword],
    idf: &Idf,
    options: &SummaryOptions,
) -> Vec<SummarySentence> {
    let profiles = Profiles::build(document, idf);
    let scores = scores_of(&profiles, document, keywords, options);
    let mut chosen = select(&profiles, document, &scores, options);
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|index| SummarySentence {
            index,
            score: scores[index],
        })
        .collect()
}

/// Every sentence's score under `options`' method, in document order: 1 for
/// the best sentence, lower for the others (non-content lines below 0.001).
pub fn score_sentences(
    document: &Document,
    keywords: &[Keyword],
    idf: &Idf,
    options: &SummaryOptions,
) -> Vec<f64> {
    let profiles = Profiles::build(document, idf);
    scores_of(&profiles, document, keywords, options)
}

fn scores_of(
    profiles: &Profiles,
    document: &Document,
    keywords: &[Keyword],
    options: &SummaryOptions,
) -> Vec<f64> {
    let method = options.method;
    let n = profiles.sentences.len();
    if n == 0 {
        return Vec::new();
    }
    let mut scores = match method {
        SummaryMethod::Lead => (0..n).map(|i| 1.0 / (1.0 + i as f64)).collect(),
        SummaryMethod::Centroid => profiles.centroid_similarity(),
        SummaryMethod::TextRank | SummaryMethod::LexRank => {
            let graph = profiles.graph(method);
            let priors = news_priors(profiles, document, keywords, options.keyword_weight);
            let centrality = pagerank(&graph, DAMPING, Some(&priors));
            centrality
                .iter()
                .zip(&priors)
                .zip(&profiles.sentences)
                .map(|((c, p), profile)| {
                    let length = profile.length / profiles.average_length;
                    c * n as f64 * p * length.powf(LENGTH_EXPONENT)
                })
                .collect()
        }
    };
    for (score, profile) in scores.iter_mut().zip(&profiles.sentences) {
        if !profile.content {
            *score *= NON_CONTENT_FACTOR;
        }
        if profile.byline {
            // Of all lines, the least worth reading.
            *score *= NON_CONTENT_FACTOR;
        }
    }
    let best = scores.iter().copied().fold(0.0, f64::max);
    if best > 0.0 {
        for score in &mut scores {
            *score /= best;
        }
    }
    scores
}

/// Position prior (news puts the point first) times headline and keyword
/// coverage.
fn news_priors(
    profiles: &Profiles,
    document: &Document,
    keywords: &[Keyword],
    keyword_weight: f64,
) -> Vec<f64> {
    let keyword_total: f64 = keywords.iter().map(|k| k.score.max(0.0)).sum();
    // Headline lines: what comes before the first statement, bylines aside.
    let headlines: Vec<usize> = profiles
        .sentences
        .iter()
        .take_while(|p| !p.content)
        .enumerate()
        .filter(|(_, p)| !p.byline)
        .map(|(i, _)| i)
        .collect();
    let mut content_position = 0usize;
    profiles
        .sentences
        .iter()
        .zip(&document.sentences)
        .enumerate()
        .map(|(index, (profile, sentence))| {
            let lead = 1.0 + LEAD_BOOST / (1.0 + content_position as f64 / LEAD_SPAN);
            if profile.content {
                content_position += 1;
            }
            // Skipped when it cannot count (the default weight is 0): it
            // searches every sentence for every keyword.
            let coverage = if keyword_weight != 0.0 && keyword_total > 0.0 {
                let text = sentence.text(document.text);
                keywords
                    .iter()
                    .filter(|k| !k.text.is_empty() && text.contains(k.text.as_str()))
                    .map(|k| k.score.max(0.0))
                    .sum::<f64>()
                    / keyword_total
            } else {
                0.0
            };
            let headline = headlines
                .iter()
                .map(|&h| profiles.cosine(index, h))
                .fold(0.0, f64::max);
            lead * (1.0 + keyword_weight * coverage) * (1.0 + HEADLINE_BOOST * headline)
        })
        .collect()
}

/// Picks sentence indices by maximal marginal relevance, content sentences
/// first, within the requested length.
fn select(
    profiles: &Profiles,
    document: &Document,
    scores: &[f64],
    options: &SummaryOptions,
) -> Vec<usize> {
    let n = scores.len();
    let (count, char_budget) = match options.length {
        SummaryLength::Sentences(k) => (k.min(n), None),
        SummaryLength::Ratio(r) => {
            let r = if r.is_finite() {
                r.clamp(0.0, 1.0)
            } else {
                0.0
            };
            (
                ((r * n as f64).round() as usize).clamp(1, n.max(1)).min(n),
                None,
            )
        }
        SummaryLength::MaxChars(c) => (n, Some(c)),
    };
    if count == 0 {
        return Vec::new();
    }
    let by_score = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
    let mut content: Vec<usize> = (0..n).filter(|&i| profiles.sentences[i].content).collect();
    let mut rest: Vec<usize> = (0..n).filter(|&i| !profiles.sentences[i].content).collect();
    content.sort_by(by_score);
    rest.sort_by(by_score);
    // MMR only looks at the best few candidates: enough to replace every
    // redundant pick, without comparing all pairs in long documents.
    let pool_size = match char_budget {
        Some(_) => content.len().min(64),
        None => content.len().min(count * 3 + 16),
    };
    let pool = &content[..pool_size];
    let mut overlap = vec![0.0f64; pool.len()];
    let mut taken = vec![false; pool.len()];
    let mut chosen = Vec::new();
    let mut chars_used = 0usize;
    let length_of = |i: usize| document.sentences[i].end - document.sentences[i].start;
    let fits =
        |i: usize, used: usize| char_budget.is_none_or(|budget| used + length_of(i) <= budget);
    while chosen.len() < count {
        let mut best: Option<(usize, f64)> = None;
        for (slot, &index) in pool.iter().enumerate() {
            if taken[slot] || !fits(index, chars_used) {
                continue;
            }
            let mut value = MMR_LAMBDA * scores[index] - (1.0 - MMR_LAMBDA) * overlap[slot];
            if overlap[slot] >= DUPLICATE_COSINE {
                // Below every sentence that says something new.
                value -= 1.0;
            }
            if best.is_none_or(|(_, v)| value > v) {
                best = Some((slot, value));
            }
        }
        let Some((slot, _)) = best else { break };
        taken[slot] = true;
        let index = pool[slot];
        chosen.push(index);
        chars_used += length_of(index);
        for (other, &candidate) in pool.iter().enumerate() {
            if !taken[other] {
                let similarity = profiles.cosine(index, candidate);
                overlap[other] = overlap[other].max(similarity);
            }
        }
    }
    // Beyond the pool (or when real sentences run out): plain score order.
    for &index in content[pool_size..].iter().chain(&rest) {
        if chosen.len() >= count {
            break;
        }
        if fits(index, chars_used) {
            chosen.push(index);
            chars_used += length_of(index);
        }
    }
    chosen
}

/// One sentence as a bag of weighted content terms.
#[derive(Debug, Clone, Default)]
struct Profile {
    /// (term id, occurrences), sorted by term id.
    terms: Vec<(u32, f64)>,
    /// Sum of occurrences.
    length: f64,
    /// Euclidean norm of the TF-IDF vector.
    norm: f64,

    /// False for titles, list lines, bylines and fragments.
    content: bool,
    /// Carries an e-mail address (a byline or contact line; never content).
    byline: bool,
}

/// All sentence profiles of a document, with the term statistics they share.
struct Profiles {
    sentences: Vec<Profile>,
    /// IDF per term id.
    idf: Vec<f64>,
    /// Mean profile length (BM25's average document length).
    average_length: f64,
}

impl Profiles {
    fn build(document: &Document, idf: &Idf) -> Profiles {
        // Keys borrow the document's text unless lower-casing changes them.
        let expected = document.term_room();
        let mut ids: HashMap<Cow<'_, str>, u32> = HashMap::with_capacity(expected);
        let mut weights: Vec<f64> = Vec::with_capacity(expected);
        let mut ids_in_sentence: Vec<u32> = Vec::new();
        let mut sentences = Vec::with_capacity(document.sentences.len());
        for sentence in &document.sentences {
            let morphemes = document
                .morphemes
                .get(sentence.morphemes.clone())
                .unwrap_or(&[]);
            ids_in_sentence.clear();
            let mut i = 0;
            while i < morphemes.len() {
                let (consumed, term) = term_at(document.text, morphemes, i);
                i += consumed;
                let Some(key) = term else {
                    continue;
                };
                let id = match ids.get(key.as_ref()) {
                    Some(&id) => id,
                    None => {
                        let id = weights.len() as u32;
                        weights.push(idf.weight(&key).max(0.0));
                        ids.insert(key, id);
                        id
                    }
                };
                ids_in_sentence.push(id);
            }
            ids_in_sentence.sort_unstable();
            let mut terms: Vec<(u32, f64)> = Vec::with_capacity(ids_in_sentence.len());
            for &id in &ids_in_sentence {
                match terms.last_mut() {
                    Some((last, total)) if *last == id => *total += 1.0,
                    _ => terms.push((id, 1.0)),
                }
            }
            let length: f64 = terms.iter().map(|&(_, c)| c).sum();
            let norm = terms
                .iter()
                .map(|&(id, c)| (c * weights[id as usize]).powi(2))
                .sum::<f64>()
                .sqrt();
            let byline = contains_email(sentence.text(document.text));
            let content = !byline && is_content_line(morphemes, terms.len());
            sentences.push(Profile {
                terms,
                length,
                norm,
                content,
                byline,
            });
        }
        let average_length = if sentences.is_empty() {
            1.0
        } else {
            (sentences.iter().map(|p| p.length).sum::<f64>() / sentences.len() as f64).max(1.0)
        };
        Profiles {
            sentences,
            idf: weights,
            average_length,
        }
    }

    /// TF-IDF cosine of two sentences.
    fn cosine(&self, a: usize, b: usize) -> f64 {
        let (pa, pb) = (&self.sentences[a], &self.sentences[b]);
        if pa.norm <= 0.0 || pb.norm <= 0.0 {
            return 0.0;
        }
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < pa.terms.len() && j < pb.terms.len() {
            let (ta, ca) = pa.terms[i];
            let (tb, cb) = pb.terms[j];
            match ta.cmp(&tb) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let w = self.idf[ta as usize];
                    dot += ca * cb * w * w;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot / (pa.norm * pb.norm)
    }

    /// BM25 saturation of `count` occurrences in sentence `s`.
    fn bm25_tf(&self, s: usize, count: f64) -> f64 {
        let length = self.sentences[s].length;
        count * (BM25_K1 + 1.0)
            / (count + BM25_K1 * (1.0 - BM25_B + BM25_B * length / self.average_length))
    }

    /// The sparse similarity graph for `method` (TextRank: symmetric BM25
    /// weights; LexRank: unit edges where the cosine passes the threshold).
    fn graph(&self, method: SummaryMethod) -> Graph {
        let n = self.sentences.len();
        // Each term's (sentence, count) pairs, in sentence order.
        let postings = Grouped::new(self.idf.len(), || {
            self.sentences
                .iter()
                .enumerate()
                .filter(|(_, profile)| profile.content)
                .flat_map(|(s, profile)| {
                    profile
                        .terms
                        .iter()
                        .map(move |&(term, count)| (term as usize, (s as u32, count)))
                })
        });
        let mut accumulator = vec![0.0f64; n];
        let mut touched: Vec<u32> = Vec::new();
        // The neighbours each sentence keeps, sentence after sentence.
        let mut kept: Vec<(u32, u32, f64)> = Vec::new();
        let mut neighbours: Vec<(u32, f64)> = Vec::new();
        for (s, profile) in self.sentences.iter().enumerate() {
            if !profile.content {
                continue;
            }
            for &(term, count) in &profile.terms {
                let posting = postings.get(term as usize);
                let window = if posting.len() > POSTING_WINDOW {
                    let at = posting.partition_point(|&(o, _)| (o as usize) < s);
                    let from = at.saturating_sub(POSTING_WINDOW / 2);
                    let to = (from + POSTING_WINDOW + 1).min(posting.len());
                    &posting[to.saturating_sub(POSTING_WINDOW + 1)..to]
                } else {
                    posting
                };
                let w = self.idf[term as usize];
                for &(other, other_count) in window {
                    if other as usize == s {
                        continue;
                    }
                    let contribution = match method {
                        SummaryMethod::TextRank => {
                            w * (self.bm25_tf(other as usize, other_count) + self.bm25_tf(s, count))
                                / 2.0
                        }
                        _ => count * other_count * w * w,
                    };
                    if accumulator[other as usize] == 0.0 {
                        touched.push(other);
                    }
                    accumulator[other as usize] += contribution;
                }
            }
            neighbours.clear();
            for &other in &touched {
                let raw = std::mem::take(&mut accumulator[other as usize]);
                let weight = match method {
                    SummaryMethod::TextRank => raw,
                    _ => {
                        let other_norm = self.sentences[other as usize].norm;
                        let cosine = raw / (profile.norm * other_norm).max(f64::MIN_POSITIVE);
                        if cosine >= LEXRANK_THRESHOLD {
                            1.0
                        } else {
                            0.0
                        }
                    }
                };
                if weight > 0.0 {
                    neighbours.push((other, weight));
                }
            }
            touched.clear();
            if neighbours.len() > NEIGHBOURS {
                neighbours.select_nth_unstable_by(NEIGHBOURS, |a, b| {
                    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                });
                neighbours.truncate(NEIGHBOURS);
            }
            kept.extend(
                neighbours
                    .iter()
                    .map(|&(other, weight)| (s as u32, other, weight)),
            );
        }
        // A pair both sentences kept comes twice, and the stronger weight
        // stays (the two differ only where a posting window cut one side's
        // sum short).
        undirected_graph(
            n,
            || {
                kept.iter()
                    .map(|&(from, to, weight)| (from as usize, to as usize, weight))
            },
            |weight, repeat| *weight = weight.max(repeat),
        )
    }

    /// Cosine of each sentence with the sum of all content sentences' TF-IDF
    /// vectors.
    fn centroid_similarity(&self) -> Vec<f64> {
        let mut centroid = vec![0.0f64; self.idf.len()];
        for profile in self.sentences.iter().filter(|p| p.content) {
            for &(term, count) in &profile.terms {
                centroid[term as usize] += count * self.idf[term as usize];
            }
        }
        let centroid_norm = centroid.iter().map(|v| v * v).sum::<f64>().sqrt();
        self.sentences
            .iter()
            .map(|profile| {
                if profile.norm <= 0.0 || centroid_norm <= 0.0 {
                    return 0.0;
                }
                let dot: f64 = profile
                    .terms
                    .iter()
                    .map(|&(term, count)| count * self.idf[term as usize] * centroid[term as usize])
                    .sum();
                dot / (profile.norm * centroid_norm)
            })
            .collect()
    }
}

/// The term starting at `morphemes[i]` (lower case), and how many morphemes
/// it takes. A content term is a noun or root, or a run of glued Latin
/// letters and digits that contains a letter; anything else consumes one
/// morpheme and gives no term.
fn term_at<'t>(text: &'t str, morphemes: &[Morpheme], i: usize) -> (usize, Option<Cow<'t, str>>) {
    let m = &morphemes[i];
    match m.pos {
        Pos::NNG | Pos::NNP | Pos::XR => (1, Some(lowercase(m.surface(text)))),
        Pos::SL | Pos::SN => {
            let mut end = i + 1;
            let mut has_letter = m.pos == Pos::SL;
            while end < morphemes.len()
                && matches!(morphemes[end].pos, Pos::SL | Pos::SN)
                && morphemes[end].byte_start == morphemes[end - 1].byte_end
            {
                has_letter |= morphemes[end].pos == Pos::SL;
                end += 1;
            }
            // Glued morphemes are one contiguous stretch of the text.
            let run = &text[m.byte_start..morphemes[end - 1].byte_end];
            (end - i, has_letter.then(|| lowercase(run)))
        }
        _ => (1, None),
    }
}

/// Whether a line states something: it ends in a predicate (a final,
/// connective or nominalizing ending, or sentence-final punctuation), has at least
/// [`MIN_CONTENT_TERMS`] content terms, and is not mostly numbers.
fn is_content_line(morphemes: &[Morpheme], content_terms: usize) -> bool {
    if content_terms < MIN_CONTENT_TERMS {
        return false;
    }
    let Some(last) = morphemes
        .iter()
        .rev()
        .find(|m| !matches!(m.pos, Pos::SSC | Pos::SSO | Pos::SY | Pos::SC | Pos::SE))
    else {
        return false;
    };
    // A line that lost its final period still ends in an ending: mecab-ko-dic
    // reads a bare line-final 다 as a connective (EC) ending.
    let ends_in_predicate =
        last.pos == Pos::SF || last.last_pos.is_ending() && last.last_pos != Pos::ETM;
    if !ends_in_predicate {
        return false;
    }
    let numeric = morphemes
        .iter()
        .filter(|m| matches!(m.pos, Pos::SN | Pos::NR | Pos::NNBC))
        .count();
    let words = morphemes.iter().filter(|m| !m.pos.is_symbol()).count();
    numeric * 2 < words
}

/// An `@` with a word character on both sides and a dot after it.
fn contains_email(span: &str) -> bool {
    span.match_indices('@').any(|(at, _)| {
        let before = span[..at].chars().next_back();
        let after = &span[at + 1..];
        before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && after
                .split(|c: char| c.is_whitespace() || c == ']' || c == ')')
                .next()
                .is_some_and(|domain| domain.contains('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analyzer, AnalyzerConfig, SentenceMode};
    use std::sync::OnceLock;

    fn analyzer() -> &'static Analyzer {
        static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
        ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).expect("analyzer"))
    }

    /// A short news item, one sentence per line: a title, a byline, four
    /// statements (1 repeats 0 almost word for word), and a list line.
    const NEWS: &str = "\
반도체 공장 증설 발표
[테크뉴스 김하늘 기자 sky@example.com]
삼성전자가 평택에 새 반도체 공장을 짓기로 하고 30조원을 투자한다고 밝혔다.
삼성전자는 평택 반도체 공장 건설에 30조원을 투자하기로 했다고 밝혔다.
새 공장은 인공지능 서버에 들어가는 고대역폭 메모리를 주로 생산할 예정이다.
업계는 메모리 공급 부족이 내년까지 이어질 것으로 보고 있다.
2025년 3월 착공 2027년 완공";

    fn document(text: &str) -> Document<'_> {
        analyzer()
            .document(text, SentenceMode::PerLine)
            .expect("document")
    }

    fn options(length: SummaryLength) -> SummaryOptions {
        SummaryOptions {
            length,
            method: SummaryMethod::TextRank,
            ..SummaryOptions::default()
        }
    }

    #[test]
    fn titles_bylines_and_list_lines_are_not_content() {
        let doc = document(NEWS);
        let profiles = Profiles::build(&doc, &Idf::default());
        let content: Vec<bool> = profiles.sentences.iter().map(|p| p.content).collect();
        assert_eq!(content, [false, false, true, true, true, true, false]);
        let scores = score_sentences(&doc, &[], &Idf::default(), &SummaryOptions::default());
        assert_eq!(scores.len(), 7);
        for i in [0, 1, 6] {
            assert!(scores[i] < 1e-3, "line {i}: {}", scores[i]);
        }
        assert!(scores.iter().copied().fold(0.0, f64::max) == 1.0);
    }

    #[test]
    fn summary_is_in_document_order_without_repeating_itself() {
        let doc = document(NEWS);
        let summary = summarize(
            &doc,
            &[],
            &Idf::default(),
            &options(SummaryLength::Sentences(2)),
        );
        let indices: Vec<usize> = summary.iter().map(|s| s.index).collect();
        // The opening statement, then the one that adds what is built;
        // not its near-duplicate (line 3), the title or the byline.
        assert_eq!(indices, [2, 4]);
        assert!(summary.iter().all(|s| s.score > 0.0 && s.score <= 1.0));
    }

    #[test]
    fn lengths_by_count_ratio_and_characters() {
        let doc = document(NEWS);
        let idf = Idf::default();
        let count = |length| summarize(&doc, &[], &idf, &options(length)).len();
        assert_eq!(count(SummaryLength::Sentences(0)), 0);
        assert_eq!(count(SummaryLength::Sentences(100)), 7);
        assert_eq!(count(SummaryLength::Ratio(0.5)), 4);
        assert_eq!(count(SummaryLength::Ratio(0.0)), 1);
        assert_eq!(count(SummaryLength::Ratio(f64::NAN)), 1);
        let budget = 80;
        let picked = summarize(&doc, &[], &idf, &options(SummaryLength::MaxChars(budget)));
        let used: usize = picked
            .iter()
            .map(|s| doc.sentences[s.index].end - doc.sentences[s.index].start)
            .sum();
        assert!(!picked.is_empty() && used <= budget, "{used} chars");
        assert_eq!(count(SummaryLength::MaxChars(5)), 0);
    }

    #[test]
    fn non_content_lines_fill_in_only_when_nothing_else_is_left() {
        let doc = document(
            "오늘의 주요 뉴스\n[편집부 news@example.com]\n오늘 전국 날씨가 맑고 낮 기온이 크게 오르겠다.",
        );
        let summary = summarize(
            &doc,
            &[],
            &Idf::default(),
            &options(SummaryLength::Sentences(2)),
        );
        let indices: Vec<usize> = summary.iter().map(|s| s.index).collect();
        assert_eq!(indices, [0, 2]);
    }

    #[test]
    fn keywords_lift_the_sentences_that_mention_them() {
        let doc = document(NEWS);
        let idf = Idf::default();
        let weighted = SummaryOptions {
            keyword_weight: 0.5,
            ..SummaryOptions::default()
        };
        let plain = score_sentences(&doc, &[], &idf, &weighted);
        let keyword = Keyword {
            text: "고대역폭 메모리".to_string(),
            score: 1.0,
            count: 1,
            start: 0,
            end: 0,
        };
        let lifted = score_sentences(&doc, std::slice::from_ref(&keyword), &idf, &weighted);
        // Off by default.
        let default = score_sentences(&doc, &[keyword], &idf, &SummaryOptions::default());
        assert_eq!(default, plain);
        assert!(lifted[4] / lifted[5] > plain[4] / plain[5]);
    }

    #[test]
    fn every_method_ranks_and_lead_takes_the_opening() {
        let doc = document(NEWS);
        for method in SummaryMethod::ALL {
            let options = SummaryOptions {
                method,
                ..SummaryOptions::default()
            };
            let scores = score_sentences(&doc, &[], &Idf::default(), &options);
            assert_eq!(scores.len(), 7, "{method}");
            assert_eq!(method.name().parse::<SummaryMethod>(), Ok(method));
        }
        let lead = SummaryOptions {
            length: SummaryLength::Sentences(2),
            method: SummaryMethod::Lead,
            ..SummaryOptions::default()
        };
        let indices: Vec<usize> = summarize(&doc, &[], &Idf::default(), &lead)
            .iter()
            .map(|s| s.index)
            .collect();
        assert_eq!(indices, [2, 4]);
        assert!("summa".parse::<SummaryMethod>().is_err());
        assert_eq!(
            "LexRank".parse::<SummaryMethod>(),
            Ok(SummaryMethod::LexRank)
        );
    }

    #[test]
    fn empty_and_blank_documents_give_empty_summaries() {
        let idf = Idf::default();
        for text in ["", "\n\n  \n"] {
            let doc = document(text);
            assert!(summarize(&doc, &[], &idf, &SummaryOptions::default()).is_empty());
            assert!(
                score_sentences(
                    &doc,
                    &[],
                    &idf,
                    &SummaryOptions {
                        method: SummaryMethod::Centroid,
                        ..SummaryOptions::default()
                    }
                )
                .is_empty()
            );
        }
    }

    #[test]
    fn e_mail_addresses_are_told_from_other_at_signs() {
        assert!(contains_email("문의 help@kosum.dev 로"));
        assert!(!contains_email("@kosum 계정"));
        assert!(!contains_email("a@b 형식"));
    }

    /// Sentences built from a small vocabulary, so terms are shared by
    /// thousands of sentences: the worst case for the similarity graph.
    fn long_text(sentences: usize) -> String {
        const SUBJECTS: [&str; 7] = ["정부", "기업", "연구진", "학교", "병원", "은행", "시민단체"];
        const OBJECTS: [&str; 11] = [
            "반도체",
            "배터리",
            "백신",
            "교육",
            "금리",
            "전기차",
            "데이터",
            "로봇",
            "위성",
            "농업",
            "게임",
        ];
        const ACTIONS: [&str; 5] = [
            "투자를 늘렸다",
            "계획을 발표했다",
            "규제를 검토했다",
            "성과를 공개했다",
            "협력을 강화했다",
        ];
        (0..sentences)
            .map(|i| {
                format!(
                    "{}{}은 {} 분야와 {} 시장에서 {}\n",
                    SUBJECTS[i % 7],
                    i % 13,
                    OBJECTS[i % 11],
                    OBJECTS[(i / 11) % 11],
                    ACTIONS[i % 5]
                )
            })
            .collect()
    }

    /// The TextRank and LexRank graphs of [`long_text`]`(sentences)`.
    fn graphs_of_long_text(sentences: usize) -> [(SummaryMethod, Graph); 2] {
        let text = long_text(sentences);
        let profiles = Profiles::build(&document(&text), &Idf::default());
        [SummaryMethod::TextRank, SummaryMethod::LexRank]
            .map(|method| (method, profiles.graph(method)))
    }

    #[test]
    fn the_graph_is_symmetric_with_one_edge_per_pair() {
        for (method, graph) in graphs_of_long_text(300) {
            for (from, edges) in graph.iter().enumerate() {
                assert!(
                    edges.windows(2).all(|pair| pair[0].0 < pair[1].0),
                    "{method}: row {from} is not sorted by target without repeats"
                );
                for &(to, weight) in edges {
                    assert_ne!(from, to, "{method}: a loop at {from}");
                    assert!(weight > 0.0, "{method}: edge {from}-{to} weighs {weight}");
                    let back = graph[to].iter().find(|&&(other, _)| other == from);
                    assert!(back.is_some(), "{method}: edge {from}-{to} has no way back");
                }
            }
        }
    }

    #[test]
    fn the_graph_stays_sparse_on_long_documents() {
        for (method, graph) in graphs_of_long_text(3000) {
            let edges: usize = graph.iter().map(Vec::len).sum();
            assert!(
                edges <= 2 * NEIGHBOURS * graph.len(),
                "{method}: {edges} edges"
            );
            assert!(edges > graph.len(), "{method}: {edges} edges");
        }
    }
}
