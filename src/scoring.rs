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
//!
//! Learned IDF: from a folder of N documents in which a term occurs in df of
//! them, ln((N + 1) / (df + 1)) + 1 (smoothed, never zero). [`IdfBuilder`]
//! counts document frequencies of keyword candidate words (see
//! [`crate::candidates`]), so the terms it stores are exactly the keys the
//! keyword stage looks up.
//!
//! ## The IDF file (`kosum idf build DIR -o FILE`, read with `--idf FILE`)
//!
//! UTF-8 text, one TAB between columns (shown as `⇥` below), lines starting
//! with `#` are comments:
//!
//! ```text
//! # kosum document frequencies
//! @documents⇥41
//! 클라우드⇥12
//! gpu⇥3
//! ```
//!
//! The first data line, `@documents<TAB>N`, gives the number of documents
//! the table was learned from; every other line is `term<TAB>df`, with the
//! term as the keyword stage keys it (lower case, particles removed; no term
//! starts with `@`) and 1 ≤ df ≤ N. Rows are written most frequent first,
//! ties in code-point order, so a file built twice from one folder is
//! identical.

use foldhash::{HashMap, HashMapExt};
use std::fmt::Write as _;
use std::path::Path;

use crate::analysis::Document;
use crate::candidates::{CandidateOptions, Collector};
use crate::error::{Error, Result};
use crate::resources::{Background, Stopwords, data_lines, split_at_tab};

/// The document length (in words) background frequencies are scaled to.
pub const TYPICAL_DOCUMENT_WORDS: f64 = 400.0;

/// Zipf frequency assumed for words the background table does not list
/// (its rarest entries are at about 3).
const UNLISTED_ZIPF: f64 = 2.5;

/// The IDF of a term key from the background table's Zipf frequency.
fn background_weight(term: &str) -> f64 {
    let zipf = Background::builtin()
        .zipf(&background_form(term))
        .map_or(UNLISTED_ZIPF, f64::from);
    let per_word = 10f64.powf(zipf - 9.0);
    let in_document = 1.0 - (-per_word * TYPICAL_DOCUMENT_WORDS).exp();
    (1.0 / in_document.max(1e-12)).ln()
}

/// How many background weights a thread keeps before starting afresh.
const BACKGROUND_WEIGHTS_KEPT: usize = 8192;

thread_local! {
    /// Background weights this thread has computed. Every article asks for
    /// the weights of the language's common words (기업, 정부, 시장 …), and
    /// a lookup here replaces a binary search of the 30,000-row background
    /// table plus the weight's arithmetic. Over 269 distinct articles
    /// (callgrind, one thread) `Idf::weight` takes 31.0 M instructions with
    /// this table and 99.4 M without it, and the run's task-clock is 271.8
    /// against 289.2 ms (10th percentile of 21 runs in turn).
    static BACKGROUND_WEIGHTS: std::cell::RefCell<HashMap<Box<str>, f64>> =
        std::cell::RefCell::new(HashMap::new());
}

/// Where inverse document frequencies come from.
#[derive(Debug, Clone, Default)]
pub enum Idf {
    /// General Korean text (`dict/background.tsv`).
    #[default]
    Background,
    /// Document frequencies learned from a folder of documents.
    Learned {
        documents: usize,
        frequencies: HashMap<String, usize>,
    },
}

impl Idf {
    /// The IDF of a term key (lower-cased surface or lemma).
    pub fn weight(&self, term: &str) -> f64 {
        match self {
            Idf::Background => BACKGROUND_WEIGHTS.with_borrow_mut(|known| {
                if let Some(&weight) = known.get(term) {
                    return weight;
                }
                let weight = background_weight(term);
                if known.len() >= BACKGROUND_WEIGHTS_KEPT {
                    known.clear();
                }
                known.insert(term.into(), weight);
                weight
            }),
            Idf::Learned {
                documents,
                frequencies,
            } => {
                let df = frequencies.get(term).copied().unwrap_or(0) as f64;
                ((*documents as f64 + 1.0) / (df + 1.0)).ln() + 1.0
            }
        }
    }

