//! Term and graph scoring shared by the keyword and summary stages: inverse
//! document frequency (from background statistics of general Korean text, or
//! learned from a user's own folder) and weighted PageRank over sparse graphs.
//!
//! IDF from background frequencies: `dict/background.tsv` gives a word's Zipf
//! frequency z (log10 of occurrences per billion words), so its chance per
//! running word is p = 10^(z − 9). In a document of [`TYPICAL_DOCUMENT_WORDS`]
//! words it appears with probability d = 1 − e^(−p·L), and its IDF is
//! ln(1 / d), the same quantity a document-frequency table would estimate.
//! Words the table lacks are treated as rarer than its rarest entry.

use std::collections::HashMap;

use crate::resources::Background;

/// The document length (in words) background frequencies are scaled to.
pub const TYPICAL_DOCUMENT_WORDS: f64 = 400.0;

/// Zipf frequency assumed for words the background table does not list
/// (its rarest entries are at about 3).
const UNLISTED_ZIPF: f64 = 2.5;

/// Where inverse document frequencies come from.
#[derive(Debug, Clone)]
pub enum Idf {
    /// General Korean text (`dict/background.tsv`).
    Background(&'static Background),
    /// Document frequencies learned from a folder of documents.
    Learned {
        documents: usize,
        frequencies: HashMap<String, usize>,
    },
}

impl Default for Idf {
    fn default() -> Self {
        Idf::Background(Background::builtin())
    }
}

impl Idf {
    /// The IDF of a term key (lower-cased surface or lemma).
    pub fn weight(&self, term: &str) -> f64 {
        match self {
            Idf::Background(background) => {
                let zipf = background.zipf(term).map_or(UNLISTED_ZIPF, f64::from);
                let per_word = 10f64.powf(zipf - 9.0);
                let in_document = 1.0 - (-per_word * TYPICAL_DOCUMENT_WORDS).exp();
                (1.0 / in_document.max(1e-12)).ln()
            }
            Idf::Learned {
                documents,
                frequencies,
            } => {
                let df = frequencies.get(term).copied().unwrap_or(0) as f64;
                ((*documents as f64 + 1.0) / (df + 1.0)).ln() + 1.0
            }
        }
    }
}

/// A sparse undirected or directed weighted graph for [`pagerank`]:
/// `edges[i]` lists `(j, weight)` for the edges leaving node `i`.
pub type Graph = Vec<Vec<(usize, f64)>>;

/// Weighted PageRank (TextRank/LexRank's ranking): the stationary score of a
/// random walk that follows edges in proportion to their weight and jumps to
/// a node drawn from `personalization` (uniform when `None`) with probability
/// 1 − `damping`. Nodes without out-edges jump the same way. Iterates until
/// the total change is below 1e-9 or 100 rounds; scores sum to 1.
pub fn pagerank(graph: &Graph, damping: f64, personalization: Option<&[f64]>) -> Vec<f64> {
    let n = graph.len();
    if n == 0 {
        return Vec::new();
    }
    let jump: Vec<f64> = match personalization {
        Some(weights) if weights.len() == n && weights.iter().sum::<f64>() > 0.0 => {
            let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
            weights.iter().map(|w| w.max(0.0) / total).collect()
        }
        _ => vec![1.0 / n as f64; n],
    };
    let out_weight: Vec<f64> = graph
        .iter()
        .map(|edges| edges.iter().map(|&(_, w)| w.max(0.0)).sum())
        .collect();
    let mut scores = jump.clone();
    let mut next = vec![0.0; n];
    for _ in 0..100 {
        let dangling: f64 = (0..n)
            .filter(|&i| out_weight[i] <= 0.0)
            .map(|i| scores[i])
            .sum();
        for (i, value) in next.iter_mut().enumerate() {
            *value = (1.0 - damping + damping * dangling) * jump[i];
        }
        for (i, edges) in graph.iter().enumerate() {
            if out_weight[i] <= 0.0 {
                continue;
            }
            let share = damping * scores[i] / out_weight[i];
            for &(j, w) in edges {
                if w > 0.0 {
                    next[j] += share * w;
                }
            }
        }
        let change: f64 = scores.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut scores, &mut next);
        if change < 1e-9 {
            break;
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_weigh_less_than_rare_ones() {
        let idf = Idf::Background(Background::builtin());
        let common = idf.weight("사람");
        let rare = idf.weight("인피니밴드");
        assert!(common < rare, "사람 {common} vs 인피니밴드 {rare}");
        assert!(common > 0.0);
    }

    #[test]
    fn learned_idf_follows_document_frequency() {
        let idf = Idf::Learned {
            documents: 10,
            frequencies: HashMap::from([("클라우드".to_string(), 9), ("애저".to_string(), 1)]),
        };
        assert!(idf.weight("클라우드") < idf.weight("애저"));
        assert!(idf.weight("없는말") > idf.weight("애저"));
    }

    #[test]
    fn pagerank_favours_the_hub_and_sums_to_one() {
        // A star: everyone links to node 0 and node 0 links back.
        let graph: Graph = vec![
            vec![(1, 1.0), (2, 1.0), (3, 1.0)],
            vec![(0, 1.0)],
            vec![(0, 1.0)],
            vec![(0, 1.0)],
        ];
        let scores = pagerank(&graph, 0.85, None);
        assert!((scores.iter().sum::<f64>() - 1.0).abs() < 1e-6);
        assert!(scores[0] > scores[1] && scores[1] > 0.0);
        assert!((scores[1] - scores[2]).abs() < 1e-9);
    }

    #[test]
    fn pagerank_handles_empty_and_dangling_graphs() {
        assert!(pagerank(&Vec::new(), 0.85, None).is_empty());
        let scores = pagerank(&vec![vec![], vec![(0, 2.0)]], 0.85, None);
        assert!(scores[0] > scores[1]);
        let personal = pagerank(&vec![vec![], vec![]], 0.85, Some(&[3.0, 1.0]));
        assert!((personal[0] - 0.75).abs() < 1e-9);
    }
}
