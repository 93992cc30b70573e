//! Scoring sentence boundaries against gold files in the format of the
//! evaluation corpus's `sentence-split` folder (one gold sentence a line, a
//! blank line between paragraphs), with the measures kiwipiepy publishes so
//! that kosum's figures compare directly with Kiwi's and KSS's:
//!
//! * a paragraph's input is its gold lines joined with `""` (trailing spaces
//!   on a line are part of the text);
//! * all whitespace is removed, and gold and predicted sentences become char
//!   spans of the whitespace-free paragraph;
//! * **EM** is the share of gold sentences whose span some predicted span
//!   matches exactly;
//! * **F1** is the mean over gold sentences of the best Dice overlap
//!   `2·|g∩p| / (|g|+|p|)` with a predicted span, pairs taken greedily from the
//!   best overlap down, each predicted and each gold span used once.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::analysis::{Analyzer, SentenceMode};
use crate::error::{Error, Result};

/// One gold paragraph: the input text and its gold sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldParagraph {
    /// The gold lines joined with `""`.
    pub text: String,
    /// One entry per gold line.
    pub sentences: Vec<String>,
}

/// Reads the paragraphs of one gold file's text.
pub fn parse_gold(content: &str) -> Vec<GoldParagraph> {
    let mut paragraphs = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for line in content.split('\n') {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !lines.is_empty() {
                paragraphs.push(GoldParagraph {
                    text: lines.concat(),
                    sentences: std::mem::take(&mut lines),
                });
            }
        } else {
            lines.push(line.to_string());
        }
    }
    if !lines.is_empty() {
        paragraphs.push(GoldParagraph {
            text: lines.concat(),
            sentences: lines,
        });
    }
    paragraphs
}

/// Counts for one paragraph, one file or a whole folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SplitScore {
    pub paragraphs: usize,
    /// Gold sentences.
    pub gold: usize,
    /// Predicted sentences (those with any non-whitespace char).
    pub predicted: usize,
    /// Gold sentences matched exactly.
    pub exact: usize,
    /// Sum over gold sentences of their best Dice overlap.
    pub dice_sum: f64,
    /// Chars of input analysed.
    pub chars: usize,
    /// Wall-clock seconds spent tokenizing and splitting.
    pub seconds: f64,
}

impl SplitScore {
    /// Exact-match rate over gold sentences (0 when there are none).
    pub fn em(&self) -> f64 {
        ratio(self.exact as f64, self.gold)
    }

    /// Mean best Dice overlap over gold sentences (0 when there are none).
    pub fn f1(&self) -> f64 {
        ratio(self.dice_sum, self.gold)
    }

    /// Mean milliseconds per paragraph.
    pub fn ms_per_paragraph(&self) -> f64 {
        ratio(self.seconds * 1000.0, self.paragraphs)
    }

    fn add(&mut self, other: &SplitScore) {
        self.paragraphs += other.paragraphs;
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.exact += other.exact;
        self.dice_sum += other.dice_sum;
        self.chars += other.chars;
        self.seconds += other.seconds;
    }
}

fn ratio(value: f64, count: usize) -> f64 {
    if count == 0 {
        0.0
    } else {
        value / count as f64
    }
}

/// Whitespace as the reference scorer's `\s` sees it.
fn is_scoring_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

fn compact_len(text: &str) -> usize {
    text.chars().filter(|c| !is_scoring_whitespace(*c)).count()
}

/// Scores one paragraph: `predicted` are the predicted sentences' texts, in
/// order, each a piece of the paragraph as kosum's sentences always are. A
/// predicted piece is placed at its first occurrence in the whitespace-free
/// paragraph after the previous one; a piece that does not occur there (only
/// possible for a splitter that rewrites text) is skipped.
pub fn score_paragraph<G: AsRef<str>, P: AsRef<str>>(gold: &[G], predicted: &[P]) -> SplitScore {
    let compact: Vec<char> = gold
        .iter()
        .flat_map(|g| g.as_ref().chars())
        .filter(|c| !is_scoring_whitespace(*c))
        .collect();
    let mut gold_spans = Vec::with_capacity(gold.len());
    let mut offset = 0;
    for g in gold {
        let length = compact_len(g.as_ref());
        gold_spans.push((offset, offset + length));
        offset += length;
    }
    let mut predicted_spans = Vec::with_capacity(predicted.len());
    let mut offset = 0;
    for p in predicted {
        let piece: Vec<char> = p
            .as_ref()
            .chars()
            .filter(|c| !is_scoring_whitespace(*c))
            .collect();
        if piece.is_empty() {
            continue;
        }
        if let Some(begin) = find_chars(&compact, &piece, offset) {
            let end = begin + piece.len();
            predicted_spans.push((begin, end));
            offset = end;
        }
    }
    let mut exact = 0;
    let mut candidates = Vec::new();
    for (pi, &(pb, pe)) in predicted_spans.iter().enumerate() {
        for (gi, &(gb, ge)) in gold_spans.iter().enumerate() {
            if pb == gb && pe == ge {
                exact += 1;
            }
            let (ib, ie) = (pb.max(gb), pe.min(ge));
            if ib < ie {
                let dice = 2.0 * (ie - ib) as f64 / ((ge - gb) + (pe - pb)) as f64;
                candidates.push((dice, gi, pi));
            }
        }
    }
    // Best overlap first; ties as the reference breaks them (a reverse sort
    // of (dice, gold index, predicted index) tuples).
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let mut best = vec![0.0; gold_spans.len()];
    let mut gold_used = vec![false; gold_spans.len()];
    let mut predicted_used = vec![false; predicted_spans.len()];
    for (dice, gi, pi) in candidates {
        if gold_used[gi] || predicted_used[pi] {
            continue;
        }
        best[gi] = dice;
        gold_used[gi] = true;
        predicted_used[pi] = true;
    }
    SplitScore {
        paragraphs: 1,
        gold: gold_spans.len(),
        predicted: predicted_spans.len(),
        exact,
        dice_sum: best.iter().sum(),
        chars: 0,
        seconds: 0.0,
    }
}

