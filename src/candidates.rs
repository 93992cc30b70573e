//! Keyword candidates: which stretches of a document's morphemes could be a
//! keyword, counted so that every mention of one term is one entry.
//!
//! Korean attaches particles and endings to nouns ("마이크로소프트가",
//! "클라우드를"), so counting words by whitespace would split one topic into
//! many. This stage reads the morphological analysis instead and keeps only
//! what names things:
//!
//! - **Words** are single noun morphemes: general and proper nouns (NNG,
//!   NNP), Chinese characters (SH), Latin words (SL) with a number glued to
//!   them (`GPT3`, `5G`), and roots (XR) used as nouns. A noun prefix (XPN)
//!   stays on the noun it precedes. Particles, endings, suffixes, bare
//!   numbers, dependent nouns and counters (NNB, NNBC), numerals, pronouns and
//!   stopwords (`dict/stopwords.txt`) are never words.
//! - **Noun runs** are maximal sequences of words in one sentence with nothing
//!   between them, or exactly one space: "클라우드 인프라", "깃허브
//!   코파일럿", "구글클라우드". Anything else (a particle, an ending, a
//!   symbol, a stopword, a line break) ends a run.
//! - **Terms** are what may be reported: every word, and every stretch of
//!   two to [`CandidateOptions::max_phrase_words`] consecutive words of a run
//!   (a keyphrase). A term's key is its words' keys joined by one space, so
//!   "구글클라우드" and "구글 클라우드" are one term; its reported surface is
//!   the form most often written.
//!
//! Some spans are excluded before anything is read: e-mail addresses, URLs
//! and bare domain names (`jiho-ml.com`), and bylines (a bracketed span
//! naming a reporter or holding an address, or "NAME 기자"). Lower-case Latin
//! words count only in Korean sentences, so running English ("exclusive
//! computing partnership") does not flood the list, while names and acronyms
//! (`Azure`, `GPU`) always count.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::addresses::Address;
use crate::analysis::Document;
use crate::resources::{Stopwords, is_hangul_syllable, push_lowercase};
use crate::tokenize::{Morpheme, Pos};

/// How candidates are formed.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateOptions {
    /// The longest keyphrase, in words.
    pub max_phrase_words: usize,
}

impl Default for CandidateOptions {
    fn default() -> Self {
        Self {
            max_phrase_words: MAX_PHRASE_WORDS,
        }
    }
}

/// The hard upper limit of [`CandidateOptions::max_phrase_words`].
pub const MAX_PHRASE_WORDS: usize = 3;

/// The most noun morphemes one term may hold (compounds included).
pub const MAX_TERM_PIECES: usize = 6;

/// One distinct noun morpheme of the document (a node of the TextRank graph).
#[derive(Debug, Clone, PartialEq)]
pub struct Word<'t> {
    /// Lower-cased surface: the identity of the word, and its IDF lookup key.
    /// Borrowed from the text where lower-casing leaves the surface as it is.
    pub key: Cow<'t, str>,
    /// How many times it occurs.
    pub count: usize,
    /// Whether it is a single Hangul syllable ("판", "썬"), which is too
    /// ambiguous to report alone unless it is frequent.
    pub single_syllable: bool,
}

/// One mention of a word: where it is, for co-occurrence and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub word: usize,
    /// Index of the sentence it is in.
    pub sentence: usize,
    /// Whether the word is a name here: a proper noun (NNP, including
    /// kosum's and the user's dictionary names) or a Latin word with a
    /// capital letter or digit (Azure, GPU, GPT3).
    pub name: bool,
}

/// A term that may be reported: one word or a keyphrase of several.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// See [`Term::words`]; the slots after `pieces` are `usize::MAX`.
    words: [usize; MAX_TERM_PIECES],
    pieces: usize,
    /// See [`Term::compounds`]; the first `compound_count` are used.
    compounds: [Range<usize>; MAX_PHRASE_WORDS],
    compound_count: usize,
    /// How many times the term occurs.
    pub count: usize,
    /// Char offsets of the first mention.
    pub first: Range<usize>,
    /// Byte offsets of the first mention.
    pub first_bytes: Range<usize>,
    /// How many mentions are written as the first one.
    first_surface_count: usize,
    /// Every other written form with its count, in order of first
    /// appearance (most terms are written one way only).
    other_surfaces: Vec<(Range<usize>, usize)>,
}

impl Term {
    /// Indices into [`Candidates::words`], in order.
    pub fn words(&self) -> &[usize] {
        &self.words[..self.pieces]
    }