    /// Reads an IDF file (format in the module docs); `source_name` names it
    /// in errors.
    pub fn parse(source_name: &str, text: &str) -> Result<Idf> {
        let mut documents = None;
        let mut frequencies = HashMap::new();
        for (number, line) in data_lines(text) {
            let error = |message: String| Error::data_format(source_name, number, message);
            let Some((term, count)) = split_at_tab(line) else {
                return Err(error("expected `term<TAB>document count`".into()));
            };
            let count: usize = count
                .trim()
                .parse()
                .map_err(|_| error(format!("{count:?} is not a whole number of documents")))?;
            match (documents, term) {
                (None, "@documents") => documents = Some(count),
                (None, _) => {
                    return Err(error(
                        "the first line must be `@documents<TAB>N` (is this a kosum IDF file?)"
                            .into(),
                    ));
                }
                (Some(_), "@documents") => {
                    return Err(error("`@documents` is given twice".into()));
                }
                (Some(total), term) => {
                    if term.is_empty() || count == 0 || count > total {
                        return Err(error(format!(
                            "expected a term and a count from 1 to {total}"
                        )));
                    }
                    if frequencies.insert(term.to_string(), count).is_some() {
                        return Err(error(format!("the term {term:?} is listed twice")));
                    }
                }
            }
        }
        let Some(documents) = documents else {
            return Err(Error::data_format(
                source_name,
                1,
                "no `@documents<TAB>N` line: the file is empty",
            ));
        };
        Ok(Idf::Learned {
            documents,
            frequencies,
        })
    }

    /// Reads an IDF file from disk.
    pub fn load(path: &Path) -> Result<Idf> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Idf::parse(&path.display().to_string(), &text)
    }

    /// The IDF file text of learned frequencies, or `None` for the built-in
    /// background table (which is shipped in `dict/` instead).
    pub fn to_tsv(&self) -> Option<String> {
        let Idf::Learned {
            documents,
            frequencies,
        } = self
        else {
            return None;
        };
        let mut rows: Vec<(&String, &usize)> = frequencies.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let mut out = String::with_capacity(16 * rows.len() + 64);
        out.push_str("# kosum document frequencies: term<TAB>documents containing it\n");
        let _ = writeln!(out, "@documents\t{documents}");
        for (term, count) in rows {
            let _ = writeln!(out, "{term}\t{count}");
        }
        Some(out)
    }

    /// Writes learned frequencies to `path` (nothing to write, and an `Ok`,
    /// for the built-in background table).
    pub fn save(&self, path: &Path) -> Result<()> {
        let Some(text) = self.to_tsv() else {
            return Ok(());
        };
        std::fs::write(path, text).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// How wordfreq writes a word: numbers of two or more digits have every
/// digit replaced by 0 (`2019` → `0000`). Keys are lower case already.
fn background_form(term: &str) -> std::borrow::Cow<'_, str> {
    let bytes = term.as_bytes();
    let multi_digit = bytes
        .windows(2)
        .any(|pair| pair[0].is_ascii_digit() && pair[1].is_ascii_digit());
    if !multi_digit {
        return std::borrow::Cow::Borrowed(term);
    }
    let chars: Vec<char> = term.chars().collect();
    let mut out = String::with_capacity(term.len());
    for (i, &c) in chars.iter().enumerate() {
        let in_number = c.is_ascii_digit()
            && (i > 0 && chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(char::is_ascii_digit));
        out.push(if in_number { '0' } else { c });
    }
    std::borrow::Cow::Owned(out)
}

/// The distinct candidate words of `document`, the terms IDF counts.
pub fn candidate_terms(document: &Document<'_>) -> Vec<String> {
    Collector::new(Stopwords::builtin(), &CandidateOptions::default())
        .collect(document)
        .words
        .into_iter()
        .map(|word| word.key.into_owned())
        .collect()
}

/// Learns document frequencies from documents one at a time (so a folder
/// never has to be held in memory), for [`Idf::Learned`].
#[derive(Debug, Clone, Default)]
pub struct IdfBuilder {
    documents: usize,
    frequencies: HashMap<String, usize>,
}

