//! Korean sentence splitting.
//!
//! Sentences are spans of the input: splitting never changes or drops a
//! character, and the sentences plus the whitespace between them are the
//! whole input.

use std::ops::Range;

use crate::addresses::Address;
use crate::normalize::{CharCounter, VIEW_WHITESPACE, is_view_whitespace};
use crate::resources::{Abbreviations, is_hangul_syllable};
use crate::tokenize::{Morpheme, Pos};

/// One sentence: a span of the document and the morphemes inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Position in the document's sentence list.
    pub index: usize,
    /// Char offsets into the document, half-open.
    pub start: usize,
    pub end: usize,
    /// Byte offsets into the document, half-open.
    pub byte_start: usize,
    pub byte_end: usize,
    /// Indices into the document's morpheme list.
    pub morphemes: Range<usize>,
}

impl Sentence {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Splits `text` (analysed into `morphemes`, which must come from the same
/// text, in order; `view` is its [`crate::normalize::analysis_view`]) into
/// sentences.
pub fn split(
    text: &str,
    view: &str,
    morphemes: &[Morpheme],
    addresses: &[Address],
) -> Vec<Sentence> {
    let ends = Splitter::new(view, morphemes, addresses).ends();
    spans_from_ends(text, view, morphemes, &ends)
}

/// One sentence per non-blank line, for input that is already split.
pub fn from_lines(text: &str, view: &str, morphemes: &[Morpheme]) -> Vec<Sentence> {
    let mut ends = Vec::new();
    let mut offset = 0;
    for line in view.split_inclusive('\n') {
        let content = line.trim_end();
        if !content.trim().is_empty() {
            ends.push(offset + content.len());
        }
        offset += line.len();
    }
    spans_from_ends(text, view, morphemes, &ends)
}

/// Builds sentences ending at the given byte offsets: each starts at the first
/// non-whitespace char after the previous end.
fn spans_from_ends(
    text: &str,
    view: &str,
    morphemes: &[Morpheme],
    ends: &[usize],
) -> Vec<Sentence> {
    let mut chars = CharCounter::new(text);
    let mut sentences = Vec::with_capacity(ends.len());
    let mut previous_end = 0;
    let mut next_morpheme = 0;
    for &end in ends {
        let skipped = view[previous_end..end].len() - view[previous_end..end].trim_start().len();
        let mut start = previous_end + skipped;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        if start >= end {
            continue;
        }
        let first = next_morpheme;
        while next_morpheme < morphemes.len() && morphemes[next_morpheme].byte_end <= end {
            next_morpheme += 1;
        }
        let char_start = chars.char_offset(start);
        let char_end = chars.char_offset(end);
        sentences.push(Sentence {
            index: sentences.len(),
            start: char_start,
            end: char_end,
            byte_start: start,
            byte_end: end,
            morphemes: first..next_morpheme,
        });
        previous_end = end;
    }
    sentences
}

/// The closing partner of an opening bracket or quote.
const fn closing_partner(open: char) -> Option<char> {
    Some(match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        '（' => '）',
        '［' => '］',
        '＜' => '＞',
        '《' => '》',
        '〈' => '〉',
        '「' => '」',
        '『' => '』',
        '【' => '】',
        '〔' => '〕',
        '“' => '”',
        '‘' => '’',
        '"' => '"',
        '\'' => '\'',
        '`' => '`',
        _ => return None,
    })
}

/// Quotes written with the same char on both sides.
const fn is_symmetric_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '`')
}

const fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']'
            | '}'
            | '>'
            | '）'
            | '］'
            | '＞'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '”'
            | '’'
    ) || is_symmetric_quote(c)
}

/// Marks that enclose quoted speech or titles rather than asides: what they
/// enclose may itself end in a sentence ending.
fn is_quotation_mark(open: char) -> bool {
    matches!(
        open,
        '“' | '‘' | '"' | '\'' | '`' | '「' | '『' | '<' | '＜' | '《' | '〈'
    )
}

/// Chars of emotive decoration written at the end of informal sentences:
/// tildes, emoticon parts, loose jamo (ㅋㅋ, ㅎㅎ, ㅠㅠ), hearts and emoji.
fn is_emotive(c: char) -> bool {
    matches!(
        c,
        '~' | '∼' | '～' | '^' | ';' | '♡' | '♥' | '★' | '☆' | '♪' | '♬' | '♩'
    ) || ('\u{3131}'..='\u{3163}').contains(&c)
}

/// Pictographs (emoji and dingbats): they decorate a sentence but, unlike
/// ㅋㅋ or "~", readers do not take them as its end.
fn is_pictograph(c: char) -> bool {
    ('\u{2600}'..='\u{27BF}').contains(&c) || ('\u{1F000}'..='\u{1FAFF}').contains(&c)
}

fn is_terminal_punctuation(c: char) -> bool {
    matches!(
        c,
        '.' | '?' | '!' | '？' | '！' | '。' | '‼' | '⁇' | '⁈' | '⁉' | '…' | '‥' | '⋯'
    )
}

/// Sentence-final punctuation or a closing bracket or quote: a char that
/// can end a sentence's written form (used to cut long texts into sections).
pub(crate) fn is_sentence_tail(c: char) -> bool {
    is_terminal_punctuation(c) || is_closing(c)
}

