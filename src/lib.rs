//! kosum: key sentences, keywords and named entities of Korean text.
//!
//! The library is a pipeline of small stages, each a module with a typed
//! interface that can be used and tested alone:
//!
//! text → [`normalize`] → [`tokenize`] (lindera + mecab-ko-dic + our terms)
//! → [`sentences`] → [`candidates`] → [`scoring`] → [`keywords`],
//! [`summary`], [`entities`] → [`output`].
//!
//! [`addresses`] finds e-mail addresses and URLs once per document
//! ([`analysis::Document::addresses`]) for the splitter, the candidates and
//! the entities.
//!
//! [`analysis::Analyzer`] runs the whole pipeline once per document; the
//! `kosum` binary only parses arguments, reads inputs and writes results.

pub mod addresses;
pub mod analysis;
pub mod candidates;
pub mod entities;
pub mod error;
pub mod eval;
pub mod keywords;
pub mod normalize;
pub mod output;
pub mod resources;
pub mod scoring;
pub mod sections;
pub mod sentences;
pub mod summary;
pub mod tokenize;

pub use error::{Error, Result};