    /// The compounds of the term (nouns written together) as ranges of
    /// [`Term::words`], as first written: "구글클라우드" is one compound of
    /// two words, "클라우드 인프라" two compounds of one word each. Spelling
    /// the same words with or without a space is one term.
    pub fn compounds(&self) -> &[Range<usize>] {
        &self.compounds[..self.compound_count]
    }

    /// The form written most often (the first one on a tie), as byte offsets
    /// of one of its mentions.
    pub fn common_surface(&self) -> Range<usize> {
        let mut best = (&self.first_bytes, self.first_surface_count);
        for (range, count) in &self.other_surfaces {
            if *count > best.1 {
                best = (range, *count);
            }
        }
        best.0.clone()
    }
}

/// Everything the keyword stage needs from one document.
#[derive(Debug, Clone, Default)]
pub struct Candidates<'t> {
    pub words: Vec<Word<'t>>,
    /// Every word mention in document order.
    pub mentions: Vec<Mention>,
    pub terms: Vec<Term>,
    /// The first sentence, when it is a heading line of its own (short, no
    /// final punctuation, followed by a line break).
    pub title: Option<usize>,
}

/// Section labels in square brackets at the start of a line ("[단독]",
/// "[IT수다떨기]"): a column or rubric name, not the article's topic.
static SECTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*\[[^\]\n]{1,12}\]").expect("the section label pattern is valid")
});

/// What every section label holds.
const SECTION_LABEL_MARKS: [&str; 1] = ["["];

/// Bylines: a bracketed span that names a reporter or holds an address
/// ("[테크수다 기자 도안구 eyeball@techsuda.com]", "(서울=연합뉴스)"), or
/// a name followed by 기자/특파원 ("홍길동 기자"). As one pattern:
///
/// ```text
/// [\[(（【][^\])）】\n]{0,80}(?:기자|특파원|=|@)[^\])）】\n]{0,80}[\])）】]
/// |(?:^|[\s=])[가-힣]{2,4}[ ]?(?:기자|특파원)(?:[\s=]|$)
/// ```
///
/// The two alternatives are found apart ([`Bylines`]), and the bracketed
/// one without its length limits, which [`within_byline_limits`] checks:
/// compiled into the pattern, they took 1.8 ms of every start, ten times as
/// long as the rest of it.
static BRACKETED_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\[(（【][^\])）】\n]*(?:기자|특파원|=|@)[^\])）】\n]*[\])）】]")
        .expect("the bracketed byline pattern is valid")
});

/// The other alternative of the byline pattern: a name and its title.
static NAMED_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s=])[가-힣]{2,4}[ ]?(?:기자|특파원)(?:[\s=]|$)")
        .expect("the named byline pattern is valid")
});

/// What every byline holds.
const BYLINE_MARKS: [&str; 4] = ["기자", "특파원", "=", "@"];

/// The most chars a bracketed byline holds on either side of its mark.
const BYLINE_SIDE_CHARS: usize = 80;

/// The most chars between a bracketed byline's brackets: the longest mark
/// (특파원) and its two sides.
const BYLINE_INSIDE_CHARS: usize = 2 * BYLINE_SIDE_CHARS + 3;

/// Whether the chars between a bracketed byline's brackets hold a mark with
/// at most [`BYLINE_SIDE_CHARS`] chars on either side.
fn within_byline_limits(inside: &str) -> bool {
    if inside.chars().nth(BYLINE_INSIDE_CHARS).is_some() {
        return false;
    }
    BYLINE_MARKS.iter().any(|mark| {
        inside.match_indices(mark).any(|(at, _)| {
            inside[..at].chars().count() <= BYLINE_SIDE_CHARS
                && inside[at + mark.len()..].chars().count() <= BYLINE_SIDE_CHARS
        })
    })
}

/// The first bracketed byline at or after byte `from` of `haystack`.
fn next_bracketed_byline(haystack: &str, mut from: usize) -> Option<Range<usize>> {
    loop {
        let found = BRACKETED_BYLINE.find_at(haystack, from)?;
        let span = found.as_str();
        let opener_len = span.chars().next().map_or(1, char::len_utf8);
        let closer_len = span.chars().next_back().map_or(1, char::len_utf8);
        if within_byline_limits(&span[opener_len..span.len() - closer_len]) {
            return Some(found.range());
        }
        // Every opener up to the closer found closes there (no closer lies
        // between), so only an opener at most BYLINE_INSIDE_CHARS + 1 chars
        // before the closer can start a byline within the limits.
        let closer = found.end() - closer_len;
        let reach = haystack[..closer]
            .char_indices()
            .rev()
            .nth(BYLINE_INSIDE_CHARS)
            .map_or(0, |(at, _)| at);
        from = (found.start() + opener_len).max(reach);
    }
}