/// A char that can trail a sentence without being part of its last word.
fn is_decoration(c: char) -> bool {
    is_terminal_punctuation(c) || is_emotive(c) || is_pictograph(c) || is_closing(c)
}

/// What trails the last word of a candidate sentence: the punctuation and
/// decoration after its last real word, and where that word ends.
#[derive(Debug, Default)]
struct Tail {
    /// Byte offset just after the last char that is not decoration.
    core_end: usize,
    /// Periods in the tail (one is a full stop, more an ellipsis).
    periods: usize,
    /// A question or exclamation mark.
    exclaims: bool,
    /// An ellipsis char.
    ellipsis: bool,
    /// Tildes, emoticons, loose jamo.
    emotive: bool,
    /// Emotive chars other than tildes (ㅋㅋ, ^^, hearts).
    emoticon: bool,
    /// The sentence's end was inside quotation marks that are closed here.
    quoted: bool,
    /// Those quotation marks hold the whole sentence.
    quoted_whole: bool,
    /// Those quotation marks hold all but a speaker's name before them
    /// (원빈:"너 지금..."): a turn of dialogue.
    quoted_turn: bool,
}

impl Tail {
    fn full_stop(&self) -> bool {
        self.exclaims || self.periods == 1 && !self.ellipsis
    }

    fn trailing_off(&self) -> bool {
        self.ellipsis || self.periods >= 2
    }
}

/// The boundary finder for one text.
struct Splitter<'a> {
    view: &'a str,
    morphemes: &'a [Morpheme],
    /// Matched bracket and quote pairs as (closer byte, opener byte), in
    /// closer order.
    pairs: Vec<(usize, usize)>,
    /// The same pairs as (opener byte, closer byte), in opener order.
    by_opener: Vec<(usize, usize)>,
    /// Closer positions of the matched pairs, sorted; with the openers of
    /// `by_opener` they tell how deep a position is nested.
    closers: Vec<usize>,
    /// Byte ranges of URLs and e-mail addresses.
    links: Vec<Range<usize>>,
    /// Per byte offset of `view` (and one past its end), the index of the
    /// first morpheme that ends after it: the splitter asks this a few
    /// times per word, and a table read is several times cheaper than a
    /// binary search over the morphemes.
    first_ending_after: Vec<u32>,
}

impl<'a> Splitter<'a> {
    fn new(view: &'a str, morphemes: &'a [Morpheme], addresses: &[Address]) -> Self {
        let pairs = match_brackets(view);
        let mut by_opener: Vec<(usize, usize)> =
            pairs.iter().map(|&(close, open)| (open, close)).collect();
        by_opener.sort_unstable();
        let closers = pairs.iter().map(|&(close, _)| close).collect();
        // No sentence ends inside a URL or an e-mail address.
        let links = addresses
            .iter()
            .map(|address| address.span.clone())
            .collect();
        // The offsets from one morpheme's end up to the next one's hold the
        // next one's index: filled a run at a time (the morphemes are in
        // text order).
        let table_len = view.len() + 1;
        let mut first_ending_after = Vec::with_capacity(table_len);
        for (index, morpheme) in morphemes.iter().enumerate() {
            let run_end = morpheme.byte_end.min(table_len);
            if run_end > first_ending_after.len() {
                first_ending_after.resize(run_end, index as u32);
            }
        }
        first_ending_after.resize(table_len, morphemes.len() as u32);
        Self {
            view,
            morphemes,
            pairs,
            by_opener,
            closers,
            links,
            first_ending_after,
        }
    }

    /// The byte offsets where sentences end, in order.
    fn ends(&self) -> Vec<usize> {
        let mut ends = Vec::new();
        let words = words(self.view);
        let mut sentence_start = words.first().map_or(0, |word| word.start);
        let mut previous_word: Option<Range<usize>> = None;
        for (index, word) in words.iter().enumerate() {
            for end in self.ends_inside(word.clone()) {
                ends.push(end);
                sentence_start = end;
            }
            let Some(next) = words.get(index + 1) else {
                break;
            };
            if self.ends_between(word, next, previous_word.as_ref(), sentence_start) {
                ends.push(word.end);
                sentence_start = next.start;
            }
            previous_word = Some(word.clone());
        }
        if let Some(last) = words.last()
            && ends.last() != Some(&last.end)
        {
            ends.push(last.end);
        }
        ends
    }

