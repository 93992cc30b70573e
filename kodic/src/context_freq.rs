//! An estimate of how often the tokenizer touches each context id, written
//! as the histogram lindera's builder ranks context ids by.
//!
//! With `connection_id_mapping` on, lindera-dictionary renumbers left and
//! right context ids most-used-first, so that the connection-matrix cells a
//! lattice reads over and over sit close together in memory instead of being
//! spread over the whole 20 MB matrix. It needs a per-id usage count; without
//! one it counts lexicon entries per id, which ranks the ids of rare nouns
//! (hundreds of thousands of entries) above those of particles and endings
//! (a handful of entries, read at almost every position).
//!
//! kosum has no tagged corpus to count with, so the count is derived from the
//! lexicon itself. MeCab's word costs are scaled negative log probabilities
//! (mecab-ko-dic's cost factor is [`COST_FACTOR`]), so `exp(-cost / 800)` is,
//! up to one constant, the probability of an entry being a word of the text.
//! What the matrix lookups follow is not how often an entry is *chosen* but
//! how often it is a *candidate*: every entry whose surface occurs in the
//! text at some position is connected to everything ending there, whatever
//! word that occurrence really belongs to (the 가 of 가격 and 국가 makes a
//! 가/JKS candidate too). So a surface's weight is the probability mass of
//! all entries whose surface contains it, counted once per occurrence inside
//! that surface; each entry then adds its surface's weight to the count of
//! its left id and of its right id. Unknown-word entries (keyed by character
//! category, not by text) add their own probability.
//!
//! The histogram file ([`HISTOGRAM_FILE`]) is what lindera-dictionary 6.2
//! reads: a header line `<left id count> <right id count>` (the matrix's
//! backward and forward sizes), a line of per-left-id counts, a line of
//! per-right-id counts, counts being unsigned integers. Only the order of the
//! counts matters (ties rank by id), and the renumbering is a bijection
//! applied to the matrix and every entry alike, so tokenization is unchanged
//! whatever the estimate says; only speed depends on it.

use std::collections::{BTreeMap, HashMap};

/// File name of the histogram in the decompiled source folder.
pub const HISTOGRAM_FILE: &str = "context_id_freq.txt";

/// mecab-ko-dic's `cost-factor` (its `dicrc`): word cost ≈ −800 · ln p.
pub const COST_FACTOR: f64 = 800.0;

/// The largest count written; the estimates are scaled to it so that their
/// order survives the conversion to integers.
const SCALE: f64 = 1e15;

/// The probability weight of a word cost, `exp(-cost / COST_FACTOR)`.
pub fn cost_weight(cost: i16) -> f64 {
    (-f64::from(cost) / COST_FACTOR).exp()
}

/// Estimated use per context id, indexed by id.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextIdFrequency {
    /// Per left context id (the matrix's backward axis).
    pub left: Vec<f64>,
    /// Per right context id (the matrix's forward axis).
    pub right: Vec<f64>,
}

/// One lexicon entry as the estimate needs it.
#[derive(Debug, Clone, Copy)]
pub struct LexiconEntry<'a> {
    pub surface: &'a str,
    pub left_id: u16,
    pub right_id: u16,
    pub cost: i16,
}

impl ContextIdFrequency {
    /// Estimates the use of each id from the system lexicon and the
    /// unknown-word entries, for a matrix of `left_ids` left and `right_ids`
    /// right context ids. Ids out of range are ignored.
    pub fn estimate<'a>(
        lexicon: &[LexiconEntry<'a>],
        unknown: impl IntoIterator<Item = (u16, u16, i16)>,
        left_ids: usize,
        right_ids: usize,
    ) -> Self {
        // Probability mass of the entries of each surface, in surface order
        // so that the sums (and so the ranking) are the same on every build.
        let mut mass: BTreeMap<&'a str, f64> = BTreeMap::new();
        for entry in lexicon {
            *mass.entry(entry.surface).or_default() += cost_weight(entry.cost);
        }
        // How often each surface occurs as a candidate: the mass of every
        // surface containing it, once per occurrence.
        let mut candidate: HashMap<&'a str, f64> = mass.keys().map(|&s| (s, 0.0)).collect();
        let mut bounds = Vec::new();
        for (&surface, &weight) in &mass {
            bounds.clear();
            bounds.extend(surface.char_indices().map(|(i, _)| i));
            bounds.push(surface.len());
            for (n, &from) in bounds.iter().enumerate() {
                for &to in &bounds[n + 1..] {
                    if let Some(count) = candidate.get_mut(&surface[from..to]) {
                        *count += weight;
                    }
                }
            }
        }
        let mut frequency = Self {
            left: vec![0.0; left_ids],
            right: vec![0.0; right_ids],
        };
        for entry in lexicon {
            let weight = candidate.get(entry.surface).copied().unwrap_or(0.0);
            frequency.add(entry.left_id, entry.right_id, weight);
        }
        for (left_id, right_id, cost) in unknown {
            frequency.add(left_id, right_id, cost_weight(cost));
        }
        frequency
    }

