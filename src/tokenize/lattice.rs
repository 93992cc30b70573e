//! A MeCab-ko style Viterbi search over lindera's mecab-ko-dic structures.
//!
//! lindera's own lattice turns every whitespace character into a `SPACE`
//! node with its own connection costs, so the word before a space and the
//! word after it are never connected directly. Korean text has a space after
//! almost every 어절, and the costs through that `SPACE` node change the
//! analysis: on the evaluation corpus's 1,491 lines lindera's own search
//! agrees with MeCab-ko (same dictionary) on 581, this one on 1,489
//! (수/NNB became 수/NNG, 지/NNB became 지/VX, …). This search follows
//! MeCab-ko instead: whitespace is skipped, the words on both sides are
//! connected directly, and a candidate that starts right after whitespace
//! pays mecab-ko-dic's left-space penalty (so a particle or ending is not
//! chosen across a space). Each line is analysed as one sentence, like MeCab
//! reading line by line.
//!
//! It reads lindera's dictionary structures (the entries, the character
//! definitions, the unknown-word dictionary and the connection matrix) and
//! finds the system dictionary's keys by walking lindera's trie with the
//! build's table of entry ranges by node ([`super::trie`]).

use std::sync::atomic::{AtomicU8, Ordering};

use foldhash::{HashMap, HashMapExt};

use super::SlotCache;
use super::trie::SystemTrie;

use lindera::dictionary::Dictionary;
use lindera_dictionary::dictionary::character_definition::CategoryId;
use lindera_dictionary::dictionary::connection_cost_matrix::ConnectionCostMatrix;

/// Bytes of one serialized lexicon entry in lindera 6.2's prefix dictionary:
/// u32 word id, i16 cost, u16 left id, u16 right id (little endian). The
/// lindera version is pinned exactly, and the tokenizer tests fail if this
/// layout ever changes.
pub(super) const ENTRY_LEN: usize = 10;

/// One lexicon entry of the system dictionary.
#[derive(Debug, Clone, Copy)]
pub(super) struct SystemEntry {
    pub word_id: u32,
    pub cost: i16,
    pub left_id: u16,
    pub right_id: u16,
}

/// The entries serialized in `bytes` (a key's entries, or all of them), in
/// order; lindera keeps its own decoder private.
pub(super) fn system_entries(bytes: &[u8]) -> impl Iterator<Item = SystemEntry> + '_ {
    bytes.chunks_exact(ENTRY_LEN).map(|entry| SystemEntry {
        word_id: u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]),
        cost: i16::from_le_bytes([entry[4], entry[5]]),
        left_id: u16::from_le_bytes([entry[6], entry[7]]),
        right_id: u16::from_le_bytes([entry[8], entry[9]]),
    })
}

/// No mecab-ko-dic entry is longer than this many chars; bounding the
/// prefix search keeps it linear in the line length.
const MAX_WORD_CHARS: usize = 64;

/// MeCab's default cap on grouping unknown characters of one class.
const MAX_GROUPING: usize = 24;

/// Lines longer than this many chars are analysed in pieces cut at a space
/// (or, failing that, anywhere), which bounds the lattice's memory.
const MAX_PIECE_CHARS: usize = 4096;

/// The bit of a char's category set that marks whitespace.
const SPACE_BIT: u64 = 1 << 63;

/// Whether char `i` of a piece is whitespace, by its category set.
fn is_space(categories: &[u64], i: usize) -> bool {
    categories[i] & SPACE_BIT != 0
}

/// Where a word following position `position` starts: the first char there
/// or after it that is not whitespace (the piece's length if none is).
fn word_start(categories: &[u64], position: usize) -> usize {
    let mut begin = position;
    while begin < categories.len() && is_space(categories, begin) {
        begin += 1;
    }
    begin
}

/// Asks the processor to bring the bytes at `offset` of `data` into its
/// cache, without waiting for them: the search reads a key's entries only
/// after the candidate pass, which meanwhile walks on.
#[inline(always)]
fn prefetch(data: &[u8], offset: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(byte) = data.get(offset) {
        // SAFETY: prefetching has no effect on memory, and the address is
        // inside `data`.
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(byte).cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (data, offset);
}

/// What a lattice node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeWord {
    System(u32),
    Unknown(u32),
    User(u32),
}

