//! Scoring the entity stage against KLUE-NER gold: exact-span precision,
//! recall and F1 per KLUE type and overall, so kosum's figures compare with
//! those published for the benchmark.
//!
//! kosum's types map onto KLUE's: PERSON → PS, LOCATION → LC, ORG → OG,
//! DATE → DT, TIME → TI, and QUANTITY, MONEY and PERCENT → QT. KLUE has no
//! counterpart for PRODUCT, EMAIL and URL, so those predictions are left out
//! rather than counted as errors. A predicted span counts only if its start,
//! end and mapped type all equal a gold span's.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::analysis::{Analyzer, SentenceMode};
use crate::entities::{EntityType, Gazetteer, extract};
use crate::error::{Error, Result};

/// KLUE's tags, in the order reports list them.
const KLUE_TAGS: [&str; 6] = ["PS", "LC", "OG", "DT", "TI", "QT"];

/// The tags of the "core" figure the project's target is set on (all but TI).
const CORE_TAGS: [&str; 5] = ["PS", "LC", "OG", "DT", "QT"];

/// The KLUE tag a kosum type is scored as, if any.
pub fn klue_tag(kind: EntityType) -> Option<&'static str> {
    match kind {
        EntityType::Person => Some("PS"),
        EntityType::Location => Some("LC"),
        EntityType::Org => Some("OG"),
        EntityType::Date => Some("DT"),
        EntityType::Time => Some("TI"),
        EntityType::Quantity | EntityType::Money | EntityType::Percent => Some("QT"),
        EntityType::Product | EntityType::Email | EntityType::Url => None,
    }
}

/// One gold sentence: its text and its spans as `(start, end, tag)` in chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    pub id: String,
    pub text: String,
    pub spans: Vec<(usize, usize, String)>,
}

/// Counts and measures for one tag (or a set of tags).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TagScore {
    pub tag: String,
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl TagScore {
    fn new(tag: &str, gold: usize, predicted: usize, correct: usize) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(correct, predicted);
        let recall = ratio(correct, gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Self {
            tag: tag.to_string(),
            gold,
            predicted,
            correct,
            precision,
            recall,
            f1,
        }
    }
}

/// The result of `kosum eval ner`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NerReport {
    pub file: PathBuf,
    pub sentences: usize,
    /// One row per KLUE tag.
    pub per_tag: Vec<TagScore>,
    /// Micro-averaged over PS, LC, OG, DT and QT.
    pub core: TagScore,
    /// Micro-averaged over all six tags.
    pub overall: TagScore,
}

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} sentences, exact-span match",
            self.file.display(),
            self.sentences
        )?;
        writeln!(
            f,
            "{:<22} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
            "tag", "gold", "pred", "match", "P", "R", "F1"
        )?;
        for row in self.per_tag.iter().chain([&self.core, &self.overall]) {
            writeln!(
                f,
                "{:<22} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
                row.tag, row.gold, row.predicted, row.correct, row.precision, row.recall, row.f1
            )?;
        }
        Ok(())
    }
}

/// Reads a KLUE-NER file: `## id<TAB>tagged text` headers, then one
/// `char<TAB>BIO tag` line per character, sentences separated by blank lines.
pub fn parse_klue(source_name: &str, content: &str) -> Result<Vec<GoldSentence>> {
    let mut sentences = Vec::new();
    let mut current: Option<(GoldSentence, Option<(usize, String)>)> = None;
    let finish = |current: Option<(GoldSentence, Option<(usize, String)>)>,
                  sentences: &mut Vec<GoldSentence>| {
        if let Some((mut sentence, open)) = current {
            if let Some((start, tag)) = open {
                let end = sentence.text.chars().count();
                sentence.spans.push((start, end, tag));
            }
            if !sentence.text.is_empty() {
                sentences.push(sentence);
            }
        }
    };
    for (number, line) in content.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if let Some(header) = line.strip_prefix("## ") {
            // Only `## id<TAB>text` headers start sentences; other `##`
            // lines are the file's comments.
            if let Some((id, _)) = header.split_once('\t') {
                finish(current.take(), &mut sentences);
                current = Some((
                    GoldSentence {
                        id: id.to_string(),
                        text: String::new(),
                        spans: Vec::new(),
                    },
                    None,
                ));
            }
            continue;
        }
        if line.is_empty() {
            finish(current.take(), &mut sentences);
            continue;
        }
        let error = |message: &str| Error::DataFormat {
            source_name: source_name.to_string(),
            line: number + 1,
            message: message.to_string(),
        };
        let Some((sentence, open)) = current.as_mut() else {
            return Err(error("a character line before any `## id<TAB>text` header"));
        };
        let Some((character, tag)) = line.rsplit_once('\t') else {
            return Err(error("expected `character<TAB>tag`"));
        };
        if character.chars().count() != 1 {
            return Err(error("expected exactly one character before the tab"));
        }
        let position = sentence.text.chars().count();
        let (begins, continues) = match tag {
            "O" => (None, false),
            _ => match tag.split_once('-') {
                Some(("B", name)) => (Some(name), false),
                Some(("I", name)) => (Some(name), true),
                _ => return Err(error("expected a tag O, B-XX or I-XX")),
            },
        };
        let continuing = continues && open.as_ref().map(|(_, t)| t.as_str()) == begins;
        if !continuing {
            if let Some((start, tag)) = open.take() {
                sentence.spans.push((start, position, tag));
            }
            if let Some(name) = begins {
                *open = Some((position, name.to_string()));
            }
        }
        sentence.text.push_str(character);
    }
    finish(current.take(), &mut sentences);
    Ok(sentences)
}

