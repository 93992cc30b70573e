//! Extractive summaries against human gold: files in the format of the
//! evaluation corpus's `summarization/*.jsonl` (one article per line,
//! `sentences` already split, `gold_extractive` the human-picked indices).
//!
//! Each article is analysed with its sentences one per line
//! ([`SentenceMode::PerLine`]) and summarized to k = the number of gold
//! sentences. Measures per article, averaged over articles:
//! - sentence precision, recall and F1 of the chosen indices;
//! - ROUGE-1, ROUGE-2 and ROUGE-L F1 of the chosen sentences' text (in
//!   document order) against the gold sentences' text. **Tokenization:**
//!   kosum's own morphemes, with each dictionary compound or inflected
//!   entry broken into the morphemes of its analysis (했 → 하 + 았), forms
//!   compared as written and Latin letters lower-cased; whitespace and
//!   punctuation-only tokens are dropped. The peers' shared scorer uses
//!   Kiwi morphemes instead, so ROUGE figures differ slightly between them.
//!
//! The lead-k baseline (the first k sentences) is scored beside kosum.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analysis::{Analyzer, Document, Request, SentenceMode, SummaryLength};
use crate::error::{Error, Result};
use crate::summary::SummaryOptions;
use crate::tokenize::Morpheme;

/// One article of a summarization gold file.
#[derive(Debug, Deserialize)]
struct GoldArticle {
    #[serde(default)]
    set: String,
    #[serde(default)]
    id: String,
    sentences: Vec<String>,
    gold_extractive: Vec<usize>,
}

/// Sentence and ROUGE figures, each in [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SummaryScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub rouge1: f64,
    pub rouge2: f64,
    pub rouge_l: f64,
}

impl SummaryScores {
    fn mean<'a>(all: impl Iterator<Item = &'a SummaryScores>) -> SummaryScores {
        let mut total = SummaryScores::default();
        let mut count = 0usize;
        for s in all {
            total.precision += s.precision;
            total.recall += s.recall;
            total.f1 += s.f1;
            total.rouge1 += s.rouge1;
            total.rouge2 += s.rouge2;
            total.rouge_l += s.rouge_l;
            count += 1;
        }
        if count > 0 {
            let n = count as f64;
            total.precision /= n;
            total.recall /= n;
            total.f1 /= n;
            total.rouge1 /= n;
            total.rouge2 /= n;
            total.rouge_l /= n;
        }
        total
    }
}

/// One article's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleResult {
    pub set: String,
    pub id: String,
    pub sentences: usize,
    pub gold: Vec<usize>,
    /// kosum's picks, in document order.
    pub chosen: Vec<usize>,
    pub kosum: SummaryScores,
    pub lead: SummaryScores,
}

/// Averages over the articles of one set (or of the whole file).
#[derive(Debug, Clone, Serialize)]
pub struct SetResult {
    pub set: String,
    pub articles: usize,
    pub kosum: SummaryScores,
    pub lead: SummaryScores,
}

/// The outcome of [`evaluate_file`].
#[derive(Debug, Clone, Serialize)]
pub struct SummaryReport {
    pub file: String,
    pub method: String,
    pub rouge_tokens: &'static str,
    /// Whole file.
    pub overall: SetResult,
    /// Per `set` field, in name order.
    pub sets: Vec<SetResult>,
    pub articles: Vec<ArticleResult>,
}

