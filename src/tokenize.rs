//! Morphological analysis: lindera over mecab-ko-dic, which the build script
//! decompiles, rebuilds and embeds in the binary, plus kosum's tech-term user
//! dictionary (`dict/terms.tsv`) so that names such as 마이크로소프트 or 오픈AI
//! stay single tokens.
//!
//! The analysis runs on [`crate::normalize::analysis_view`] of the text, which
//! has the same byte layout as the input, so every [`Morpheme`] carries byte
//! and char offsets into the document exactly as it was read.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use lindera::dictionary::{Dictionary, UserDictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::loader::DictionaryLoader;
use lindera_dictionary::viterbi::Lattice;

use crate::error::{Error, Result};
use crate::normalize::{CharCounter, analysis_view};
use crate::resources::{Term, TermPos, Terms, is_hangul_syllable};

mod embedded {
    lindera_dictionary::embedded_dictionary!("/ko-dic", KoDicLoader);
}

/// Context ids and costs per (tag, semantic class, final consonant), computed
/// from the system lexicon when the dictionary was built.
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
    /// The full tag as the dictionary gives it, e.g. `NNP` or `VV+EP`.
    pub tag: String,
    /// The first tag of [`Morpheme::tag`].
    pub pos: Pos,
    /// The last tag of [`Morpheme::tag`] (equal to `pos` for simple tags).
    pub last_pos: Pos,
    /// The semantic class for proper nouns (인명, 지명 …), if any.
    pub semantic: Option<String>,
    /// The morpheme breakdown of an inflected or compound entry, in
    /// mecab-ko-dic's notation (`가/VV/*+았/EP/*`), if any.
    pub expression: Option<String>,
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
    /// All term rows this configuration uses, ours first.
    pub fn terms(&self) -> Terms {
        let mut terms = if self.default_terms {
            Terms::builtin().clone()
        } else {
            Terms::default()
        };
        terms.extend(&self.extra_terms);
        terms
    }
}

/// A ready-to-use morphological analyser. Cheap to share between threads
/// (`&Tokenizer` is `Sync`); each call allocates its own lattice.
pub struct Tokenizer {
    segmenter: Segmenter,
}

impl Tokenizer {
    /// Loads the embedded dictionary and compiles the user dictionary.
    pub fn new(config: &TokenizerConfig) -> Result<Self> {
        let dictionary = system_dictionary()?;
        let user_dictionary = build_user_dictionary(&dictionary, &config.terms())?;
        let segmenter = Segmenter::new(Mode::Normal, dictionary, user_dictionary);
        Ok(Self { segmenter })
    }

    /// Analyses `text` into morphemes with offsets into `text`.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Morpheme>> {
        let mut lattice = Lattice::default();
        self.tokenize_with(text, &mut lattice)
    }

    /// Like [`Tokenizer::tokenize`], reusing a caller-owned lattice (a
    /// per-thread worker keeps one to avoid reallocating it per document).
    pub fn tokenize_with(&self, text: &str, lattice: &mut Lattice) -> Result<Vec<Morpheme>> {
        let view = analysis_view(text);
        let tokens = self
            .segmenter
            .segment_with_lattice(Cow::Borrowed(view.as_ref()), lattice)
            .map_err(|err| Error::Tokenize(err.to_string()))?;
        let mut chars = CharCounter::new(text);
        let mut morphemes = Vec::with_capacity(tokens.len());
        for mut token in tokens {
            let origin = if token.word_id.is_unknown() {
                Origin::Unknown
            } else if token.word_id.is_system() {
                Origin::System
            } else {
                Origin::User
            };
            let (byte_start, byte_end) = (token.byte_start, token.byte_end);
            let details = token.details();
            let field = |index: usize| details.get(index).copied().filter(|value| *value != "*");
            let tag = field(0).unwrap_or("UNKNOWN").to_string();
            let mut parts = tag.split('+');
            let pos = Pos::from_tag(parts.next().unwrap_or(""));
            let last_pos = parts.next_back().map_or(pos, Pos::from_tag);
            let semantic = field(1).map(str::to_string);
            let expression = field(7).map(str::to_string);
            let start = chars.char_offset(byte_start);
            let end = chars.char_offset(byte_end);
            morphemes.push(Morpheme {
                start,
                end,
                byte_start,
                byte_end,
                tag,
                pos,
                last_pos,
                semantic,
                expression,
                origin,
            });
        }
        Ok(morphemes)
    }
}