impl IdfBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts each candidate word of `document` once.
    pub fn add(&mut self, document: &Document<'_>) {
        self.add_terms(candidate_terms(document));
    }

    /// Counts one document made of `terms` (distinct, as
    /// [`candidate_terms`] gives them; a document analysed in sections
    /// passes the union of its sections' terms).
    pub fn add_terms(&mut self, terms: impl IntoIterator<Item = String>) {
        self.documents += 1;
        for term in terms {
            *self.frequencies.entry(term).or_insert(0) += 1;
        }
    }

    /// Adds the counts of another builder (one per worker thread).
    pub fn merge(&mut self, other: IdfBuilder) {
        self.documents += other.documents;
        for (term, count) in other.frequencies {
            *self.frequencies.entry(term).or_insert(0) += count;
        }
    }

    /// How many documents were added.
    pub fn documents(&self) -> usize {
        self.documents
    }

    pub fn build(self) -> Idf {
        Idf::Learned {
            documents: self.documents,
            frequencies: self.frequencies,
        }
    }
}

/// Document frequencies of documents already analysed (the CLI learns from
/// text instead, through [`crate::analysis::Analyzer::idf_terms`], which
/// reads long documents in sections).
pub fn build_idf<'d, 't: 'd>(documents: impl IntoIterator<Item = &'d Document<'t>>) -> Idf {
    let mut builder = IdfBuilder::new();
    for document in documents {
        builder.add(document);
    }
    builder.build()
}

/// A sparse undirected or directed weighted graph for [`pagerank`]:
/// `edges[i]` lists `(j, weight)` for the edges leaving node `i`.
pub type Graph = Vec<Vec<(usize, f64)>>;

/// The undirected [`Graph`] of `nodes` nodes with the edges `edges` yields,
/// each as `(a, b, weight)` once for both directions: every node's
/// neighbours in ascending order, an edge yielded more than once kept once,
/// its weights folded by `merge(kept, repeat)`, which must not depend on the
/// order the repeats come in. `edges` is called twice, to count and then to
/// fill, and must yield the same both times.
pub fn undirected_graph<I: Iterator<Item = (usize, usize, f64)>>(
    nodes: usize,
    edges: impl Fn() -> I,
    merge: impl Fn(&mut f64, f64),
) -> Graph {
    let mut degree = vec![0usize; nodes];
    for (a, b, _) in edges() {
        degree[a] += 1;
        degree[b] += 1;
    }
    let mut graph: Graph = degree.into_iter().map(Vec::with_capacity).collect();
    for (a, b, weight) in edges() {
        graph[a].push((b, weight));
        graph[b].push((a, weight));
    }
    for neighbours in &mut graph {
        neighbours.sort_unstable_by_key(|&(neighbour, _)| neighbour);
        neighbours.dedup_by(|repeat, kept| {
            let same = repeat.0 == kept.0;
            if same {
                merge(&mut kept.1, repeat.1);
            }
            same
        });
    }
    graph
}

/// The change per node below which [`pagerank`] stops iterating.
const PAGERANK_TOLERANCE: f64 = 1e-6;

/// Weighted PageRank (TextRank/LexRank's ranking): the stationary score of a
/// random walk that follows edges in proportion to their weight and jumps to
/// a node drawn from `personalization` (uniform when `None`) with probability
/// 1 − `damping`. Nodes without out-edges jump the same way. Scores sum to
/// 1.
///
/// Iterates until the total change over a round is below
/// [`PAGERANK_TOLERANCE`] per node, or 100 rounds: networkx's stopping rule
/// (`pagerank` stops once the change is below `len(G) * tol`, tol 1e-6 by
/// default, in networkx 3.6), which textrankr ranks sentences with. Scores are then within about
/// `damping / (1 − damping)` times that change of the exact ranking, well
/// below what separates the words or sentences it ranks. (A total of 1e-6,
/// whatever the number of nodes, took up to twice the rounds on the graphs
/// of news articles, and chose other keywords or sentences for one of 328
/// documents: its tenth keyword.)
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
    let dangling_nodes: Vec<usize> = (0..n).filter(|&i| out_weight[i] <= 0.0).collect();
    // What each node passes along each unit of its out-weight this round.
    let mut share = vec![0.0; n];
    // The edges that carry weight (positive, from a node with out-weight),
    // turned around: (sender, weight) per receiving node, senders ascending.
    let out_weight_of = &out_weight;
    let incoming = Grouped::new(n, || {
        graph.iter().enumerate().flat_map(|(i, edges)| {
            edges
                .iter()
                .filter(move |&&(_, w)| out_weight_of[i] > 0.0 && w > 0.0)
                .map(move |&(j, w)| (j, (i, w)))
        })
    });
    let mut scores = jump.clone();
    let mut next = vec![0.0; n];
    for _ in 0..100 {
        let dangling: f64 = dangling_nodes.iter().map(|&i| scores[i]).sum();
        for ((share, score), out) in share.iter_mut().zip(&scores).zip(&out_weight) {
            *share = damping * score / out;
        }
        let base = 1.0 - damping + damping * dangling;
        let mut change = 0.0;
        // Each node adds up what it receives in the order of the senders.
        for (j, ((value, score), jump)) in next.iter_mut().zip(&scores).zip(&jump).enumerate() {
            let mut received = base * jump;
            for &(i, w) in incoming.get(j) {
                received += share[i] * w;
            }
            change += (score - received).abs();
            *value = received;
        }
        std::mem::swap(&mut scores, &mut next);
        if change < n as f64 * PAGERANK_TOLERANCE {
            break;
        }
    }
    scores
}