    /// Sentence ends with no space after them: a final ending and a full
    /// stop directly followed by the next sentence ("…줄거리다.극악의 …",
    /// "…끝났다.[알림] 내일은", "…읽었다.<어린 왕자>는", "…보겠습니다.*It").
    fn ends_inside(&self, word: Range<usize>) -> Vec<usize> {
        let mut ends = Vec::new();
        let first = self.morpheme_at(word.start);
        for m in &self.morphemes[first..] {
            if m.byte_end >= word.end {
                break;
            }
            if m.last_pos != Pos::EF {
                continue;
            }
            let rest = &self.view[m.byte_end..word.end];
            let stop_len: usize = rest
                .chars()
                .take_while(|c| matches!(c, '.' | '?' | '!'))
                .map(char::len_utf8)
                .sum();
            let end = m.byte_end + stop_len;
            let starts_sentence = self.view[end..]
                .chars()
                .next()
                .is_some_and(opens_sentence_without_space)
                && !self.is_aside_after_sentence(end)
                && !self.is_reference_mark(end);
            let spelled_out = self.view[..m.byte_start].ends_with('.')
                || self.view[end..word.end].chars().nth(1) == Some('.');
            if stop_len == 0
                || !starts_sentence
                || spelled_out
                || self.depth(end) > 0
                || self.in_link(end)
            {
                continue;
            }
            let next = self.morpheme_at(end);
            if self
                .morphemes
                .get(next)
                .is_some_and(|n| n.pos.is_particle() || n.pos.is_ending())
            {
                continue;
            }
            ends.push(end);
        }
        ends
    }

    /// Whether a sentence ends between `word` and the `next` word.
    fn ends_between(
        &self,
        word: &Range<usize>,
        next: &Range<usize>,
        previous_word: Option<&Range<usize>>,
        sentence_start: usize,
    ) -> bool {
        let gap = &self.view[word.end..next.start];
        let line_breaks = gap.matches('\n').count();
        if line_breaks >= 2 {
            return true;
        }
        if self.depth(word.end) > 0 {
            return false;
        }
        if line_breaks == 0 && self.is_heading(sentence_start, word.end) {
            // "[속보] 정부는 …", "[알림] 내일은 …": a label in square
            // brackets heads the sentence that follows it on the line.
            return false;
        }
        let next_text = &self.view[next.clone()];
        if next_text.chars().all(is_decoration) {
            // "포토존 !!", "들어가보았습니다 ㅎㅎ": trailing marks stay with
            // the sentence they close.
            return false;
        }
        if is_list_marker(&self.view[word.clone()]) {
            return false;
        }
        if is_list_marker(next_text)
            && !previous_word.is_some_and(|_| is_dotted_number(&self.view[word.clone()]))
            && !is_dotted_number(&self.view[word.clone()])
        {
            // "…없어졌어요 2. 시그…": a numbered item starts a sentence.
            return true;
        }
        if self.is_aside_after_sentence(next.start) {
            // "…우승자이기도 하다. (6회 우승)": a bracketed note without a
            // predicate of its own belongs to the sentence before it.
            return false;
        }
        let tail = self.tail(word.end, sentence_start);
        if tail.core_end <= sentence_start {
            return false;
        }
        let Some(last) = self.morpheme_ending_at(tail.core_end) else {
            return line_breaks > 0;
        };
        let last_pos = self.morphemes[last].last_pos;
        let following = self.morphemes.get(self.morpheme_at(next.start));
        if following.is_some_and(|n| {
            n.pos == Pos::JKQ
                || tail.quoted
                    && (n.pos.is_particle()
                        || n.pos.is_ending()
                        || n.pos == Pos::VV && n.surface(self.view).starts_with('하'))
        }) {
            // A quotation and the particle or verb that reports it:
            // "…거야." 하며, "…했다" 라고.
            return false;
        }
        // The core's last word: what of `word` the core holds (a word holds
        // no whitespace), or nothing if the tail reached back past its start.
        let core_word_start = word.start.min(tail.core_end);
        let core_word = &self.view[core_word_start..tail.core_end];
        let next_is_interjection =
            following.is_some_and(|n| n.pos == Pos::IC && self.view[n.byte_end..].starts_with(','));
        if next_is_interjection && !open_ended_pos(last_pos) {
            // "…'술도녀' 아, 근데 …": an interjection set off by a comma
            // opens a sentence.
            return true;
        }
        if tail.full_stop() {
            return !(tail.periods == 1
                && !tail.exclaims
                && self.period_is_not_a_stop(
                    core_word,
                    core_word_start == sentence_start,
                    next_text,
                    previous_word.map(|range| &self.view[range.clone()]),
                ));
        }
        if tail.quoted && tail.trailing_off() {
            // A quotation that trails off ("너 지금...") is a turn of its own.
            return true;
        }
        if tail.quoted_turn || tail.quoted_whole && matches!(last_pos, Pos::EF | Pos::EC) {
            // A turn of dialogue ends with its closing quotation mark
            // (아들:"나중에 먹을께" 엄마:"…"), and so does a sentence quoted
            // whole once what it quotes ends in a predicate ("조금만 기다려
            // 줘" -비 오는 날의 일기); a quoted title or name ("기생충"
            // 감독은) opens the sentence it belongs to.
            return true;
        }
        if tail.trailing_off()
            && !tail.exclaims
            && matches!(last_pos, Pos::EC | Pos::EF)
            && (core_word.ends_with('데') || tail.ellipsis && core_word.ends_with("지만"))
        {
            // The background -는데 left trailing off ("싶은데... 딱히") still
            // leads into the clause after it, as does the concessive -지만
            // paused with an ellipsis mark (친해지지만… 그녀는); chat's
            // trailing -고.. or -지만.. is a spoken sentence end.
            return false;
        }
        if self.is_final_form(last, core_word, following)
            && !self.continues_after_da(last, following)
        {
            return true;
        }
        let open_ended = open_ended_pos(last_pos);
        if tail.trailing_off() && (!open_ended || last_pos == Pos::ETM) && last_pos != Pos::MAG {
            return true;
        }
        // A connective -고/-며/-서 drawn out with a tilde ("내지르고~
        // 뒤돌아서면") leads on; a tilde standing apart ("산지천마당 ~
        // 조천") joins a range.
        let drawn_out_connective =
            !tail.emoticon && last_pos == Pos::EC && core_word.ends_with(['고', '며', '서']);
        let spaced_tilde =
            !tail.emoticon && self.view[tail.core_end..word.end].starts_with(char::is_whitespace);
        if tail.emotive
            && !open_ended
            && last_pos != Pos::SN
            && !(drawn_out_connective || spaced_tilde)
        {
            return true;
        }
        // An auxiliary never opens a sentence: 아니었음 못했을 거예요 is
        // "-었으면", not a nominalized end.
        let auxiliary_follows = following.is_some_and(|n| n.pos == Pos::VX);
        if self.is_nominalized_end(last) && !next_text.starts_with('없') && !auxiliary_follows {
            return true;
        }
        if last_pos == Pos::EC
            && following.is_some_and(|n| {
                n.pos == Pos::MAJ && n.surface(self.view).starts_with(['그', '근', '하'])
            })
        {
            // "밥을 먹었걸랑 근데 …": a conjunction that points back to what
            // was said (그리고, 그런데/근데, 그래서, 하지만) opens a new
            // sentence after a clause left on a (spoken) connective ending;
            // 및, 또는 and 또한 join within a sentence.
            return true;
        }
        if matches!(last_pos, Pos::NNG | Pos::NNP | Pos::NNB)
            && following.is_some_and(|n| self.is_clause_linking_conjunction(n))
        {
            // "삼겹살 파티 근데 비가 …", "큰 실수 그러면 …": the same
            // conjunctions after a bare noun phrase, as in notes and chat,
            // where a sentence may end in a noun.
            return true;
        }
        line_breaks > 0 && !open_ended && last_pos != Pos::EC
    }