/// The bylines of one haystack, as the byline pattern finds them one after
/// another: the leftmost match of either alternative (they never start at
/// the same char) from where the search has got to. Each alternative's next
/// match is kept until the search passes its start, so no stretch of text is
/// searched twice for the same alternative.
struct Bylines<'h> {
    haystack: &'h str,
    /// The next match of each alternative from some earlier position on,
    /// once searched for (`Some(None)`: there is none).
    bracketed: Option<Option<Range<usize>>>,
    named: Option<Option<Range<usize>>>,
}

impl<'h> Bylines<'h> {
    fn new(haystack: &'h str) -> Self {
        Self {
            haystack,
            bracketed: None,
            named: None,
        }
    }

    /// The first byline at or after byte `from` (which only moves forward).
    fn next_from(&mut self, from: usize) -> Option<Range<usize>> {
        let passed = |kept: &Option<Option<Range<usize>>>| match kept {
            None => true,
            Some(next) => next.as_ref().is_some_and(|span| span.start < from),
        };
        if passed(&self.bracketed) {
            self.bracketed = Some(next_bracketed_byline(self.haystack, from));
        }
        if passed(&self.named) {
            self.named = Some(
                NAMED_BYLINE
                    .find_at(self.haystack, from)
                    .map(|found| found.range()),
            );
        }
        [&self.bracketed, &self.named]
            .into_iter()
            .flatten()
            .flatten()
            .min_by_key(|span| span.start)
            .cloned()
    }
}

/// Compiles the patterns now rather than on first use (see
/// [`crate::analysis::warm_up`]).
pub(crate) fn warm_up() {
    for pattern in [&SECTION_LABEL, &BRACKETED_BYLINE, &NAMED_BYLINE] {
        LazyLock::force(pattern);
    }
}

/// Byte spans of the text that never yield candidates, sorted by start:
/// web addresses, bylines and section labels.
pub fn excluded_spans(text: &str, addresses: &[Address]) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = addresses
        .iter()
        .map(|address| address.span.clone())
        .chain(matches_on_marked_lines(
            text,
            |haystack| {
                let mut bylines = Bylines::new(haystack);
                move |from| bylines.next_from(from)
            },
            &BYLINE_MARKS,
        ))
        .chain(matches_on_marked_lines(
            text,
            |haystack| {
                move |from| {
                    SECTION_LABEL
                        .find_at(haystack, from)
                        .map(|found| found.range())
                }
            },
            &SECTION_LABEL_MARKS,
        ))
        .collect();
    spans.sort_by_key(|span| span.start);
    spans
}

/// What a pattern finds over the whole of `text`, one match after another,
/// for a pattern whose every match holds one of `marks` and lies on the line
/// of that mark, give or take the line breaks at either end of the line.
/// The pattern then only has to run over the lines that hold a mark, which
/// most lines of an article do not. `search(haystack)` gives the pattern's
/// search over one haystack: called with a byte offset, it returns the first
/// match at or after it (offsets only move forward).
fn matches_on_marked_lines<'t, S: FnMut(usize) -> Option<Range<usize>>>(
    text: &'t str,
    search: impl Fn(&'t str) -> S,
    marks: &[&str],
) -> Vec<Range<usize>> {
    // memchr's `memmem` finds the marks with a vectorized scan, where
    // `str::match_indices` steps through the text (`excluded_spans` on
    // `samples/` x20: 1.22 M instructions, against 4.37 M with `contains`
    // and `match_indices`). A searcher is built per mark and text: 212
    // instructions each, 85 K of the 1.22 M.
    let mut at_marks: Vec<usize> = marks
        .iter()
        .flat_map(|mark| memchr::memmem::find_iter(text.as_bytes(), mark.as_bytes()))
        .collect();
    at_marks.sort_unstable();
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut line_end = 0;
    for mark in at_marks {
        if mark < line_end {
            continue;
        }
        let line_start = text[..mark].rfind('\n').map_or(0, |at| at + 1);
        line_end = text[mark..].find('\n').map_or(text.len(), |at| mark + at);
        // The text up to and including the line's closing line break, so
        // that anchors and look-behind see what they would in the whole
        // text; a match may open with the line break before the line.
        let haystack = &text[..(line_end + 1).min(text.len())];
        let mut from = line_start
            .saturating_sub(1)
            .max(found.last().map_or(0, |span| span.end));
        let mut next = search(haystack);
        while let Some(span) = next(from) {
            from = span.end;
            found.push(span);
        }
    }
    found
}

/// How a morpheme takes part in candidate formation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Part of a word.
    Noun,
    /// A Latin word that is running English, not a name.
    PlainEnglish,
    /// A number (SN): a word only when glued to Latin letters.
    Number,
    /// A noun prefix, kept on the following noun.
    Prefix,
    /// Ends any run.
    Other,
}

