//! Morphological analysis: mecab-ko-dic (which the build script decompiles,
//! rebuilds for lindera and embeds in the binary) searched the way MeCab-ko
//! searches it (see [`lattice`]), plus kosum's tech-term user dictionary
//! (`dict/terms.tsv`) so that names such as 마이크로소프트 or 오픈AI stay single
//! tokens.
//!
//! The analysis runs on [`crate::normalize::analysis_view`] of the text, which
//! has the same byte layout as the input, so every [`Morpheme`] carries byte
//! and char offsets into the document exactly as it was read.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use lindera::dictionary::Dictionary;

use crate::entities::EntityType;
use crate::error::{Error, Result};
use crate::normalize::{CharCounter, analysis_view};
use crate::resources::{Term, TermPos, Terms, is_hangul_syllable};

mod lattice;
mod trie;

use lattice::{Lattice, NodeWord, Scratch, UserEntry};
use trie::SystemTrie;

thread_local! {
    /// The tokenizer's working memory, kept per thread so that a worker
    /// analysing thousands of documents allocates it once, not per document.
    static WORKING: RefCell<Working> = RefCell::new(Working::default());
}

/// Per-thread working memory (see [`WORKING`]).
#[derive(Default)]
struct Working {
    lattice: Scratch,
    /// System words read lately, by word id. A text's path words draw on a
    /// few thousand dictionary words, particles and endings most of all, so
    /// most are found here instead of being read from their records again.
    /// Every tokenizer searches the one embedded dictionary, so word ids
    /// mean the same whichever tokenizer filled a slot.
    words: SlotCache<WordInfo, WORDS_CACHED>,
}

/// Slots of [`Working::words`] (64 bytes each). On 269 distinct news
/// articles 4,096 slots read 29,747 records where 1,024 read 44,817;
/// 16,384 read 20,366 but ran no faster (10th percentile of 31 alternating
/// runs: 277.7 ms against 273.3 ms with 4,096; why was not measured).
const WORDS_CACHED: usize = 4096;

/// A small direct-mapped cache by `u32` key (a char code, a word id): one
/// slot per key modulo `LEN`, so a lookup is one comparison and a newer key
/// simply replaces an older one in its slot.
struct SlotCache<V, const LEN: usize = 1024> {
    slots: Vec<Option<(u32, V)>>,
}

impl<V, const LEN: usize> Default for SlotCache<V, LEN> {
    fn default() -> Self {
        Self { slots: Vec::new() }
    }
}

impl<V: Copy, const LEN: usize> SlotCache<V, LEN> {
    /// Whether `key`'s value is in its slot.
    fn holds(&self, key: u32) -> bool {
        self.slots
            .get(key as usize % LEN)
            .is_some_and(|slot| slot.is_some_and(|(held, _)| held == key))
    }

    /// The value of `key`, made by `make` when its slot holds another key.
    fn get_or_insert_with(&mut self, key: u32, make: impl FnOnce() -> V) -> V {
        if self.slots.is_empty() {
            self.slots.resize_with(LEN, || None);
        }
        let slot = &mut self.slots[key as usize % LEN];
        match *slot {
            Some((held, value)) if held == key => value,
            _ => {
                let value = make();
                *slot = Some((key, value));
                value
            }
        }
    }
}

mod embedded {
    use std::sync::Arc;

    use lindera_dictionary::LinderaResult;
    use lindera_dictionary::dictionary::Dictionary;
    use lindera_dictionary::dictionary::character_definition::CharacterDefinition;
    use lindera_dictionary::dictionary::connection_cost_matrix::ConnectionCostMatrix;
    use lindera_dictionary::dictionary::metadata::Metadata;
    use lindera_dictionary::dictionary::prefix_dictionary::PrefixDictionary;
    use lindera_dictionary::dictionary::unknown_dictionary::UnknownDictionary;
    use lindera_dictionary::error::LinderaErrorKind;

    lindera_dictionary::embedded_dictionary!("/ko-dic", KoDicLoader);

    /// The build's table of entry ranges by trie node (see [`super::trie`]).
    static TRIE_VALUES_DATA: &[u8] = include_bytes!(concat!(
        env!("LINDERA_WORKDIR"),
        "/ko-dic/kosum-trie-values.bin"
    ));

    /// The embedded `dict.trie` (the bytes lindera's prefix dictionary
    /// walks) and the table of entry ranges by its nodes.
    pub fn trie_and_values() -> (&'static [u8], &'static [u8]) {
        (TRIE_DATA, TRIE_VALUES_DATA)
    }