/// A user-dictionary entry, matched by its surface.
#[derive(Debug, Clone)]
pub struct UserEntry {
    pub surface: Vec<char>,
    pub left_id: u16,
    pub right_id: u16,
    pub cost: i16,
    /// Index of the term this entry came from.
    pub term: u32,
}

/// One word of the best path: char offsets within the analysed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathWord {
    pub start: usize,
    pub end: usize,
    pub word: NodeWord,
}

/// No node: the end of a list of nodes ending at one position, or a path.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    start: u32,
    end: u32,
    right_id: u16,
    word: NodeWord,
    best: i32,
    previous: u32,
    /// The next node ending where this one ends (added before it), or
    /// [`NONE`].
    next_ending: u32,
}

/// A path total and the node it comes through, packed so that comparing two
/// keys compares totals first and node indices second: the minimum key is
/// the cheapest path, and among equally cheap ones the earliest node, the
/// one a scan over the nodes in order with a strict `<` would keep.
///
/// Totals always fit in an `i32`: a piece has at most [`MAX_PIECE_CHARS`]
/// nodes on a path (every word covers a char), and each adds a word cost
/// (`i16`), a space penalty (clamped to `i16` in [`Lattice::new`]) and a
/// connection cost (`i16`), so |total| < 4096 · 3 · 2^15 < 2^31. So keys
/// are added to without overflow or saturation.
type Key = i64;

fn key(total: i32, index: u32) -> Key {
    (Key::from(total) << 32) | Key::from(index)
}

fn key_total(key: Key) -> i32 {
    (key >> 32) as i32
}

fn key_index(key: Key) -> u32 {
    key as u32
}

/// A connection cost moved to the total's half of a [`Key`].
fn key_cost(cost: i16) -> Key {
    Key::from(cost) << 32
}

/// The best node ending at the current position for one right id: the
/// [`Key`] of its path and the right id following words connect from.
#[derive(Debug, Clone, Copy)]
struct Previous {
    key: Key,
    right_id: u16,
}

/// The search, with the penalty cache it fills as it goes.
pub struct Lattice {
    /// Penalty rule per left context id of system words: 0 = not looked up
    /// yet, 1 = none, r + 2 = rule r. In mecab-ko-dic all words with one
    /// left id share the tag the rule depends on (the test
    /// `a_left_id_has_one_space_penalty` checks every word), so the rule is
    /// read from the first word seen with each left id. A few thousand
    /// entries stay in cache, where one per word (814,038 in the built
    /// dictionary) would be read from memory; filled lazily, as reading
    /// every word's tag up front would cost about 100 ms at start-up.
    left_penalty: Vec<AtomicU8>,
    /// Penalty per unknown-word entry (a few dozen), computed up front.
    unknown_penalty: Vec<i32>,
    rule_costs: Vec<i32>,
    /// The penalty rule per part-of-speech tag (the first rule naming it).
    rule_tags: HashMap<String, u8>,
    user_entries: Vec<UserEntry>,
    /// User entries by first char, indices into `user_entries`.
    user_index: HashMap<char, Vec<u32>>,
    /// Bit per Basic Multilingual Plane char that starts a user entry, so
    /// the lattice only hashes a char when an entry may start with it.
    user_first_chars: Vec<u64>,
    space_category: Option<CategoryId>,
    /// The system dictionary's keys, with their entry ranges.
    trie: &'static SystemTrie,
}

/// Per-thread scratch space, reused from line to line and document to document.
#[derive(Default)]
pub struct Scratch {
    chars: Vec<char>,
    categories: Vec<u64>,
    /// Per char of the piece, its first category: the one MeCab makes
    /// unknown words of.
    first_categories: Vec<Option<CategoryId>>,
    /// Per char of the piece, its code in the system dictionary's trie.
    trie_codes: Vec<u32>,
    /// Category sets and first categories of chars seen before: Korean text
    /// draws on a few hundred syllables, so most chars are found here
    /// instead of being classified again.
    class_cache: SlotCache<(u64, Option<CategoryId>)>,
    /// The words the search may place in the piece being searched (see
    /// [`Lattice::find_candidates`]).
    candidates: Candidates,
    search: Search,
}