    /// Whether `m` begins a conjunction that links clauses rather than
    /// nouns: 그런데/근데, 그럼, 그래서, 하지만 (tagged MAJ), and the forms of
    /// 그러다 used as conjunctions (그러면, 그래서: 그러/VV). 그리고 also
    /// joins nouns (사과 그리고 배), and 및/또는 only do.
    fn is_clause_linking_conjunction(&self, m: &Morpheme) -> bool {
        let surface = m.surface(self.view);
        match m.pos {
            Pos::MAJ => surface.starts_with(['그', '근', '하']) && surface != "그리고",
            Pos::VV => surface == "그러" || surface == "그래",
            _ => false,
        }
    }

    /// Whether an unpunctuated "-다" ending is a connective rather than a
    /// sentence end: after a bare verb stem (내려가다 반대로: "-다(가)"), or
    /// before an auxiliary or a copula that continues it (하다 보면,
    /// 했다 싶고, 나야 하는데, 흐르다 라는).
    fn continues_after_da(&self, last: usize, following: Option<&Morpheme>) -> bool {
        let m = &self.morphemes[last];
        let continued = following.is_some_and(|n| {
            matches!(n.pos, Pos::VX | Pos::VCP | Pos::NNB | Pos::ETM)
                || matches!(n.pos, Pos::VV | Pos::VA)
                    && n.surface(self.view)
                        .starts_with(['하', '보', '봐', '싶', '한', '했', '해'])
        });
        if continued {
            return true;
        }
        if m.surface(self.view) == "다" {
            last > 0
                && self.morphemes[last - 1].byte_end == m.byte_start
                && self.morphemes[last - 1].last_pos == Pos::VV
        } else {
            m.pos == Pos::VV
                && m.expression.is_some_and(|e| {
                    e.matches('+').count() == 1
                        && (e.ends_with("+다/EF/*") || e.ends_with("+다/EC/*"))
                })
        }
    }