/// The embedded mecab-ko-dic, loaded once (the data is not copied).
fn system_dictionary() -> Result<Dictionary> {
    static DICTIONARY: OnceLock<std::result::Result<Dictionary, String>> = OnceLock::new();
    DICTIONARY
        .get_or_init(|| {
            embedded::KoDicLoader::new()
                .load()
                .map_err(|err| err.to_string())
        })
        .clone()
        .map_err(Error::Dictionary)
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
    match last.to_ascii_uppercase() {
        // 엘, 엠, 엔, 알; 일, 삼, 육, 칠, 팔, 영
        'L' | 'M' | 'N' | 'R' | '1' | '3' | '6' | '7' | '8' | '0' => true,
        _ => false,
    }
}

/// One user-dictionary row in ko-dic's detailed 12-column CSV form.
fn user_dictionary_row(term: &Term) -> Option<String> {
    let tag = term.pos.tag();
    let semantic = match (term.pos, term.entity) {
        (TermPos::ProperNoun, Some(crate::entities::EntityType::Person)) => "인명",
        (TermPos::ProperNoun, Some(crate::entities::EntityType::Location)) => "지명",
        _ => "*",
    };
    let last = term.surface.chars().last()?;
    let jongseong = if has_final_consonant(last) { "T" } else { "F" };
    let table = context_ids();
    let ids = table
        .get(&(tag.into(), semantic.into(), jongseong.into()))
        .or_else(|| table.get(&(tag.into(), "*".into(), jongseong.into())))?;
    let cost = (ids.cost + USER_ENTRY_COST).clamp(i16::MIN as i32, i16::MAX as i32);
    let surface = term.surface.replace('"', "");
    let mut row = String::new();
    let _ = write!(
        row,
        "\"{surface}\",{},{},{cost},{tag},{semantic},{jongseong},\"{surface}\",*,*,*,*",
        ids.left, ids.right
    );
    Some(row)
}

/// Compiles the tokenizer entries of `terms` into a lindera user dictionary.
fn build_user_dictionary(dictionary: &Dictionary, terms: &Terms) -> Result<Option<UserDictionary>> {
    let mut csv = String::new();
    let mut seen = std::collections::HashSet::new();
    for term in terms.iter().filter(|term| term.is_tokenizer_entry()) {
        if !seen.insert(term.surface.as_str()) {
            continue;
        }
        let row = user_dictionary_row(term).ok_or_else(|| {
            Error::UserDictionary(format!(
                "no context ids for {} {:?}; the dictionary build is incomplete, rebuild kosum",
                term.pos.tag(),
                term.surface
            ))
        })?;
        csv.push_str(&row);
        csv.push('\n');
    }
    if csv.is_empty() {
        return Ok(None);
    }
    let builder = DictionaryBuilder::new(dictionary.metadata.as_ref().clone());
    builder
        .build_user_dict_from_reader(csv.as_bytes())
        .map(Some)
        .map_err(|err| Error::UserDictionary(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenizer() -> &'static Tokenizer {
        static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
        TOKENIZER.get_or_init(|| Tokenizer::new(&TokenizerConfig::default()).unwrap())
    }

    fn pairs(text: &str, tokenizer: &Tokenizer) -> Vec<(String, String)> {
        tokenizer
            .tokenize(text)
            .unwrap()
            .iter()
            .map(|m| (m.surface(text).to_string(), m.tag.clone()))
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
                p("달러", "NNG"),
                p("를", "JKO"),
                p("투자", "NNG"),
                p("했", "XSV+EP"),
                p("다", "EF"),
                p(".", "SF"),
            ]
        );
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
    fn final_consonants_follow_korean_readings() {
        assert!(!has_final_consonant('트'));
        assert!(has_final_consonant('럿'));
        assert!(!has_final_consonant('I'));
        assert!(has_final_consonant('M'));
        assert!(has_final_consonant('3'));
        assert!(!has_final_consonant('2'));
    }
}