/// Scores kosum's summaries (with `options.method`; the length is k = the
/// gold size of each article) and the lead-k baseline on a gold file.
pub fn evaluate_file(
    path: &Path,
    analyzer: &Analyzer,
    options: &SummaryOptions,
) -> Result<SummaryReport> {
    let content = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let source_name = path.display().to_string();
    let mut articles = Vec::new();
    for (number, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let data_error = |message: String| Error::DataFormat {
            source_name: source_name.clone(),
            line: number + 1,
            message,
        };
        let gold: GoldArticle =
            serde_json::from_str(line).map_err(|err| data_error(err.to_string()))?;
        let n = gold.sentences.len();
        if let Some(&bad) = gold.gold_extractive.iter().find(|&&i| i >= n) {
            return Err(data_error(format!(
                "gold index {bad} is out of range ({n} sentences)"
            )));
        }
        if gold
            .sentences
            .iter()
            .any(|s| s.contains('\n') || s.trim().is_empty())
        {
            return Err(data_error(
                "a sentence is empty or spans several lines".to_string(),
            ));
        }
        let text = gold.sentences.join("\n");
        let mut gold_indices = gold.gold_extractive.clone();
        gold_indices.sort_unstable();
        gold_indices.dedup();
        let k = gold_indices.len();
        let request = Request {
            sentence_mode: SentenceMode::PerLine,
            summary: Some(SummaryLength::Sentences(k)),
            summary_method: options.method,
            summary_keyword_weight: options.keyword_weight,
            keywords: None,
            entities: false,
        };
        let analysis = analyzer.analyze(&text, &request)?;
        let document = analysis.document;
        if document.sentences.len() != n {
            return Err(data_error(format!(
                "{n} sentences were given but {} lines were read",
                document.sentences.len()
            )));
        }
        let chosen: Vec<usize> = analysis.summary.iter().map(|s| s.index).collect();
        let lead: Vec<usize> = (0..k.min(n)).collect();
        articles.push(ArticleResult {
            kosum: score_article(&document, &chosen, &gold_indices),
            lead: score_article(&document, &lead, &gold_indices),
            set: gold.set,
            id: gold.id,
            sentences: n,
            gold: gold_indices,
            chosen,
        });
    }
    let set_result = |set: String, members: &[&ArticleResult]| SetResult {
        set,
        articles: members.len(),
        kosum: SummaryScores::mean(members.iter().map(|a| &a.kosum)),
        lead: SummaryScores::mean(members.iter().map(|a| &a.lead)),
    };
    let mut by_set: BTreeMap<&str, Vec<&ArticleResult>> = BTreeMap::new();
    for article in &articles {
        by_set
            .entry(article.set.as_str())
            .or_default()
            .push(article);
    }
    let sets = by_set
        .iter()
        .map(|(set, members)| set_result(set.to_string(), members))
        .collect();
    let all: Vec<&ArticleResult> = articles.iter().collect();
    Ok(SummaryReport {
        file: source_name,
        method: options.method.name().to_string(),
        rouge_tokens: "kosum morphemes",
        overall: set_result("all".to_string(), &all),
        sets,
        articles,
    })
}