    /// Whether the word ending in morpheme `last` ends in a final ending.
    /// The analyser tags a final ending without punctuation after it as a
    /// connective (뜨겁/VA 다/EC, 했/VV+EP 답니다/EC, 졌어요/VX+EP+EC), so the
    /// form decides: formal -니다, polite -요 (and its spoken variants -용,
    /// -죠, -유, -쥬), present -ㄴ다/-는다, -다 after a tense, an adjective
    /// or a copula, and spoken -지/-나/-제 after a tense. -다 right after a
    /// verb stem is the connective -다(가).
    fn is_final_form(&self, last: usize, core_word: &str, following: Option<&Morpheme>) -> bool {
        let m = &self.morphemes[last];
        if self.is_misread_spoken_ending(last) {
            return true;
        }
        if !matches!(m.last_pos, Pos::EF | Pos::EC) {
            return false;
        }
        if core_word.ends_with("구먼") || core_word.ends_with("구만") {
            // The exclamative -구먼/-구만 (안되는구먼) only closes a sentence.
            return true;
        }
        let mut chars = core_word.chars().rev();
        let (Some(final_char), Some(before)) = (chars.next(), chars.next()) else {
            return m.last_pos == Pos::EF;
        };
        if !is_hangul_syllable(before) {
            return m.last_pos == Pos::EF;
        }
        match final_char {
            '요' | '용' | '죠' | '유' | '쥬' => true,
            '다' if before == '니' || (before as u32 - 0xAC00) % 28 == 4 => true,
            '다' => {
                let stem_pos = if m.surface(self.view) == "다" {
                    (last > 0 && self.morphemes[last - 1].byte_end == m.byte_start)
                        .then(|| self.morphemes[last - 1].last_pos)
                } else {
                    m.tag.rsplit('+').nth(1).map(Pos::from_tag)
                };
                match stem_pos {
                    Some(Pos::EP | Pos::VA | Pos::VCP | Pos::VCN | Pos::XSA | Pos::VX) => true,
                    Some(Pos::VV | Pos::XSV) => false,
                    _ => m.last_pos == Pos::EF,
                }
            }
            // Spoken question and assertion endings right after a tense or an
            // adjective (잤지, 있었긋나, 싶았제, 있나). Elsewhere they are
            // connectives: after a verb stem (가나), another ending (봐야지),
            // as the embedded question -ㄴ지/-ㄹ지 (그런지, 나갈지), the
            // concessive -으나, or before the predicate they complement
            // (먹지 않다).
            '지' | '나' | '제' | '재' => {
                let coda = (before as u32 - 0xAC00) % 28;
                let stem = if m.surface(self.view).chars().count() == 1 {
                    (last > 0 && self.morphemes[last - 1].byte_end == m.byte_start)
                        .then(|| self.morphemes[last - 1].last_pos)
                } else {
                    m.tag.rsplit('+').nth(1).map(Pos::from_tag)
                };
                m.last_pos == Pos::EF
                    || matches!(stem, Some(Pos::EP | Pos::VA))
                        && coda != 4
                        && coda != 8
                        && before != '으'
                        && !following.is_some_and(|n| {
                            matches!(n.pos, Pos::VX | Pos::VV | Pos::VA | Pos::VCN)
                        })
            }
            _ => m.last_pos == Pos::EF,
        }
    }

    /// Whether morpheme `last` is a spoken final ending that the dictionary
    /// does not know and reads as another word class, glued to the
    /// predicate before it: the cute polite -용 after a final ending
    /// (잘됐네/EF 용/XSN) and the dialect -제/-재 after a tense or a stem
    /// (싶았/EP 제/MM, 없/VA 재/XPN), where neither a determiner nor a prefix
    /// can stand, and the southeastern -ㄴ 기라 read as a noun after an
    /// adnominal ending.
    fn is_misread_spoken_ending(&self, last: usize) -> bool {
        let m = &self.morphemes[last];
        let Some(previous) = last.checked_sub(1).map(|i| &self.morphemes[i]) else {
            return false;
        };
        if previous.byte_end != m.byte_start {
            return false;
        }
        match m.surface(self.view) {
            "용" => m.pos == Pos::XSN && previous.last_pos == Pos::EF,
            // Southeastern -ㄴ 기라 (= -ㄴ 것이다): 나간/ETM 기라/NNG.
            "기라" => m.pos == Pos::NNG && previous.last_pos == Pos::ETM,
            "제" | "재" => {
                matches!(m.pos, Pos::MM | Pos::XPN)
                    && matches!(previous.last_pos, Pos::EP | Pos::VA | Pos::VV)
            }
            _ => false,
        }
    }

    /// Whether the word starting at `start` opens a bracketed note that has
    /// no sentence end of its own ("(6회 우승)", "(출근시간 19시)").
    fn is_aside_after_sentence(&self, start: usize) -> bool {
        if !self.view[start..].starts_with(['(', '（']) {
            return false;
        }
        let Ok(index) = self
            .by_opener
            .binary_search_by_key(&start, |&(open, _)| open)
        else {
            return false;
        };
        let close = self.by_opener[index].1;
        let inside = &self.view[start..close];
        let first = self.morpheme_at(start);
        let last = self.morpheme_at(close);
        !inside.chars().any(is_terminal_punctuation)
            && !self.morphemes[first..last.max(first)]
                .iter()
                .any(|m| m.last_pos == Pos::EF || m.last_pos == Pos::ETN)
    }

    /// Whether `start..end` is one span in square brackets with no
    /// sentence end inside: a heading or label such as "[속보]".
    fn is_heading(&self, start: usize, end: usize) -> bool {
        if !self.view[start..].starts_with(['[', '［', '【']) {
            return false;
        }
        let Some(last) = self.view[start..end].chars().next_back() else {
            return false;
        };
        let close = end - last.len_utf8();
        self.opener_of(close) == Some(start)
            && !self.view[start..close].chars().any(is_terminal_punctuation)
    }

    /// Whether a bracket opening at `start` holds a footnote or citation
    /// mark ("[1]", "[*]"): no letters inside, so nothing to read as a
    /// heading or a sentence.
    fn is_reference_mark(&self, start: usize) -> bool {
        if !self.view[start..].starts_with(['[', '［']) {
            return false;
        }
        self.by_opener
            .binary_search_by_key(&start, |&(open, _)| open)
            .is_ok_and(|index| {
                !self.view[start..self.by_opener[index].1]
                    .chars()
                    .any(char::is_alphabetic)
            })
    }