    fn add(&mut self, left_id: u16, right_id: u16, weight: f64) {
        if let Some(count) = self.left.get_mut(usize::from(left_id)) {
            *count += weight;
        }
        if let Some(count) = self.right.get_mut(usize::from(right_id)) {
            *count += weight;
        }
    }

    /// Renders the histogram in lindera-dictionary's format, scaled so the
    /// largest count is [`SCALE`].
    pub fn to_histogram(&self) -> String {
        let largest = self
            .left
            .iter()
            .chain(&self.right)
            .copied()
            .fold(0.0f64, f64::max);
        let factor = if largest > 0.0 { SCALE / largest } else { 0.0 };
        let line = |counts: &[f64]| -> String {
            counts
                .iter()
                .map(|&count| ((count * factor).round() as u64).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        format!(
            "{} {}\n{}\n{}\n",
            self.left.len(),
            self.right.len(),
            line(&self.left),
            line(&self.right)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(surface: &str, left_id: u16, right_id: u16, cost: i16) -> LexiconEntry<'_> {
        LexiconEntry {
            surface,
            left_id,
            right_id,
            cost,
        }
    }

    #[test]
    fn cost_weight_reads_costs_as_scaled_log_probabilities() {
        assert_eq!(cost_weight(0), 1.0);
        assert!((cost_weight(800) - (-1.0f64).exp()).abs() < 1e-12);
        assert!(cost_weight(-800) > cost_weight(0));
    }

    #[test]
    fn a_short_function_word_outranks_many_rare_nouns() {
        // One particle (ids 1/1) and three nouns (ids 2/2); by entry count
        // the noun ids would come first.
        let lexicon = [
            entry("가", 1, 1, 0),
            entry("가격", 2, 2, 800),
            entry("국가", 2, 2, 800),
            entry("나라", 2, 2, 1600),
        ];
        let freq = ContextIdFrequency::estimate(&lexicon, [(3, 4, 1600)], 4, 5);
        let (w0, w1, w2) = (cost_weight(0), cost_weight(800), cost_weight(1600));
        // 가 is a candidate wherever 가, 가격 or 국가 occurs.
        let particle = w0 + w1 + w1;
        // Each noun is a candidate only where it occurs itself.
        let nouns = w1 + w1 + w2;
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(freq.left[1], particle) && close(freq.right[1], particle));
        assert!(close(freq.left[2], nouns) && close(freq.right[2], nouns));
        assert!(freq.left[1] > freq.left[2]);
        // The unknown-word entry adds its own weight; unused ids stay 0.
        assert!(close(freq.left[3], w2) && close(freq.right[4], w2));
        assert_eq!((freq.left[0], freq.right[3]), (0.0, 0.0));
    }

    #[test]
    fn substrings_count_once_per_occurrence_and_out_of_range_ids_are_ignored() {
        let lexicon = [
            entry("아", 0, 0, 0),
            entry("아아", 1, 1, 0),
            entry("x", 9, 9, 0),
        ];
        let freq = ContextIdFrequency::estimate(&lexicon, [], 2, 2);
        // 아 occurs in 아 once and in 아아 twice.
        assert_eq!(freq.left, vec![3.0, 1.0]);
        assert_eq!(freq.right, vec![3.0, 1.0]);
    }

    #[test]
    fn histogram_has_lindera_layout_and_keeps_the_order() {
        let freq = ContextIdFrequency {
            left: vec![0.0, 2.0, 0.5],
            right: vec![4.0, 1.0],
        };
        let text = freq.to_histogram();
        let lines: Vec<&str> = text.lines().collect();
        // Header: left (backward) size, then right (forward) size.
        assert_eq!(lines[0], "3 2");
        assert_eq!(lines[1], "0 500000000000000 125000000000000");
        assert_eq!(lines[2], "1000000000000000 250000000000000");
        assert_eq!(lines.len(), 3);
    }
}