/// A word the search may place at a position, found before the search runs.
#[derive(Debug, Clone, Copy)]
enum Candidate {
    /// A user-dictionary entry, by index.
    User(u32),
    /// A key of the system dictionary: its entries, as a byte range of the
    /// dictionary's entry data, and its length in chars.
    System {
        entries_start: u32,
        entries_end: u32,
        chars: u32,
    },
    /// MeCab's unknown words of a char category, `chars` long.
    Unknown { category: u32, chars: u32 },
}

/// The candidates of a piece, by the position they start at.
#[derive(Default)]
struct Candidates {
    all: Vec<Candidate>,
    /// Per position, the range of `all` that starts there (empty where no
    /// word starts).
    at: Vec<(u32, u32)>,
    /// Per position, whether a candidate ends there (or it is the start).
    reached: Vec<bool>,
}

impl Candidates {
    fn starting_at(&self, position: usize) -> &[Candidate] {
        let (first, end) = self.at[position];
        &self.all[first as usize..end as usize]
    }
}

/// The lattice of one piece being searched.
#[derive(Default)]
struct Search {
    nodes: Vec<Node>,
    /// Per position, the last node added that ends there (the head of a
    /// list through [`Node::next_ending`]), or [`NONE`].
    ending: Vec<u32>,
    /// The nodes ending at the current position, collapsed to the best one
    /// per right id.
    previous: Vec<Previous>,
    /// Per right id: (generation, index into `previous`), valid when the
    /// generation is the current one. Exactly as long as the matrix rows
    /// (its forward size), so a right id that indexes it indexes a row too.
    right_slots: Vec<(u32, u32)>,
    /// Per left id: (generation, best key) of a word already connected at
    /// the current position; the many entries that share a left id there
    /// (homographs, inflections) reuse it.
    left_memo: Vec<(u32, Key)>,
    generation: u32,
}

/// A line buffer longer than this many chars is freed after a document, so
/// one huge line does not pin its memory for the thread's life (the other
/// buffers are bounded by [`MAX_PIECE_CHARS`]).
const CHARS_KEPT: usize = 1 << 16;

impl Scratch {
    /// Gives back the memory a very long line made the line buffer grow to.
    pub fn trim(&mut self) {
        if self.chars.capacity() > CHARS_KEPT {
            self.chars = Vec::new();
        }
    }
}

impl Search {
    /// Starts a piece of `n` chars with the BOS node.
    fn reset(&mut self, n: usize, matrix: &ConnectionCostMatrix) {
        self.nodes.clear();
        // No right id collected for another matrix may outlive the resize
        // below (the fold reads rows unchecked, see `best_previous`).
        self.previous.clear();
        self.ending.clear();
        self.ending.resize(n + 1, NONE);
        let rights = matrix.forward_size as usize;
        if self.right_slots.len() != rights {
            self.right_slots.resize(rights, (0, 0));
        }
        let lefts = matrix.backward_size as usize;
        if self.left_memo.len() < lefts {
            self.left_memo.resize(lefts, (0, 0));
        }
        self.nodes.push(Node {
            start: 0,
            end: 0,
            right_id: 0,
            word: NodeWord::Unknown(NONE),
            best: 0,
            previous: NONE,
            next_ending: NONE,
        });
        self.ending[0] = 0;
    }