/// Values grouped by a key in `0..keys`, all in one buffer: the values of
/// key k are `values[starts[k]..starts[k + 1]]`, in the order they came.
/// For the inverted lists of graphs (incoming edges, term postings), where a
/// vector per key would cost an allocation each.
pub struct Grouped<T> {
    starts: Vec<usize>,
    values: Vec<T>,
}

impl<T: Copy + Default> Grouped<T> {
    /// Groups the `(key, value)` pairs that `pairs` yields; it is called
    /// twice, to count and then to fill, and must yield the same both times.
    pub fn new<I: Iterator<Item = (usize, T)>>(keys: usize, pairs: impl Fn() -> I) -> Self {
        let mut starts = vec![0; keys + 1];
        for (key, _) in pairs() {
            starts[key + 1] += 1;
        }
        for key in 0..keys {
            starts[key + 1] += starts[key];
        }
        let mut filled = starts.clone();
        let mut values = vec![T::default(); starts[keys]];
        for (key, value) in pairs() {
            values[filled[key]] = value;
            filled[key] += 1;
        }
        Self { starts, values }
    }

    /// The values of `key`, in the order they came.
    pub fn get(&self, key: usize) -> &[T] {
        &self.values[self.starts[key]..self.starts[key + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_weigh_less_than_rare_ones() {
        let idf = Idf::Background;
        let common = idf.weight("사람");
        let rare = idf.weight("인피니밴드");
        assert!(common < rare, "사람 {common} vs 인피니밴드 {rare}");
        assert!(common > 0.0);
    }

    #[test]
    fn learned_idf_follows_document_frequency() {
        let idf = Idf::Learned {
            documents: 10,
            frequencies: [("클라우드".to_string(), 9), ("애저".to_string(), 1)]
                .into_iter()
                .collect(),
        };
        assert!(idf.weight("클라우드") < idf.weight("애저"));
        assert!(idf.weight("없는말") > idf.weight("애저"));
    }

    #[test]
    fn idf_files_round_trip_in_a_stable_order() {
        let idf = Idf::Learned {
            documents: 3,
            frequencies: [
                ("애저".to_string(), 1),
                ("클라우드".to_string(), 3),
                ("gpu".to_string(), 1),
            ]
            .into_iter()
            .collect(),
        };
        let text = idf.to_tsv().unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows, ["@documents\t3", "클라우드\t3", "gpu\t1", "애저\t1"]);
        let reread = Idf::parse("idf.tsv", &text).unwrap();
        for term in ["애저", "클라우드", "gpu", "없는말"] {
            assert_eq!(reread.weight(term), idf.weight(term), "{term}");
        }
        assert!(Idf::default().to_tsv().is_none());
    }

    #[test]
    fn idf_file_errors_name_the_line() {
        let cases = [
            (
                "클라우드\t3\n",
                "line 1: the first line must be `@documents",
            ),
            (
                "@documents\t2\n클라우드\t3\n",
                "line 2: expected a term and a count from 1 to 2",
            ),
            (
                "@documents\t2\n애저 1\n",
                "line 2: expected `term<TAB>document count`",
            ),
            (
                "@documents\t2\n애저\tmany\n",
                "line 2: \"many\" is not a whole number",
            ),
            (
                "@documents\t2\n애저\t1\n애저\t2\n",
                "line 3: the term \"애저\" is listed twice",
            ),
            ("# only a comment\n", "line 1: no `@documents<TAB>N` line"),
        ];
        for (text, expected) in cases {
            let err = Idf::parse("idf.tsv", text).unwrap_err().to_string();
            assert!(err.starts_with("idf.tsv, "), "{err}");
            assert!(err.contains(expected), "{err} lacks {expected}");
        }
    }

    #[test]
    fn background_weights_are_remembered_exactly() {
        // Computed, remembered and recomputed after the thread's table has
        // been emptied (more distinct terms than it keeps), a weight is the
        // same number.
        let idf = Idf::Background;
        let terms: Vec<String> = ["클라우드", "사람", "인피니밴드", "2019년", "GPU"]
            .into_iter()
            .map(String::from)
            .chain((0..BACKGROUND_WEIGHTS_KEPT + 10).map(|i| format!("낱말{i}")))
            .collect();
        for _ in 0..2 {
            for term in &terms {
                assert_eq!(idf.weight(term), background_weight(term), "{term}");
            }
            let kept = BACKGROUND_WEIGHTS.with_borrow(|known| known.len());
            assert!(kept <= BACKGROUND_WEIGHTS_KEPT, "{kept}");
        }
    }

    #[test]
    fn background_lookups_follow_wordfreq_number_spelling() {
        assert_eq!(background_form("2019"), "0000");
        assert_eq!(background_form("gpt3"), "gpt3");
        assert_eq!(background_form("a100x"), "a000x");
        let idf = Idf::default();
        assert_eq!(idf.weight("2019"), idf.weight("1234"));
    }

    #[test]
    fn undirected_graphs_list_each_neighbour_once_in_order() {
        let edges = [(0, 2, 1.0), (2, 0, 3.0), (0, 1, 5.0)];
        let summed = undirected_graph(3, || edges.into_iter(), |kept, repeat| *kept += repeat);
        assert_eq!(
            summed,
            vec![vec![(1, 5.0), (2, 4.0)], vec![(0, 5.0)], vec![(0, 4.0)]]
        );
        let strongest = undirected_graph(
            4,
            || edges.into_iter(),
            |kept, repeat| *kept = kept.max(repeat),
        );
        assert_eq!(
            strongest,
            vec![
                vec![(1, 5.0), (2, 3.0)],
                vec![(0, 5.0)],
                vec![(0, 3.0)],
                vec![]
            ]
        );
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
    fn pagerank_is_as_close_to_the_exact_ranking_as_its_tolerance_promises() {
        // A ring of 300 nodes with chords and uneven weights, one dangling
        // node, and an uneven jump distribution.
        let n = 300;
        let mut edges = Vec::new();
        for i in 0..n - 2 {
            edges.push((i, i + 1, 1.0 + (i % 7) as f64));
            edges.push((i, (i * 37 + 11) % (n - 1), 0.5 + (i % 3) as f64));
        }
        let mut graph = undirected_graph(n - 1, || edges.iter().copied(), |w, more| *w += more);
        graph.push(Vec::new());
        let jump: Vec<f64> = (0..n).map(|i| 1.0 + (i % 5) as f64).collect();
        let damping = 0.85;
        let scores = pagerank(&graph, damping, Some(&jump));

        // The exact ranking, by iterating the definition to the last digit.
        let total: f64 = jump.iter().sum();
        let jump: Vec<f64> = jump.iter().map(|w| w / total).collect();
        let out: Vec<f64> = graph
            .iter()
            .map(|e| e.iter().map(|&(_, w)| w).sum())
            .collect();
        let mut exact = jump.clone();
        for _ in 0..2000 {
            let dangling: f64 = (0..n).filter(|&i| out[i] == 0.0).map(|i| exact[i]).sum();
            let mut next: Vec<f64> = jump
                .iter()
                .map(|j| (1.0 - damping + damping * dangling) * j)
                .collect();
            for (i, neighbours) in graph.iter().enumerate() {
                for &(j, w) in neighbours {
                    next[j] += damping * exact[i] * w / out[i];
                }
            }
            exact = next;
        }
        let error: f64 = scores.iter().zip(&exact).map(|(a, b)| (a - b).abs()).sum();
        let promised = damping / (1.0 - damping) * n as f64 * PAGERANK_TOLERANCE;
        assert!(error < promised, "off by {error:e}, promised {promised:e}");
        assert!((scores.iter().sum::<f64>() - 1.0).abs() < 1e-9);
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
