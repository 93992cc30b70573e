//! Provisions the Korean dictionary mecab-ko-dic as a lindera 6.2 dictionary.
//!
//! kosum embeds mecab-ko-dic in its binary through lindera. lindera-ko-dic's
//! own download needs the open web, so this crate takes mecab-ko-dic's
//! *compiled MeCab binaries* instead (from `KOSUM_MECAB_KO_DIC`, the cache,
//! or the PyPI package `python-mecab-ko-dic==2.1.1.post2`), decompiles them
//! back to MeCab source form and builds that with lindera-dictionary's
//! `DictionaryBuilder`. The result is cached per user.
//!
//! # Use from a build script
//!
//! ```no_run
//! # fn main() -> Result<(), kosum_kodic::Error> {
//! let dict = kosum_kodic::ensure_dictionary(&kosum_kodic::Options::from_env())?;
//! for var in kosum_kodic::ENV_VARS {
//!     println!("cargo:rerun-if-env-changed={var}");
//! }
//! for event in &dict.events {
//!     println!("cargo:warning=ko-dic: {event}");
//! }
//! for path in &dict.rerun_if_changed {
//!     println!("cargo:rerun-if-changed={}", path.display());
//! }
//! // dict.workdir contains ko-dic/ (lindera's files and kosum-context-ids.tsv).
//! println!("cargo:rustc-env=LINDERA_WORKDIR={}", dict.workdir.display());
//! # Ok(())
//! # }
//! ```
//!
//! # Public API
//!
//! * [`ensure_dictionary`]`(&Options) -> Result<Provisioned, Error>`: find,
//!   download, decompile, build and cache as needed ([`provision`] explains
//!   the order and the cache layout).
//! * [`Options`]: `mecab_ko_dic`, `cache_dir`, `download`, `python`;
//!   [`Options::from_env`] reads [`ENV_VARS`].
//! * [`Provisioned`]: `workdir`, `dictionary_dir`, `context_ids`, `key`,
//!   `origin`, `events`, `rerun_if_changed`.
//! * [`Error`]: every failure, with what failed, which file and what to do.
//! * Lower level: [`decompile::decompile_dir`] (MeCab binaries to MeCab
//!   source), [`build::build_from_binaries`] (binaries to a built folder),
//!   [`context_ids`] (the `kosum-context-ids.tsv` table and its parser),
//!   [`context_freq`] (the context-id usage estimate lindera renumbers
//!   context ids by),
//!   [`provision::locate_binaries`] (find binaries without downloading),
//!   [`prune`] (the entries no best path can use, left out of the build),
//!   [`trie_values`] (the `kosum-trie-values.bin` table of entry ranges by
//!   trie node) and [`trie_layout`] (how that table and lindera's trie are
//!   laid out, shared with kosum's tokenizer).
//!
//! # Environment
//!
//! | variable             | meaning                                                     |
//! |----------------------|-------------------------------------------------------------|
//! | `KOSUM_MECAB_KO_DIC` | folder with `sys.dic`, `unk.dic`, `char.bin`, `matrix.bin`  |
//! | `KOSUM_CACHE_DIR`    | cache folder (default `$XDG_CACHE_HOME/kosum`, then `$HOME/.cache/kosum`) |

pub mod build;
pub mod context_freq;
pub mod context_ids;
pub mod decompile;
pub mod error;
pub mod provision;
pub mod prune;
pub mod trie_layout;
pub mod trie_values;

#[cfg(test)]
mod testutil;

pub use error::{Error, Result};
pub use provision::{ENV_VARS, Options, Origin, Provisioned, ensure_dictionary};