    /// The embedded dictionary, loaded as the macro's `load` loads it except
    /// for one step: lindera's character definitions build a flat table of
    /// every Basic Multilingual Plane char's categories (65,536 binary
    /// searches, 5.9 M of a one-line run's 23 M instructions) that kosum
    /// does not need, since the search classifies each distinct char once
    /// and keeps the result ([`super::lattice`]). Without the table a
    /// lookup searches the char ranges instead, with the same answer.
    pub fn load_without_flat_char_table() -> LinderaResult<Dictionary> {
        let metadata = Metadata::load(METADATA_DATA)?;
        metadata.validate_format_version()?;
        let prefix_dictionary = PrefixDictionary::load(
            TRIE_DATA,
            VALS_IDX_DATA,
            VALS_DATA,
            WORDS_IDX_DATA,
            WORDS_DATA,
        )?;
        let mut aligned = rkyv::util::AlignedVec::<16>::new();
        aligned.extend_from_slice(CHAR_DEFINITION_DATA);
        let character_definition =
            rkyv::from_bytes::<CharacterDefinition, rkyv::rancor::Error>(&aligned)
                .map_err(|err| LinderaErrorKind::Deserialize.with_error(err))?;
        Ok(Dictionary {
            prefix_dictionary: Arc::new(prefix_dictionary),
            connection_cost_matrix: Arc::new(ConnectionCostMatrix::load(CONNECTION_DATA)?),
            character_definition: Arc::new(character_definition),
            unknown_dictionary: Arc::new(UnknownDictionary::load(UNKNOWN_DATA)?),
            metadata: Arc::new(metadata),
        })
    }
}

/// Context ids and costs per (tag, semantic class, final consonant), computed
/// from the system lexicon when the dictionary was built, in mecab-ko-dic's
/// own context-id numbering (see [`Tokenizer::new`]).
const CONTEXT_IDS_TSV: &str = include_str!(concat!(
    env!("LINDERA_WORKDIR"),
    "/ko-dic/kosum-context-ids.tsv"
));

/// How much cheaper than a typical dictionary noun a user-dictionary entry is,
/// so that it beats the split its parts would otherwise get.
const USER_ENTRY_COST: i32 = -3000;

/// The Sejong part-of-speech tags of mecab-ko-dic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pos {
    /// General noun.
    NNG,
    /// Proper noun.
    NNP,
    /// Dependent noun.
    NNB,
    /// Counter (dependent noun for units).
    NNBC,
    /// Numeral.
    NR,
    /// Pronoun.
    NP,
    /// Verb.
    VV,
    /// Adjective.
    VA,
    /// Auxiliary predicate.
    VX,
    /// Positive copula (이다).
    VCP,
    /// Negative copula (아니다).
    VCN,
    /// Determiner.
    MM,
    /// General adverb.
    MAG,
    /// Conjunctive adverb.
    MAJ,
    /// Interjection.
    IC,
    JKS,
    JKC,
    JKG,
    JKO,
    JKB,
    JKV,
    JKQ,
    /// Auxiliary particle.
    JX,
    /// Conjunctive particle.
    JC,
    /// Pre-final ending.
    EP,
    /// Final ending.
    EF,
    /// Connective ending.
    EC,
    /// Nominalizing ending.
    ETN,
    /// Adnominal ending.
    ETM,
    /// Noun prefix.
    XPN,
    /// Noun suffix.
    XSN,
    /// Verb suffix.
    XSV,
    /// Adjective suffix.
    XSA,
    /// Root.
    XR,
    /// Sentence-final punctuation (. ? !).
    SF,
    /// Ellipsis.
    SE,
    /// Opening bracket or quote.
    SSO,
    /// Closing bracket or quote.
    SSC,
    /// Comma, colon, slash.
    SC,
    /// Other symbol.
    SY,
    /// Latin letters.
    SL,
    /// Chinese characters.
    SH,
    /// Number.
    SN,
    /// Anything the dictionary does not tag.
    Unknown,
}

impl Pos {
    /// Parses one tag (no `+`).
    pub fn from_tag(tag: &str) -> Pos {
        use Pos::*;
        match tag {
            "NNG" => NNG,
            "NNP" => NNP,
            "NNB" => NNB,
            "NNBC" => NNBC,
            "NR" => NR,
            "NP" => NP,
            "VV" => VV,
            "VA" => VA,
            "VX" => VX,
            "VCP" => VCP,
            "VCN" => VCN,
            "MM" => MM,
            "MAG" => MAG,
            "MAJ" => MAJ,
            "IC" => IC,
            "JKS" => JKS,
            "JKC" => JKC,
            "JKG" => JKG,
            "JKO" => JKO,
            "JKB" => JKB,
            "JKV" => JKV,
            "JKQ" => JKQ,
            "JX" => JX,
            "JC" => JC,
            "EP" => EP,
            "EF" => EF,
            "EC" => EC,
            "ETN" => ETN,
            "ETM" => ETM,
            "XPN" => XPN,
            "XSN" => XSN,
            "XSV" => XSV,
            "XSA" => XSA,
            "XR" => XR,
            "SF" => SF,
            "SE" => SE,
            "SSO" => SSO,
            "SSC" => SSC,
            "SC" => SC,
            "SY" => SY,
            "SL" => SL,
            "SH" => SH,
            "SN" => SN,
            _ => Unknown,
        }
    }

    /// Nouns that name things (general, proper).
    pub fn is_content_noun(self) -> bool {
        matches!(self, Pos::NNG | Pos::NNP)
    }

