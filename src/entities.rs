//! Named entities: who and what a document names (companies, products,
//! people, places, sums of money, dates, quantities, addresses).
//!
//! Several recognizers each propose spans over the document's morphemes, and
//! one resolver keeps the non-overlapping ones in a fixed order of trust:
//!
//! 1. e-mail addresses and URLs (regular expressions on the text);
//! 2. the gazetteer (`dict/terms.tsv` plus user rows): the longest alias
//!    wins, Latin aliases compare case-insensitively, and a term listed as
//!    not an entity (`-`) blocks the other recognizers on its span. A known
//!    organization or place joined to an organization suffix, and an
//!    institution after a place name, rank here too (롯데그룹, 일본 정부);
//! 3. number patterns: a number (digits, 만/억/조, native numerals) with a
//!    unit or counter, calendar and clock expressions, ages in brackets;
//! 4. people before a title or form of address (도안구 기자, 박 씨, A씨,
//!    김모(33)씨) and the writer named before a byline's e-mail address;
//! 5. organizations by form (국방부, 서울대, 한국은행) or by a word naming an
//!    institution (경찰, 정부);
//! 6. places from a list of continents, countries and much-reported cities,
//!    then mecab-ko-dic's proper-noun classes (인명 → PERSON, 지명 →
//!    LOCATION, extended by a place suffix: 수원 + 시), never inside a
//!    compound word;
//! 7. Latin acronyms not in the gazetteer, as organizations, where they head
//!    a noun phrase of their own.
//!
//! Within one level the longer span wins, then the earlier. Spans end before
//! particles, so an entity's text never carries one (마이크로소프트가 →
//! 마이크로소프트). The word classes the patterns use (titles, surnames,
//! suffixes, units …) are data in `dict/entity-words.tsv`.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::addresses::{Address, AddressKind};
use crate::analysis::Document;
use crate::error::{Error, Result};
use crate::normalize::CharCounter;
use crate::resources::{
    EntityWords, Terms, is_hangul_syllable, is_lowercase, lowercase, push_lowercase,
};
use crate::tokenize::{Morpheme, Origin, Pos};

/// The entity types of kosum's JSON schema v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Org,
    Product,
    Person,
    Location,
    Date,
    Time,
    Money,
    Quantity,
    Percent,
    Email,
    Url,
}

impl EntityType {
    /// Parses the schema's upper-case name (`ORG`, `PRODUCT` …).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "ORG" => Self::Org,
            "PRODUCT" => Self::Product,
            "PERSON" => Self::Person,
            "LOCATION" => Self::Location,
            "DATE" => Self::Date,
            "TIME" => Self::Time,
            "MONEY" => Self::Money,
            "QUANTITY" => Self::Quantity,
            "PERCENT" => Self::Percent,
            "EMAIL" => Self::Email,
            "URL" => Self::Url,
            _ => return None,
        })
    }

    /// The schema's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Org => "ORG",
            Self::Product => "PRODUCT",
            Self::Person => "PERSON",
            Self::Location => "LOCATION",
            Self::Date => "DATE",
            Self::Time => "TIME",
            Self::Money => "MONEY",
            Self::Quantity => "QUANTITY",
            Self::Percent => "PERCENT",
            Self::Email => "EMAIL",
            Self::Url => "URL",
        }
    }
}

/// One mention of an entity: char offsets into the document, half-open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
}

/// One entity of a document with all its mentions (aliases grouped).
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// The normalized surface of its first (or most common) mention.
    pub text: String,
    pub kind: EntityType,
    /// The canonical name (the gazetteer's, or the text itself).
    pub canonical: String,
    pub mentions: Vec<Mention>,
}

/// How far a gazetteer alias may reach, in morphemes.
const LONGEST_ALIAS_MORPHEMES: usize = 8;

/// The longest personal name, in syllables (a two-syllable surname and a
/// two-syllable given name).
const LONGEST_KOREAN_NAME: usize = 4;

/// What a gazetteer alias stands for.
#[derive(Debug, Clone)]
struct Alias {
    /// `None` for a term that is known not to be an entity.
    kind: Option<EntityType>,
    canonical: String,
}

/// A word class of `dict/entity-words.tsv` (the `org-suffix` and `not-org`
/// endings aside), or the start of a word of a class that is looked up over
/// several morphemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Title,
    Surname,
    OrgNoun,
    OrgContext,
    Place,
    PlaceSuffix,
    Currency,
    Percent,
    Counter,
    Duration,
    Clock,
    DateWord,
    DatePrefix,
    Daypart,
    NativeNumber,
    Multiplier,
    /// The start of a date word, which may be two morphemes (다음 + 날).
    DateWordStart,
    /// The start of a date prefix, which may be a word of several morphemes.
    DatePrefixStart,
}

/// A set of word classes, so that one lookup tells all a word's classes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Classes(u32);

impl Classes {
    fn with(self, class: WordClass) -> Self {
        Self(self.0 | 1 << class as u32)
    }

    fn has(self, class: WordClass) -> bool {
        self.0 & 1 << class as u32 != 0
    }
}

/// What kosum's data says of one string.
#[derive(Debug, Clone, Default)]
struct Entry {
    /// Its word classes, as written.
    classes: Classes,
    /// The gazetteer alias it spells as an alias key, if it spells a whole
    /// one.
    alias: Option<Alias>,
    /// A longer alias key starts with it, so a scan that has read it goes on
    /// to the next morpheme.
    opens_alias: bool,
}

/// Everything kosum's data says of strings, in one table, so that one
/// lookup per morpheme tells both its word classes and whether an alias
/// starts with it.
#[derive(Debug, Clone, Default)]
struct Lexicon {
    /// Keyed by the words of the classes as written, and by the alias keys
    /// and every proper prefix of one.
    entries: HashMap<String, Entry>,
}

impl Lexicon {
    fn with_capacity(keys: usize) -> Self {
        Self {
            entries: HashMap::with_capacity(keys),
        }
    }

    fn get(&self, text: &str) -> Option<&Entry> {
        self.entries.get(text)
    }

    /// The classes of `word`.
    fn classes(&self, word: &str) -> Classes {
        self.get(word)
            .map(|entry| entry.classes)
            .unwrap_or_default()
    }

    fn add_class(&mut self, word: &str, class: WordClass) {
        let entry = self.entries.entry(word.to_string()).or_default();
        entry.classes = entry.classes.with(class);
    }

    /// Adds an alias under its key; a later alias for the same key wins.
    fn add_alias(&mut self, key: String, alias: Alias) {
        for (cut, _) in key.char_indices().skip(1) {
            self.entries
                .entry(key[..cut].to_string())
                .or_default()
                .opens_alias = true;
        }
        self.entries.entry(key).or_default().alias = Some(alias);
    }
}

/// The organization endings that end in one character.
#[derive(Debug, Clone, Default)]
struct OrgEndings {
    /// Longest first, so that 대학교 is tried before 교.
    suffixes: Vec<String>,
    /// Common nouns that end like organization names (후반부).
    not_org: Vec<String>,
}

/// The organization endings of `dict/entity-words.tsv`, matched at the end
/// of a span; the file's other classes go to the [`Lexicon`].
#[derive(Debug, Clone, Default)]
struct WordClasses {
    /// By their last character, so that a word is tried only against the
    /// endings it can have, and most words against none.
    org_endings: HashMap<char, OrgEndings>,
}

