//! Finds the lexicon entries that no best path can use, so that the build
//! leaves them out.
//!
//! Most keys of mecab-ko-dic have one entry, but the short, frequent ones
//! have many (homographs, inflected forms, particles): up to 32. The search
//! adds a lattice node for every entry of every key it meets, so these few
//! keys make most of its nodes. Some of those entries can never be chosen.
//! An entry `E` is *dominated* by an entry `F` of the same key when `F` is
//! cheaper in every context: for every right id `p` of a preceding word,
//! every left id `q` of a following word (the sentence's start and end are
//! id 0 on either side), and with or without whitespace before the word,
//!
//! ```text
//! conn(p, F.left) + F.cost + penalty(F) + conn(F.right, q)
//!     < conn(p, E.left) + E.cost + penalty(E) + conn(E.right, q)
//! ```
//!
//! where `penalty` is the left-space penalty after whitespace and 0
//! otherwise. The sides split by context, so this holds exactly when
//!
//! ```text
//! max_p [conn(p, F.left) − conn(p, E.left)] + max_q [conn(F.right, q) − conn(E.right, q)]
//!     + max(0, penalty(F) − penalty(E)) + F.cost − E.cost < 0.
//! ```
//!
//! `F` covers the same chars as `E`, so any path through `E` costs strictly
//! more than the same path through `F`. A search therefore never chooses
//! `E`, nor a path through it, and leaving `E` out changes nothing it finds:
//! the remaining entries keep their order, so where two paths cost the same
//! the search breaks the tie as before. (Entries dominated only by dominated
//! entries are dominated by a kept one too: "cheaper in every context" is
//! transitive and never circular.)
//!
//! In mecab-ko-dic 2.1.1 this leaves out 2,245 of the 816,283 entries, but
//! they belong to frequent keys: on the konlpy documents of kosum's
//! benchmark they were 47,645 of the search's 476,357 nodes from the system
//! dictionary (10%).

use std::collections::HashMap;

use crate::decompile::{DicEntry, Matrix};

/// The most an entry with one context id can cost more than one with
/// another, over all contexts on one side, by (better id, worse id).
struct Gaps<'m> {
    matrix: &'m Matrix<'m>,
    /// Left ids, over the preceding word's right ids.
    left: HashMap<(u16, u16), i32>,
    /// Right ids, over the following word's left ids.
    right: HashMap<(u16, u16), i32>,
}

impl Gaps<'_> {
    /// Below zero when `b` (better) is cheaper than `w` (worse) in every
    /// context; see the module docs. `penalties` are their left-space
    /// penalties.
    fn margin(&mut self, b: &DicEntry<'_>, w: &DicEntry<'_>, penalties: (i32, i32)) -> i32 {
        let m = self.matrix;
        let left = *self.left.entry((b.left_id, w.left_id)).or_insert_with(|| {
            let gaps = (0..m.lsize).map(|p| gap(m.cost(p, b.left_id), m.cost(p, w.left_id)));
            gaps.max().unwrap_or(0)
        });
        let right = *self
            .right
            .entry((b.right_id, w.right_id))
            .or_insert_with(|| {
                let gaps = (0..m.rsize).map(|q| gap(m.cost(b.right_id, q), m.cost(w.right_id, q)));
                gaps.max().unwrap_or(0)
            });
        left + right + (penalties.0 - penalties.1).max(0) + gap(b.cost, w.cost)
    }
}

fn gap(better: i16, worse: i16) -> i32 {
    i32::from(better) - i32::from(worse)
}

