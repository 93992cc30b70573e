//! What kosum prints: the JSON document of schema version 1 (the contract
//! scripts rely on, see the README) built from an [`Analysis`], and the
//! renderings of that same document as text for people, JSON, JSONL, TSV and
//! Markdown; plus the token listing of `kosum tokenize` and the highlighted
//! article of `--highlight`.
//!
//! Every rendering is a pure function of its input, so output is the same
//! bytes whatever order or thread documents were analysed in.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::entities::Mention;
use crate::tokenize::Morpheme;

/// The version of the JSON document layout; bumped only on incompatible
/// change.
pub const SCHEMA_VERSION: u32 = 1;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people reading a terminal.
    Text,
    /// One JSON object per document, indented.
    Json,
    /// One JSON object per document on one line.
    Jsonl,
    /// Tab-separated rows, one per item, with a header row.
    Tsv,
    /// A Markdown section per document.
    Markdown,
}

impl Format {
    /// The file name extension of a result file in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Tsv => "tsv",
            Format::Markdown => "md",
        }
    }
}

/// Which result fields a command prints (besides `schema`, `id`, `error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    pub sentences: bool,
    pub summary: bool,
    pub keywords: bool,
    pub entities: bool,
}

impl Fields {
    /// `kosum` without a subcommand.
    pub const ALL: Fields = Fields {
        sentences: true,
        summary: true,
        keywords: true,
        entities: true,
    };
    /// `kosum split`.
    pub const SENTENCES: Fields = Fields {
        sentences: true,
        summary: false,
        keywords: false,
        entities: false,
    };
    /// `kosum summarize`.
    pub const SUMMARY: Fields = Fields {
        sentences: false,
        summary: true,
        keywords: false,
        entities: false,
    };
    /// `kosum keywords`.
    pub const KEYWORDS: Fields = Fields {
        sentences: false,
        summary: false,
        keywords: true,
        entities: false,
    };
    /// `kosum entities`.
    pub const ENTITIES: Fields = Fields {
        sentences: false,
        summary: false,
        keywords: false,
        entities: true,
    };
}

/// One sentence of the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceItem {
    pub index: usize,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One summary sentence, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryItem {
    pub index: usize,
    pub text: String,
    pub score: f64,
    pub start: usize,
    pub end: usize,
}

/// One keyword, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeywordItem {
    pub text: String,
    pub score: f64,
    pub count: usize,
    pub start: usize,
    pub end: usize,
}

/// One entity with its mentions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityItem {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub canonical: String,
    pub count: usize,
    pub mentions: Vec<Mention>,
}

/// The result for one document, exactly as schema version 1 lays it out.
/// Fields the command does not produce are `None` and left out of the JSON;
/// a failed document has `error` set and its produced fields empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentReport {
    pub schema: u32,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<SentenceItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Vec<SummaryItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<KeywordItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<EntityItem>>,
    pub error: Option<String>,
}

/// Scores are printed with six decimals at most (more is noise, and fixed
/// precision keeps outputs comparable); a non-finite score, which JSON cannot
/// hold, becomes 0.
fn tidy_score(score: f64) -> f64 {
    if score.is_finite() {
        (score * 1e6).round() / 1e6
    } else {
        0.0
    }
}

impl DocumentReport {
    /// The report of a document analysed successfully.
    pub fn from_analysis(id: &str, analysis: &Analysis<'_>, fields: Fields) -> Self {
        let document = &analysis.document;
        let text = document.text;
        let sentence_item = |index: usize| {
            document.sentences.get(index).map(|s| SentenceItem {
                index: s.index,
                text: s.text(text).to_string(),
                start: s.start,
                end: s.end,
            })
        };
        let sentences = fields.sentences.then(|| {
            (0..document.sentences.len())
                .filter_map(sentence_item)
                .collect()
        });
        let summary = fields.summary.then(|| {
            analysis
                .summary
                .iter()
                .filter_map(|chosen| {
                    sentence_item(chosen.index).map(|s| SummaryItem {
                        index: s.index,
                        text: s.text,
                        score: tidy_score(chosen.score),
                        start: s.start,
                        end: s.end,
                    })
                })
                .collect()
        });
        let keywords = fields.keywords.then(|| {
            analysis
                .keywords
                .iter()
                .map(|k| KeywordItem {
                    text: k.text.clone(),
                    score: tidy_score(k.score),
                    count: k.count,
                    start: k.start,
                    end: k.end,
                })
                .collect()
        });
        let entities = fields.entities.then(|| {
            analysis
                .entities
                .iter()
                .map(|e| EntityItem {
                    text: e.text.clone(),
                    kind: e.kind.as_str(),
                    canonical: e.canonical.clone(),
                    count: e.mentions.len(),
                    mentions: e.mentions.clone(),
                })
                .collect()
        });
        Self {
            schema: SCHEMA_VERSION,
            id: id.to_string(),
            sentences,
            summary,
            keywords,
            entities,
            error: None,
        }
    }

