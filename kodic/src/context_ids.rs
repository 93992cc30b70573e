//! Typical context ids per (POS, semantic class, jongseong), written as
//! `ko-dic/kosum-context-ids.tsv`.
//!
//! kosum adds its own words (e.g. `마이크로소프트` as `NNP`, jongseong `F`) to
//! lindera through a user dictionary, which needs left/right context ids and
//! a cost. mecab-ko-dic's context ids depend on the POS tag, the semantic
//! class and whether the word ends in a consonant (jongseong), so for each
//! such triple among the plain lexicon entries (type `*`, i.e. not
//! `Inflect`, `Compound` or `Preanalysis`) this module records the most
//! common (left id, right id) pair and the median cost.
//!
//! The file is tab-separated with the header line [`HEADER`]; one row per
//! triple, sorted by triple. The median of an even number of costs is the
//! lower of the two middle ones; ties between equally common id pairs go to
//! the smallest pair.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::error::{Error, Result};

/// File name of the table inside the built `ko-dic/` folder.
pub const CONTEXT_IDS_FILE: &str = "kosum-context-ids.tsv";

/// The header line of [`CONTEXT_IDS_FILE`].
pub const HEADER: &str = "pos\tsemantic\tjongseong\tleft_id\tright_id\tcost\tentries";

/// One row of [`CONTEXT_IDS_FILE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextIdRow {
    /// POS tag, e.g. `NNP`.
    pub pos: String,
    /// Semantic class, e.g. `인명`, or `*`.
    pub semantic: String,
    /// `T` (ends in a consonant), `F` (ends in a vowel) or `*`.
    pub jongseong: String,
    /// Most common left context id.
    pub left_id: u16,
    /// Most common right context id.
    pub right_id: u16,
    /// Median word cost.
    pub cost: i16,
    /// Number of lexicon entries with this triple.
    pub entries: usize,
}

#[derive(Debug, Clone, Default)]
struct Group {
    pairs: HashMap<(u16, u16), usize>,
    costs: Vec<i16>,
}

/// Accumulates lexicon entries; [`ContextIdStats::rows`] gives the table.
#[derive(Debug, Clone, Default)]
pub struct ContextIdStats {
    groups: BTreeMap<(String, String, String), Group>,
}

impl ContextIdStats {
    /// Adds one lexicon entry given its feature fields. Entries that are not
    /// plain (type field other than `*`), have fewer than five fields or hold
    /// tabs or line breaks in the key fields are ignored.
    pub fn add(&mut self, features: &[String], left_id: u16, right_id: u16, cost: i16) {
        if features.len() < 5 || features[4] != "*" {
            return;
        }
        let key_fields = &features[..3];
        if key_fields
            .iter()
            .any(|f| f.is_empty() || f.contains(['\t', '\n', '\r']))
        {
            return;
        }
        let key = (
            features[0].clone(),
            features[1].clone(),
            features[2].clone(),
        );
        let group = self.groups.entry(key).or_default();
        *group.pairs.entry((left_id, right_id)).or_default() += 1;
        group.costs.push(cost);
    }

    /// The table, sorted by (POS, semantic class, jongseong).
    pub fn rows(&self) -> Vec<ContextIdRow> {
        self.groups
            .iter()
            .map(|((pos, semantic, jongseong), group)| {
                let (&(left_id, right_id), _) = group
                    .pairs
                    .iter()
                    .max_by(|(pa, ca), (pb, cb)| ca.cmp(cb).then(pb.cmp(pa)))
                    .expect("a group has at least one entry");
                let mut costs = group.costs.clone();
                costs.sort_unstable();
                ContextIdRow {
                    pos: pos.clone(),
                    semantic: semantic.clone(),
                    jongseong: jongseong.clone(),
                    left_id,
                    right_id,
                    cost: costs[(costs.len() - 1) / 2],
                    entries: costs.len(),
                }
            })
            .collect()
    }

    /// Renders the table as TSV text with its header line.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from(HEADER);
        out.push('\n');
        for r in self.rows() {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                r.pos, r.semantic, r.jongseong, r.left_id, r.right_id, r.cost, r.entries
            ));
        }
        out
    }
}

/// Parses the text of a [`CONTEXT_IDS_FILE`]; `path` names it in errors.
pub fn parse_tsv(text: &str, path: &Path) -> Result<Vec<ContextIdRow>> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(Error::corrupt(
            path,
            format!("the first line is not {HEADER:?}"),
        ));
    }
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let bad = || Error::corrupt(path, format!("line {} is not a valid row: {line:?}", n + 2));
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 7 {
            return Err(bad());
        }
        rows.push(ContextIdRow {
            pos: f[0].to_string(),
            semantic: f[1].to_string(),
            jongseong: f[2].to_string(),
            left_id: f[3].parse().map_err(|_| bad())?,
            right_id: f[4].parse().map_err(|_| bad())?,
            cost: f[5].parse().map_err(|_| bad())?,
            entries: f[6].parse().map_err(|_| bad())?,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(pos: &str, sem: &str, jong: &str, kind: &str) -> Vec<String> {
        [pos, sem, jong, "읽기", kind, "*", "*", "*"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn most_common_pair_and_lower_median_cost() {
        let mut stats = ContextIdStats::default();
        stats.add(&features("NNP", "인명", "F", "*"), 10, 20, 300);
        stats.add(&features("NNP", "인명", "F", "*"), 11, 21, 100);
        stats.add(&features("NNP", "인명", "F", "*"), 11, 21, 200);
        stats.add(&features("NNP", "인명", "F", "*"), 10, 20, 400);
        stats.add(&features("NNP", "인명", "F", "*"), 11, 21, 500);
        // Not plain: ignored.
        stats.add(&features("NNP", "인명", "F", "Compound"), 99, 99, -5000);
        stats.add(&features("NNG", "*", "T", "*"), 5, 6, 7);
        stats.add(&features("NNG", "*", "T", "*"), 4, 6, 9);
        let rows = stats.rows();
        assert_eq!(
            rows,
            vec![
                ContextIdRow {
                    pos: "NNG".into(),
                    semantic: "*".into(),
                    jongseong: "T".into(),
                    // A tie between (4, 6) and (5, 6): the smaller pair wins.
                    left_id: 4,
                    right_id: 6,
                    cost: 7,
                    entries: 2,
                },
                ContextIdRow {
                    pos: "NNP".into(),
                    semantic: "인명".into(),
                    jongseong: "F".into(),
                    left_id: 11,
                    right_id: 21,
                    cost: 300,
                    entries: 5,
                },
            ]
        );
    }

    #[test]
    fn tsv_round_trips_and_rejects_garbage() {
        let mut stats = ContextIdStats::default();
        stats.add(&features("NNP", "지명", "T", "*"), 1, 2, -3);
        let text = stats.to_tsv();
        assert!(text.starts_with(HEADER));
        let path = Path::new("t.tsv");
        assert_eq!(parse_tsv(&text, path).unwrap(), stats.rows());
        assert!(parse_tsv("nope\n", path).is_err());
        assert!(parse_tsv(&format!("{HEADER}\nNNP\t*\tT\tx\t2\t3\t1\n"), path).is_err());
    }
}