impl WordClasses {
    fn from_rows(words: &EntityWords, lexicon: &mut Lexicon) -> Result<Self> {
        let mut suffixes = Vec::new();
        let mut not_org = Vec::new();
        for (number, (word, class)) in words.iter().enumerate() {
            let (class, start) = match class {
                "title" => (WordClass::Title, None),
                "surname" => (WordClass::Surname, None),
                "org-noun" => (WordClass::OrgNoun, None),
                "org-suffix" => {
                    suffixes.push(word);
                    continue;
                }
                "not-org" => {
                    not_org.push(word);
                    continue;
                }
                "org-context" => (WordClass::OrgContext, None),
                "place" => (WordClass::Place, None),
                "place-suffix" => (WordClass::PlaceSuffix, None),
                "currency" => (WordClass::Currency, None),
                "percent" => (WordClass::Percent, None),
                "counter" => (WordClass::Counter, None),
                "duration" => (WordClass::Duration, None),
                "clock" => (WordClass::Clock, None),
                "date-word" => (WordClass::DateWord, Some(WordClass::DateWordStart)),
                "date-prefix" => (WordClass::DatePrefix, Some(WordClass::DatePrefixStart)),
                "daypart" => (WordClass::Daypart, None),
                "native-number" => (WordClass::NativeNumber, None),
                "multiplier" => (WordClass::Multiplier, None),
                other => {
                    return Err(Error::DataFormat {
                        source_name: "dict/entity-words.tsv".into(),
                        line: number + 1,
                        message: format!("unknown word class {other:?}"),
                    });
                }
            };
            lexicon.add_class(word, class);
            if let Some(start) = start {
                for (cut, c) in word.char_indices() {
                    lexicon.add_class(&word[..cut + c.len_utf8()], start);
                }
            }
        }
        suffixes.sort_by_key(|suffix| std::cmp::Reverse(suffix.chars().count()));
        suffixes.dedup();
        let mut classes = WordClasses::default();
        for suffix in suffixes {
            if let Some(endings) = classes.endings_mut(suffix) {
                endings.suffixes.push(suffix.to_string());
            }
        }
        for ending in not_org {
            if let Some(endings) = classes.endings_mut(ending) {
                endings.not_org.push(ending.to_string());
            }
        }
        Ok(classes)
    }

    fn endings_mut(&mut self, ending: &str) -> Option<&mut OrgEndings> {
        let last = ending.chars().next_back()?;
        Some(self.org_endings.entry(last).or_default())
    }

    /// The organization endings `text` may end with.
    fn org_endings(&self, text: &str) -> Option<&OrgEndings> {
        self.org_endings.get(&text.chars().next_back()?)
    }
}

/// Everything the entity stage loads once: the aliases of the term list, the
/// pattern word classes and the address expressions. Build it once and share
/// it across documents.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// The word classes, and the aliases keyed in lower case with one space
    /// where the alias has whitespace.
    lexicon: Lexicon,
    longest_alias_bytes: usize,
    words: WordClasses,
}

impl Gazetteer {
    /// Builds the gazetteer from term rows (kosum's `dict/terms.tsv` and any
    /// user rows after it: a later row for the same alias wins) and kosum's
    /// pattern word classes.
    pub fn new(terms: &Terms) -> Result<Self> {
        // Room for about every key: an alias adds a key per char (itself and
        // its prefixes, fewer where aliases share them) and a word-class row
        // one or so, so the table is made once instead of growing through
        // every size below it.
        let word_rows = EntityWords::builtin();
        let alias_keys: usize = terms.iter().map(|term| term.surface.chars().count()).sum();
        let mut lexicon = Lexicon::with_capacity(alias_keys + word_rows.iter().count());
        let mut longest_alias_bytes = 0;
        for term in terms.iter() {
            let key = alias_key(&term.surface);
            longest_alias_bytes = longest_alias_bytes.max(key.len());
            lexicon.add_alias(
                key,
                Alias {
                    kind: term.entity,
                    canonical: term.canonical.clone(),
                },
            );
        }
        let words = WordClasses::from_rows(word_rows, &mut lexicon)?;
        Ok(Self {
            lexicon,
            longest_alias_bytes,
            words,
        })
    }
}

/// The lookup form of an alias: lower case, whitespace runs as one space.
fn alias_key(surface: &str) -> String {
    let mut key = String::with_capacity(surface.len());
    for (i, word) in surface.split_whitespace().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        push_lowercase(&mut key, word);
    }
    key
}

/// The recognizers in order of trust (earlier wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Address,
    Gazetteer,
    NumberPattern,
    TitledPerson,
    OrganizationForm,
    ProperNounClass,
    ForeignAcronym,
}

/// A span one recognizer proposes (byte offsets into the document).
#[derive(Debug, Clone)]
struct Candidate {
    byte_start: usize,
    byte_end: usize,
    /// `None` blocks the span without making an entity.
    kind: Option<EntityType>,
    canonical: Option<String>,
    source: Source,
}

/// The entities of `document`, in order of first mention, each with all its
/// mentions; aliases of one gazetteer entity are one entity.
pub fn extract(document: &Document, gazetteer: &Gazetteer) -> Vec<Entity> {
    let scan = Scan {
        text: document.text,
        morphemes: &document.morphemes,
        addresses: &document.addresses,
        gazetteer,
        words: &gazetteer.words,
        facts: morpheme_facts(document.text, &document.morphemes, &gazetteer.lexicon),
    };
    let mut candidates = Vec::new();
    scan.addresses(&mut candidates);
    scan.gazetteer_matches(&mut candidates);
    scan.number_patterns(&mut candidates);
    scan.titled_people(&mut candidates);
    scan.bylines(&mut candidates);
    scan.organization_forms(&mut candidates);
    scan.proper_noun_classes(&mut candidates);
    scan.foreign_acronyms(&mut candidates);
    group(document.text, resolve(candidates))
}

/// Keeps the most trusted of overlapping candidates, returned in text order.
fn resolve(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        a.source
            .cmp(&b.source)
            .then((b.byte_end - b.byte_start).cmp(&(a.byte_end - a.byte_start)))
            .then(a.byte_start.cmp(&b.byte_start))
    });
    // Accepted spans by start; they never overlap, so the one starting
    // nearest before a candidate's end is the only one that can overlap it.
    let mut accepted: BTreeMap<usize, Candidate> = BTreeMap::new();
    for candidate in candidates {
        let overlaps = accepted
            .range(..candidate.byte_end)
            .next_back()
            .is_some_and(|(_, kept)| kept.byte_end > candidate.byte_start);
        if !overlaps {
            accepted.insert(candidate.byte_start, candidate);
        }
    }
    accepted.into_values().collect()
}

/// Groups resolved spans into entities by type and canonical name.
fn group(text: &str, spans: Vec<Candidate>) -> Vec<Entity> {
    let mut counter = CharCounter::new(text);
    let mut entities: Vec<Entity> = Vec::new();
    // Entities by type and lower-cased canonical name. A mention of an
    // entity met before copies no string.
    let mut index: HashMap<EntityType, HashMap<String, usize>> = HashMap::new();
    for span in spans {
        let Some(kind) = span.kind else { continue };
        let Some(surface) = text.get(span.byte_start..span.byte_end) else {
            continue;
        };
        let mention = Mention {
            start: counter.char_offset(span.byte_start),
            end: counter.char_offset(span.byte_end),
        };
        let normalized = single_spaced(surface);
        let canonical = span.canonical.as_deref().unwrap_or(&normalized);
        // `str::to_lowercase`, which only changes what is not lower case.
        let key = if is_lowercase(canonical) {
            Cow::Borrowed(canonical)
        } else {
            Cow::Owned(canonical.to_lowercase())
        };
        let names = index.entry(kind).or_default();
        if let Some(&at) = names.get(key.as_ref()) {
            entities[at].mentions.push(mention);
            continue;
        }
        names.insert(key.into_owned(), entities.len());
        let canonical = span.canonical.unwrap_or_else(|| normalized.to_string());
        entities.push(Entity {
            text: normalized.into_owned(),
            kind,
            canonical,
            mentions: vec![mention],
        });
    }
    entities
}