    /// Any particle (조사).
    pub fn is_particle(self) -> bool {
        use Pos::*;
        matches!(self, JKS | JKC | JKG | JKO | JKB | JKV | JKQ | JX | JC)
    }

    /// Any ending (어미).
    pub fn is_ending(self) -> bool {
        matches!(self, Pos::EP | Pos::EF | Pos::EC | Pos::ETN | Pos::ETM)
    }

    /// Punctuation and symbols.
    pub fn is_symbol(self) -> bool {
        use Pos::*;
        matches!(self, SF | SE | SSO | SSC | SC | SY)
    }
}

/// Where a morpheme's analysis came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// mecab-ko-dic's lexicon.
    System,
    /// kosum's or the user's term list.
    User,
    /// Not in any dictionary: grouped by character class.
    Unknown,
}

/// One morpheme (or one inflected/compound dictionary entry) of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Morpheme {
    /// Char offsets into the document, half-open.
    pub start: usize,
    pub end: usize,
    /// Byte offsets into the document, half-open.
    pub byte_start: usize,
    pub byte_end: usize,
    /// The full tag as the dictionary gives it, e.g. `NNP` or `VV+EP`
    /// (borrowed from the embedded dictionary: no allocation per token).
    pub tag: &'static str,
    /// The first tag of [`Morpheme::tag`].
    pub pos: Pos,
    /// The last tag of [`Morpheme::tag`] (equal to `pos` for simple tags).
    pub last_pos: Pos,
    /// Whether [`Morpheme::tag`] joins several tags (`VV+EP`). Set when the
    /// tag is read from the dictionary, so that later stages need not read
    /// the tag's bytes again, which lie among the dictionary's 800,000
    /// feature records: the entity stage's scan of them for a `+` took 1.1%
    /// of the perf samples of a run over the konlpy folder ×10.
    pub compound: bool,
    /// The semantic class for proper nouns (인명, 지명 …), if any.
    pub semantic: Option<&'static str>,
    /// The morpheme breakdown of an inflected or compound entry, in
    /// mecab-ko-dic's notation (`가/VV/*+았/EP/*`), if any.
    pub expression: Option<&'static str>,
    pub origin: Origin,
}

impl Morpheme {
    /// The morpheme's text in `text` (the document it was analysed from).
    pub fn surface<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Which term lists the tokenizer's user dictionary is made of.
#[derive(Debug, Clone)]
pub struct TokenizerConfig {
    /// Include kosum's own `dict/terms.tsv`.
    pub default_terms: bool,
    /// Further rows (from `--user-dict` files), added after ours.
    pub extra_terms: Terms,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        Self {
            default_terms: true,
            extra_terms: Terms::default(),
        }
    }
}

impl TokenizerConfig {
    /// All term rows this configuration uses, ours first: the built-in
    /// rows themselves when there are no others (start-up copied their
    /// 1,288 rows twice before).
    pub fn terms(&self) -> Cow<'static, Terms> {
        let ours = if self.default_terms {
            Cow::Borrowed(Terms::builtin())
        } else {
            Cow::Owned(Terms::default())
        };
        if self.extra_terms.is_empty() {
            return ours;
        }
        let mut terms = ours.into_owned();
        terms.extend(&self.extra_terms);
        Cow::Owned(terms)
    }
}

/// A ready-to-use morphological analyser. Share it between threads freely
/// (`&Tokenizer` is `Sync`); each thread keeps its own working memory.
pub struct Tokenizer {
    dictionary: &'static Dictionary,
    lattice: Lattice,
    /// The user-dictionary terms, indexed by [`UserEntry::term`].
    user_terms: Vec<Term>,
    /// [`WordInfo`] per unknown-word entry (a few dozen), read once here
    /// rather than for every unknown word (lindera validates the whole
    /// record on each read).
    unknown_words: Vec<WordInfo>,
}

impl Tokenizer {
    /// Loads the embedded dictionary and compiles the user dictionary.
    pub fn new(config: &TokenizerConfig) -> Result<Self> {
        Self::with_terms(&config.terms())
    }