    /// The report of a document that could not be analysed.
    pub fn failure(id: &str, message: &str, fields: Fields) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            id: id.to_string(),
            sentences: fields.sentences.then(Vec::new),
            summary: fields.summary.then(Vec::new),
            keywords: fields.keywords.then(Vec::new),
            entities: fields.entities.then(Vec::new),
            error: Some(message.to_string()),
        }
    }
}

/// Presentation choices for the human formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// ANSI colours and emphasis.
    pub color: bool,
    /// Print a heading naming the document (when there are several).
    pub heading: bool,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[0m";

/// Writes `text` wrapped in an ANSI style when colour is on.
fn paint(out: &mut dyn Write, style: Style, code: &str, text: &str) -> io::Result<()> {
    if style.color {
        write!(out, "{code}{text}{RESET}")
    } else {
        out.write_all(text.as_bytes())
    }
}

/// The header row of [`Format::Tsv`]; printed once at the top of an output.
pub const TSV_HEADER: &str = "id\tfield\tindex\tstart\tend\tscore\tcount\ttype\tcanonical\ttext\n";

/// The header row of token listings in [`Format::Tsv`].
pub const TOKEN_TSV_HEADER: &str = "id\tindex\tstart\tend\ttag\tsemantic\tsurface\n";

/// Escapes a TSV cell: tabs, line breaks and backslashes become `\t`, `\n`,
/// `\r`, `\\`, so one item stays one row.
fn tsv_cell(text: &str) -> String {
    let mut cell = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => cell.push_str("\\t"),
            '\n' => cell.push_str("\\n"),
            '\r' => cell.push_str("\\r"),
            '\\' => cell.push_str("\\\\"),
            c => cell.push(c),
        }
    }
    cell
}

/// Writes `value` as JSON (indented if `pretty`) and a newline.
///
/// serde_json writes many small pieces, and each would be a dynamic call on
/// `out`, so they are gathered in a small buffer first. A buffer the size of
/// the whole line, copied to `out` at the end, was held twice at its peak:
/// for a 50 MB document the pretty JSON is 156 MB.
fn write_json_line(out: &mut dyn Write, value: &impl Serialize, pretty: bool) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(JSON_CHUNK_BYTES, out);
    if pretty {
        serde_json::to_writer_pretty(&mut buffered, value)?;
    } else {
        serde_json::to_writer(&mut buffered, value)?;
    }
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// The size of the pieces [`write_json_line`] hands to its writer.
const JSON_CHUNK_BYTES: usize = 16 << 10;

/// Writes one document report in `format`. JSON formats end with a newline;
/// [`Format::Tsv`] writes rows only (the caller prints [`TSV_HEADER`] once).
pub fn write_report(
    out: &mut dyn Write,
    report: &DocumentReport,
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Json | Format::Jsonl => write_json_line(out, report, format == Format::Json),
        Format::Text => write_text(out, report, style),
        Format::Tsv => write_tsv(out, report),
        Format::Markdown => write_markdown(out, report),
    }
}