/// Sentence P/R/F1 and ROUGE of `chosen` against `gold` (both sorted).
fn score_article(document: &Document, chosen: &[usize], gold: &[usize]) -> SummaryScores {
    let hits = chosen.iter().filter(|i| gold.contains(i)).count() as f64;
    let precision = if chosen.is_empty() {
        0.0
    } else {
        hits / chosen.len() as f64
    };
    let recall = if gold.is_empty() {
        0.0
    } else {
        hits / gold.len() as f64
    };
    let mut vocabulary = HashMap::new();
    let candidate = token_ids(document, chosen, &mut vocabulary);
    let reference = token_ids(document, gold, &mut vocabulary);
    SummaryScores {
        precision,
        recall,
        f1: harmonic(precision, recall),
        rouge1: rouge_n(&candidate, &reference, 1),
        rouge2: rouge_n(&candidate, &reference, 2),
        rouge_l: rouge_l(&candidate, &reference),
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// The ROUGE tokens of the given sentences, as ids in `vocabulary`.
fn token_ids(
    document: &Document,
    sentences: &[usize],
    vocabulary: &mut HashMap<String, u32>,
) -> Vec<u32> {
    let mut ids = Vec::new();
    for &index in sentences {
        let Some(sentence) = document.sentences.get(index) else {
            continue;
        };
        let morphemes = document
            .morphemes
            .get(sentence.morphemes.clone())
            .unwrap_or(&[]);
        for morpheme in morphemes {
            for form in rouge_forms(document.text, morpheme) {
                let next = vocabulary.len() as u32;
                ids.push(*vocabulary.entry(form).or_insert(next));
            }
        }
    }
    ids
}

/// A morpheme's ROUGE tokens: the forms of its analysis for compound and
/// inflected entries, else its surface; lower-cased; symbols dropped.
fn rouge_forms(text: &str, morpheme: &Morpheme) -> Vec<String> {
    if morpheme.pos.is_symbol() {
        return Vec::new();
    }
    let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
    if let Some(expression) = &morpheme.expression {
        let forms: Vec<String> = expression
            .split('+')
            .filter_map(|part| part.split('/').next())
            .filter(|form| !form.is_empty() && *form != "*")
            .map(lower)
            .collect();
        if !forms.is_empty() {
            return forms;
        }
    }
    let surface = morpheme.surface(text).trim();
    if surface.is_empty() {
        Vec::new()
    } else {
        vec![lower(surface)]
    }
}

fn ngram_counts(tokens: &[u32], n: usize) -> HashMap<&[u32], usize> {
    let mut counts = HashMap::new();
    if n > 0 {
        for gram in tokens.windows(n) {
            *counts.entry(gram).or_insert(0) += 1;
        }
    }
    counts
}

/// ROUGE-N F1 (clipped n-gram overlap).
fn rouge_n(candidate: &[u32], reference: &[u32], n: usize) -> f64 {
    let c = ngram_counts(candidate, n);
    let r = ngram_counts(reference, n);
    let overlap: usize = c
        .iter()
        .map(|(gram, &count)| count.min(r.get(gram).copied().unwrap_or(0)))
        .sum();
    let c_total: usize = c.values().sum();
    let r_total: usize = r.values().sum();
    if overlap == 0 || c_total == 0 || r_total == 0 {
        return 0.0;
    }
    harmonic(
        overlap as f64 / c_total as f64,
        overlap as f64 / r_total as f64,
    )
}

/// ROUGE-L F1: longest common subsequence of the two token sequences.
fn rouge_l(candidate: &[u32], reference: &[u32]) -> f64 {
    if candidate.is_empty() || reference.is_empty() {
        return 0.0;
    }
    let mut previous = vec![0usize; reference.len() + 1];
    let mut current = vec![0usize; reference.len() + 1];
    for &c in candidate {
        for (j, &r) in reference.iter().enumerate() {
            current[j + 1] = if c == r {
                previous[j] + 1
            } else {
                previous[j + 1].max(current[j])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let lcs = previous[reference.len()] as f64;
    if lcs == 0.0 {
        return 0.0;
    }
    harmonic(lcs / candidate.len() as f64, lcs / reference.len() as f64)
}

impl fmt::Display for SummaryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} articles, k = gold size, method {}, ROUGE on {}",
            self.file, self.overall.articles, self.method, self.rouge_tokens
        )?;
        writeln!(
            f,
            "{:<28} {:>8} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "set", "system", "P", "R", "F1", "R-1", "R-2", "R-L"
        )?;
        for set in self.sets.iter().chain(std::iter::once(&self.overall)) {
            for (system, s) in [("kosum", &set.kosum), ("lead-k", &set.lead)] {
                writeln!(
                    f,
                    "{:<28} {:>8} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
                    format!("{} ({})", set.set, set.articles),
                    system,
                    s.precision,
                    s.recall,
                    s.f1,
                    s.rouge1,
                    s.rouge2,
                    s.rouge_l
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rouge_counts_clipped_ngrams() {
        // candidate a b c a, reference a b d: unigrams overlap a, b (2 of 4
        // and 2 of 3); bigrams overlap "a b" (1 of 3 and 1 of 2).
        let candidate = [1, 2, 3, 1];
        let reference = [1, 2, 4];
        assert!((rouge_n(&candidate, &reference, 1) - harmonic(0.5, 2.0 / 3.0)).abs() < 1e-12);
        assert!((rouge_n(&candidate, &reference, 2) - harmonic(1.0 / 3.0, 0.5)).abs() < 1e-12);
        assert_eq!(rouge_n(&[], &reference, 1), 0.0);
    }

    #[test]
    fn rouge_l_uses_the_longest_common_subsequence() {
        // LCS of a b c d and a c d e is a c d (3).
        let value = rouge_l(&[1, 2, 3, 4], &[1, 3, 4, 5]);
        assert!((value - 0.75).abs() < 1e-12);
        assert_eq!(rouge_l(&[1], &[2]), 0.0);
    }

    #[test]
    fn means_average_every_field() {
        let a = SummaryScores {
            f1: 1.0,
            rouge2: 0.5,
            ..SummaryScores::default()
        };
        let b = SummaryScores::default();
        let mean = SummaryScores::mean([a, b].iter());
        assert_eq!(mean.f1, 0.5);
        assert_eq!(mean.rouge2, 0.25);
    }
}