/// Whether a Latin word names something: it has a capital letter or a digit
/// (Azure, GPU, GPT3).
fn is_latin_name(surface: &str) -> bool {
    surface
        .chars()
        .any(|c| c.is_uppercase() || c.is_ascii_digit())
}

fn role(morpheme: &Morpheme, text: &str, next: Option<&Morpheme>) -> Role {
    match morpheme.pos {
        Pos::NNG | Pos::NNP => {
            // Most tags are one tag (the noun's own); compound ones are read
            // part by part.
            if !morpheme.compound
                || morpheme
                    .tag
                    .split('+')
                    .all(|tag| matches!(tag, "NNG" | "NNP"))
            {
                Role::Noun
            } else {
                Role::Other
            }
        }
        Pos::SH => Role::Noun,
        Pos::SL => {
            if is_latin_name(morpheme.surface(text)) {
                Role::Noun
            } else {
                Role::PlainEnglish
            }
        }
        Pos::SN => Role::Number,
        Pos::XPN => Role::Prefix,
        // A root names something only when it is not the stem of a
        // predicate (깨끗+하다, 중요+한).
        Pos::XR => match next {
            Some(next) if matches!(next.pos, Pos::XSA | Pos::XSV) || next.pos.is_ending() => {
                Role::Other
            }
            _ => Role::Noun,
        },
        _ => Role::Other,
    }
}

/// One word mention being assembled: byte and char span.
#[derive(Debug, Clone)]
struct Piece {
    bytes: Range<usize>,
    chars: Range<usize>,
}

/// Builds candidates for `document`.
pub struct Collector<'a> {
    stopwords: &'a Stopwords,
    options: CandidateOptions,
}

impl<'a> Collector<'a> {
    pub fn new(stopwords: &'a Stopwords, options: &CandidateOptions) -> Self {
        let mut options = options.clone();
        options.max_phrase_words = options.max_phrase_words.clamp(1, MAX_PHRASE_WORDS);
        Self { stopwords, options }
    }

    pub fn collect<'t>(&self, document: &Document<'t>) -> Candidates<'t> {
        let text = document.text;
        let view: &str = &document.view;
        let excluded = excluded_spans(view, &document.addresses);
        let expected = document.term_room();
        let mut state = State {
            text,
            stopwords: self.stopwords,
            max_phrase_words: self.options.max_phrase_words,
            candidates: Candidates {
                words: Vec::with_capacity(expected),
                mentions: Vec::with_capacity(2 * expected),
                terms: Vec::with_capacity(expected),
                title: None,
            },
            surface_words: HashMap::with_capacity(expected),
            capitalized_words: HashMap::new(),
            term_index: HashMap::with_capacity(expected),
            key_buffer: String::new(),
            run: Vec::new(),
            compounds: Vec::new(),
        };
        let mut excluded_at = 0;
        for sentence in &document.sentences {
            let morphemes = document
                .morphemes
                .get(sentence.morphemes.clone())
                .unwrap_or(&[]);
            // Read only when the sentence has a lower-case Latin word.
            let mut korean: Option<bool> = None;
            let mut pending: Option<Piece> = None;
            let mut previous_end: Option<usize> = None;
            // The end of a number already glued to the Latin word before it.
            let mut absorbed_until = 0;
            for (offset, morpheme) in morphemes.iter().enumerate() {
                if morpheme.byte_end <= absorbed_until {
                    continue;
                }
                while excluded
                    .get(excluded_at)
                    .is_some_and(|span| span.end <= morpheme.byte_start)
                {
                    excluded_at += 1;
                }
                let gap = previous_end
                    .map(|end| &view.as_bytes()[end.min(morpheme.byte_start)..morpheme.byte_start]);
                previous_end = Some(morpheme.byte_end);
                let attached = gap.is_some_and(<[u8]>::is_empty);
                let joinable = gap.is_none_or(|gap| gap.is_empty() || gap == b" ");
                if !joinable {
                    state.end_run();
                    pending = None;
                }
                let is_excluded = excluded
                    .get(excluded_at)
                    .is_some_and(|span| span.start < morpheme.byte_end);
                if is_excluded {
                    state.end_run();
                    pending = None;
                    continue;
                }
                let next = morphemes.get(offset + 1);
                let next_attached = next.is_some_and(|n| n.byte_start == morpheme.byte_end);
                let mut role = role(morpheme, text, next);
                if role == Role::PlainEnglish {
                    let korean = *korean.get_or_insert_with(|| {
                        is_korean(&view[sentence.byte_start..sentence.byte_end])
                    });
                    role = if korean { Role::Noun } else { Role::Other };
                }
                let span = Piece {
                    bytes: morpheme.byte_start..morpheme.byte_end,
                    chars: morpheme.start..morpheme.end,
                };
                match role {
                    Role::Noun => {
                        let mut piece = match pending.take() {
                            Some(prefix) if attached => Piece {
                                bytes: prefix.bytes.start..span.bytes.end,
                                chars: prefix.chars.start..span.chars.end,
                            },
                            _ => span,
                        };
                        // Digits glued to a Latin word belong to it (GPT3),
                        // unless a counter follows them (A4용지 stays apart
                        // from 3개).
                        if morpheme.pos == Pos::SL
                            && let Some(number) = next.filter(|n| n.pos == Pos::SN && next_attached)
                        {
                            let counted = morphemes.get(offset + 2).is_some_and(|after| {
                                after.byte_start == number.byte_end
                                    && matches!(after.pos, Pos::NNBC | Pos::NNB)
                            });
                            if !counted {
                                piece.bytes.end = number.byte_end;
                                piece.chars.end = number.end;
                                previous_end = Some(number.byte_end);
                                absorbed_until = number.byte_end;
                            }
                        }
                        let name = morpheme.pos == Pos::NNP
                            || morpheme.pos == Pos::SL && is_latin_name(morpheme.surface(text));
                        state.push_piece(piece, sentence.index, name);
                    }
                    Role::Number => {
                        state.end_run();
                        // A number glued to a following Latin word (5G, 3D).
                        if next_attached && next.is_some_and(|n| n.pos == Pos::SL) {
                            pending = Some(span);
                        }
                    }
                    Role::Prefix => {
                        state.end_run();
                        if next_attached {
                            pending = Some(span);
                        }
                    }
                    Role::PlainEnglish | Role::Other => {
                        state.end_run();
                        pending = None;
                    }
                }
            }
            state.end_run();
        }
        state.candidates.title = title_sentence(document, view);
        state.candidates
    }
}