    /// Adds a word from `start` to `end` (chars), connected to the nodes
    /// collapsed by the last [`Search::collapse_previous`].
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        matrix: &ConnectionCostMatrix,
        start: usize,
        end: usize,
        left_id: u16,
        right_id: u16,
        cost: i32,
        word: NodeWord,
    ) {
        let best = self.best_previous(matrix, left_id);
        let index = self.nodes.len() as u32;
        self.nodes.push(Node {
            start: start as u32,
            end: end as u32,
            right_id,
            word,
            best: key_total(best) + cost,
            previous: key_index(best),
            next_ending: self.ending[end],
        });
        self.ending[end] = index;
    }

    /// Collapses the nodes ending at `position` (at least one) to the best
    /// one per right id into `previous`.
    ///
    /// A following word's total through a node is the node's best cost plus
    /// the connection cost from its right id, so only the cheapest node per
    /// right id can win. This makes the inner loop of the search read one
    /// compact list instead of every node ending there.
    fn collapse_previous(&mut self, position: usize) {
        self.previous.clear();
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.right_slots.fill((0, 0));
            self.left_memo.fill((0, 0));
            self.generation = 1;
        }
        let mut index = self.ending[position];
        while index != NONE {
            let node = &self.nodes[index as usize];
            let node_key = key(node.best, index);
            let slot = &mut self.right_slots[usize::from(node.right_id)];
            if slot.0 == self.generation {
                let kept = &mut self.previous[slot.1 as usize].key;
                *kept = (*kept).min(node_key);
            } else {
                *slot = (self.generation, self.previous.len() as u32);
                self.previous.push(Previous {
                    key: node_key,
                    right_id: node.right_id,
                });
            }
            index = node.next_ending;
        }
    }

    /// The cheapest connection from the nodes ending at the current position
    /// (at least one) into a word with `left_id`, as a [`Key`].
    #[inline]
    fn best_previous(&mut self, matrix: &ConnectionCostMatrix, left_id: u16) -> Key {
        let memo = &mut self.left_memo[usize::from(left_id)];
        if memo.0 == self.generation {
            return memo.1;
        }
        let row = matrix.row(u32::from(left_id));
        // Every right id in `previous` indexed `right_slots` (bounds-checked)
        // when `collapse_previous` put it there since the last `reset`
        // (which empties `previous` and sizes `right_slots` to this matrix),
        // and `right_slots` is as long as a row, so the fold can read the
        // row unchecked. This is the search's innermost loop (2.8 M turns on
        // the 53 konlpy documents); leaving out the check per turn cut that
        // run's instructions by 2.6% (231.6 → 225.6 M, callgrind).
        assert_eq!(self.right_slots.len(), row.len());
        // A fold from `Key::MAX` compiles to compare-and-move, with no
        // branch on the costs. (Sorting the nodes to stop early, bounded by
        // the row's cheapest cost, visited a third of them but cost as many
        // instructions in all and more time: its branches are unpredictable.)
        let best = self.previous.iter().fold(Key::MAX, |best, previous| {
            // SAFETY: `previous.right_id < right_slots.len() == row.len()`
            // (see above).
            let cost = unsafe { *row.get_unchecked(usize::from(previous.right_id)) };
            best.min(previous.key + key_cost(cost))
        });
        *memo = (self.generation, best);
        best
    }

    /// The cheapest node ending at `position` to end the path with, or
    /// `None` if no node ends there.
    fn best_last(&self, matrix: &ConnectionCostMatrix, position: usize) -> Option<u32> {
        let row = matrix.row(0);
        let mut best: Option<Key> = None;
        let mut index = self.ending[position];
        while index != NONE {
            let node = &self.nodes[index as usize];
            let total = key(node.best, index) + key_cost(row[usize::from(node.right_id)]);
            best = Some(best.map_or(total, |best| best.min(total)));
            index = node.next_ending;
        }
        best.map(key_index)
    }
}

impl Lattice {
    pub fn new(
        dictionary: &Dictionary,
        trie: &'static SystemTrie,
        user_entries: Vec<UserEntry>,
    ) -> Self {
        let mut rule_costs = Vec::new();
        let mut rule_tags = HashMap::new();
        if let Some(config) = &dictionary.metadata.space_penalty {
            for (index, rule) in config.rules.iter().enumerate().take(250) {
                // Clamped to the range the path-total bound of `Key` needs
                // (mecab-ko-dic's penalties are 3000 and 6000).
                rule_costs.push(rule.cost.clamp(i16::MIN.into(), i16::MAX.into()));
                for tag in &rule.pos {
                    rule_tags.entry(tag.clone()).or_insert(index as u8);
                }
            }
        }
        let lefts = dictionary.connection_cost_matrix.backward_size as usize;
        let left_penalty = (0..lefts).map(|_| AtomicU8::new(0)).collect();
        let mut user_index: HashMap<char, Vec<u32>> = HashMap::new();
        let mut user_first_chars = vec![0u64; 0x10000 / 64];
        for (index, entry) in user_entries.iter().enumerate() {
            if let Some(&first) = entry.surface.first() {
                user_index.entry(first).or_default().push(index as u32);
                if let Some(bits) = user_first_chars.get_mut(first as usize / 64) {
                    *bits |= 1 << (first as usize % 64);
                }
            }
        }
        let mut lattice = Self {
            left_penalty,
            unknown_penalty: Vec::new(),
            rule_costs,
            rule_tags,
            user_entries,
            user_index,
            user_first_chars,
            space_category: dictionary.character_definition.category_id_by_name("SPACE"),
            trie,
        };
        let unknown = &dictionary.unknown_dictionary;
        lattice.unknown_penalty = (0..unknown.costs.len() as u32)
            .map(|id| {
                unknown
                    .word_details_iter(id)
                    .and_then(|mut fields| fields.next())
                    .and_then(|tag| lattice.penalty_for_tag(tag))
                    .map_or(0, |rule| lattice.rule_costs[rule as usize])
            })
            .collect();
        lattice
    }