fn write_text(out: &mut dyn Write, report: &DocumentReport, style: Style) -> io::Result<()> {
    if style.heading {
        paint(out, style, BOLD, &format!("== {} ==", report.id))?;
        writeln!(out)?;
    }
    if let Some(error) = &report.error {
        paint(out, style, RED, &format!("error: {error}"))?;
        return writeln!(out);
    }
    let heading = |out: &mut dyn Write, title: &str| -> io::Result<()> {
        paint(out, style, BOLD, title)?;
        writeln!(out)
    };
    // A reader of the whole analysis wants the summary, not the article back;
    // the sentence list is the text view of `kosum split`.
    if let Some(sentences) = report
        .sentences
        .as_ref()
        .filter(|_| report.summary.is_none())
    {
        heading(out, "Sentences")?;
        for s in sentences {
            paint(out, style, DIM, &format!("{:>4} ", s.index + 1))?;
            writeln!(out, "{}", one_line(&s.text))?;
        }
    }
    if let Some(summary) = &report.summary {
        heading(out, "Summary")?;
        if summary.is_empty() {
            writeln!(out, "  (no sentences)")?;
        }
        for s in summary {
            paint(out, style, DIM, &format!("{:>4} ", s.index + 1))?;
            writeln!(out, "{}", one_line(&s.text))?;
        }
    }
    if let Some(keywords) = &report.keywords {
        heading(out, "Keywords")?;
        if keywords.is_empty() {
            writeln!(out, "  (none)")?;
        }
        for k in keywords {
            write!(out, "  ")?;
            paint(out, style, CYAN, &k.text)?;
            paint(out, style, DIM, &format!("  ×{}  {:.3}", k.count, k.score))?;
            writeln!(out)?;
        }
    }
    if let Some(entities) = &report.entities {
        heading(out, "Entities")?;
        if entities.is_empty() {
            writeln!(out, "  (none)")?;
        }
        for e in entities {
            write!(out, "  ")?;
            paint(out, style, YELLOW, &format!("{:<9}", e.kind))?;
            paint(out, style, GREEN, &e.text)?;
            if e.canonical != e.text {
                write!(out, " → {}", e.canonical)?;
            }
            paint(out, style, DIM, &format!("  ×{}", e.count))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// A sentence on one terminal line: inner line breaks shown as spaces.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_tsv(out: &mut dyn Write, report: &DocumentReport) -> io::Result<()> {
    let id = tsv_cell(&report.id);
    if let Some(error) = &report.error {
        return writeln!(out, "{id}\terror\t\t\t\t\t\t\t\t{}", tsv_cell(error));
    }
    for s in report.sentences.iter().flatten() {
        writeln!(
            out,
            "{id}\tsentence\t{}\t{}\t{}\t\t\t\t\t{}",
            s.index,
            s.start,
            s.end,
            tsv_cell(&s.text)
        )?;
    }
    for s in report.summary.iter().flatten() {
        writeln!(
            out,
            "{id}\tsummary\t{}\t{}\t{}\t{}\t\t\t\t{}",
            s.index,
            s.start,
            s.end,
            s.score,
            tsv_cell(&s.text)
        )?;
    }
    for (rank, k) in report.keywords.iter().flatten().enumerate() {
        writeln!(
            out,
            "{id}\tkeyword\t{rank}\t{}\t{}\t{}\t{}\t\t\t{}",
            k.start,
            k.end,
            k.score,
            k.count,
            tsv_cell(&k.text)
        )?;
    }
    for (rank, e) in report.entities.iter().flatten().enumerate() {
        let (start, end) = e.mentions.first().map_or((0, 0), |m| (m.start, m.end));
        writeln!(
            out,
            "{id}\tentity\t{rank}\t{start}\t{end}\t\t{}\t{}\t{}\t{}",
            e.count,
            e.kind,
            tsv_cell(&e.canonical),
            tsv_cell(&e.text)
        )?;
    }
    Ok(())
}

/// Escapes text for a Markdown table cell or list item.
fn markdown_inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(
            c,
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

fn write_markdown(out: &mut dyn Write, report: &DocumentReport) -> io::Result<()> {
    writeln!(out, "## {}\n", markdown_inline(&report.id))?;
    if let Some(error) = &report.error {
        return writeln!(out, "**Error:** {}\n", markdown_inline(error));
    }
    if let Some(sentences) = &report.sentences {
        writeln!(out, "### Sentences\n")?;
        for s in sentences {
            writeln!(out, "{}. {}", s.index + 1, markdown_inline(&s.text))?;
        }
        writeln!(out)?;
    }
    if let Some(summary) = &report.summary {
        writeln!(out, "### Summary\n")?;
        for s in summary {
            writeln!(out, "- {}", markdown_inline(&s.text))?;
        }
        writeln!(out)?;
    }
    if let Some(keywords) = &report.keywords {
        writeln!(out, "### Keywords\n")?;
        writeln!(out, "| keyword | count | score |\n| --- | ---: | ---: |")?;
        for k in keywords {
            writeln!(
                out,
                "| {} | {} | {:.3} |",
                markdown_inline(&k.text),
                k.count,
                k.score
            )?;
        }
        writeln!(out)?;
    }
    if let Some(entities) = &report.entities {
        writeln!(out, "### Entities\n")?;
        writeln!(
            out,
            "| entity | type | canonical | mentions |\n| --- | --- | --- | ---: |"
        )?;
        for e in entities {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                markdown_inline(&e.text),
                e.kind,
                markdown_inline(&e.canonical),
                e.count
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// One morpheme as `kosum tokenize` reports it in JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenItem {
    pub surface: String,
    /// The full tag (`NNP`, `VV+EP`).
    pub tag: String,
    /// The first tag of `tag`.
    pub pos: String,
    /// The semantic class (인명, 지명 …) where the dictionary has one.
    pub semantic: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// The result of `kosum tokenize` for one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenReport {
    pub schema: u32,
    pub id: String,
    pub tokens: Vec<TokenItem>,
    pub error: Option<String>,
}

impl TokenReport {
    pub fn from_morphemes(id: &str, text: &str, morphemes: &[Morpheme]) -> Self {
        let tokens = morphemes
            .iter()
            .map(|m| TokenItem {
                surface: m.surface(text).to_string(),
                tag: m.tag.to_string(),
                pos: m.tag.split('+').next().unwrap_or_default().to_string(),
                semantic: m.semantic.map(str::to_string),
                start: m.start,
                end: m.end,
            })
            .collect();
        Self {
            schema: SCHEMA_VERSION,
            id: id.to_string(),
            tokens,
            error: None,
        }
    }

    pub fn failure(id: &str, message: &str) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            id: id.to_string(),
            tokens: Vec::new(),
            error: Some(message.to_string()),
        }
    }
}

/// Writes a token listing. Text is MeCab-like: one `surface<TAB>tag,semantic`
/// line per morpheme (`*` where there is no semantic class), then `EOS`.
pub fn write_tokens(
    out: &mut dyn Write,
    report: &TokenReport,
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Json | Format::Jsonl => write_json_line(out, report, format == Format::Json),
        Format::Text => {
            if style.heading {
                paint(out, style, BOLD, &format!("== {} ==", report.id))?;
                writeln!(out)?;
            }
            if let Some(error) = &report.error {
                paint(out, style, RED, &format!("error: {error}"))?;
                return writeln!(out);
            }
            for t in &report.tokens {
                out.write_all(t.surface.as_bytes())?;
                out.write_all(b"\t")?;
                let features = format!("{},{}", t.tag, t.semantic.as_deref().unwrap_or("*"));
                paint(out, style, DIM, &features)?;
                writeln!(out)?;
            }
            writeln!(out, "EOS")
        }
        Format::Tsv => {
            let id = tsv_cell(&report.id);
            if let Some(error) = &report.error {
                return writeln!(out, "{id}\terror\t\t\t\t\t{}", tsv_cell(error));
            }
            for (index, t) in report.tokens.iter().enumerate() {
                writeln!(
                    out,
                    "{id}\t{index}\t{}\t{}\t{}\t{}\t{}",
                    t.start,
                    t.end,
                    t.tag,
                    t.semantic.as_deref().unwrap_or(""),
                    tsv_cell(&t.surface)
                )?;
            }
            Ok(())
        }
        Format::Markdown => {
            writeln!(out, "## {}\n", markdown_inline(&report.id))?;
            if let Some(error) = &report.error {
                return writeln!(out, "**Error:** {}\n", markdown_inline(error));
            }
            writeln!(
                out,
                "| surface | tag | semantic | start | end |\n| --- | --- | --- | ---: | ---: |"
            )?;
            for t in &report.tokens {
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    markdown_inline(&t.surface),
                    t.tag,
                    t.semantic.as_deref().unwrap_or(""),
                    t.start,
                    t.end
                )?;
            }
            writeln!(out)
        }
    }
}

/// Marks for [`write_highlight`] when colour is off: key sentences in
/// 【…】, keywords in **…**.
const SENTENCE_OPEN: &str = "【";
const SENTENCE_CLOSE: &str = "】";
const KEYWORD_MARK: &str = "**";

/// Byte spans of keyword occurrences to mark: every non-overlapping
/// occurrence of each keyword's text (longer keywords claim text first), and
/// its recorded first mention when the normalized text does not occur
/// verbatim.
fn keyword_spans(analysis: &Analysis<'_>) -> Vec<(usize, usize)> {
    let text = analysis.document.text;
    let mut keywords: Vec<&str> = analysis
        .keywords
        .iter()
        .map(|k| k.text.as_str())
        .filter(|k| !k.is_empty())
        .collect();
    keywords.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    // Bytes already inside a marked span, so marks never overlap.
    let mut claimed = vec![false; text.len()];
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut claim = |spans: &mut Vec<(usize, usize)>, start: usize, end: usize| {
        if !claimed[start..end].iter().any(|&taken| taken) {
            claimed[start..end]
                .iter_mut()
                .for_each(|taken| *taken = true);
            spans.push((start, end));
        }
    };
    for keyword in keywords {
        for (start, _) in text.match_indices(keyword) {
            claim(&mut spans, start, start + keyword.len());
        }
    }
    // First mentions whose normalized text differs from the surface.
    let mut counter = None;
    for k in &analysis.keywords {
        if k.end > k.start && !text.contains(k.text.as_str()) {
            let byte_of = counter.get_or_insert_with(|| byte_offsets(text));
            if let (Some(&start), Some(&end)) = (byte_of.get(k.start), byte_of.get(k.end)) {
                claim(&mut spans, start, end);
            }
        }
    }
    spans.sort_unstable();
    spans
}

/// The byte offset of every char offset of `text`, plus its end.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(byte, _)| byte)
        .chain([text.len()])
        .collect()
}