    /// A tokenizer whose user dictionary is the tokenizer entries of `terms`
    /// (a later row with the same surface is skipped), for a caller that
    /// also hands the rows to the gazetteer and so merges them only once.
    pub fn with_terms(terms: &Terms) -> Result<Self> {
        let dictionary = system_dictionary()?;
        // The context-id table is in mecab-ko-dic's numbering; the built
        // dictionary renumbered its ids (most used first), so user entries
        // are moved into the same numbering or they would connect through
        // the wrong matrix cells.
        let renumber = dictionary.metadata.context_id_map.as_ref();
        let mut user_terms = Vec::new();
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        for term in terms.iter().filter(|term| term.is_tokenizer_entry()) {
            if !seen.insert(term.surface.as_str()) {
                continue;
            }
            let ids = user_context_ids(term).ok_or_else(|| {
                Error::UserDictionary(format!(
                    "no context ids for {} {:?}; the dictionary build is incomplete, rebuild kosum",
                    term.pos.tag(),
                    term.surface
                ))
            })?;
            entries.push(UserEntry {
                surface: term.surface.chars().collect(),
                left_id: renumber.map_or(ids.left, |map| map.map_left(ids.left)),
                right_id: renumber.map_or(ids.right, |map| map.map_right(ids.right)),
                cost: (ids.cost + USER_ENTRY_COST).clamp(i16::MIN as i32, i16::MAX as i32) as i16,
                term: user_terms.len() as u32,
            });
            user_terms.push(term.clone());
        }
        let lattice = Lattice::new(dictionary, system_trie()?, entries);
        let unknown = &dictionary.unknown_dictionary;
        let unknown_words = (0..unknown.costs.len() as u32)
            .map(|id| {
                let details = unknown
                    .word_details_iter(id)
                    .map_or(UNKNOWN_DETAILS, details);
                WordInfo::new(Origin::Unknown, details)
            })
            .collect();
        Ok(Self {
            dictionary,
            lattice,
            user_terms,
            unknown_words,
        })
    }

    /// The embedded mecab-ko-dic (for tools that compare with lindera's own
    /// search, such as the throughput benchmark).
    pub fn dictionary(&self) -> &'static Dictionary {
        self.dictionary
    }

    /// Analyses `text` into morphemes with offsets into `text`.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Morpheme>> {
        self.tokenize_view(text, &analysis_view(text))
    }

    /// Like [`Tokenizer::tokenize`], for a caller that already holds `view`,
    /// the [`analysis_view`] of `text`.
    pub fn tokenize_view(&self, text: &str, view: &str) -> Result<Vec<Morpheme>> {
        WORKING.with(|working| match working.try_borrow_mut() {
            Ok(mut working) => {
                let morphemes = self.tokenize_in(text, view, &mut working);
                working.lattice.trim();
                morphemes
            }
            // Only reachable if analysis ever re-entered itself on one
            // thread; fresh memory is then just slower, never wrong.
            Err(_) => self.tokenize_in(text, view, &mut Working::default()),
        })
    }

    fn tokenize_in(&self, text: &str, view: &str, working: &mut Working) -> Result<Vec<Morpheme>> {
        // Room for one morpheme per four bytes: `samples/`, the konlpy
        // documents and the seed article have one per 4.8 to 5.4 bytes, so
        // the list is seldom copied to grow. (With room for one per six
        // bytes it grew five times in each round of `samples/`, 0.8 M
        // instructions in 20 rounds.)
        let mut morphemes = Vec::with_capacity(text.len() / 4 + 1);
        let mut path = Vec::new();
        let mut line_byte = 0;
        let mut char_bytes: Vec<usize> = Vec::new();
        // Char offsets are counted in the input, not the view: a replaced
        // invisible character is one char there but several in the view.
        // On a line where nothing was replaced (most lines) they are the
        // view's, from the line's start on.
        let mut chars = CharCounter::new(text);
        for line in view.split('\n') {
            path.clear();
            self.lattice
                .analyse_line(self.dictionary, line, &mut working.lattice, &mut path);
            // The chosen words' feature records lie anywhere in the
            // dictionary's 40 MB of features, two reads from memory away
            // (index, then record). Reading the records of a line's uncached
            // words one after another, before any is parsed, lets the
            // processor wait for several of them at once.
            for word in &path {
                if let NodeWord::System(id) = word.word
                    && !working.words.holds(id)
                {
                    std::hint::black_box(feature_record(self.dictionary, id).map(<[u8]>::len));
                }
            }
            char_bytes.clear();
            char_bytes.extend(line.char_indices().map(|(byte, _)| byte));
            char_bytes.push(line.len());
            let line_bytes = line_byte..line_byte + line.len();
            // A line with words is not empty, so when it is unchanged its
            // first byte starts a char of the input too.
            let line_char = (!path.is_empty()
                && text.as_bytes().get(line_bytes) == Some(line.as_bytes()))
            .then(|| chars.char_offset(line_byte));
            for word in &path {
                let byte_start = line_byte + char_bytes[word.start];
                let byte_end = line_byte + char_bytes[word.end];
                let (start, end) = match line_char {
                    Some(line_char) => (line_char + word.start, line_char + word.end),
                    None => (chars.char_offset(byte_start), chars.char_offset(byte_end)),
                };
                let info = self.word_info(word.word, &mut working.words);
                morphemes.push(Morpheme {
                    start,
                    end,
                    byte_start,
                    byte_end,
                    tag: info.tag,
                    pos: info.pos,
                    last_pos: info.last_pos,
                    compound: info.compound,
                    semantic: info.semantic,
                    expression: info.expression,
                    origin: info.origin,
                });
            }
            line_byte += line.len() + 1;
        }
        Ok(morphemes)
    }

    /// What the morphemes of `word` take from the dictionary, through the
    /// cache of system words `words` (see [`Working::words`]).
    fn word_info(&self, word: NodeWord, words: &mut SlotCache<WordInfo, WORDS_CACHED>) -> WordInfo {
        match word {
            NodeWord::User(index) => {
                let term = &self.user_terms[self.lattice.user_entry(index).term as usize];
                WordInfo::new(Origin::User, (term.pos.tag(), None, None))
            }
            NodeWord::System(id) => words.get_or_insert_with(id, || {
                WordInfo::new(Origin::System, system_details(self.dictionary, id))
            }),
            NodeWord::Unknown(id) => self
                .unknown_words
                .get(id as usize)
                .copied()
                .unwrap_or_else(|| WordInfo::new(Origin::Unknown, UNKNOWN_DETAILS)),
        }
    }
}