    pub fn user_entry(&self, index: u32) -> &UserEntry {
        &self.user_entries[index as usize]
    }

    /// The left-space penalty for a part-of-speech tag (first tag counts).
    pub(super) fn penalty_for_tag(&self, tag: &str) -> Option<u8> {
        let first = tag.split('+').next().unwrap_or(tag);
        self.rule_tags.get(first).copied()
    }

    /// The left-space penalty of a word with `left_id` starting right after
    /// whitespace.
    #[inline]
    fn penalty(&self, dictionary: &Dictionary, word: NodeWord, left_id: u16) -> i32 {
        let rule = match word {
            NodeWord::System(id) => {
                let Some(slot) = self.left_penalty.get(usize::from(left_id)) else {
                    return 0;
                };
                match slot.load(Ordering::Relaxed) {
                    0 => self.look_up_penalty(dictionary, id, slot),
                    1 => None,
                    value => Some(value - 2),
                }
            }
            NodeWord::Unknown(id) => {
                return self.unknown_penalty.get(id as usize).copied().unwrap_or(0);
            }
            NodeWord::User(_) => None,
        };
        rule.map_or(0, |rule| self.rule_costs[rule as usize])
    }

    /// The penalty rule of system word `id`, read from its tag and
    /// remembered in the `slot` of its left id.
    #[cold]
    fn look_up_penalty(&self, dictionary: &Dictionary, id: u32, slot: &AtomicU8) -> Option<u8> {
        let rule = self.penalty_for_tag(super::system_tag(dictionary, id));
        slot.store(rule.map_or(1, |r| r + 2), Ordering::Relaxed);
        rule
    }

    /// The user entries that start with `c`.
    fn user_entries_from(&self, c: char) -> &[u32] {
        let code = c as usize;
        if code < 0x10000 && self.user_first_chars[code / 64] & (1 << (code % 64)) == 0 {
            return &[];
        }
        self.user_index.get(&c).map_or(&[], Vec::as_slice)
    }

    /// The category set of `c` (bit i = category i), with [`SPACE_BIT`]
    /// set for whitespace, and its first category, from one category lookup.
    fn char_class(&self, dictionary: &Dictionary, c: char) -> (u64, Option<CategoryId>) {
        let categories = dictionary.character_definition.lookup_categories(c);
        let bits = categories
            .iter()
            .filter(|id| id.0 < 63)
            .fold(0u64, |bits, id| bits | (1 << id.0));
        let space = c.is_whitespace()
            || self
                .space_category
                .is_some_and(|space| categories.contains(&space));
        let bits = if space { bits | SPACE_BIT } else { bits };
        (bits, categories.first().copied())
    }

    /// Analyses one line (no `\n` inside), appending the best path to `out`
    /// with char offsets relative to the line.
    pub fn analyse_line(
        &self,
        dictionary: &Dictionary,
        line: &str,
        scratch: &mut Scratch,
        out: &mut Vec<PathWord>,
    ) {
        scratch.chars.clear();
        scratch.chars.extend(line.chars());
        let total = scratch.chars.len();
        let mut piece_start = 0;
        while piece_start < total {
            let mut piece_end = total;
            if total - piece_start > MAX_PIECE_CHARS {
                let limit = piece_start + MAX_PIECE_CHARS;
                piece_end = (piece_start + MAX_PIECE_CHARS / 2..limit)
                    .rev()
                    .find(|&i| scratch.chars[i].is_whitespace())
                    .map_or(limit, |i| i + 1);
            }
            self.analyse_piece(dictionary, scratch, piece_start, piece_end, out);
            piece_start = piece_end;
        }
    }