    /// Whether a single period after `word` belongs to the word rather than
    /// ending the sentence: list numbers ("1."), dates written with spaces
    /// ("2023. 1. 5."), abbreviations ("Dr.", "e.g.") and initials ("J. K.").
    fn period_is_not_a_stop(
        &self,
        word: &str,
        starts_sentence: bool,
        next: &str,
        previous: Option<&str>,
    ) -> bool {
        let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
        if is_single_syllable(word)
            && (next.chars().nth(1).is_none_or(|c| !is_hangul_syllable(c))
                || previous.is_some_and(|p| is_single_syllable(p.trim_end_matches('.'))))
        {
            // Spelled out for emphasis: "전. 부. 다. 요!!!"
            return true;
        }
        if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
            let next_is_number = next.starts_with(|c: char| c.is_ascii_digit());
            let previous_is_dotted_number = previous.is_some_and(|p| {
                p.strip_suffix('.')
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            });
            return starts_sentence || next_is_number || previous_is_dotted_number;
        }
        let latin_start = word
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphabetic() || *c == '.')
            .last()
            .map_or(word.len(), |(index, _)| index);
        let latin = &word[latin_start..];
        if latin.is_empty() {
            return false;
        }
        if latin.contains('.') {
            // e.g, U.S: letters separated by periods.
            return latin
                .split('.')
                .all(|part| part.len() == 1 && part.chars().all(|c| c.is_ascii_alphabetic()));
        }
        if latin.len() == 1 && latin.chars().all(|c| c.is_ascii_uppercase()) {
            return next.starts_with(|c: char| c.is_ascii_uppercase());
        }
        Abbreviations::builtin().contains(latin)
    }

    /// A nominalized predicate used as a sentence end, as in notes and tech
    /// writing: 했음, 통유리임, 달려옴, 확인함. Nouns made from adjectives
    /// (매콤함, 뻑뻑함) are read as nouns unless they carry a tense (좋았음).
    fn is_nominalized_end(&self, index: usize) -> bool {
        let m = &self.morphemes[index];
        // Unpunctuated, the analyser may tag the ending as a connective
        // (좋/VA 음/EC).
        let nominal_connective = m.last_pos == Pos::EC && m.surface(self.view) == "음";
        if m.last_pos != Pos::ETN && !nominal_connective {
            return false;
        }
        let ends_in_mieum = m
            .surface(self.view)
            .chars()
            .next_back()
            .is_some_and(|c| is_hangul_syllable(c) && (c as u32 - 0xAC00) % 28 == 16);
        if !ends_in_mieum {
            return false;
        }
        let after_tense = m.tag.contains("EP+ETN")
            || m.tag.contains("VX+ETN")
            || m.tag.contains("VV+ETN")
            || index > 0
                && self.morphemes[index - 1].byte_end == m.byte_start
                && self.morphemes[index - 1].last_pos == Pos::EP;
        after_tense
            || matches!(
                m.pos,
                Pos::VV | Pos::VX | Pos::VA | Pos::VCP | Pos::VCN | Pos::XSV | Pos::EP
            )
            || matches!(m.pos, Pos::ETN | Pos::EC)
                && index > 0
                && self.morphemes[index - 1].byte_end == m.byte_start
                && matches!(
                    self.morphemes[index - 1].last_pos,
                    Pos::VV | Pos::VA | Pos::VX | Pos::VCP | Pos::VCN | Pos::XSV
                )
    }

    /// Reads the punctuation and decoration before `end` back to the last
    /// real word of the sentence that started at `sentence_start`.
    fn tail(&self, end: usize, sentence_start: usize) -> Tail {
        let mut tail = Tail::default();
        let mut position = end;
        while position > sentence_start {
            let Some(c) = self.view[..position].chars().next_back() else {
                break;
            };
            if is_hangul_syllable(c) {
                // Neither space, bracket nor mark: the last real word.
                break;
            }
            let before = position - c.len_utf8();
            if c.is_whitespace() {
                position = before;
                continue;
            }
            // Only a closing char can close a matched pair.
            if let Some(open) = is_closing(c).then(|| self.opener_of(before)).flatten() {
                let open_char = self.view[open..].chars().next().unwrap_or(' ');
                let before_open = &self.view[sentence_start..open];
                let encloses_sentence = before_open
                    .chars()
                    .all(|c| c.is_whitespace() || is_decoration(c));
                if encloses_sentence || is_quotation_mark(open_char) {
                    // A quoted or bracketed sentence: its end is inside.
                    if is_quotation_mark(open_char) {
                        tail.quoted = true;
                        tail.quoted_whole |= encloses_sentence;
                        tail.quoted_turn |= is_speaker_label(before_open);
                    }
                    position = before;
                } else {
                    // An aside or citation: the sentence goes on before it.
                    position = open;
                }
                continue;
            }
            match c {
                '.' => tail.periods += 1,
                '…' | '‥' | '⋯' => tail.ellipsis = true,
                c if is_terminal_punctuation(c) => tail.exclaims = true,
                '~' | '∼' | '～' => tail.emotive = true,
                c if is_emotive(c) => {
                    tail.emotive = true;
                    tail.emoticon = true;
                }
                c if is_closing(c) || is_pictograph(c) => {}
                _ => break,
            }
            position = before;
        }
        tail.core_end = position;
        tail
    }

    /// The opener matched with a closer at `close`.
    fn opener_of(&self, close: usize) -> Option<usize> {
        self.pairs
            .binary_search_by_key(&close, |&(closer, _)| closer)
            .ok()
            .map(|index| self.pairs[index].1)
    }

    /// How many matched brackets or quotes enclose byte offset `position`.
    fn depth(&self, position: usize) -> usize {
        let opened = self.by_opener.partition_point(|&(open, _)| open < position);
        let closed = self.closers.partition_point(|&close| close < position);
        opened.saturating_sub(closed)
    }

    fn in_link(&self, position: usize) -> bool {
        let index = self.links.partition_point(|link| link.end <= position);
        self.links
            .get(index)
            .is_some_and(|link| link.start < position)
    }

    /// The index of the first morpheme that ends after `position`.
    fn morpheme_at(&self, position: usize) -> usize {
        self.first_ending_after[position] as usize
    }

    /// The morpheme that holds the char just before `end`.
    fn morpheme_ending_at(&self, end: usize) -> Option<usize> {
        // The first morpheme ending at or after `end`.
        let index = end
            .checked_sub(1)
            .map_or(0, |before| self.morpheme_at(before));
        self.morphemes
            .get(index)
            .filter(|m| m.byte_start < end)
            .map(|_| index)
    }
}