/// `text`'s words joined by single spaces (borrowed when it is so already).
fn single_spaced(text: &str) -> Cow<'_, str> {
    if text
        .split(' ')
        .all(|word| !word.is_empty() && !word.contains(char::is_whitespace))
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// What lies between a morpheme and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Nothing: the two are parts of one word.
    None,
    /// Whitespace within a line.
    Space,
    /// Anything else, and the first morpheme's gap.
    Other,
}

/// What the recognizers ask of one morpheme, worked out once per document
/// rather than by each recognizer at each morpheme it passes.
#[derive(Debug, Clone, Copy)]
struct MorphemeFacts<'g> {
    gap: Gap,
    /// The word classes of its surface.
    classes: Classes,
    /// The lexicon's entry for its surface in lower case: where a gazetteer
    /// scan from it starts.
    lowercase: Option<&'g Entry>,
    /// Tagged as a number or opening with an ASCII digit.
    starts_number: bool,
    /// An analysis of several parts (`VV+EP`), never a word of a class.
    compound_tag: bool,
}

fn morpheme_facts<'g>(
    text: &str,
    morphemes: &[Morpheme],
    lexicon: &'g Lexicon,
) -> Vec<MorphemeFacts<'g>> {
    let mut previous_end = None;
    morphemes
        .iter()
        .map(|m| {
            let surface = m.surface(text);
            let gap = match previous_end {
                None => Gap::Other,
                Some(end) => match text.get(end..m.byte_start).unwrap_or("") {
                    "" => Gap::None,
                    gap if gap.chars().all(|c| c.is_whitespace() && c != '\n') => Gap::Space,
                    _ => Gap::Other,
                },
            };
            previous_end = Some(m.byte_end);
            let entry = lexicon.get(surface);
            let lowercase_entry = match lowercase(surface) {
                Cow::Borrowed(_) => entry,
                Cow::Owned(key) => lexicon.get(&key),
            };
            MorphemeFacts {
                gap,
                classes: entry.map(|entry| entry.classes).unwrap_or_default(),
                lowercase: lowercase_entry,
                // An ASCII digit is its own first byte.
                starts_number: m.pos == Pos::SN
                    || surface.as_bytes().first().is_some_and(u8::is_ascii_digit),
                compound_tag: m.compound,
            }
        })
        .collect()
}

/// The recognizers' shared view of one document.
struct Scan<'d> {
    text: &'d str,
    morphemes: &'d [Morpheme],
    /// The text's web addresses, found once for every pass that reads them.
    addresses: &'d [Address],
    gazetteer: &'d Gazetteer,
    words: &'d WordClasses,
    /// One entry per morpheme.
    facts: Vec<MorphemeFacts<'d>>,
}