/// The dictionary's part of a [`Morpheme`].
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    tag: &'static str,
    pos: Pos,
    last_pos: Pos,
    compound: bool,
    semantic: Option<&'static str>,
    expression: Option<&'static str>,
    origin: Origin,
}

impl WordInfo {
    fn new(origin: Origin, (tag, semantic, expression): Details<'static>) -> Self {
        let mut parts = tag.split('+');
        let pos = Pos::from_tag(parts.next().unwrap_or(""));
        let last = parts.next_back();
        let last_pos = last.map_or(pos, Pos::from_tag);
        Self {
            tag,
            pos,
            last_pos,
            compound: last.is_some(),
            semantic,
            expression,
            origin,
        }
    }
}

/// A morpheme's tag, semantic class and expression (see [`Morpheme`]).
type Details<'d> = (&'d str, Option<&'d str>, Option<&'d str>);

/// The [`Details`] of a word the dictionary has no features for.
const UNKNOWN_DETAILS: Details<'static> = ("UNKNOWN", None, None);

/// Tag, semantic class and expression from a mecab-ko-dic feature list
/// (POS, semantic, final consonant, reading, type, first, last, expression).
fn details<'d>(fields: impl Iterator<Item = &'d str>) -> Details<'d> {
    let (mut tag, mut semantic, mut expression) = UNKNOWN_DETAILS;
    for (index, value) in fields.enumerate().take(8) {
        match index {
            0 => tag = value,
            1 if value != "*" => semantic = Some(value),
            7 if value != "*" => expression = Some(value),
            _ => {}
        }
    }
    (tag, semantic, expression)
}

/// [`details`] of system word `id`, as `dictionary.word_details_iter(id)`
/// would give them, checking only the three fields used for UTF-8.
///
/// lindera validates a word's whole feature record (reading, first and last
/// forms …) on every read, which was about half the cost of building a
/// morpheme. The test `system_details_read_as_lindera_reads_them` checks
/// every word of the embedded dictionary reads the same both ways; a record
/// not laid out as expected is read through lindera.
fn system_details(dictionary: &Dictionary, id: u32) -> Details<'_> {
    feature_fields(dictionary, id)
        .unwrap_or_else(|| details(dictionary.word_details_iter(id as usize)))
}

/// The tag of system word `id` as [`system_details`] reads it (the test
/// `system_details_read_as_lindera_reads_them` checks every word), reading
/// no other field.
fn system_tag(dictionary: &Dictionary, id: u32) -> &str {
    feature_record(dictionary, id)
        .and_then(|record| record.split(|&byte| byte == 0).next())
        .and_then(|field| std::str::from_utf8(field).ok())
        .unwrap_or_else(|| system_details(dictionary, id).0)
}

/// The fields [`details`] uses of a word with at least eight features.
fn feature_fields<'d>(dictionary: &'d Dictionary, id: u32) -> Option<Details<'d>> {
    let mut fields = feature_record(dictionary, id)?.split(|&byte| byte == 0);
    let text = |field| std::str::from_utf8(field).ok();
    // Most words have neither, so "*" is recognised before any UTF-8 check.
    let optional = |field: &'d [u8]| match field {
        b"*" => Some(None),
        field => text(field).map(Some),
    };
    let tag = text(fields.next()?)?;
    let semantic = optional(fields.next()?)?;
    let expression = optional(fields.nth(5)?)?;
    Some((tag, semantic, expression))
}

/// The NUL-joined features of system word `id` in lindera 6.2's word
/// records: per word id a little-endian `u32` offset into `words_data`,
/// where a little-endian `u32` length precedes the features.
fn feature_record(dictionary: &Dictionary, id: u32) -> Option<&[u8]> {
    let prefix = &dictionary.prefix_dictionary;
    let index = id as usize * 4;
    let offset = u32::from_le_bytes(
        prefix
            .words_idx_data
            .get(index..index + 4)?
            .try_into()
            .ok()?,
    );
    let offset = offset as usize;
    let words: &[u8] = &prefix.words_data;
    let len = u32::from_le_bytes(words.get(offset..offset + 4)?.try_into().ok()?) as usize;
    words.get(offset + 4..offset + 4 + len)
}