/// Whether a sentence is mostly Korean (more Hangul syllables than Latin
/// letters).
fn is_korean(sentence: &str) -> bool {
    let mut balance: i64 = 0;
    for c in sentence.chars() {
        if is_hangul_syllable(c) {
            balance += 1;
        } else if c.is_ascii_alphabetic() {
            balance -= 1;
        }
    }
    balance > 0
}

/// The first sentence, if it is a heading: a line of its own of at most
/// [`TITLE_MAX_CHARS`] chars that does not end in sentence punctuation.
fn title_sentence(document: &Document<'_>, view: &str) -> Option<usize> {
    let first = document.sentences.first()?;
    let next = document.sentences.get(1)?;
    let between = view.get(first.byte_end..next.byte_start)?;
    let ends_sentence = document
        .morphemes
        .get(first.morphemes.clone())
        .and_then(<[Morpheme]>::last)
        .is_some_and(|m| m.pos == Pos::SF);
    let short = first.end - first.start <= TITLE_MAX_CHARS;
    (between.contains('\n') && short && !ends_sentence).then_some(first.index)
}

/// The longest first line still read as a title.
const TITLE_MAX_CHARS: usize = 100;

struct State<'t, 's> {
    text: &'t str,
    stopwords: &'s Stopwords,
    max_phrase_words: usize,
    candidates: Candidates<'t>,
    /// The word of every surface met so far (`None` for a stopword): most
    /// mentions repeat a surface, which is then neither lower-cased nor
    /// looked up again.
    surface_words: HashMap<&'t str, Option<usize>>,
    /// The words first met written with capitals ("GPU"), by key: the
    /// others are found through their surface, which is their key.
    capitalized_words: HashMap<String, usize>,
    /// Terms by their words (see [`Term::words`]).
    term_index: HashMap<[usize; MAX_TERM_PIECES], usize>,
    key_buffer: String,
    /// The current noun run: (word, piece).
    run: Vec<(usize, Piece)>,
    /// The compounds of the current run, as ranges of `run` (kept between
    /// runs for its allocation).
    compounds: Vec<Range<usize>>,
}