/// The whitespace-separated words of `view`, an analysis view, as byte
/// ranges.
fn words(view: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = 0;
    let [space, line_break, tab] = VIEW_WHITESPACE;
    for blank in memchr::memchr3_iter(space, line_break, tab, view.as_bytes()) {
        if blank > start {
            words.push(start..blank);
        }
        start = blank + 1;
    }
    if view.len() > start {
        words.push(start..view.len());
    }
    words
}

/// The first bytes of the brackets and quotes that are not ASCII (general
/// punctuation, CJK brackets, full-width forms): [`match_brackets`] decodes
/// only the chars starting with one of these.
const BRACKET_LEAD_BYTES: [u8; 3] = [0xE2, 0xE3, 0xEF];

/// Pairs brackets and quotes, returning (closer, opener) byte offsets in
/// closer order. Unmatched marks pair with nothing, and nothing stays open
/// across a blank line. A straight quote opens only at the start of a word
/// (so apostrophes such as "Ghosts'n'Goblins" open nothing).
fn match_brackets(view: &str) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut open: Vec<(char, usize)> = Vec::new();
    let bytes = view.as_bytes();
    let mut line_start = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        if !BRACKET_SCAN_BYTES[usize::from(byte)] {
            continue;
        }
        if byte == b'\n' {
            if bytes[line_start..index]
                .iter()
                .all(|&byte| is_view_whitespace(byte))
            {
                open.clear();
            }
            line_start = index + 1;
            continue;
        }
        let c = if byte.is_ascii() {
            char::from(byte)
        } else {
            match view[index..].chars().next() {
                Some(c) => c,
                None => continue,
            }
        };
        let closes = if is_closing(c) {
            open.iter()
                .rposition(|&(opener, _)| closing_partner(opener) == Some(c))
        } else {
            None
        };
        if let Some(position) = closes {
            pairs.push((index, open[position].1));
            open.truncate(position);
        } else if closing_partner(c).is_some()
            && (!is_symmetric_quote(c)
                || !view[..index]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric))
        {
            open.push((c, index));
        }
    }
    pairs
}

/// The bytes [`match_brackets`] stops at: line breaks, the ASCII brackets
/// and quotes, and the first bytes of the others.
const BRACKET_SCAN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let c = byte as u8 as char;
        table[byte] = c == '\n' || is_closing(c) || closing_partner(c).is_some();
        byte += 1;
    }
    let mut lead = 0;
    while lead < BRACKET_LEAD_BYTES.len() {
        table[BRACKET_LEAD_BYTES[lead] as usize] = true;
        lead += 1;
    }
    table
};

/// A speaker's name introducing a turn of dialogue: one word ending in a
/// colon ("원빈:", "A :").
fn is_speaker_label(text: &str) -> bool {
    let Some(name) = text.trim().strip_suffix([':', '：']) else {
        return false;
    };
    let name = name.trim_end();
    !name.is_empty() && !name.contains(char::is_whitespace) && name.chars().count() <= 10
}

/// Whether `c`, right after a final ending and its full stop, can be the
/// first char of the next sentence: a Hangul syllable, an opening bracket or
/// quote (a heading, a title, a quotation), or a bullet or other symbol. A
/// closing mark, more punctuation or decoration belongs to the sentence
/// before, and an ASCII letter or digit to a word the period is part of.
fn opens_sentence_without_space(c: char) -> bool {
    is_hangul_syllable(c)
        || closing_partner(c).is_some()
        || matches!(c, '*' | '-')
        || !c.is_ascii() && !c.is_whitespace() && !is_decoration(c)
}

