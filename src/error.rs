//! The library's error type. Every variant names the input or resource it is
//! about and, where the user can act, what to do.

use std::path::PathBuf;

/// Errors kosum's library reports. The binary adds the file or stream being
/// processed as context before printing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A dictionary data file (ours in `dict/`, or one given with
    /// `--user-dict`/`--idf`) has a malformed line.
    #[error("{source_name}, line {line}: {message}")]
    DataFormat {
        source_name: String,
        line: usize,
        message: String,
    },

    /// The embedded Korean dictionary could not be loaded. This means the
    /// binary itself is broken (for example a stale build cache).
    #[error(
        "the embedded Korean dictionary could not be loaded ({0}); rebuild kosum with `cargo build --release`"
    )]
    Dictionary(String),

    /// The user dictionary could not be compiled.
    #[error("the user dictionary could not be built: {0}")]
    UserDictionary(String),

    /// Morphological analysis failed on an input.
    #[error("morphological analysis failed: {0}")]
    Tokenize(String),

    /// Input bytes that are not text kosum can read.
    #[error("{0}")]
    Encoding(String),

    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// A [`Error::DataFormat`] for line `line` of `source_name`.
    pub(crate) fn data_format(source_name: &str, line: usize, message: impl Into<String>) -> Self {
        Error::DataFormat {
            source_name: source_name.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// Result with kosum's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