    /// Finds the words the search may place in a piece, at every position
    /// one can start at, before the search connects any of them: the user
    /// entries, the system dictionary's keys and MeCab's unknown words, in
    /// the order the search adds them.
    ///
    /// The dictionary lookups walk the trie and fetch the entries, reads
    /// that mostly miss the processor's cache. Done one position at a time
    /// between the search's other work, the processor waits for each in
    /// turn; done here in one tight loop, it waits for many at once. Where a
    /// word can start follows from where the words before it end, as in the
    /// search, so no position is looked up that the search never reaches
    /// (31% of the chars that are not spaces, in 269 news-style articles).
    fn find_candidates(
        &self,
        dictionary: &Dictionary,
        chars: &[char],
        categories: &[u64],
        first_categories: &[Option<CategoryId>],
        trie_codes: &[u32],
        candidates: &mut Candidates,
    ) {
        let n = chars.len();
        let definitions = &dictionary.character_definition;
        let entry_data: &[u8] = &dictionary.prefix_dictionary.vals_data;
        let Candidates { all, at, reached } = candidates;
        all.clear();
        at.clear();
        at.resize(n, (0, 0));
        reached.clear();
        reached.resize(n + 1, false);
        reached[0] = true;
        let mut last_begin = None;
        for position in 0..n {
            if !reached[position] {
                continue;
            }
            let begin = word_start(categories, position);
            if begin >= n || last_begin == Some(begin) {
                continue;
            }
            last_begin = Some(begin);
            let first = all.len() as u32;
            let mut found = false;
            // User dictionary.
            for &index in self.user_entries_from(chars[begin]) {
                let entry = &self.user_entries[index as usize];
                let end = begin + entry.surface.len();
                // The first chars match (entries are indexed by it); most
                // other entries differ at the second, which one comparison
                // finds without a call to compare the slices.
                if end <= n
                    && entry.surface.get(1).is_none_or(|&c| c == chars[begin + 1])
                    && chars[begin..end] == entry.surface[..]
                {
                    all.push(Candidate::User(index));
                    reached[end] = true;
                    found = true;
                }
            }
            // System dictionary.
            let window = &trie_codes[begin..n.min(begin + MAX_WORD_CHARS)];
            self.trie.prefixes(window, |key| {
                let start = key.first_entry as usize * ENTRY_LEN;
                prefetch(entry_data, start);
                all.push(Candidate::System {
                    entries_start: start as u32,
                    entries_end: (start + key.entries as usize * ENTRY_LEN) as u32,
                    chars: key.chars as u32,
                });
                reached[begin + key.chars] = true;
                found |= key.entries > 0;
            });
            // Unknown words, as MeCab generates them.
            if let Some(category) = first_categories[begin] {
                let definition = definitions.lookup_definition(category);
                if !found || definition.invoke {
                    let kind = categories[begin];
                    let same_kind = |i: usize| {
                        i < n && categories[i] & kind & !SPACE_BIT != 0 && !is_space(categories, i)
                    };
                    let mut unknown = |length: usize| {
                        all.push(Candidate::Unknown {
                            category: category.0 as u32,
                            chars: length as u32,
                        });
                        reached[begin + length] = true;
                    };
                    let mut group_length = 0;
                    if definition.group {
                        let mut length = 1;
                        while same_kind(begin + length) && length <= MAX_GROUPING {
                            length += 1;
                        }
                        if length <= MAX_GROUPING {
                            unknown(length);
                            group_length = length;
                        }
                    }
                    let mut added_short = false;
                    for length in 1..=definition.length as usize {
                        if begin + length > n {
                            break;
                        }
                        if length != group_length {
                            unknown(length);
                            added_short = true;
                        }
                        if !same_kind(begin + length) {
                            break;
                        }
                    }
                    if group_length == 0 && !added_short && !found {
                        unknown(1);
                    }
                }
            }
            at[begin] = (first, all.len() as u32);
        }
    }