/// The embedded mecab-ko-dic, loaded once per process and shared by every
/// tokenizer (the data is not copied, and morphemes borrow their tags from it).
fn system_dictionary() -> Result<&'static Dictionary> {
    static DICTIONARY: OnceLock<std::result::Result<Dictionary, String>> = OnceLock::new();
    DICTIONARY
        .get_or_init(|| embedded::load_without_flat_char_table().map_err(|err| err.to_string()))
        .as_ref()
        .map_err(|err| Error::Dictionary(err.clone()))
}

/// The embedded dictionary's trie with the build's table of entry ranges,
/// checked once per process against the embedded dictionary.
fn system_trie() -> Result<&'static SystemTrie> {
    let dictionary = system_dictionary()?;
    static TRIE: OnceLock<std::result::Result<SystemTrie, String>> = OnceLock::new();
    TRIE.get_or_init(|| {
        let (trie, values) = embedded::trie_and_values();
        let entries = dictionary.prefix_dictionary.vals_data.len() / lattice::ENTRY_LEN;
        SystemTrie::new(trie, values, entries)
    })
    .as_ref()
    .map_err(|err| Error::Dictionary(err.clone()))
}

/// Context ids and a typical cost for one lexical class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ContextIds {
    left: u16,
    right: u16,
    cost: i32,
}

/// The (tag, semantic class, final consonant) → context ids table.
fn context_ids() -> &'static HashMap<(String, String, String), ContextIds> {
    static TABLE: OnceLock<HashMap<(String, String, String), ContextIds>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for line in CONTEXT_IDS_TSV.lines().skip(1) {
            let columns: Vec<&str> = line.split('\t').collect();
            if columns.len() < 6 {
                continue;
            }
            let (Ok(left), Ok(right), Ok(cost)) =
                (columns[3].parse(), columns[4].parse(), columns[5].parse())
            else {
                continue;
            };
            table.insert(
                (
                    columns[0].to_string(),
                    columns[1].to_string(),
                    columns[2].to_string(),
                ),
                ContextIds { left, right, cost },
            );
        }
        table
    })
}

/// Whether a word ending in `last` is read with a final consonant (받침),
/// which decides the particles it takes (가/이, 를/을) and so its right
/// context id. Latin letters and digits are read as their Korean names.
fn has_final_consonant(last: char) -> bool {
    if is_hangul_syllable(last) {
        return !(last as u32 - 0xAC00).is_multiple_of(28);
    }
    matches!(
        last.to_ascii_uppercase(),
        // 엘, 엠, 엔, 알; 일, 삼, 육, 칠, 팔, 영
        'L' | 'M' | 'N' | 'R' | '1' | '3' | '6' | '7' | '8' | '0'
    )
}