impl<'d> Scan<'d> {
    fn surface(&self, i: usize) -> &'d str {
        self.morphemes[i].surface(self.text)
    }

    /// The word classes of morpheme `i`.
    fn classes(&self, i: usize) -> Classes {
        self.facts[i].classes
    }

    /// Whether `word` is a listed surname.
    fn is_surname(&self, word: &str) -> bool {
        self.gazetteer.lexicon.classes(word).has(WordClass::Surname)
    }

    /// Whether `text` opens with a listed surname of `chars` chars and goes
    /// on after it.
    fn opens_with_surname(&self, text: &str, chars: usize) -> bool {
        text.char_indices()
            .nth(chars)
            .is_some_and(|(cut, _)| self.is_surname(&text[..cut]))
    }

    /// Morpheme `i` follows morpheme `i - 1` with nothing between them.
    fn joined(&self, i: usize) -> bool {
        self.facts.get(i).is_some_and(|f| f.gap == Gap::None)
    }

    /// Morpheme `i` follows morpheme `i - 1` after whitespace only.
    fn spaced(&self, i: usize) -> bool {
        self.facts.get(i).is_some_and(|f| f.gap == Gap::Space)
    }

    /// The first morpheme of the word (space-delimited) holding morpheme `i`.
    fn word_start(&self, mut i: usize) -> usize {
        while self.joined(i) {
            i -= 1;
        }
        i
    }

    /// One past the last morpheme of the word holding morpheme `i`.
    fn word_end(&self, mut i: usize) -> usize {
        while self.joined(i + 1) {
            i += 1;
        }
        i + 1
    }

    fn candidate(
        &self,
        first: usize,
        last: usize,
        kind: Option<EntityType>,
        source: Source,
    ) -> Candidate {
        Candidate {
            byte_start: self.morphemes[first].byte_start,
            byte_end: self.morphemes[last].byte_end,
            kind,
            canonical: None,
            source,
        }
    }

    fn addresses(&self, out: &mut Vec<Candidate>) {
        for address in self.addresses {
            let kind = match address.kind {
                AddressKind::Email => EntityType::Email,
                AddressKind::Url => EntityType::Url,
                // A bare domain name is usually a company or product name.
                AddressKind::Domain => continue,
            };
            out.push(Candidate {
                byte_start: address.span.start,
                byte_end: address.span.end,
                kind: Some(kind),
                canonical: None,
                source: Source::Address,
            });
        }
    }

    /// The longest alias starting at each morpheme.
    fn gazetteer_matches(&self, out: &mut Vec<Candidate>) {
        let mut key = String::new();
        let mut i = 0;
        while i < self.morphemes.len() {
            let start = match self.facts[i].lowercase {
                Some(entry) if !self.morphemes[i].pos.is_symbol() => entry,
                _ => {
                    i += 1;
                    continue;
                }
            };
            let mut best = start.alias.as_ref().map(|alias| (i, alias));
            if start.opens_alias {
                key.clear();
                push_lowercase(&mut key, self.surface(i));
            }
            // The next morpheme may be joined with or without a space: a key
            // followed by a space that starts an alias is itself the start of
            // one.
            let mut goes_on = start.opens_alias;
            let mut j = i + 1;
            while goes_on && j < self.morphemes.len().min(i + LONGEST_ALIAS_MORPHEMES) {
                if self.spaced(j) {
                    key.push(' ');
                } else if !self.joined(j) {
                    break;
                }
                push_lowercase(&mut key, self.surface(j));
                if key.len() > self.gazetteer.longest_alias_bytes {
                    break;
                }
                let Some(found) = self.gazetteer.lexicon.get(&key) else {
                    break;
                };
                if let Some(alias) = &found.alias {
                    best = Some((j, alias));
                }
                goes_on = found.opens_alias;
                j += 1;
            }
            match best {
                Some((last, alias)) => {
                    if matches!(alias.kind, Some(EntityType::Org | EntityType::Location)) {
                        self.affiliate_organization(i, last, alias.kind, out);
                    }
                    out.push(Candidate {
                        canonical: Some(alias.canonical.clone()),
                        ..self.candidate(i, last, alias.kind, Source::Gazetteer)
                    });
                    i = last + 1;
                }
                None => i += 1,
            }
        }
    }

    /// A known organization or place joined to nouns that end in an
    /// organization suffix names an organization of its own (롯데 →
    /// 롯데그룹, 한국 → 한국도로공사, 서울 → 서울중앙지법), which outranks
    /// the alias on that span.
    fn affiliate_organization(
        &self,
        first: usize,
        last: usize,
        kind: Option<EntityType>,
        out: &mut Vec<Candidate>,
    ) {
        let word_end = self.word_end(last);
        let mut end = last + 1;
        while end < word_end && matches!(self.morphemes[end].pos, Pos::NNG | Pos::NNP | Pos::XSN) {
            end += 1;
        }
        if end == last + 1 {
            return;
        }
        let compound =
            &self.text[self.morphemes[last + 1].byte_start..self.morphemes[end - 1].byte_end];
        let affiliate = self.words.org_endings(compound).is_some_and(|endings| {
            endings.suffixes.iter().any(|suffix| {
                compound.ends_with(suffix.as_str())
                    && (suffix.chars().count() > 1
                        || suffix == "대" && kind == Some(EntityType::Location))
            })
        });
        if affiliate {
            out.push(self.candidate(first, end - 1, Some(EntityType::Org), Source::Gazetteer));
        }
    }

    // ----- numbers, dates, times ------------------------------------------

    /// Reads a number starting at morpheme `i`: digits (with decimal and
    /// thousands separators), multipliers (1억 2000만), an approximate 여,
    /// a range (7∼8). Returns one past its last morpheme and the value of
    /// its leading digits, if they are plain digits.
    fn number(&self, i: usize) -> Option<(usize, Option<u64>)> {
        let n = self.morphemes.len();
        let starts_number = |k: usize| self.facts[k].starts_number;
        if i >= n || !starts_number(i) {
            return None;
        }
        let value = self.surface(i).parse::<u64>().ok();
        let mut end = i + 1;
        loop {
            if end >= n {
                break;
            }
            let s = self.surface(end);
            let joined = self.joined(end);
            if joined && starts_number(end) {
                end += 1;
            } else if joined
                && matches!(s, "." | ",")
                && end + 1 < n
                && self.joined(end + 1)
                && starts_number(end + 1)
            {
                end += 2;
            } else if joined && self.classes(end).has(WordClass::Multiplier) {
                end += 1;
                // 1억 2000만: a further group after a multiplier.
                if end < n && self.spaced(end) && starts_number(end) {
                    let mut next = end + 1;
                    while next < n
                        && self.joined(next)
                        && (starts_number(next) || matches!(self.surface(next), "." | ","))
                    {
                        next += 1;
                    }
                    // Taken if it goes on with a multiplier (2000만) or ends
                    // the amount with its unit (8만 8660원).
                    let goes_on = next < n && self.joined(next) && {
                        let classes = self.classes(next);
                        classes.has(WordClass::Multiplier)
                            || classes.has(WordClass::Currency)
                            || classes.has(WordClass::Counter)
                    };
                    if goes_on {
                        end = next;
                    }
                }
            } else if joined
                && matches!(s, "~" | "∼" | "-" | "〜")
                && end + 1 < n
                && starts_number(end + 1)
            {
                end += 2;
            } else if joined && s == "여" {
                // 100여명, 1억5천여만원.
                end += 1;
                if !(end < n && self.joined(end) && self.classes(end).has(WordClass::Multiplier)) {
                    break;
                }
            } else {
                break;
            }
        }
        Some((end, value))
    }

    /// A native numeral (한, 두, 하나) at morpheme `i`, as one morpheme.
    fn native_number(&self, i: usize) -> bool {
        i < self.morphemes.len() && self.classes(i).has(WordClass::NativeNumber)
    }

    /// The unit at morpheme `i` right after a number, if it is of `class`:
    /// joined, or after one space for words (1억 달러, 3 명).
    fn unit_of(&self, i: usize, class: WordClass) -> bool {
        i < self.morphemes.len() && (self.joined(i) || self.spaced(i)) && self.classes(i).has(class)
    }

    /// `first..end` extended by a joined 간/동안/째/여 (3일간, 5년째).
    fn with_duration_suffix(&self, end: usize) -> usize {
        if end < self.morphemes.len()
            && self.joined(end)
            && matches!(
                self.surface(end),
                "간" | "째" | "여" | "가량" | "남짓" | "전" | "후"
            )
        {
            end + 1
        } else {
            end
        }
    }

    /// The text of the word (space-delimited) that holds morpheme `i`.
    fn word_text(&self, i: usize) -> &'d str {
        let first = self.word_start(i);
        let last = self.word_end(i) - 1;
        &self.text[self.morphemes[first].byte_start..self.morphemes[last].byte_end]
    }

    /// A calendar date part at `i`: 2019년, 3월, 5일, 3분기, 70년대, 상반기.
    /// Returns its end.
    fn date_part(&self, i: usize) -> Option<usize> {
        let n = self.morphemes.len();
        if i < n && is_half_year(self.surface(i)) {
            return Some(i + 1);
        }
        let (end, value) = self.number(i)?;
        if end != i + 1 || end >= n || !self.joined(end) {
            return None;
        }
        let value = value?;
        let digits = self.surface(i).len();
        let unit = self.surface(end);
        let after = end + 1;
        let next_is = |word: &str| after < n && self.joined(after) && self.surface(after) == word;
        match unit {
            "년" if next_is("대") => Some(after + 1),
            "년대" => Some(after),
            "년" if digits == 4 => Some(after),
            "월" if (1..=12).contains(&value) => Some(after),
            "일" if (1..=31).contains(&value) => Some(after),
            "분기" if (1..=4).contains(&value) => Some(after),
            _ => None,
        }
    }

    /// A word naming a date at `i`, as one morpheme or two (다음 + 날).
    /// Returns its end.
    fn date_word(&self, i: usize) -> Option<usize> {
        // 봄 is also 보 + ㅁ (seeing): only a noun names a date.
        let m = &self.morphemes[i];
        let classes = self.classes(i);
        let noun = m.pos.is_content_noun() || matches!(m.pos, Pos::NNB | Pos::MAG);
        if noun && !self.facts[i].compound_tag && classes.has(WordClass::DateWord) {
            return Some(i + 1);
        }
        let next = i + 1;
        let pair = classes.has(WordClass::DateWordStart)
            && next < self.morphemes.len()
            && self.joined(next)
            && self
                .gazetteer
                .lexicon
                .classes(&self.text[m.byte_start..self.morphemes[next].byte_end])
                .has(WordClass::DateWord);
        pair.then_some(next + 1)
    }

    /// A date at `i`: date words and parts (지난해 4월 26일, 2024년 3분기,
    /// 지난 27일, 이날). Returns its end.
    fn date(&self, i: usize) -> Option<usize> {
        let n = self.morphemes.len();
        let mut end;
        if let Some(word_end) = self.date_word(i) {
            end = word_end;
        } else if !self.joined(i)
            && self.classes(i).has(WordClass::DatePrefixStart)
            && self
                .gazetteer
                .lexicon
                .classes(self.word_text(i))
                .has(WordClass::DatePrefix)
        {
            // 지난 27일, 오는 3월, 지난 해, 지난 주.
            let next = self.word_end(i);
            if next >= n || !self.spaced(next) {
                return None;
            }
            end = self
                .date_part(next)
                .or_else(|| self.date_word(next))
                .or_else(|| matches!(self.surface(next), "해" | "주" | "달").then_some(next + 1))?;
        } else {
            end = self.date_part(i)?;
        }
        // Further parts: 2019년 3월 5일.
        while end < n && (self.joined(end) || self.spaced(end)) {
            match self.date_part(end) {
                Some(next) => end = next,
                None => break,
            }
        }
        if end < n
            && self.joined(end)
            && matches!(
                self.surface(end),
                "초" | "말" | "중순" | "초순" | "하순" | "께" | "경"
            )
        {
            end += 1;
        }
        // A calendar day followed by 간/동안 is a duration, not a date.
        if end < n && self.joined(end) && matches!(self.surface(end), "간" | "째") {
            return None;
        }
        Some(end)
    }

    /// A percentage whose sign the tokenizer fused with the punctuation
    /// after it (60.2%), → `%),`): the mention ends after the sign.
    fn percent_in_punctuation(&self, i: usize) -> Option<Candidate> {
        let (end, _) = self.number(i)?;
        let sign = self.morphemes.get(end)?;
        let surface = self.surface(end);
        let joined = self.joined(end) && sign.pos.is_symbol();
        let width = surface
            .chars()
            .next()
            .filter(|c| matches!(c, '%' | '％'))
            .map(char::len_utf8)?;
        joined.then(|| Candidate {
            byte_end: sign.byte_start + width,
            ..self.candidate(i, end - 1, Some(EntityType::Percent), Source::NumberPattern)
        })
    }

    /// A four-digit year written without 년 (in 1988, 2015 시즌): a
    /// number from 1900 to 2099 not followed by a unit.
    fn bare_year(&self, i: usize) -> Option<usize> {
        let (end, value) = self.number(i)?;
        let unit_follows = end < self.morphemes.len()
            && self.joined(end)
            && !self.morphemes[end].pos.is_particle()
            && !self.morphemes[end].pos.is_symbol();
        let year = end == i + 1 && self.surface(i).len() == 4 && (1900..=2099).contains(&value?);
        (year && !unit_follows).then_some(end)
    }

    /// A time at `i`: 오후 3시 20분, 2시간 30분, 오전, 10분. Returns its end.
    fn time(&self, i: usize) -> Option<usize> {
        let n = self.morphemes.len();
        let mut end = i;
        // 낮 is also the stem of 낮다 (low): only a noun names a daypart.
        let daypart = self.classes(i).has(WordClass::Daypart)
            && self.morphemes[i].pos.is_content_noun()
            && !self.facts[i].compound_tag;
        if daypart {
            end = i + 1;
            if end < n && !(self.joined(end) || self.spaced(end)) {
                return Some(end);
            }
        }
        let mut parts = 0;
        while end < n && (end == i || self.joined(end) || self.spaced(end)) {
            let native = self.native_number(end);
            let Some((number_end, _)) = self
                .number(end)
                .or_else(|| native.then_some((end + 1, None)))
            else {
                break;
            };
            let (unit, unit_classes) = if number_end < n && self.joined(number_end) {
                (self.surface(number_end), self.classes(number_end))
            } else {
                ("", Classes::default())
            };
            // 한 분 counts a person, not a minute: native numerals take 시/시간 only.
            let clock = unit_classes.has(WordClass::Clock) && (!native || unit.starts_with('시'));
            if clock || parts > 0 && unit == "반" {
                end = self.with_duration_suffix(number_end + 1);
                parts += 1;
            } else {
                break;
            }
        }
        (daypart || parts > 0).then_some(end)
    }

    /// A number with a unit at `i`: MONEY, PERCENT or QUANTITY.
    fn measure(&self, i: usize) -> Option<(usize, EntityType)> {
        let n = self.morphemes.len();
        let (number_end, _) = match self.number(i) {
            Some(found) => found,
            None if self.native_number(i) => {
                // 하나 counts alone; 한/두 need a counter (한 명, 두 번).
                let alone = matches!(self.surface(i), "하나" | "둘" | "셋" | "넷");
                let mut end = i + 1;
                while !alone
                    && end < n
                    && self.joined(end)
                    && self.classes(end).has(WordClass::Multiplier)
                {
                    end += 1;
                }
                if alone
                    && !(end < n && self.joined(end) && self.classes(end).has(WordClass::Counter))
                {
                    return Some((end, EntityType::Quantity));
                }
                (end, None)
            }
            None => return None,
        };
        let u = number_end;
        if self.unit_of(u, WordClass::Currency) {
            return Some((u + 1, EntityType::Money));
        }
        if self.unit_of(u, WordClass::Percent) {
            return Some((u + 1, EntityType::Percent));
        }
        if self.unit_of(u, WordClass::Duration) {
            // 3년 5개월: further duration parts.
            let mut end = u + 1;
            let mut parts = 1;
            while end < n && self.spaced(end) {
                match self.number(end) {
                    Some((next, _)) if self.unit_of(next, WordClass::Duration) => {
                        end = next + 1;
                        parts += 1;
                    }
                    _ => break,
                }
            }
            // A number of years alone (10년, 5년간, 한 해) reads as a
            // stretch of the calendar, as KLUE annotates it: DATE. Counts
            // of months, weeks and days, and mixed spans, are QUANTITY.
            let years =
                parts == 1 && matches!(self.surface(u), "년" | "년간" | "해" | "주년" | "세기");
            let kind = if years {
                EntityType::Date
            } else {
                EntityType::Quantity
            };
            return Some((self.with_duration_suffix(end), kind));
        }
        if self.unit_of(u, WordClass::Counter) {
            return Some((self.with_duration_suffix(u + 1), EntityType::Quantity));
        }
        None
    }

    /// An age in brackets after a name, as Korean news writes it: 박모(33)씨,
    /// 김철수(41·회사원). `i` is the opening bracket; returns the number.
    fn age(&self, i: usize) -> Option<usize> {
        let number = i + 1;
        let close = i + 2;
        let bracketed = self.surface(i) == "("
            && self.joined(i)
            && self.morphemes[i - 1].pos != Pos::SN
            && close < self.morphemes.len()
            && self.joined(number)
            && self.joined(close)
            && matches!(self.surface(close), ")" | "·" | ",");
        let years = bracketed
            .then(|| self.surface(number).parse::<u32>().ok())
            .flatten()?;
        (1..=120).contains(&years).then_some(number)
    }

    /// Whether one of the number patterns can start at morpheme `i`: a
    /// number, a native numeral, a word opening a date or a time of day, or
    /// the bracket of an age. Most morphemes are none of these.
    fn opens_number_pattern(&self, i: usize) -> bool {
        let facts = &self.facts[i];
        facts.starts_number
            || [
                WordClass::NativeNumber,
                WordClass::DateWordStart,
                WordClass::DatePrefixStart,
                WordClass::Daypart,
            ]
            .into_iter()
            .any(|class| facts.classes.has(class))
            || self.surface(i) == "("
            || is_half_year(self.surface(i))
    }

    fn number_patterns(&self, out: &mut Vec<Candidate>) {
        let mut i = 0;
        while i < self.morphemes.len() {
            if !self.opens_number_pattern(i) {
                i += 1;
                continue;
            }
            if let Some(age) = self.age(i) {
                out.push(self.candidate(
                    age,
                    age,
                    Some(EntityType::Quantity),
                    Source::NumberPattern,
                ));
                i = age + 1;
                continue;
            }
            // Never start inside a number or a Latin word (GPT-4, A4).
            let inside = self.joined(i) && matches!(self.morphemes[i - 1].pos, Pos::SN | Pos::SL)
                || self.joined(i) && self.native_number(i);
            if inside {
                i += 1;
                continue;
            }
            let found = self
                .date(i)
                .or_else(|| self.bare_year(i))
                .map(|end| (end, EntityType::Date))
                .or_else(|| self.time(i).map(|end| (end, EntityType::Time)))
                .or_else(|| self.measure(i));
            if found.is_none()
                && let Some(percent) = self.percent_in_punctuation(i)
            {
                out.push(percent);
                i += 1;
                continue;
            }
            match found {
                Some((end, kind)) if end > i => {
                    out.push(self.candidate(i, end - 1, Some(kind), Source::NumberPattern));
                    i = end;
                }
                _ => i += 1,
            }
        }
    }

    // ----- people -----------------------------------------------------------

    /// Whether morphemes `first..end` look like a personal name: a Latin
    /// capital standing for one (A씨), a proper noun, or a Korean surname
    /// followed by at most three syllables that the dictionary does not read
    /// as one common word.
    fn name_shaped(&self, first: usize, end: usize) -> bool {
        if first >= end {
            return false;
        }
        let span = &self.text[self.morphemes[first].byte_start..self.morphemes[end - 1].byte_end];
        if span.len() == 1 && span.chars().all(|c| c.is_ascii_uppercase()) {
            return true;
        }
        let syllables = span.chars().count();
        if !span.chars().all(is_hangul_syllable) || syllables > LONGEST_KOREAN_NAME {
            return (first..end).all(|k| {
                let m = &self.morphemes[k];
                m.pos == Pos::NNP && m.semantic == Some("인명")
            });
        }
        let ms = &self.morphemes[first..end];
        if ms.iter().any(|m| m.semantic == Some("지명")) {
            return false;
        }
        if ms
            .iter()
            .all(|m| m.pos == Pos::NNP && m.semantic == Some("인명"))
        {
            return true;
        }
        let surname = self.is_surname(span)
            || self.opens_with_surname(span, 1)
            || syllables > 2 && self.opens_with_surname(span, 2);
        if !surname {
            return false;
        }
        // A single dictionary word that is not a name (이번, 정부) is not one.
        let common_word = ms.len() == 1
            && syllables > 1
            && ms[0].origin == Origin::System
            && ms[0].pos != Pos::NNP;
        // An unknown name's first syllable may be misread as a particle
        // (도안구 → 도/JX + 안구): it is still the surname.
        let surname_misread =
            ms.len() > 1 && ms[0].pos.is_particle() && self.classes(first).has(WordClass::Surname);
        let ms = if surname_misread { &ms[1..] } else { ms };
        let all_nominal = ms.iter().all(|m| {
            matches!(
                m.pos,
                Pos::NNG
                    | Pos::NNP
                    | Pos::NNB
                    | Pos::NR
                    | Pos::Unknown
                    | Pos::XSN
                    | Pos::XPN
                    | Pos::MM
                    | Pos::VA
                    | Pos::VV
                    | Pos::IC
                    | Pos::MAG
                    | Pos::NP
            ) && !m.compound
        });
        !common_word && all_nominal && syllables >= 1
    }

    /// The writer named right before an e-mail address, as bylines put it
    /// (기자 도안구 eyeball@…): a Korean name of two to four syllables.
    fn bylines(&self, out: &mut Vec<Candidate>) {
        let emails = self
            .addresses
            .iter()
            .filter(|address| address.kind == AddressKind::Email);
        for email in emails {
            let start = email.span.start;
            let before = self.morphemes.partition_point(|m| m.byte_end <= start);
            if before == 0 {
                continue;
            }
            let last = before - 1;
            let gap = &self.text[self.morphemes[last].byte_end..start];
            if gap.is_empty() || !gap.chars().all(char::is_whitespace) {
                continue;
            }
            let first = self.word_start(last);
            let name = &self.text[self.morphemes[first].byte_start..self.morphemes[last].byte_end];
            let syllables = name.chars().count();
            let surname = self.opens_with_surname(name, 1);
            // A title or other dictionary word (기자 minsu@…) is no name.
            let common_word = first == last
                && self.morphemes[last].origin == Origin::System
                && self.morphemes[last].pos != Pos::NNP;
            if (2..=LONGEST_KOREAN_NAME).contains(&syllables)
                && name.chars().all(is_hangul_syllable)
                && surname
                && !common_word
            {
                out.push(self.candidate(
                    first,
                    last,
                    Some(EntityType::Person),
                    Source::TitledPerson,
                ));
            }
        }
    }

    /// Whether `first..end` ends the way organization names do (민주당
    /// 대표: the party, not a person, stands before the title).
    fn ends_like_organization(&self, first: usize, end: usize) -> bool {
        let span = &self.text[self.morphemes[first].byte_start..self.morphemes[end - 1].byte_end];
        span.chars().count() >= 3
            && !(first..end).all(|k| self.morphemes[k].semantic == Some("인명"))
            && self.words.org_endings(span).is_some_and(|endings| {
                endings
                    .suffixes
                    .iter()
                    .any(|suffix| span.ends_with(suffix.as_str()) && span.len() > suffix.len())
            })
    }

    /// The surname of 박모 or 이씨 read as one morpheme (박모(45)씨, 이씨
    ///일당): 모 "a certain" and the title 씨 are not part of the mention.
    fn anonymised_surname(&self, first: usize, end: usize) -> Option<Candidate> {
        if end != first + 1 {
            return None;
        }
        let surface = self.surface(first);
        let mut chars = surface.chars();
        let (surname, marker) = (chars.next()?, chars.next()?);
        let anonymised = matches!(marker, '모' | '씨')
            && chars.next().is_none()
            && self.is_surname(surname.encode_utf8(&mut [0; 4]));
        anonymised.then(|| Candidate {
            byte_end: self.morphemes[first].byte_start + surname.len_utf8(),
            ..self.candidate(first, first, Some(EntityType::Person), Source::TitledPerson)
        })
    }

    /// Where a name ends in the word `first..end` before a title: before an
    /// age in brackets (김모(33) 씨) and before 모 ("a certain": 김모 씨).
    fn name_end(&self, first: usize, mut end: usize) -> usize {
        if end > first && self.surface(end - 1) == ")" {
            let mut open = end - 1;
            while open > first && self.surface(open) != "(" {
                open -= 1;
            }
            end = open;
        }
        if end > first + 1 && self.surface(end - 1) == "모" {
            end -= 1;
        }
        end
    }

    /// People named before a title: 도안구 기자, 박 씨, A씨, 김모(33)씨,
    /// 신동빈 롯데그룹 회장.
    fn titled_people(&self, out: &mut Vec<Candidate>) {
        for t in 0..self.morphemes.len() {
            if !self.classes(t).has(WordClass::Title) || t == 0 {
                continue;
            }
            let word = self.word_start(t);
            if word < t {
                // Attached: 박씨, A씨, 김모씨, 홍길동씨, A(44)씨.
                let end = self.name_end(word, t);
                if let Some(surname) = self.anonymised_surname(word, end) {
                    out.push(surname);
                    continue;
                } else if self.name_shaped(word, end) && !self.ends_like_organization(word, end) {
                    out.push(self.candidate(
                        word,
                        end - 1,
                        Some(EntityType::Person),
                        Source::TitledPerson,
                    ));
                    continue;
                }
                // A compound title (총괄회장, 수석부회장): the name is before it.
                let compound_title = (word..t).all(|k| self.morphemes[k].pos == Pos::NNG);
                if !compound_title {
                    continue;
                }
            }
            // Spaced: the word before, or the one before it when an
            // affiliation stands between (신동빈 롯데그룹 회장).
            let mut end = word;
            for _ in 0..3 {
                if end == 0 || !self.spaced(end) {
                    break;
                }
                let mut first = self.word_start(end - 1);
                // 박근혜 전 대통령, 김 현 대표: 전/현 belong to the title.
                if first == end - 1 && matches!(self.surface(first), "전" | "현" | "前" | "現")
                {
                    end = first;
                    continue;
                }
                let last_name = self.name_end(first, end);
                if let Some(surname) = self.anonymised_surname(first, last_name) {
                    out.push(surname);
                    break;
                }
                if self.surface(first) == "(" && first + 1 < last_name {
                    first += 1;
                }
                if self.name_shaped(first, last_name)
                    && !self.ends_like_organization(first, last_name)
                {
                    out.push(self.candidate(
                        first,
                        last_name - 1,
                        Some(EntityType::Person),
                        Source::TitledPerson,
                    ));
                    break;
                }
                let affiliation = (first..end).all(|k| {
                    matches!(
                        self.morphemes[k].pos,
                        Pos::NNG | Pos::NNP | Pos::SL | Pos::SN
                    )
                });
                if !affiliation {
                    break;
                }
                end = first;
            }
        }
    }

    // ----- organizations ----------------------------------------------------

    /// Institutions by a naming word (경찰, 정부, 일본 정부) and organization
    /// names by their ending (국방부, 서울대, 한국은행).
    fn organization_forms(&self, out: &mut Vec<Candidate>) {
        let n = self.morphemes.len();
        let mut i = 0;
        while i < n {
            let word_end = self.word_end(i);
            // The noun run opening this word (after an opening quote or
            // bracket): nouns, noun affixes, and a determiner fused into a
            // name (새누리당 = 새 + 누리 + 당).
            let mut first = i;
            while first < word_end && self.morphemes[first].pos.is_symbol() {
                first += 1;
            }
            let mut run_end = first;
            while run_end < word_end && !self.facts[run_end].compound_tag {
                let pos = self.morphemes[run_end].pos;
                let fused_determiner = pos == Pos::MM
                    && run_end == first
                    && run_end + 1 < word_end
                    && self.morphemes[run_end + 1].pos.is_content_noun();
                if !(matches!(
                    pos,
                    Pos::NNG | Pos::NNP | Pos::SL | Pos::SN | Pos::XSN | Pos::XPN
                ) || fused_determiner)
                {
                    break;
                }
                run_end += 1;
            }
            if run_end > first {
                self.organization_in_run(first, run_end, out);
            }
            i = word_end;
        }
    }

    fn organization_in_run(&self, first: usize, end: usize, out: &mut Vec<Candidate>) {
        let span = &self.text[self.morphemes[first].byte_start..self.morphemes[end - 1].byte_end];
        if end - first == 1 && self.classes(first).has(WordClass::OrgNoun) {
            out.push(self.with_place_before(first, end - 1));
            return;
        }
        let Some(endings) = self.words.org_endings(span) else {
            return;
        };
        if endings
            .not_org
            .iter()
            .any(|ending| span.ends_with(ending.as_str()))
        {
            return;
        }
        let syllables = span.chars().count();
        for suffix in &endings.suffixes {
            if !span.ends_with(suffix.as_str()) || span.len() == suffix.len() {
                continue;
            }
            let suffix_syllables = suffix.chars().count();
            let stem = &span[..span.len() - suffix.len()];
            let ok = if suffix == "대" {
                // 서울대, 부산외대, 한양대: a university named after a place.
                first + 1 < end && self.is_place(first)
                    || end == first + 1 && self.morphemes[first].pos == Pos::NNP && syllables >= 3
            } else if suffix_syllables == 1 {
                syllables >= 3 && stem.chars().all(is_hangul_syllable)
            } else {
                end - first > 1
                    || self.morphemes[first].pos == Pos::NNP
                    || self.morphemes[first].origin != Origin::System
            };
            if ok {
                out.push(self.with_place_before(first, end - 1));
            }
            return;
        }
    }

    /// Whether morpheme `i` is written like a whole Korean name: two to
    /// four syllables opening with a surname.
    fn korean_name_shaped(&self, i: usize) -> bool {
        let s = self.surface(i);
        (2..=LONGEST_KOREAN_NAME).contains(&s.chars().count()) && self.opens_with_surname(s, 1)
    }

    /// An organization `first..=last`, with the place named in the word
    /// before it when there is one (일본 정부, 부산 동부경찰서, 미국
    /// 국가안보국): the place names whose institution it is. Such a span
    /// holds a known place, so it ranks with the gazetteer.
    fn with_place_before(&self, first: usize, last: usize) -> Candidate {
        if first > 0 && self.spaced(first) {
            let place = self.word_start(first - 1);
            let is_place = (place..first).all(|k| {
                self.is_place(k) || k > place && self.classes(k).has(WordClass::PlaceSuffix)
            }) && self.is_place(place);
            if is_place {
                return self.candidate(place, last, Some(EntityType::Org), Source::Gazetteer);
            }
        }
        self.candidate(first, last, Some(EntityType::Org), Source::OrganizationForm)
    }

    /// A place word at `i`: a place name, with a joined place suffix, not
    /// followed by more of a compound (서초구, but not 대구 in 대구서부서).
    /// Returns its end.
    fn place_word(&self, i: usize) -> Option<usize> {
        if i >= self.morphemes.len() || !self.is_place(i) {
            return None;
        }
        let end = self.with_place_suffix(i + 1);
        let compound_goes_on = end < self.morphemes.len()
            && self.joined(end)
            && self.morphemes[end].pos.is_content_noun();
        (!compound_goes_on).then_some(end)
    }

    /// `end` moved past a place suffix joined to the name before it.
    fn with_place_suffix(&self, end: usize) -> usize {
        if end < self.morphemes.len()
            && self.joined(end)
            && self.classes(end).has(WordClass::PlaceSuffix)
        {
            end + 1
        } else {
            end
        }
    }

    fn is_place(&self, i: usize) -> bool {
        let m = &self.morphemes[i];
        m.pos == Pos::NNP && m.semantic == Some("지명")
            || m.pos.is_content_noun()
                && !self.facts[i].compound_tag
                && self.classes(i).has(WordClass::Place)
    }

    // ----- proper-noun classes ----------------------------------------------

    /// mecab-ko-dic's 인명 and 지명 proper nouns; a place joined to a place
    /// suffix (수원시, 서초동) is one place.
    fn proper_noun_classes(&self, out: &mut Vec<Candidate>) {
        let n = self.morphemes.len();
        let mut i = 0;
        while i < n {
            let m = &self.morphemes[i];
            let listed_place = m.pos.is_content_noun()
                && !self.facts[i].compound_tag
                && self.classes(i).has(WordClass::Place);
            let kind = match (m.pos, m.semantic) {
                _ if listed_place => EntityType::Location,
                (Pos::NNP, Some("인명")) => EntityType::Person,
                (Pos::NNP, Some("지명")) => EntityType::Location,
                _ => {
                    i += 1;
                    continue;
                }
            };
            let mut end = i + 1;
            while end < n
                && self.joined(end)
                && self.morphemes[end].pos == Pos::NNP
                && self.morphemes[end].semantic == m.semantic
            {
                end += 1;
            }
            // A name or place inside a compound (카카오벤처스 → 벤처 + 스와) is
            // a piece of another word; a name also when a noun follows it
            // (누리 + 말 + 랩스), a place not (수원 + 시).
            let after_noun = self.joined(i) && self.morphemes[i - 1].pos.is_content_noun();
            let before_noun = self.joined(end) && self.morphemes[end].pos.is_content_noun();
            if after_noun || kind == EntityType::Person && before_noun {
                i = end;
                continue;
            }
            if kind == EntityType::Location {
                end = self.with_place_suffix(end);
                // 서울 서초구 서초동: a place narrowed by the next is one place.
                while end < n && self.spaced(end) {
                    match self.place_word(end) {
                        Some(next) => end = next,
                        None => break,
                    }
                }
            } else {
                // 크리스 와이드먼: a foreign given name and family name. Korean
                // names are written whole, so two in a row are two people.
                while end < n
                    && !(self.korean_name_shaped(end - 1) && self.korean_name_shaped(end))
                    && self.spaced(end)
                    && self.morphemes[end].pos == Pos::NNP
                    && self.morphemes[end].semantic == m.semantic
                    && !(self.joined(end + 1) && self.morphemes[end + 1].pos.is_content_noun())
                {
                    end += 1;
                }
            }
            out.push(self.candidate(i, end - 1, Some(kind), Source::ProperNounClass));
            i = end;
        }
    }

    // ----- Latin acronyms ---------------------------------------------------

    /// An all-capital Latin word not in the gazetteer (MBC, UFC) is taken as
    /// an organization where it stands as a noun phrase of its own: followed
    /// by a particle, a word naming an organization's people or side
    /// (관계자, 측), or the end of the sentence, not by a noun it modifies.
    fn foreign_acronyms(&self, out: &mut Vec<Candidate>) {
        let n = self.morphemes.len();
        for i in 0..n {
            let m = &self.morphemes[i];
            let acronym = m.pos == Pos::SL && {
                let s = self.surface(i);
                (2..=5).contains(&s.len()) && s.chars().all(|c| c.is_ascii_uppercase())
            };
            if !acronym || self.joined(i) && self.morphemes[i - 1].pos != Pos::SSO {
                continue;
            }
            let next = i + 1;
            let stands_alone = next >= n
                || self.joined(next) && (self.morphemes[next].pos.is_particle() || self.morphemes[next].pos.is_symbol())
                || self.spaced(next) && self.classes(next).has(WordClass::OrgContext)
                // A broadcaster or publisher before a quoted title: MBC '무한도전'.
                || self.spaced(next) && matches!(self.surface(next), "'" | "\"" | "‘" | "“" | "<" | "《" | "「");
            if stands_alone {
                out.push(self.candidate(i, i, Some(EntityType::Org), Source::ForeignAcronym));
            }
        }
    }
}