/// A numbered-list marker written as its own word: "1.", "2)", "10.".
fn is_list_marker(word: &str) -> bool {
    matches!(word.as_bytes(), [digits @ .., b'.' | b')']
        if (1..=3).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit))
}

/// A number written with a period after it, as in dates ("2023. 1. 5.").
fn is_dotted_number(word: &str) -> bool {
    word.strip_suffix('.')
        .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
}

fn is_single_syllable(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(is_hangul_syllable) && chars.next().is_none()
}

/// Word classes after which a sentence cannot stop: particles, conjunctions,
/// interjections, determiners, adnominal endings, prefixes and commas.
fn open_ended_pos(pos: Pos) -> bool {
    pos.is_particle()
        || matches!(
            pos,
            Pos::MAJ | Pos::IC | Pos::MM | Pos::ETM | Pos::XPN | Pos::SC
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::analysis_view;
    use crate::tokenize::{Tokenizer, TokenizerConfig};

    #[test]
    fn brackets_and_quotes_are_ascii_or_start_with_a_scanned_lead_byte() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if closing_partner(c).is_some() || is_closing(c) {
                let mut bytes = [0; 4];
                let first = c.encode_utf8(&mut bytes).as_bytes()[0];
                assert!(
                    c.is_ascii() || BRACKET_LEAD_BYTES.contains(&first),
                    "{c:?} starts with {first:#x}"
                );
            }
        }
    }

    #[test]
    fn words_and_brackets_read_from_bytes_match_a_reading_by_chars() {
        // The readings by chars that the byte scans replaced.
        fn words_by_chars(view: &str) -> Vec<Range<usize>> {
            let mut words = Vec::new();
            let mut start = None;
            for (index, c) in view.char_indices() {
                match (c.is_whitespace(), start) {
                    (true, Some(begin)) => {
                        words.push(begin..index);
                        start = None;
                    }
                    (false, None) => start = Some(index),
                    _ => {}
                }
            }
            words.extend(start.map(|begin| begin..view.len()));
            words
        }
        fn brackets_by_chars(view: &str) -> Vec<(usize, usize)> {
            let mut pairs = Vec::new();
            let mut open: Vec<(char, usize)> = Vec::new();
            let (mut previous, mut line_is_blank) = (' ', true);
            for (index, c) in view.char_indices() {
                if c == '\n' {
                    if line_is_blank {
                        open.clear();
                    }
                    line_is_blank = true;
                } else if !c.is_whitespace() {
                    line_is_blank = false;
                }
                let closes = is_closing(c)
                    .then(|| {
                        open.iter()
                            .rposition(|&(o, _)| closing_partner(o) == Some(c))
                    })
                    .flatten();
                if let Some(position) = closes {
                    pairs.push((index, open[position].1));
                    open.truncate(position);
                } else if closing_partner(c).is_some()
                    && (!is_symmetric_quote(c) || !previous.is_alphanumeric())
                {
                    open.push((c, index));
                }
                previous = c;
            }
            pairs
        }
        let texts = [
            "정부는\u{3000}3일 \u{00A0}발표했다.\r\n\r\n  \"AI 투자\"를 늘린다…",
            "（괄호） ［대괄호］ ＜꺾쇠＞ 《책》 〈글〉 「말」 『책』 【알림】 〔주〕 “인용” ‘작은’",
            "Ghosts'n'Goblins 'quoted' `code` 1\"2 (열림\n\n닫힘) [a\u{2028}b] {c}",
            "\u{200B}가\u{FEFF}나\u{2003}다\u{0085}라\t마\u{000B}바\u{000C}사 <태그>",
            "",
            "   \n\n  ",
        ];
        for text in texts {
            let view = analysis_view(text);
            assert_eq!(words(&view), words_by_chars(&view), "{text:?}");
            assert_eq!(match_brackets(&view), brackets_by_chars(&view), "{text:?}");
        }
    }

    #[test]
    fn morpheme_lookups_match_a_search_of_the_morphemes() {
        // The splitter's table against the binary searches it replaced, at
        // every byte offset (char boundary or not) of a text with spaces,
        // line breaks, Latin letters and punctuation.
        let view = "정부는 3일 발표했다.\n\n  \"AI 투자\"를 늘린다…  OpenAI는 (6회 우승) 웃었다 ";
        let tokenizer = Tokenizer::new(&TokenizerConfig::default()).unwrap();
        let morphemes = tokenizer.tokenize(view).unwrap();
        let splitter = Splitter::new(view, &morphemes, &[]);
        for position in 0..=view.len() {
            assert_eq!(
                splitter.morpheme_at(position),
                morphemes.partition_point(|m| m.byte_end <= position),
                "morpheme_at({position})"
            );
            let index = morphemes.partition_point(|m| m.byte_end < position);
            let expected = morphemes
                .get(index)
                .filter(|m| m.byte_start < position)
                .map(|_| index);
            assert_eq!(
                splitter.morpheme_ending_at(position),
                expected,
                "morpheme_ending_at({position})"
            );
        }
    }
}