/// The context ids and cost a user-dictionary term gets: those of ordinary
/// dictionary words of its class, made cheaper by [`USER_ENTRY_COST`].
fn user_context_ids(term: &Term) -> Option<ContextIds> {
    let tag = term.pos.tag();
    let semantic = match (term.pos, term.entity) {
        (TermPos::ProperNoun, Some(EntityType::Person)) => "인명",
        (TermPos::ProperNoun, Some(EntityType::Location)) => "지명",
        _ => "*",
    };
    let last = term.surface.chars().last()?;
    let jongseong = if has_final_consonant(last) { "T" } else { "F" };
    let table = context_ids();
    table
        .get(&(tag.into(), semantic.into(), jongseong.into()))
        .or_else(|| table.get(&(tag.into(), "*".into(), jongseong.into())))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terms_are_ours_then_the_users() {
        let builtin = Terms::builtin();
        let ours = TokenizerConfig::default();
        assert!(matches!(ours.terms(), Cow::Borrowed(terms) if std::ptr::eq(terms, builtin)));
        let extra = Terms::parse("user.tsv", "쿠버네티스\tNNP\tPRODUCT\tKubernetes\n").unwrap();
        let both = TokenizerConfig {
            default_terms: true,
            extra_terms: extra.clone(),
        };
        let surfaces: Vec<String> = both.terms().iter().map(|t| t.surface.clone()).collect();
        assert_eq!(surfaces.len(), builtin.len() + 1);
        assert_eq!(surfaces.last().map(String::as_str), Some("쿠버네티스"));
        let theirs = TokenizerConfig {
            default_terms: false,
            extra_terms: extra,
        };
        assert_eq!(theirs.terms().len(), 1);
        let none = TokenizerConfig {
            default_terms: false,
            extra_terms: Terms::default(),
        };
        assert!(none.terms().is_empty());
    }

    fn tokenizer() -> &'static Tokenizer {
        static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
        TOKENIZER.get_or_init(|| Tokenizer::new(&TokenizerConfig::default()).unwrap())
    }

    fn pairs(text: &str, tokenizer: &Tokenizer) -> Vec<(String, String)> {
        tokenizer
            .tokenize(text)
            .unwrap()
            .iter()
            .map(|m| (m.surface(text).to_string(), m.tag.to_string()))
            .collect()
    }

    fn p(surface: &str, tag: &str) -> (String, String) {
        (surface.to_string(), tag.to_string())
    }

    #[test]
    fn tech_names_stay_whole_and_particles_are_right() {
        let text = "마이크로소프트가 오픈AI에 1억 달러를 투자했다.";
        assert_eq!(
            pairs(text, tokenizer()),
            vec![
                p("마이크로소프트", "NNP"),
                p("가", "JKS"),
                p("오픈AI", "NNP"),
                p("에", "JKB"),
                p("1", "SN"),
                p("억", "NR"),
                p("달러", "NNBC"),
                p("를", "JKO"),
                p("투자", "NNG"),
                p("했", "XSV+EP"),
                p("다", "EF"),
                p(".", "SF"),
            ]
        );
    }

    #[test]
    fn user_entries_get_the_renumbered_context_ids_of_their_class() {
        // 야후 is a mecab-ko-dic NNP without semantic class, ending in a vowel,
        // with exactly the ids most such nouns have, so a user entry 야후
        // must get the very ids the system entry has in the built,
        // renumbered dictionary.
        let extra = Terms::parse("mine.tsv", "야후\tNNP\tORG\tYahoo\n").unwrap();
        let tokenizer = Tokenizer::new(&TokenizerConfig {
            default_terms: false,
            extra_terms: extra,
        })
        .unwrap();
        let dictionary = tokenizer.dictionary();
        assert!(
            dictionary.metadata.context_id_map.is_some(),
            "the dictionary is built with renumbered context ids"
        );
        let chars: Vec<char> = "야후".chars().collect();
        let system: Vec<(u16, u16)> = dictionary
            .prefix_dictionary
            .common_prefix_search(&chars)
            .filter(|&(_, length)| length == chars.len())
            .flat_map(|(entries, _)| lattice::system_entries(entries))
            .filter(|entry| {
                let mut fields = dictionary.word_details_iter(entry.word_id as usize);
                (fields.next(), fields.next()) == (Some("NNP"), Some("*"))
            })
            .map(|entry| (entry.left_id, entry.right_id))
            .collect();
        let user = tokenizer.lattice.user_entry(0);
        assert_eq!(system, vec![(user.left_id, user.right_id)]);
        // And it connects like one: 야후가 → 야후/NNP (ours) 가/JKS.
        let text = "야후가 검색을 바꿨다.";
        let morphemes = tokenizer.tokenize(text).unwrap();
        assert_eq!(morphemes[0].origin, Origin::User);
        assert_eq!(
            pairs(text, &tokenizer)[..3],
            [p("야후", "NNP"), p("가", "JKS"), p("검색", "NNG")]
        );
    }

    #[test]
    fn our_terms_connect_to_the_particles_after_them() {
        for (text, word, particle) in [
            ("마이크로소프트가", "마이크로소프트", p("가", "JKS")),
            ("엔비디아는", "엔비디아", p("는", "JX")),
            ("깃허브를", "깃허브", p("를", "JKO")),
            ("딥마인드와", "딥마인드", p("와", "JKB")),
        ] {
            let morphemes = tokenizer().tokenize(text).unwrap();
            assert_eq!(morphemes[0].origin, Origin::User, "{text}");
            assert_eq!(
                pairs(text, tokenizer()),
                [p(word, "NNP"), particle],
                "{text}"
            );
        }
    }

    #[test]
    fn without_our_terms_mecab_ko_dic_splits_the_names() {
        let plain = Tokenizer::new(&TokenizerConfig {
            default_terms: false,
            extra_terms: Terms::default(),
        })
        .unwrap();
        let surfaces: Vec<String> = pairs("마이크로소프트가", &plain)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_ne!(surfaces[0], "마이크로소프트");
    }

    #[test]
    fn extra_terms_are_added() {
        let extra = Terms::parse("mine.tsv", "코스멈랩스\tNNP\tORG\tKosum Labs\n").unwrap();
        let tokenizer = Tokenizer::new(&TokenizerConfig {
            default_terms: true,
            extra_terms: extra,
        })
        .unwrap();
        assert_eq!(pairs("코스멈랩스는", &tokenizer)[0], p("코스멈랩스", "NNP"));
    }

    #[test]
    fn user_entries_sharing_their_first_chars_are_told_apart() {
        // The lattice indexes user entries by first char and checks the
        // second before the rest: entries alike in their first one or two
        // chars, a one-char entry, and a match at the very end of a line.
        let extra = Terms::parse(
            "mine.tsv",
            "코스멈랩스\tNNP\tORG\tKosum Labs\n코스멈\tNNP\tPRODUCT\tkosum\n\
             코스닥랩\tNNP\tORG\tKosdaq Lab\n곰\tNNP\tPRODUCT\tGom\n",
        )
        .unwrap();
        let tokenizer = Tokenizer::new(&TokenizerConfig {
            default_terms: true,
            extra_terms: extra,
        })
        .unwrap();
        let text = "코스멈랩스와 코스닥랩은 곰을 샀다 코스멈";
        let user: Vec<&str> = tokenizer
            .tokenize(text)
            .unwrap()
            .iter()
            .filter(|m| m.origin == Origin::User)
            .map(|m| m.surface(text))
            .collect();
        assert_eq!(user, ["코스멈랩스", "코스닥랩", "곰", "코스멈"]);
    }

    #[test]
    fn compound_marks_the_tags_of_several_parts() {
        let morphemes = tokenizer()
            .tokenize("마이크로소프트가 투자했다. 그는 먹었겠지만 갔습니다.")
            .unwrap();
        for m in &morphemes {
            assert_eq!(m.compound, m.tag.contains('+'), "{m:?}");
        }
        assert!(morphemes.iter().any(|m| m.compound));
        assert!(morphemes.iter().any(|m| !m.compound));
    }

    #[test]
    fn offsets_are_chars_and_bytes_of_the_input() {
        let text = "\u{FEFF}한국어\u{200B}문장 ABC.";
        let morphemes = tokenizer().tokenize(text).unwrap();
        let chars: Vec<char> = text.chars().collect();
        for m in &morphemes {
            let by_chars: String = chars[m.start..m.end].iter().collect();
            assert_eq!(by_chars, m.surface(text));
        }
        assert!(
            morphemes
                .iter()
                .all(|m| !m.surface(text).contains('\u{200B}'))
        );
    }

    #[test]
    fn words_across_a_space_connect_as_in_mecab_ko() {
        // lindera's own lattice reads 수 here as NNG and 있 as VA, because it
        // routes the connection through a SPACE node; MeCab-ko (and kosum)
        // connect 알 and 수 directly and penalise a particle after a space.
        assert_eq!(
            pairs("비교해보면 알 수 있다.", tokenizer()),
            vec![
                p("비교", "NNG"),
                p("해", "XSV+EC"),
                p("보", "VX"),
                p("면", "EC"),
                p("알", "VV+ETM"),
                p("수", "NNB"),
                p("있", "VV"),
                p("다", "EF"),
                p(".", "SF"),
            ]
        );
    }

    #[test]
    fn every_line_is_analysed_and_long_lines_are_cut_safely() {
        let line = "클라우드 인프라를 늘렸다 ".repeat(800);
        let text = format!("첫 줄이다.\n\n{line}\n끝.");
        let morphemes = tokenizer().tokenize(&text).unwrap();
        let covered: String = morphemes.iter().map(|m| m.surface(&text)).collect();
        let expected: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(covered, expected);
        assert!(
            morphemes
                .windows(2)
                .all(|w| w[0].byte_end <= w[1].byte_start)
        );
    }

    #[test]
    fn system_details_read_as_lindera_reads_them() {
        let dictionary = tokenizer().dictionary();
        for id in 0..dictionary.prefix_dictionary.word_count() as u32 {
            let lindera = details(dictionary.word_details_iter(id as usize));
            assert_eq!(system_details(dictionary, id), lindera, "word {id}");
            assert_eq!(system_tag(dictionary, id), lindera.0, "word {id}");
        }
    }

    #[test]
    fn chars_get_the_categories_lindera_gives_them() {
        // kosum loads the dictionary without lindera's flat table of char
        // categories; every char must still get the same categories, in the
        // same order (the first is the one unknown words are made of).
        use lindera_dictionary::loader::DictionaryLoader;
        let full = embedded::KoDicLoader::new().load().unwrap();
        let ours = &tokenizer().dictionary().character_definition;
        let samples = (0..0x11000u32).chain([0x1F600, 0x20000, 0x10FFFF]);
        for c in samples.filter_map(char::from_u32) {
            assert_eq!(
                ours.lookup_categories(c),
                full.character_definition.lookup_categories(c),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(
            ours.category_names,
            full.character_definition.category_names
        );
    }

    #[test]
    fn a_left_id_has_one_space_penalty() {
        // The lattice reads a system word's left-space penalty rule from the
        // first word it meets with the same left context id.
        let tokenizer = tokenizer();
        let dictionary = tokenizer.dictionary();
        let mut rules: HashMap<u16, (Option<u8>, u32)> = HashMap::new();
        let entries: &[u8] = &dictionary.prefix_dictionary.vals_data;
        for entry in lattice::system_entries(entries) {
            let (id, left_id) = (entry.word_id, entry.left_id);
            let rule = tokenizer
                .lattice
                .penalty_for_tag(system_tag(dictionary, id));
            let (first_rule, first_id) = *rules.entry(left_id).or_insert((rule, id));
            assert_eq!(
                rule, first_rule,
                "words {first_id} and {id} share left id {left_id} but not their space penalty"
            );
        }
        let penalised = rules.values().filter(|(rule, _)| rule.is_some()).count();
        assert!(
            penalised > 0 && penalised < rules.len(),
            "{penalised} of {}",
            rules.len()
        );
    }

    #[test]
    fn final_consonants_follow_korean_readings() {
        assert!(!has_final_consonant('트'));
        assert!(has_final_consonant('럿'));
        assert!(!has_final_consonant('I'));
        assert!(has_final_consonant('M'));
        assert!(has_final_consonant('3'));
        assert!(!has_final_consonant('2'));
    }
}