/// First index ≥ `from` where `needle` occurs in `haystack`.
fn find_chars(haystack: &[char], needle: &[char], from: usize) -> Option<usize> {
    if from > haystack.len() || needle.len() > haystack.len() - from {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&i| haystack[i..i + needle.len()] == *needle)
}

/// The scores of one gold file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileReport {
    /// File name without the `.txt` extension.
    pub name: String,
    #[serde(flatten)]
    pub score: SplitScore,
    pub em: f64,
    pub f1: f64,
}

/// The scores of a folder of gold files, per file and overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitReport {
    pub dir: PathBuf,
    pub files: Vec<FileReport>,
    pub overall: FileReport,
}

impl FileReport {
    fn new(name: String, score: SplitScore) -> Self {
        Self {
            name,
            em: score.em(),
            f1: score.f1(),
            score,
        }
    }
}

/// Splits every paragraph of every `*.txt` gold file in `dir` (in name
/// order) with kosum's splitter and scores it.
pub fn evaluate_dir(dir: &Path, analyzer: &Analyzer) -> Result<SplitReport> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let path = entry.map_err(io_error(dir))?.path();
        if path.extension().is_some_and(|ext| ext == "txt") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    let mut overall = SplitScore::default();
    for path in &paths {
        let bytes = std::fs::read(path).map_err(io_error(path))?;
        let content = crate::normalize::decode(bytes)?;
        let score = evaluate_paragraphs(&parse_gold(&content), analyzer)?;
        overall.add(&score);
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(FileReport::new(name, score));
    }
    Ok(SplitReport {
        dir: dir.to_path_buf(),
        files,
        overall: FileReport::new("overall".to_string(), overall),
    })
}

/// Splits and scores gold paragraphs.
pub fn evaluate_paragraphs(
    paragraphs: &[GoldParagraph],
    analyzer: &Analyzer,
) -> Result<SplitScore> {
    let mut total = SplitScore::default();
    for paragraph in paragraphs {
        let started = Instant::now();
        let document = analyzer.document(&paragraph.text, SentenceMode::Split)?;
        let seconds = started.elapsed().as_secs_f64();
        let predicted: Vec<&str> = document
            .sentences
            .iter()
            .map(|sentence| sentence.text(&paragraph.text))
            .collect();
        let mut score = score_paragraph(&paragraph.sentences, &predicted);
        score.chars = paragraph.text.chars().count();
        score.seconds = seconds;
        total.add(&score);
    }
    Ok(total)
}

impl fmt::Display for SplitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "sentence split: {}", self.dir.display())?;
        writeln!(
            f,
            "{:<12} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9}",
            "file", "EM", "F1", "gold", "pred", "paras", "ms/para"
        )?;
        for file in self.files.iter().chain(std::iter::once(&self.overall)) {
            writeln!(
                f,
                "{:<12} {:>6.3} {:>6.3} {:>6} {:>6} {:>6} {:>9.2}",
                file.name,
                file.em,
                file.f1,
                file.score.gold,
                file.score.predicted,
                file.score.paragraphs,
                file.score.ms_per_paragraph()
            )?;
        }
        let seconds = self.overall.score.seconds;
        write!(f, "{} chars in {:.3} s", self.overall.score.chars, seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_paragraphs_join_lines_without_separator() {
        let paragraphs = parse_gold("첫 문장. \n둘째 문장.\n\n\n셋째\r\n");
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[0].text, "첫 문장. 둘째 문장.");
        assert_eq!(paragraphs[0].sentences, ["첫 문장. ", "둘째 문장."]);
        assert_eq!(paragraphs[1].text, "셋째");
    }

    #[test]
    fn exact_split_scores_one() {
        let gold = ["가나 다. ", "라마."];
        let score = score_paragraph(&gold, &["가나 다.", "라마."]);
        assert_eq!((score.gold, score.predicted, score.exact), (2, 2, 2));
        assert!((score.f1() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn merged_sentences_score_dice_once() {
        // Gold spans "가나다." (4 chars) and "라마" (2); one prediction of 6
        // chars covers both. It pairs with the gold span it overlaps best
        // (2·4/(4+6) = 0.8) and cannot be used again for the second.
        let score = score_paragraph(&["가나다.", "라마"], &["가나다. 라마"]);
        assert_eq!(score.exact, 0);
        assert!((score.dice_sum - 2.0 * 4.0 / 10.0).abs() < 1e-12);
    }

    #[test]
    fn whitespace_only_predictions_are_ignored() {
        let score = score_paragraph(&["가."], &[" ", "가."]);
        assert_eq!((score.predicted, score.exact), (1, 1));
    }
}
