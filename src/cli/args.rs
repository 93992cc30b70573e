//! The command line as clap sees it: commands, options, help texts and
//! examples. Kept apart from what the commands do so `--help` reads as one
//! page of the interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const MAIN_EXAMPLES: &str = "\
Examples:
  kosum article.txt                      summary, keywords and entities of one article
  pbpaste | kosum                        the same for a pasted article (or: kosum < article.txt)
  kosum --highlight article.txt          the article with key sentences and keywords marked
  kosum news/ > results.jsonl            every .txt/.md file under news/, one JSON line each
  kosum news/ -o results/                one result file per input, mirroring news/
  kosum --glob '*.html' crawl/           choose which files of a folder are read
  cat docs.jsonl | kosum --input-format jsonl --format jsonl
                                         a stream of {\"id\",\"text\"} lines, answered line by line
  kosum -n 5 -k 20 --format markdown article.txt

Exit status: 0 when every input was analysed, 1 when some failed (each is reported on
stderr and in its result's \"error\"), 2 for usage or setup errors.";

/// Key sentences, keywords and named entities of Korean text.
#[derive(Debug, Parser)]
#[command(
    name = "kosum",
    version,
    about,
    long_about = "Key sentences, keywords and named entities of Korean text.\n\n\
        INPUT is a file, a folder (read recursively: .txt and .md files by default), or `-` for \
        standard input; with no INPUT kosum reads standard input until end of file.",
    after_help = MAIN_EXAMPLES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub summary: SummaryArgs,

    #[command(flatten)]
    pub keywords: KeywordArgs,

    #[command(flatten)]
    pub highlight: HighlightArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Key sentences only.
    #[command(
        after_help = "Examples:\n  kosum summarize -n 2 article.txt\n  kosum summarize --ratio 0.2 --format jsonl news/\n  kosum summarize --max-chars 300 --highlight article.txt"
    )]
    Summarize {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        summary: SummaryArgs,
        #[command(flatten)]
        highlight: HighlightArgs,
    },
    /// Keywords and keyphrases only.
    #[command(
        after_help = "Examples:\n  kosum keywords -k 5 article.txt\n  kosum keywords --format tsv news/ > keywords.tsv"
    )]
    Keywords {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        keywords: KeywordArgs,
        #[command(flatten)]
        highlight: HighlightArgs,
    },
    /// Named entities only.
    #[command(
        after_help = "Examples:\n  kosum entities article.txt\n  kosum entities --format jsonl news/ | jq -c '.entities[] | {text, type}'"
    )]
    Entities {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Sentences only.
    #[command(
        after_help = "Examples:\n  kosum split article.txt\n  kosum split --format jsonl news/"
    )]
    Split {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Morphemes: surface, part-of-speech tag and offsets.
    #[command(
        after_help = "Examples:\n  echo '마이크로소프트가 오픈AI에 1억 달러를 투자했다.' | kosum tokenize\n  kosum tokenize --format json article.txt\n\n\
        Text output is MeCab-like: one `surface<TAB>tag,semantic` line per morpheme, then EOS."
    )]
    Tokenize {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Score kosum against gold data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Inverse document frequencies learned from a folder.
    #[command(subcommand)]
    Idf(IdfCommand),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  kosum completions bash > ~/.local/share/bash-completion/completions/kosum\n  kosum completions zsh > ~/.zfunc/_kosum\n  kosum completions fish > ~/.config/fish/completions/kosum.fish"
    )]
    Completions {
        /// The shell to print the script for.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Sentence boundaries against a folder of gold splits.
    Split {
        /// The gold folder.
        dir: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Extractive summaries against gold JSONL.
    Summary {
        /// The gold JSONL file.
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// The ranking to score (textrank, lexrank, lead, centroid).
        #[arg(long, value_name = "METHOD", default_value = "textrank")]
        method: kosum::summary::SummaryMethod,
    },
    /// Named entities against gold TSV.
    Ner {
        /// The gold TSV file.
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum IdfCommand {
    /// Count document frequencies over a folder and write them to a file for `--idf`.
    #[command(
        after_help = "Example:\n  kosum idf build news/ -o news.idf\n  kosum keywords --idf news.idf news/today/"
    )]
    Build {
        /// The folder of documents (.txt and .md files, recursively).
        dir: PathBuf,
        /// Where to write the table.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// For people (the default on a terminal).
    Text,
    /// One JSON object per document (one document; several come out as jsonl).
    Json,
    /// One JSON object per line per document.
    Jsonl,
    /// Tab-separated rows with a header.
    Tsv,
    /// Markdown sections.
    Markdown,
}

/// How inputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum InputFormat {
    /// Each input is one document.
    #[default]
    Text,
    /// Each line of each input is one JSON document {"id": ..., "text": ...}.
    Jsonl,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options every analysing command takes.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Files, folders (read recursively), or `-` for standard input [default: standard input].
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Output format [default: text on a terminal, else json for one document, jsonl for several].
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// How inputs are read: whole documents, or one JSON document per line.
    #[arg(long, value_enum, default_value_t = InputFormat::Text, value_name = "FORMAT")]
    pub input_format: InputFormat,

    /// With --input-format jsonl: the field holding a document's id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// With --input-format jsonl: the field holding a document's text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// Input is already split: one sentence per line (never re-split).
    #[arg(long)]
    pub sentences_per_line: bool,

    /// Which files of a folder to read (repeatable; matched against the path below the folder).
    #[arg(long, value_name = "GLOB", default_values_t = ["*.txt".to_string(), "*.md".to_string()])]
    pub glob: Vec<String>,

    /// Write one result file per input into DIR (mirroring folders), each atomically.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Worker threads [default: one per CPU].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// More terms for the tokenizer and entity gazetteer, in dict/terms.tsv format (repeatable).
    #[arg(long, value_name = "FILE")]
    pub user_dict: Vec<PathBuf>,

    /// Do not use kosum's own tech-term dictionary.
    #[arg(long)]
    pub no_default_dict: bool,

    /// No progress bar, warnings or final summary line on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Summary length.
#[derive(Debug, Args, Clone)]
pub struct SummaryArgs {
    /// Summary length in sentences.
    #[arg(short = 'n', long = "sentences", value_name = "K", default_value_t = 3,
          conflicts_with_all = ["ratio", "max_chars"])]
    pub sentences: usize,

    /// Summary length as a share of the document's sentences (0 < R ≤ 1).
    #[arg(long, value_name = "R", value_parser = parse_ratio, conflicts_with = "max_chars")]
    pub ratio: Option<f64>,

    /// Summary length in characters: as many key sentences as fit.
    #[arg(long, value_name = "C")]
    pub max_chars: Option<usize>,

    /// How sentences are ranked: textrank (default), lexrank, or the
    /// baselines lead and centroid.
    #[arg(long, value_name = "METHOD", default_value = "textrank")]
    pub method: kosum::summary::SummaryMethod,

    /// Favour sentences that mention the document's keywords: 0 (default)
    /// is off, 0.5 is strong.
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    pub keyword_weight: f64,
}

/// Keyword count and statistics.
#[derive(Debug, Args, Clone)]
pub struct KeywordArgs {
    /// How many keywords.
    #[arg(short = 'k', long = "top", value_name = "K", default_value_t = 10)]
    pub top: usize,

    /// Document frequencies from a file written by `kosum idf build` instead of general Korean statistics.
    #[arg(long, value_name = "FILE")]
    pub idf: Option<PathBuf>,
}

/// The highlighted-article view.
#[derive(Debug, Args, Clone)]
pub struct HighlightArgs {
    /// Print the article with key sentences and keywords marked (colour on a terminal, else 【sentence】 and **keyword**).
    #[arg(long)]
    pub highlight: bool,
}

fn parse_ratio(value: &str) -> Result<f64, String> {
    let ratio: f64 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a number"))?;
    if ratio > 0.0 && ratio <= 1.0 {
        Ok(ratio)
    } else {
        Err(format!(
            "the ratio must be above 0 and at most 1, not {value}"
        ))
    }
}