/// Marks the entries another entry of the same key dominates (see the module
/// docs). `entries` is a lexicon in key order, as [`crate::decompile`]
/// returns it, so one key's entries are next to each other; `penalty` gives
/// an entry's left-space penalty, the cost added when whitespace precedes
/// it, and is asked only of keys with more than one entry. Context ids must
/// lie within `matrix`.
pub fn dominated(
    entries: &[DicEntry<'_>],
    matrix: &Matrix<'_>,
    penalty: impl Fn(&DicEntry<'_>) -> i32,
) -> Vec<bool> {
    let mut gaps = Gaps {
        matrix,
        left: HashMap::new(),
        right: HashMap::new(),
    };
    let mut marks = Vec::with_capacity(entries.len());
    for key in entries.chunk_by(|a, b| a.surface == b.surface) {
        if key.len() == 1 {
            marks.push(false);
            continue;
        }
        let penalties: Vec<i32> = key.iter().map(&penalty).collect();
        marks.extend((0..key.len()).map(|worse| {
            (0..key.len()).any(|better| {
                better != worse
                    && gaps.margin(
                        &key[better],
                        &key[worse],
                        (penalties[better], penalties[worse]),
                    ) < 0
            })
        }));
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decompile::parse_matrix_bin;
    use crate::testutil::encode_matrix;
    use std::path::Path;

    fn word(left_id: u16, right_id: u16, cost: i16) -> DicEntry<'static> {
        DicEntry {
            surface: "가".to_string(),
            left_id,
            right_id,
            pos_id: 0,
            cost,
            feature: "NNG,*,F,*,*,*,*,*",
        }
    }

    /// The marks for `entries` under a 3 × 3 matrix whose costs are 0 but
    /// for `cell`, `((l, r), cost)`: right id `l` of a preceding word
    /// followed by left id `r`. `penalty` is each entry's space penalty.
    fn marks(entries: &[DicEntry<'_>], cell: ((u16, u16), i16), penalty: &[i32]) -> Vec<bool> {
        let bytes = encode_matrix(3, 3, |l, r| if (l, r) == cell.0 { cell.1 } else { 0 });
        let matrix = parse_matrix_bin(&bytes, Path::new("matrix.bin")).unwrap();
        dominated(entries, &matrix, |entry| {
            let index = entries.iter().position(|e| std::ptr::eq(e, entry)).unwrap();
            penalty[index]
        })
    }

    const FLAT: ((u16, u16), i16) = ((0, 0), 0);

    #[test]
    fn a_dearer_twin_is_dominated_and_an_equal_one_is_not() {
        let entries = [word(1, 1, 100), word(1, 1, 90), word(1, 1, 90)];
        // The two at 90 tie: neither is cheaper than the other.
        assert_eq!(marks(&entries, FLAT, &[0; 3]), [true, false, false]);
    }

    #[test]
    fn only_entries_of_the_same_key_compete() {
        let mut entries = [word(1, 1, 100), word(1, 1, 10)];
        entries[1].surface = "나".to_string();
        assert_eq!(marks(&entries, FLAT, &[0; 2]), [false, false]);
    }

    #[test]
    fn preceding_contexts_count() {
        // Left id 1 costs 50 more after right id 2.
        let cell = ((2, 1), 50);
        // Left id 2 never costs more than left id 1, so 60 beats 100.
        assert_eq!(
            marks(&[word(1, 1, 100), word(2, 1, 60)], cell, &[0; 2]),
            [true, false]
        );
        // The other way round, 51 with left id 1 costs 101 after right
        // id 2, more than 100; 49 costs 99.
        assert_eq!(
            marks(&[word(2, 1, 100), word(1, 1, 51)], cell, &[0; 2]),
            [false, false]
        );
        assert_eq!(
            marks(&[word(2, 1, 100), word(1, 1, 49)], cell, &[0; 2]),
            [true, false]
        );
    }

    #[test]
    fn following_contexts_count() {
        // Right id 2 costs 30 more before left id 1.
        let cell = ((2, 1), 30);
        assert_eq!(
            marks(&[word(1, 1, 100), word(1, 2, 69)], cell, &[0; 2]),
            [true, false]
        );
        // 70 + 30 ties with 100 there.
        assert_eq!(
            marks(&[word(1, 1, 100), word(1, 2, 70)], cell, &[0; 2]),
            [false, false]
        );
    }

    #[test]
    fn a_space_penalty_counts_against_the_entry_it_falls_on() {
        let entries = [word(1, 1, 100), word(1, 1, 10)];
        // The cheaper entry is penalised by 3000 after whitespace, where the
        // dearer one is cheaper: both stay.
        assert_eq!(marks(&entries, FLAT, &[0, 3000]), [false, false]);
        // A penalty on the dearer entry only makes it dearer; equal ones
        // cancel.
        assert_eq!(marks(&entries, FLAT, &[3000, 0]), [true, false]);
        assert_eq!(marks(&entries, FLAT, &[3000, 3000]), [true, false]);
    }
}