/// Writes the article with its summary sentences and keywords marked: ANSI
/// emphasis when `style.color`, otherwise 【sentence】 and **keyword**.
pub fn write_highlight(
    out: &mut dyn Write,
    id: &str,
    analysis: &Analysis<'_>,
    style: Style,
) -> io::Result<()> {
    let document = &analysis.document;
    let text = document.text;
    if style.heading {
        paint(out, style, BOLD, &format!("== {id} =="))?;
        writeln!(out)?;
    }
    let mut sentence_spans: Vec<(usize, usize)> = analysis
        .summary
        .iter()
        .filter_map(|chosen| document.sentences.get(chosen.index))
        .map(|s| (s.byte_start, s.byte_end))
        .collect();
    sentence_spans.sort_unstable();
    sentence_spans.dedup();
    // A keyword mark never crosses a sentence mark's edge.
    let keyword_spans: Vec<(usize, usize)> = keyword_spans(analysis)
        .into_iter()
        .filter(|&(start, end)| {
            sentence_spans
                .iter()
                .all(|&(s, e)| end <= s || start >= e || (s <= start && end <= e))
        })
        .collect();
    let (sentence_on, sentence_off) = if style.color {
        ("\x1b[1;33m", RESET)
    } else {
        (SENTENCE_OPEN, SENTENCE_CLOSE)
    };
    let keyword_on = if style.color {
        "\x1b[4;36m"
    } else {
        KEYWORD_MARK
    };
    let mut boundaries: Vec<usize> = sentence_spans
        .iter()
        .chain(&keyword_spans)
        .flat_map(|&(s, e)| [s, e])
        .chain([0, text.len()])
        .collect();
    boundaries.sort_unstable();
    boundaries.dedup();
    let starts_at =
        |spans: &[(usize, usize)], at: usize| spans.binary_search_by(|&(s, _)| s.cmp(&at)).is_ok();
    let ends_at =
        |spans: &[(usize, usize)], at: usize| spans.binary_search_by(|&(_, e)| e.cmp(&at)).is_ok();
    let mut in_sentence = false;
    let mut in_keyword = false;
    for pair in boundaries.windows(2) {
        let (at, next) = (pair[0], pair[1]);
        if in_keyword && ends_at(&keyword_spans, at) {
            if style.color {
                out.write_all(RESET.as_bytes())?;
                if in_sentence {
                    out.write_all(sentence_on.as_bytes())?;
                }
            } else {
                out.write_all(keyword_on.as_bytes())?;
            }
            in_keyword = false;
        }
        if in_sentence && ends_at(&sentence_spans, at) {
            out.write_all(sentence_off.as_bytes())?;
            in_sentence = false;
        }
        if starts_at(&sentence_spans, at) {
            out.write_all(sentence_on.as_bytes())?;
            in_sentence = true;
        }
        if starts_at(&keyword_spans, at) {
            out.write_all(keyword_on.as_bytes())?;
            in_keyword = true;
        }
        out.write_all(&text.as_bytes()[at..next])?;
    }
    if in_keyword {
        out.write_all(if style.color { RESET } else { KEYWORD_MARK }.as_bytes())?;
    }
    if in_sentence {
        out.write_all(sentence_off.as_bytes())?;
    }
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Document;
    use crate::entities::{Entity, EntityType};
    use crate::keywords::Keyword;
    use crate::sentences::Sentence;
    use crate::summary::SummarySentence;

    const TEXT: &str = "애저가 컸다. 오픈AI는 애저를 쓴다.";

    /// A two-sentence analysis built by hand: the second sentence is the
    /// summary, 애저 the keyword, 오픈AI an entity.
    fn analysis() -> Analysis<'static> {
        let sentence = |index: usize, start: usize, end: usize| {
            let byte_start = TEXT
                .char_indices()
                .nth(start)
                .map_or(TEXT.len(), |(b, _)| b);
            let byte_end = TEXT.char_indices().nth(end).map_or(TEXT.len(), |(b, _)| b);
            Sentence {
                index,
                start,
                end,
                byte_start,
                byte_end,
                morphemes: 0..0,
            }
        };
        Analysis {
            document: Document {
                text: TEXT,
                view: TEXT.into(),
                addresses: Vec::new(),
                morphemes: Vec::new(),
                sentences: vec![sentence(0, 0, 7), sentence(1, 8, 22)],
            },
            summary: vec![SummarySentence {
                index: 1,
                score: 0.123_456_789,
            }],
            keywords: vec![Keyword {
                text: "애저".into(),
                score: 0.5,
                count: 2,
                start: 0,
                end: 2,
            }],
            entities: vec![Entity {
                text: "오픈AI".into(),
                kind: EntityType::Org,
                canonical: "OpenAI".into(),
                mentions: vec![Mention { start: 8, end: 12 }],
            }],
        }
    }

    fn render(report: &DocumentReport, format: Format) -> String {
        let mut out = Vec::new();
        write_report(&mut out, report, format, Style::default()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_follows_schema_v1_with_only_the_requested_fields() {
        let all = DocumentReport::from_analysis("a.txt", &analysis(), Fields::ALL);
        assert_eq!(
            render(&all, Format::Jsonl),
            concat!(
                r#"{"schema":1,"id":"a.txt","#,
                r#""sentences":[{"index":0,"text":"애저가 컸다.","start":0,"end":7},"#,
                r#"{"index":1,"text":"오픈AI는 애저를 쓴다.","start":8,"end":22}],"#,
                r#""summary":[{"index":1,"text":"오픈AI는 애저를 쓴다.","score":0.123457,"start":8,"end":22}],"#,
                r#""keywords":[{"text":"애저","score":0.5,"count":2,"start":0,"end":2}],"#,
                r#""entities":[{"text":"오픈AI","type":"ORG","canonical":"OpenAI","count":1,"mentions":[{"start":8,"end":12}]}],"#,
                r#""error":null}"#,
                "\n"
            )
        );
        let keywords = DocumentReport::from_analysis("a.txt", &analysis(), Fields::KEYWORDS);
        assert_eq!(
            render(&keywords, Format::Jsonl),
            "{\"schema\":1,\"id\":\"a.txt\",\"keywords\":[{\"text\":\"애저\",\"score\":0.5,\"count\":2,\"start\":0,\"end\":2}],\"error\":null}\n"
        );
    }

    #[test]
    fn a_failure_has_its_error_and_empty_fields() {
        let failed = DocumentReport::failure("b.txt", "not UTF-8", Fields::SUMMARY);
        assert_eq!(
            render(&failed, Format::Jsonl),
            "{\"schema\":1,\"id\":\"b.txt\",\"summary\":[],\"error\":\"not UTF-8\"}\n"
        );
        assert_eq!(
            render(&failed, Format::Tsv),
            "b.txt\terror\t\t\t\t\t\t\t\tnot UTF-8\n"
        );
    }

    #[test]
    fn scores_json_cannot_hold_become_zero() {
        assert_eq!(tidy_score(f64::NAN), 0.0);
        assert_eq!(tidy_score(f64::INFINITY), 0.0);
        assert_eq!(tidy_score(0.333_333_49), 0.333_333);
    }

    #[test]
    fn tsv_has_one_row_per_item_with_escaped_text() {
        let mut report = DocumentReport::from_analysis("a\tb", &analysis(), Fields::ALL);
        if let Some(sentences) = &mut report.sentences {
            sentences[0].text = "줄\n바꿈".into();
        }
        let tsv = render(&report, Format::Tsv);
        let rows: Vec<&str> = tsv.lines().collect();
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|row| row.split('\t').count() == 10));
        assert_eq!(rows[0], "a\\tb\tsentence\t0\t0\t7\t\t\t\t\t줄\\n바꿈");
        assert_eq!(rows[3], "a\\tb\tkeyword\t0\t0\t2\t0.5\t2\t\t\t애저");
        assert_eq!(rows[4], "a\\tb\tentity\t0\t8\t12\t\t1\tORG\tOpenAI\t오픈AI");
        assert_eq!(TSV_HEADER.split('\t').count(), 10);
    }

    #[test]
    fn text_and_markdown_show_every_part() {
        let report = DocumentReport::from_analysis("a.txt", &analysis(), Fields::ALL);
        let text = render(&report, Format::Text);
        assert!(
            text.contains("Summary\n   2 오픈AI는 애저를 쓴다.\n"),
            "{text}"
        );
        assert!(text.contains("  애저  ×2  0.500\n"), "{text}");
        assert!(text.contains("  ORG      오픈AI → OpenAI  ×1\n"), "{text}");
        assert!(!text.contains("Sentences"), "{text}");
        let markdown = render(&report, Format::Markdown);
        assert!(markdown.starts_with("## a.txt\n"));
        assert!(markdown.contains("| 오픈AI | ORG | OpenAI | 1 |"));
        assert!(markdown.contains("- 오픈AI는 애저를 쓴다.\n"));
    }

    #[test]
    fn highlight_marks_summary_sentences_and_every_keyword_occurrence() {
        let mut out = Vec::new();
        write_highlight(&mut out, "a.txt", &analysis(), Style::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "**애저**가 컸다. 【오픈AI는 **애저**를 쓴다.】\n"
        );
        let mut colored = Vec::new();
        let style = Style {
            color: true,
            heading: false,
        };
        write_highlight(&mut colored, "a.txt", &analysis(), style).unwrap();
        assert_eq!(
            String::from_utf8(colored).unwrap(),
            "\x1b[4;36m애저\x1b[0m가 컸다. \x1b[1;33m오픈AI는 \x1b[4;36m애저\x1b[0m\x1b[1;33m를 쓴다.\x1b[0m\n"
        );
    }

    #[test]
    fn tokens_print_like_mecab() {
        let report = TokenReport {
            schema: SCHEMA_VERSION,
            id: "-".into(),
            tokens: vec![TokenItem {
                surface: "서울".into(),
                tag: "NNP".into(),
                pos: "NNP".into(),
                semantic: Some("지명".into()),
                start: 0,
                end: 2,
            }],
            error: None,
        };
        let mut out = Vec::new();
        write_tokens(&mut out, &report, Format::Text, Style::default()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "서울\tNNP,지명\nEOS\n");
    }
}