/// The halves of a year that stand alone as a date (상반기, 하반기).
fn is_half_year(word: &str) -> bool {
    matches!(word, "상반기" | "하반기")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analyzer, AnalyzerConfig, SentenceMode};
    use std::sync::OnceLock;

    fn analyzer() -> &'static Analyzer {
        static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
        ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).unwrap())
    }

    fn gazetteer() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| Gazetteer::new(Terms::builtin()).unwrap())
    }

    /// `(text, type)` of every entity, in order of first mention.
    fn found(text: &str) -> Vec<(String, &'static str)> {
        let document = analyzer().document(text, SentenceMode::Split).unwrap();
        extract(&document, gazetteer())
            .into_iter()
            .map(|entity| (entity.text, entity.kind.as_str()))
            .collect()
    }

    fn has(text: &str, entity: &str, kind: &str) {
        let all = found(text);
        assert!(
            all.iter().any(|(t, k)| t == entity && *k == kind),
            "{entity} {kind} not in {all:?}"
        );
    }

    #[test]
    fn builtin_word_classes_load() {
        let mut lexicon = Lexicon::default();
        let words = WordClasses::from_rows(EntityWords::builtin(), &mut lexicon).unwrap();
        assert!(lexicon.classes("기자").has(WordClass::Title));
        assert!(lexicon.classes("달러").has(WordClass::Currency));
        assert!(lexicon.classes("다음").has(WordClass::DateWordStart));
        assert!(!lexicon.classes("다음").has(WordClass::DateWord));
        let endings = &words.org_endings[&'교'];
        assert_eq!(
            endings.suffixes.first().map(|s| s.chars().count()),
            Some(4),
            "{:?}",
            endings.suffixes
        );
    }

    #[test]
    fn single_spacing_joins_words_as_split_whitespace_does() {
        for text in [
            "삼성 전자",
            "삼성전자",
            "삼성  전자",
            " 삼성 전자",
            "삼성 전자 ",
            "삼성\t전자",
            "삼성\n전자",
            "삼성\u{3000}전자",
            "",
            " ",
        ] {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let spaced = single_spaced(text);
            assert_eq!(spaced, joined, "{text:?}");
            assert_eq!(
                matches!(spaced, Cow::Borrowed(_)),
                text == joined && !text.is_empty(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn unknown_word_class_is_an_error() {
        let rows = EntityWords::parse("t", "기자\ttitle\n사과\tfruit\n").unwrap();
        let err = WordClasses::from_rows(&rows, &mut Lexicon::default()).unwrap_err();
        assert!(err.to_string().contains("fruit"), "{err}");
    }

    #[test]
    fn aliases_group_under_one_canonical_without_particles() {
        let text = "마이크로소프트가 오픈AI에 투자했다. MS는 Microsoft의 약자다.";
        let document = analyzer().document(text, SentenceMode::Split).unwrap();
        let entities = extract(&document, gazetteer());
        let microsoft = entities
            .iter()
            .find(|entity| entity.canonical == "Microsoft")
            .expect("Microsoft found");
        assert_eq!(microsoft.text, "마이크로소프트");
        assert_eq!(microsoft.kind, EntityType::Org);
        assert_eq!(microsoft.mentions.len(), 3);
        let chars: Vec<char> = text.chars().collect();
        let slices: Vec<String> = microsoft
            .mentions
            .iter()
            .map(|m| chars[m.start..m.end].iter().collect())
            .collect();
        assert_eq!(slices, ["마이크로소프트", "MS", "Microsoft"]);
        assert_eq!(entities[0].canonical, "Microsoft", "first mention first");
    }

    #[test]
    fn latin_aliases_ignore_case_and_multiword_aliases_match() {
        has("nvidia와 깃허브 코파일럿을 비교했다.", "nvidia", "ORG");
        has(
            "nvidia와 깃허브 코파일럿을 비교했다.",
            "깃허브 코파일럿",
            "PRODUCT",
        );
    }

    #[test]
    fn money_quantities_percent_and_dates() {
        let all = found(
            "2019년 1억 2000만 달러를 냈고 지난해 1200억원, 3월 5일에는 500만원을 썼다. 점유율은 30%로 3년 5개월 만에 100만명이 늘었다.",
        );
        let expected = [
            ("2019년", "DATE"),
            ("1억 2000만 달러", "MONEY"),
            ("지난해", "DATE"),
            ("1200억원", "MONEY"),
            ("3월 5일", "DATE"),
            ("500만원", "MONEY"),
            ("30%", "PERCENT"),
            ("3년 5개월", "QUANTITY"),
            ("100만명", "QUANTITY"),
        ];
        for (text, kind) in expected {
            assert!(
                all.iter().any(|(t, k)| t == text && *k == kind),
                "{text} {kind} not in {all:?}"
            );
        }
    }

    #[test]
    fn calendar_days_versus_durations() {
        has("74일 동안 머물렀다.", "74일", "QUANTITY");
        has("2024년 3분기 실적이 나왔다.", "2024년 3분기", "DATE");
        has("회의는 오후 3시에 열린다.", "오후 3시", "TIME");
        has("1조 1800억원 규모다.", "1조 1800억원", "MONEY");
    }

    #[test]
    fn people_before_titles() {
        has("도안구 기자가 썼다.", "도안구", "PERSON");
        has("경찰은 박씨를 입건했다.", "박", "PERSON");
        has("A씨는 이렇게 말했다.", "A", "PERSON");
        has("경찰은 박씨를 입건했다.", "경찰", "ORG");
    }

    #[test]
    fn organizations_by_form_and_affiliation() {
        has("일본 정부는 반발했다.", "일본 정부", "ORG");
        has("롯데그룹 사태가 이어졌다.", "롯데그룹", "ORG");
        has("국방부는 17일 발표했다.", "국방부", "ORG");
        let all = found("김한길 민주당 대표는 말했다.");
        assert!(all.contains(&("김한길".into(), "PERSON")), "{all:?}");
        assert!(
            !all.iter().any(|(t, k)| t == "민주당" && *k == "PERSON"),
            "{all:?}"
        );
    }

    #[test]
    fn klue_style_dates_and_percentages() {
        has("오는 24일 열린다.", "오는 24일", "DATE");
        has("10년 만에 돌아왔다.", "10년", "DATE");
        has("194명(60.2%), 이었다.", "60.2%", "PERCENT");
        has("박모(45)씨가 왔다.", "45", "QUANTITY");
        let all = found("경기 후반부에 골이 났다.");
        assert!(!all.iter().any(|(_, k)| *k == "ORG"), "{all:?}");
    }

    #[test]
    fn addresses() {
        has(
            "문의는 eyeball@techsuda.com 으로.",
            "eyeball@techsuda.com",
            "EMAIL",
        );
        has(
            "자세한 내용은 https://example.com/a?b=1 에서.",
            "https://example.com/a?b=1",
            "URL",
        );
    }

    #[test]
    fn terms_that_are_not_entities_block_other_readings() {
        let all = found("FPGA와 GPU를 썼다.");
        assert!(all.is_empty(), "{all:?}");
    }

    #[test]
    fn empty_and_odd_input_do_not_panic() {
        assert!(found("").is_empty());
        found("))) 씨 씨 기자 1억 억 % 년 @@ http://");
    }
}