impl<'t> State<'t, '_> {
    /// Adds a word mention to the current run, or ends the run at a stopword.
    fn push_piece(&mut self, piece: Piece, sentence: usize, name: bool) {
        let surface = &self.text[piece.bytes.clone()];
        let word = match self.surface_words.get(surface) {
            Some(&word) => word,
            None => {
                let word = self.word_of(surface);
                self.surface_words.insert(surface, word);
                word
            }
        };
        let Some(word) = word else {
            self.end_run();
            return;
        };
        self.candidates.words[word].count += 1;
        self.candidates.mentions.push(Mention {
            word,
            sentence,
            name,
        });
        self.run.push((word, piece));
    }

    /// The word whose key (lower case, [`push_lowercase`]) `surface` has,
    /// added if new, or `None` for a stopword.
    fn word_of(&mut self, surface: &'t str) -> Option<usize> {
        self.key_buffer.clear();
        push_lowercase(&mut self.key_buffer, surface);
        if self.stopwords.contains_lowercase(&self.key_buffer) {
            return None;
        }
        // A key is its own key: a word met before was written as its key,
        // or with capitals.
        let key = self.key_buffer.as_str();
        let known = self.surface_words.get(key).copied().flatten();
        if let Some(word) = known.or_else(|| self.capitalized_words.get(key).copied()) {
            return Some(word);
        }
        let word = self.candidates.words.len();
        let mut syllables = surface.chars();
        let single_syllable =
            syllables.next().is_some_and(is_hangul_syllable) && syllables.next().is_none();
        let key = if self.key_buffer == surface {
            Cow::Borrowed(surface)
        } else {
            self.capitalized_words.insert(self.key_buffer.clone(), word);
            Cow::Owned(self.key_buffer.clone())
        };
        self.candidates.words.push(Word {
            key,
            count: 0,
            single_syllable,
        });
        Some(word)
    }

    /// Ends the current run, counting its terms: every stretch of one to
    /// `max_phrase_words` whole compounds (a compound is the nouns written
    /// together without a space; terms never cut one).
    fn end_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let mut compounds = std::mem::take(&mut self.compounds);
        compounds.clear();
        for (index, (_, piece)) in self.run.iter().enumerate() {
            match compounds.last_mut() {
                Some(last) if self.run[last.end - 1].1.bytes.end == piece.bytes.start => {
                    last.end = index + 1;
                }
                _ => compounds.push(index..index + 1),
            }
        }
        for first in 0..compounds.len() {
            let longest = self.max_phrase_words.min(compounds.len() - first);
            for length in 1..=longest {
                let stretch = &compounds[first..first + length];
                let pieces = stretch[0].start..stretch[length - 1].end;
                if pieces.len() > MAX_TERM_PIECES {
                    break;
                }
                let mut words = [usize::MAX; MAX_TERM_PIECES];
                for (slot, (word, _)) in words.iter_mut().zip(&self.run[pieces.clone()]) {
                    *slot = *word;
                }
                let first_piece = &self.run[pieces.start].1;
                let last_piece = &self.run[pieces.end - 1].1;
                let bytes = first_piece.bytes.start..last_piece.bytes.end;
                let chars = first_piece.chars.start..last_piece.chars.end;
                self.count_term(words, stretch, bytes, chars);
            }
        }
        self.run.clear();
        self.compounds = compounds;
    }

    /// Counts one mention of the term of `words` (padded as
    /// [`Term::words`] keeps them), whose compounds are `stretch` (ranges of
    /// the run).
    fn count_term(
        &mut self,
        words: [usize; MAX_TERM_PIECES],
        stretch: &[Range<usize>],
        bytes: Range<usize>,
        chars: Range<usize>,
    ) {
        let text = self.text;
        let term = match self.term_index.entry(words) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                entry.insert(self.candidates.terms.len());
                let offset = stretch[0].start;
                self.candidates.terms.push(Term {
                    words,
                    pieces: stretch[stretch.len() - 1].end - offset,
                    compounds: std::array::from_fn(|k| {
                        stretch
                            .get(k)
                            .map_or(0..0, |c| c.start - offset..c.end - offset)
                    }),
                    compound_count: stretch.len(),
                    count: 1,
                    first: chars,
                    first_bytes: bytes,
                    first_surface_count: 1,
                    other_surfaces: Vec::new(),
                });
                return;
            }
        };
        let term = &mut self.candidates.terms[term];
        term.count += 1;
        let surface = &text[bytes.clone()];
        if &text[term.first_bytes.clone()] == surface {
            term.first_surface_count += 1;
            return;
        }
        match term
            .other_surfaces
            .iter_mut()
            .find(|(range, _)| &text[range.clone()] == surface)
        {
            Some((_, count)) => *count += 1,
            None => term.other_surfaces.push((bytes, 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::analysis::{Analyzer, AnalyzerConfig, SentenceMode};

    fn analyzer() -> &'static Analyzer {
        static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
        ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).unwrap())
    }

    fn collect(text: &str) -> Candidates<'_> {
        let document = analyzer().document(text, SentenceMode::Split).unwrap();
        Collector::new(Stopwords::builtin(), &CandidateOptions::default()).collect(&document)
    }

    /// Each term as its most common surface, with its count.
    fn terms(text: &str) -> Vec<(String, usize)> {
        let candidates = collect(text);
        candidates
            .terms
            .iter()
            .map(|term| (text[term.common_surface()].to_string(), term.count))
            .collect()
    }

    fn words(text: &str) -> Vec<String> {
        collect(text)
            .words
            .into_iter()
            .map(|w| w.key.into_owned())
            .collect()
    }

    #[test]
    fn particles_endings_and_stopwords_are_not_words() {
        assert_eq!(
            words("마이크로소프트가 오픈AI에 투자했다는 것은 새로운 소식이다."),
            ["마이크로소프트", "오픈ai", "투자", "소식"]
        );
    }

    #[test]
    fn a_key_is_its_own_key() {
        let (mut key, mut key_of_key) = (String::new(), String::new());
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            key.clear();
            key_of_key.clear();
            push_lowercase(&mut key, c.encode_utf8(&mut [0; 4]));
            push_lowercase(&mut key_of_key, &key);
            assert_eq!(key, key_of_key, "{c:?}");
        }
    }

    #[test]
    fn capitalized_and_lower_case_mentions_are_one_word() {
        let candidates = collect(
            "Azure와 GPU를 쓴다. 우리 회사는 오늘부터 gpu와 azure를 함께 쓰기로 했다. \
             Gpu도 AZURE도 좋다.",
        );
        let counts: Vec<(&str, usize)> = candidates
            .words
            .iter()
            .filter(|w| w.key.is_ascii())
            .map(|w| (w.key.as_ref(), w.count))
            .collect();
        assert_eq!(counts, [("azure", 3), ("gpu", 3)]);
    }

    #[test]
    fn particle_attached_mentions_are_one_term() {
        let found = terms("애저가 좋다. 애저를 쓴다. 애저의 가격.");
        assert!(found.contains(&("애저".to_string(), 3)), "{found:?}");
    }

    #[test]
    fn spaced_and_joined_compounds_are_one_term_written_the_common_way() {
        let found = terms("반도체 공장이 컸다. 반도체 공장을 짓는다. 반도체공장 매출.");
        assert!(found.contains(&("반도체 공장".to_string(), 3)), "{found:?}");
        // The word is counted in every mention; as a term of its own only
        // where it is not part of a joined compound (terms never cut one).
        assert!(found.contains(&("반도체".to_string(), 2)), "{found:?}");
        let candidates = collect("반도체 공장이 컸다. 반도체 공장을 짓는다. 반도체공장 매출.");
        assert_eq!(candidates.words[0].key, "반도체");
        assert_eq!(candidates.words[0].count, 3);
    }

    #[test]
    fn phrases_stop_at_particles_and_never_exceed_three_words() {
        let found =
            terms("오픈AI 클라우드 인프라는 원래 구글의 서버 스토리지 네트워킹 분야 기술이었다.");
        let surfaces: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
        assert!(surfaces.contains(&"오픈AI 클라우드 인프라"), "{surfaces:?}");
        assert!(surfaces.contains(&"클라우드 인프라"), "{surfaces:?}");
        assert!(
            !surfaces.iter().any(|s| s.contains("인프라는")),
            "{surfaces:?}"
        );
        assert!(
            !surfaces.iter().any(|s| s.contains("구글 서버")),
            "{surfaces:?}"
        );
        assert!(
            surfaces.iter().all(|s| s.split(' ').count() <= 3),
            "{surfaces:?}"
        );
    }

    #[test]
    fn numbers_count_only_glued_to_latin_words() {
        let found = words("GPT3 모델은 2019년에 나왔고 5G 망과 3개 회사가 쓴다.");
        assert!(found.contains(&"gpt3".to_string()), "{found:?}");
        assert!(found.contains(&"5g".to_string()), "{found:?}");
        assert!(
            !found.iter().any(|w| w.starts_with("2019") || w == "3"),
            "{found:?}"
        );
    }

    #[test]
    fn addresses_bylines_and_section_labels_are_excluded() {
        let text = "[IT수다떨기] 클라우드 이야기\n\n[테크수다 기자 도안구 eyeball@techsuda.com] 원리는 jiho-ml.com 또는 https://example.org/a?b=1 에서 본다.\n홍길동 기자 = 클라우드 시장이 컸다.";
        let found = words(text);
        for banned in [
            "it",
            "수다",
            "테크",
            "도안구",
            "eyeball",
            "techsuda",
            "com",
            "jiho",
            "ml",
            "example",
            "org",
            "홍길동",
        ] {
            assert!(
                !found.contains(&banned.to_string()),
                "{banned} in {found:?}"
            );
        }
        assert!(found.contains(&"클라우드".to_string()), "{found:?}");
        assert!(found.contains(&"원리".to_string()), "{found:?}");
    }

    #[test]
    fn running_english_keeps_only_names_and_acronyms() {
        let found = words(
            "OpenAI forms exclusive computing partnership with Microsoft on Azure GPU.\n애저 AI 인프라.",
        );
        assert!(found.contains(&"openai".to_string()), "{found:?}");
        assert!(found.contains(&"azure".to_string()), "{found:?}");
        assert!(found.contains(&"gpu".to_string()), "{found:?}");
        assert!(!found.contains(&"exclusive".to_string()), "{found:?}");
        assert!(!found.contains(&"computing".to_string()), "{found:?}");
    }

    #[test]
    fn a_heading_line_is_the_title() {
        assert_eq!(
            collect("AI 판 흔드는 협력\n\n본문이 시작된다. 둘째 문장.").title,
            Some(0)
        );
        assert_eq!(collect("본문이 시작된다.\n둘째 문장이다.").title, None);
    }

    #[test]
    fn excluded_spans_are_sorted_byte_ranges() {
        let text = "메일 a.b@c.co.kr 과 www.naver.com 그리고 (서울=연합뉴스) 홍길동 기자 =";
        let spans = excluded_spans(text, &crate::addresses::find(text));
        let found: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
        assert!(found.contains(&"a.b@c.co.kr"), "{found:?}");
        assert!(found.contains(&"www.naver.com"), "{found:?}");
        assert!(found.contains(&"(서울=연합뉴스)"), "{found:?}");
        assert!(found.iter().any(|s| s.contains("홍길동 기자")), "{found:?}");
        assert!(spans.windows(2).all(|p| p[0].start <= p[1].start));
    }

    #[test]
    fn many_bylines_on_one_line_are_found_in_one_pass() {
        // A search for the named alternative from each bracketed byline on
        // would cross the whole line 30,000 times.
        let text = format!("{} 홍길동 기자 끝", "(서울=연합뉴스) ".repeat(30_000));
        let expected: Vec<Range<usize>> =
            BYLINE_PATTERN.find_iter(&text).map(|m| m.range()).collect();
        assert_eq!(expected.len(), 30_001);
        assert_eq!(excluded_spans(&text, &[]), expected);
    }

    #[test]
    fn the_longest_byline_mark_is_three_chars() {
        let longest = BYLINE_MARKS.iter().map(|mark| mark.chars().count()).max();
        assert_eq!(Some(BYLINE_INSIDE_CHARS - 2 * BYLINE_SIDE_CHARS), longest);
    }

    #[test]
    fn a_long_run_of_brackets_before_a_byline_is_searched_once() {
        // Every opener shares the one closer; a search that tried each in
        // turn to the closer would take 50,000² steps.
        let text = format!("{}기자){}", "(".repeat(50_000), "=".repeat(50_000));
        let expected: Vec<Range<usize>> =
            BYLINE_PATTERN.find_iter(&text).map(|m| m.range()).collect();
        assert_eq!(expected.len(), 1);
        assert_eq!(excluded_spans(&text, &[]), expected);
        assert_eq!(text[expected[0].clone()].chars().count(), 81 + 2 + 1);
    }

    /// The byline pattern as one regex, limits and all (see
    /// [`BRACKETED_BYLINE`]).
    static BYLINE_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"[\[(（【][^\])）】\n]{0,80}(?:기자|특파원|=|@)[^\])）】\n]{0,80}[\])）】]",
            r"|(?:^|[\s=])[가-힣]{2,4}[ ]?(?:기자|특파원)(?:[\s=]|$)",
        ))
        .unwrap()
    });

    /// Text made of the pieces bylines and section labels are made of, with
    /// runs long enough to pass their length limits.
    fn byline_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => prop::sample::select(vec![
                "[", "(", "（", "【", "]", ")", "）", "】", "\n", " ", "\t", "\u{3000}", "=", "@",
                "기자", "특파원", "기", "홍길동", "김", "a", "x.", "가",
            ])
            .prop_map(str::to_string),
            1 => (prop::sample::select(vec!["가", "a", " ", "="]), 0..90usize)
                .prop_map(|(piece, times)| piece.repeat(times)),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        /// The patterns run only over the lines that hold a mark, and find
        /// what they find over the whole text.
        #[test]
        fn exclusions_are_what_their_patterns_find_in_the_whole_text(text in byline_text()) {
            let mut expected: Vec<Range<usize>> = BYLINE_PATTERN
                .find_iter(&text)
                .chain(SECTION_LABEL.find_iter(&text))
                .map(|m| m.range())
                .collect();
            expected.sort_by_key(|span| span.start);
            prop_assert_eq!(excluded_spans(&text, &[]), expected);
        }
    }
}