    fn analyse_piece(
        &self,
        dictionary: &Dictionary,
        scratch: &mut Scratch,
        from: usize,
        to: usize,
        out: &mut Vec<PathWord>,
    ) {
        let n = to - from;
        let Scratch {
            chars,
            categories,
            first_categories,
            trie_codes,
            class_cache,
            candidates,
            search,
        } = scratch;
        let chars = &chars[from..to];
        // Category bit sets per char (bit i = category i), for grouping, with
        // SPACE_BIT marking whitespace, and first categories.
        categories.clear();
        first_categories.clear();
        trie_codes.clear();
        for &c in chars {
            trie_codes.push(self.trie.code(c));
            let (bits, first) =
                class_cache.get_or_insert_with(c as u32, || self.char_class(dictionary, c));
            categories.push(bits);
            first_categories.push(first);
        }
        let categories = &*categories;
        let matrix = &dictionary.connection_cost_matrix;
        let entry_data: &[u8] = &dictionary.prefix_dictionary.vals_data;
        self.find_candidates(
            dictionary,
            chars,
            categories,
            first_categories,
            trie_codes,
            candidates,
        );
        search.reset(n, matrix);

        for position in 0..n {
            if search.ending[position] == NONE {
                continue;
            }
            // Candidates were found from every position a word ends at.
            debug_assert!(candidates.reached[position], "position {position}");
            let begin = word_start(categories, position);
            if begin >= n {
                continue;
            }
            search.collapse_previous(position);
            let after_space = begin > position || (position == 0 && begin > 0);
            let penalty = |word: NodeWord, left_id: u16| {
                if after_space {
                    self.penalty(dictionary, word, left_id)
                } else {
                    0
                }
            };

            // Connect the dictionary words starting here to the paths ending
            // here before adding any: the matrix rows the connections read
            // are then read side by side, not between node insertions.
            for &candidate in candidates.starting_at(begin) {
                if let Candidate::System {
                    entries_start,
                    entries_end,
                    ..
                } = candidate
                {
                    let entries = &entry_data[entries_start as usize..entries_end as usize];
                    for entry in system_entries(entries) {
                        search.best_previous(matrix, entry.left_id);
                    }
                }
            }
            for &candidate in candidates.starting_at(begin) {
                match candidate {
                    Candidate::User(index) => {
                        let entry = &self.user_entries[index as usize];
                        let word = NodeWord::User(index);
                        let cost = i32::from(entry.cost) + penalty(word, entry.left_id);
                        search.add(
                            matrix,
                            begin,
                            begin + entry.surface.len(),
                            entry.left_id,
                            entry.right_id,
                            cost,
                            word,
                        );
                    }
                    Candidate::System {
                        entries_start,
                        entries_end,
                        chars: length,
                    } => {
                        let end = begin + length as usize;
                        let entries = &entry_data[entries_start as usize..entries_end as usize];
                        for entry in system_entries(entries) {
                            let word = NodeWord::System(entry.word_id);
                            let cost = i32::from(entry.cost) + penalty(word, entry.left_id);
                            search.add(
                                matrix,
                                begin,
                                end,
                                entry.left_id,
                                entry.right_id,
                                cost,
                                word,
                            );
                        }
                    }
                    Candidate::Unknown {
                        category,
                        chars: length,
                    } => {
                        let end = begin + length as usize;
                        let category = CategoryId(category as usize);
                        for &id in dictionary.unknown_dictionary.lookup_word_ids(category) {
                            let entry = dictionary.unknown_dictionary.word_entry(id);
                            let word = NodeWord::Unknown(id);
                            let left_id = entry.left_id() as u16;
                            let cost = i32::from(entry.word_cost()) + penalty(word, left_id);
                            search.add(
                                matrix,
                                begin,
                                end,
                                left_id,
                                entry.right_id() as u16,
                                cost,
                                word,
                            );
                        }
                    }
                }
            }
        }

        // EOS: connect from the last position any node ends at.
        let mut tail = n;
        while tail > 0 && is_space(categories, tail - 1) {
            tail -= 1;
        }
        let nodes = &search.nodes;
        let mut previous = search.best_last(matrix, tail).unwrap_or(NONE);
        let first_new = out.len();
        while previous != NONE && previous != 0 {
            let node = &nodes[previous as usize];
            out.push(PathWord {
                start: from + node.start as usize,
                end: from + node.end as usize,
                word: node.word,
            });
            previous = node.previous;
        }
        out[first_new..].reverse();
    }
}