/// Scores kosum's entities on a KLUE-NER file, one sentence at a time.
pub fn evaluate_file(path: &Path, analyzer: &Analyzer, gazetteer: &Gazetteer) -> Result<NerReport> {
    let content = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let gold = parse_klue(&path.display().to_string(), &content)?;
    let mut counts = [(0usize, 0usize, 0usize); KLUE_TAGS.len()];
    for sentence in &gold {
        let predicted = predict(&sentence.text, analyzer, gazetteer)?;
        let gold_set: HashSet<(usize, usize, &str)> = sentence
            .spans
            .iter()
            .map(|(start, end, tag)| (*start, *end, tag.as_str()))
            .collect();
        for (slot, tag) in KLUE_TAGS.iter().enumerate() {
            counts[slot].0 += gold_set.iter().filter(|span| span.2 == *tag).count();
            for span in predicted.iter().filter(|span| span.2 == *tag) {
                counts[slot].1 += 1;
                if gold_set.contains(span) {
                    counts[slot].2 += 1;
                }
            }
        }
    }
    let per_tag: Vec<TagScore> = KLUE_TAGS
        .iter()
        .zip(counts)
        .map(|(tag, (g, p, c))| TagScore::new(tag, g, p, c))
        .collect();
    let sum = |label: &str, tags: &[&str]| {
        let rows = per_tag
            .iter()
            .filter(|row| tags.contains(&row.tag.as_str()));
        let (g, p, c) = rows.fold((0, 0, 0), |acc, row| {
            (acc.0 + row.gold, acc.1 + row.predicted, acc.2 + row.correct)
        });
        TagScore::new(label, g, p, c)
    };
    Ok(NerReport {
        file: path.to_path_buf(),
        sentences: gold.len(),
        core: sum("core (PS LC OG DT QT)", &CORE_TAGS),
        overall: sum("overall", &KLUE_TAGS),
        per_tag,
    })
}

/// kosum's entity mentions in `text` as `(start, end, KLUE tag)`.
pub fn predict(
    text: &str,
    analyzer: &Analyzer,
    gazetteer: &Gazetteer,
) -> Result<HashSet<(usize, usize, &'static str)>> {
    let document = analyzer.document(text, SentenceMode::PerLine)?;
    let mut spans = HashSet::new();
    for entity in extract(&document, gazetteer) {
        if let Some(tag) = klue_tag(entity.kind) {
            for mention in &entity.mentions {
                spans.insert((mention.start, mention.end, tag));
            }
        }
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "## 주석\n## klue-1\t<박:PS>씨는 <3일:DT> 왔다\n박\tB-PS\n씨\tO\n는\tO\n \tO\n3\tB-DT\n일\tI-DT\n \tO\n왔\tO\n다\tO\n\n## klue-2\t<서울:LC>\n서\tB-LC\n울\tI-LC\n";

    #[test]
    fn klue_format_reads_text_and_char_spans() {
        let gold = parse_klue("t", SAMPLE).unwrap();
        assert_eq!(gold.len(), 2);
        assert_eq!(gold[0].text, "박씨는 3일 왔다");
        assert_eq!(
            gold[0].spans,
            [(0, 1, "PS".to_string()), (4, 6, "DT".to_string())]
        );
        assert_eq!(gold[1].spans, [(0, 2, "LC".to_string())]);
    }

    #[test]
    fn klue_format_errors_name_the_line() {
        let err = parse_klue("bad.tsv", "## k\tx\n가\tB-PS\n나 다\n").unwrap_err();
        assert!(err.to_string().starts_with("bad.tsv, line 3"), "{err}");
        let err = parse_klue("bad.tsv", "## k\tx\n가\tX-PS\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn scores_follow_the_definitions() {
        let row = TagScore::new("PS", 4, 2, 1);
        assert_eq!(row.precision, 0.5);
        assert_eq!(row.recall, 0.25);
        assert!((row.f1 - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(TagScore::new("QT", 0, 0, 0).f1, 0.0);
        assert_eq!(klue_tag(EntityType::Money), Some("QT"));
        assert_eq!(klue_tag(EntityType::Product), None);
    }
}
