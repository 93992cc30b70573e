//! Decompiles MeCab's compiled dictionary binaries back to MeCab source form.
//!
//! MeCab's `mecab-dict-index` turns a dictionary's text sources (`*.csv`,
//! `unk.def`, `char.def`, `matrix.def`) into four binaries: `sys.dic`,
//! `unk.dic`, `char.bin` and `matrix.bin`. lindera builds its own format from
//! the text sources, so this module reads the binaries and writes the text
//! sources again:
//!
//! | binary       | parsed by            | written as                         |
//! |--------------|----------------------|------------------------------------|
//! | `sys.dic`    | [`parse_dic`]        | `lex.csv` (lindera ko-dic CSV)     |
//! | `unk.dic`    | [`parse_dic`]        | `unk.def`                          |
//! | `char.bin`   | [`parse_char_bin`]   | `char.def`                         |
//! | `matrix.bin` | [`parse_matrix_bin`] | `matrix.def`                       |
//!
//! [`decompile_dir`] does all four with the cross-checks between them, and
//! writes the context-id usage histogram ([`crate::context_freq`]) beside
//! them.
//!
//! # `sys.dic` / `unk.dic`
//!
//! A header of ten little-endian `u32` (magic, version, type, lexsize,
//! lsize, rsize, dsize, tsize, fsize, dummy) and a 32-byte NUL-padded charset
//! name, then `dsize` bytes of a Darts double array (units of `i32 base`,
//! `u32 check`), `tsize` bytes of 16-byte tokens (`u16 left id`, `u16 right
//! id`, `u16 pos id`, `i16 cost`, `u32 feature offset`, `u32 compound`) and
//! `fsize` bytes of NUL-terminated feature strings. `magic ^ 0xef718f77` is
//! the file size. In the double array the child of the node with base `b` by
//! byte `c` is unit `b + c + 1` when that unit's check is `b`; a key ends at a
//! node with base `b` when unit `b` has check `b` and a negative base, whose
//! value `-base - 1` is `first token << 8 | token count`.
//!
//! The trie is walked without probing all 256 bytes per node: units are
//! bucketed by their check value once, so a node's children are exactly the
//! units of its base's bucket that lie in `b + 1 ..= b + 256`. Every base may
//! be visited once only, which bounds the walk by the number of units and
//! turns a cyclic (corrupt) array into an error instead of an endless loop.
//!
//! # `char.bin`
//!
//! A `u32` category count, that many 32-byte NUL-padded names, then one
//! `u32` per code point `0..0xFFFF`, with bit fields from the least
//! significant bit: category set (18 bits), default category (8), length (4),
//! group (1), invoke (1). A category's invoke/group/length are those of the
//! code points it is the default category of.
//!
//! # `matrix.bin`
//!
//! `u16 lsize`, `u16 rsize`, then `lsize * rsize` `i16` costs, the cost of a
//! word with right id `l` followed by a word with left id `r` at `l + lsize *
//! r`. `matrix.def` holds the same: `lsize rsize`, then `l r cost` lines,
//! which is also the order lindera reads (`forward backward cost`).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use lindera_dictionary::space_penalty::SpacePenaltyConfig;

use crate::context_freq::{ContextIdFrequency, HISTOGRAM_FILE, LexiconEntry};
use crate::context_ids::ContextIdStats;
use crate::error::{Error, Result};

/// Version of the decompiler's output format. Part of the cache key: bump it
/// whenever the source text this module writes, the context-id table
/// ([`crate::context_ids`]) or the context-id usage estimate
/// ([`crate::context_freq`]) changes, so that no dictionary built from older
/// output is reused.
///
/// 2: context-id usage histogram added (lindera renumbers context ids).
/// 3: entries no best path can use left out of `lex.csv` ([`crate::prune`]).
pub const DECOMPILER_FORMAT_VERSION: u32 = 3;

/// The four compiled files a mecab-ko-dic installation must provide.
pub const BINARY_FILES: [&str; 4] = ["sys.dic", "unk.dic", "char.bin", "matrix.bin"];

/// The lexicon file written by [`decompile_dir`].
pub const LEXICON_FILE: &str = "lex.csv";

/// Number of feature fields of a mecab-ko-dic entry: POS, semantic class,
/// jongseong, reading, type, first POS, last POS, expression.
pub const FEATURE_FIELDS: usize = 8;

/// `magic ^ DIC_MAGIC_XOR` is the size of a MeCab dictionary file.
const DIC_MAGIC_XOR: u32 = 0xef71_8f77;
/// The only MeCab dictionary version there is (MeCab 0.99x).
const DIC_VERSION: u32 = 102;
const DIC_HEADER_LEN: usize = 10 * 4 + 32;
const UNIT_LEN: usize = 8;
const TOKEN_LEN: usize = 16;
/// Number of code points `char.bin` describes (MeCab writes `0xffff`).
const CHAR_TABLE_LEN: usize = 0xFFFF;
const CHAR_NAME_LEN: usize = 32;
/// Bits of the category set in a `CharInfo`.
const MAX_CATEGORIES: usize = 18;

/// Kind of a MeCab dictionary file (the header's `type` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DicKind {
    /// `sys.dic`, the system lexicon.
    System,
    /// A compiled user dictionary.
    User,
    /// `unk.dic`, the unknown-word entries keyed by character category.
    Unknown,
}

/// The header of a `sys.dic` or `unk.dic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DicHeader {
    /// File version (always 102).
    pub version: u32,
    /// What the file holds.
    pub kind: DicKind,
    /// Number of tokens (entries).
    pub lexsize: u32,
    /// Number of right context ids (the matrix's first dimension).
    pub lsize: u32,
    /// Number of left context ids (the matrix's second dimension).
    pub rsize: u32,
    /// Bytes of the double array.
    pub dsize: u32,
    /// Bytes of the token array.
    pub tsize: u32,
    /// Bytes of the feature strings.
    pub fsize: u32,
    /// Charset the file was compiled in, e.g. `UTF-8`.
    pub charset: String,
}

/// One decompiled entry of a `sys.dic` or `unk.dic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DicEntry<'a> {
    /// The key: the surface form (or, in `unk.dic`, the category name).
    pub surface: String,
    /// Left context id.
    pub left_id: u16,
    /// Right context id.
    pub right_id: u16,
    /// MeCab's `pos-id.def` id (not used by lindera).
    pub pos_id: u16,
    /// Word cost.
    pub cost: i16,
    /// The feature string, still CSV-encoded as MeCab stores it.
    pub feature: &'a str,
}

/// A decompiled `sys.dic` or `unk.dic`.
#[derive(Debug, Clone)]
pub struct Dic<'a> {
    /// The file's header.
    pub header: DicHeader,
    /// Entries in key order (bytewise), tokens of one key in stored order.
    pub entries: Vec<DicEntry<'a>>,
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn read_i32(bytes: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn read_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn nul_terminated(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

/// Parses and checks the header of a MeCab dictionary file.
///
/// `path` only names the file in error messages.
pub fn parse_dic_header(bytes: &[u8], path: &Path) -> Result<DicHeader> {
    if bytes.len() < DIC_HEADER_LEN {
        return Err(Error::corrupt(
            path,
            format!(
                "the file has {} bytes, fewer than the {DIC_HEADER_LEN}-byte header",
                bytes.len()
            ),
        ));
    }
    let field = |i: usize| read_u32(bytes, i * 4);
    let magic = field(0);
    let expected_len = magic ^ DIC_MAGIC_XOR;
    if expected_len as usize != bytes.len() {
        return Err(Error::corrupt(
            path,
            format!(
                "the header's magic number says the file has {expected_len} bytes but it has {} \
                 (truncated, or not a MeCab dictionary)",
                bytes.len()
            ),
        ));
    }
    let version = field(1);
    if version != DIC_VERSION {
        return Err(Error::corrupt(
            path,
            format!("unknown dictionary version {version} (expected {DIC_VERSION})"),
        ));
    }
    let kind = match field(2) {
        0 => DicKind::System,
        1 => DicKind::User,
        2 => DicKind::Unknown,
        other => {
            return Err(Error::corrupt(
                path,
                format!("unknown dictionary type {other}"),
            ));
        }
    };
    let (lexsize, lsize, rsize, dsize, tsize, fsize) =
        (field(3), field(4), field(5), field(6), field(7), field(8));
    let total = DIC_HEADER_LEN as u64 + u64::from(dsize) + u64::from(tsize) + u64::from(fsize);
    if total != bytes.len() as u64 {
        return Err(Error::corrupt(
            path,
            format!(
                "header sizes (double array {dsize}, tokens {tsize}, features {fsize} bytes) \
                 add up to {total} bytes but the file has {}",
                bytes.len()
            ),
        ));
    }
    if !(dsize as usize).is_multiple_of(UNIT_LEN) || (dsize as usize) < UNIT_LEN {
        return Err(Error::corrupt(
            path,
            format!("double array size {dsize} is not a positive multiple of {UNIT_LEN}"),
        ));
    }
    if !(tsize as usize).is_multiple_of(TOKEN_LEN)
        || u64::from(tsize) / TOKEN_LEN as u64 != u64::from(lexsize)
    {
        return Err(Error::corrupt(
            path,
            format!("token array size {tsize} does not hold exactly lexsize = {lexsize} tokens"),
        ));
    }
    if lsize == 0 || rsize == 0 || lsize > u32::from(u16::MAX) || rsize > u32::from(u16::MAX) {
        return Err(Error::corrupt(
            path,
            format!("context id counts lsize = {lsize}, rsize = {rsize} are out of range"),
        ));
    }
    let charset = std::str::from_utf8(nul_terminated(&bytes[40..DIC_HEADER_LEN]))
        .map_err(|_| Error::corrupt(path, "the charset name is not ASCII"))?
        .to_string();
    Ok(DicHeader {
        version,
        kind,
        lexsize,
        lsize,
        rsize,
        dsize,
        tsize,
        fsize,
        charset,
    })
}

/// Decompiles a `sys.dic` or `unk.dic` held in `bytes`.
///
/// Checks every bound: a truncated or corrupt file gives [`Error::Corrupt`],
/// never a panic or an endless walk. Every token must be reachable from the
/// trie exactly once. `path` only names the file in error messages.
pub fn parse_dic<'a>(bytes: &'a [u8], path: &Path) -> Result<Dic<'a>> {
    let header = parse_dic_header(bytes, path)?;
    if !header.charset.eq_ignore_ascii_case("UTF-8") && !header.charset.eq_ignore_ascii_case("UTF8")
    {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            detail: format!(
                "the dictionary was compiled in charset {:?}; only UTF-8 is supported",
                header.charset
            ),
        });
    }
    let darts_start = DIC_HEADER_LEN;
    let tokens_start = darts_start + header.dsize as usize;
    let features_start = tokens_start + header.tsize as usize;
    let darts = &bytes[darts_start..tokens_start];
    let tokens = &bytes[tokens_start..features_start];
    let features = &bytes[features_start..];
    let token_count = header.lexsize as usize;

    let keys = walk_double_array(darts, token_count, path)?;

    let mut entries = Vec::with_capacity(token_count);
    for (surface, first, count) in keys {
        for index in first..first + count {
            let at = index * TOKEN_LEN;
            let left_id = read_u16(tokens, at);
            let right_id = read_u16(tokens, at + 2);
            let pos_id = read_u16(tokens, at + 4);
            let cost = read_u16(tokens, at + 6) as i16;
            let feature_offset = read_u32(tokens, at + 8) as usize;
            if u32::from(left_id) >= header.rsize || u32::from(right_id) >= header.lsize {
                return Err(Error::corrupt(
                    path,
                    format!(
                        "token {index} ({surface:?}) has context ids left {left_id}, right \
                         {right_id} outside the {} x {} matrix",
                        header.rsize, header.lsize
                    ),
                ));
            }
            if feature_offset >= features.len() {
                return Err(Error::corrupt(
                    path,
                    format!(
                        "token {index} ({surface:?}) points at feature offset {feature_offset}, \
                         past the {}-byte feature area",
                        features.len()
                    ),
                ));
            }
            let rest = &features[feature_offset..];
            let Some(end) = rest.iter().position(|&b| b == 0) else {
                return Err(Error::corrupt(
                    path,
                    format!("the feature of token {index} ({surface:?}) is not NUL-terminated"),
                ));
            };
            let feature = std::str::from_utf8(&rest[..end]).map_err(|_| {
                Error::corrupt(
                    path,
                    format!("the feature of token {index} ({surface:?}) is not valid UTF-8"),
                )
            })?;
            entries.push(DicEntry {
                surface: surface.clone(),
                left_id,
                right_id,
                pos_id,
                cost,
                feature,
            });
        }
    }
    Ok(Dic { header, entries })
}

/// Walks the whole double array; returns `(key, first token, token count)`
/// for every key, in bytewise key order.
fn walk_double_array(
    darts: &[u8],
    token_count: usize,
    path: &Path,
) -> Result<Vec<(String, usize, usize)>> {
    let units = darts.len() / UNIT_LEN;
    let base = |i: usize| read_i32(darts, i * UNIT_LEN);
    let check = |i: usize| read_u32(darts, i * UNIT_LEN + 4);

    // Bucket units 1.. by their check value (a counting sort), so that the
    // candidates for children of base `b` are `by_check[start[b]..start[b+1]]`,
    // in increasing unit order. Units whose check is not a unit index cannot
    // be anyone's child and are left out.
    let mut start = vec![0u32; units + 1];
    for unit in 1..units {
        let c = check(unit) as usize;
        if c < units {
            start[c + 1] += 1;
        }
    }
    for i in 0..units {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut by_check = vec![0u32; start[units] as usize];
    for unit in 1..units {
        let c = check(unit) as usize;
        if c < units {
            by_check[fill[c] as usize] = unit as u32;
            fill[c] += 1;
        }
    }
    drop(fill);

    let mut visited = vec![false; units];
    let mut claimed = vec![false; token_count];
    let mut claimed_count = 0usize;
    let mut keys: Vec<(String, usize, usize)> = Vec::new();
    let mut key: Vec<u8> = Vec::new();

    // Depth-first: each frame is (base, next candidate position in its bucket).
    let root = base(0);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let enter = |b: i32, visited: &mut [bool]| -> Result<usize> {
        if b < 0 || b as usize >= units {
            return Err(Error::corrupt(
                path,
                format!(
                    "the double array has an inner node with base {b} outside its {units} units"
                ),
            ));
        }
        let b = b as usize;
        if visited[b] {
            return Err(Error::corrupt(
                path,
                format!("two nodes of the double array share base {b} (a cycle)"),
            ));
        }
        visited[b] = true;
        Ok(b)
    };
    let root = enter(root, &mut visited)?;
    stack.push((root, start[root] as usize));

    while let Some(frame) = stack.last_mut() {
        let b = frame.0;
        let end = start[b + 1] as usize;
        let mut descend: Option<(u8, i32)> = None;
        while frame.1 < end {
            let unit = by_check[frame.1] as usize;
            frame.1 += 1;
            if unit == b {
                // The terminal transition: the key so far ends here.
                let value = -i64::from(base(unit)) - 1;
                if value < 0 {
                    return Err(Error::corrupt(
                        path,
                        format!("the terminal unit {unit} has a non-negative base"),
                    ));
                }
                let (first, count) = ((value >> 8) as usize, (value & 0xff) as usize);
                if count == 0 || first + count > token_count {
                    return Err(Error::corrupt(
                        path,
                        format!(
                            "a key refers to tokens {first}..{} but there are {token_count}",
                            first + count
                        ),
                    ));
                }
                for slot in &mut claimed[first..first + count] {
                    if *slot {
                        return Err(Error::corrupt(
                            path,
                            format!(
                                "token range {first}..{} is claimed by two keys",
                                first + count
                            ),
                        ));
                    }
                    *slot = true;
                }
                claimed_count += count;
                let surface = String::from_utf8(key.clone()).map_err(|_| {
                    Error::corrupt(path, format!("the key {key:?} is not valid UTF-8"))
                })?;
                keys.push((surface, first, count));
            } else if unit > b && unit - b - 1 <= 0xff {
                descend = Some(((unit - b - 1) as u8, base(unit)));
                break;
            }
        }
        match descend {
            Some((byte, child_base)) => {
                let child = enter(child_base, &mut visited)?;
                key.push(byte);
                stack.push((child, start[child] as usize));
            }
            None => {
                stack.pop();
                key.pop();
            }
        }
    }
    if claimed_count != token_count {
        return Err(Error::corrupt(
            path,
            format!(
                "only {claimed_count} of the {token_count} tokens are reachable from the double array"
            ),
        ));
    }
    Ok(keys)
}

/// Splits a MeCab feature string into its fields with CSV rules (fields may
/// be double-quoted, with `""` for a quote inside).
pub fn split_feature(feature: &str) -> std::result::Result<Vec<String>, String> {
    if !feature.contains('"') {
        return Ok(feature.split(',').map(str::to_string).collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(feature.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Ok(vec![String::new()]),
        Err(err) => return Err(format!("feature {feature:?} is not valid CSV: {err}")),
    }
    let fields = record.iter().map(str::to_string).collect();
    match reader.read_record(&mut csv::StringRecord::new()) {
        Ok(false) => Ok(fields),
        _ => Err(format!(
            "feature {feature:?} spans more than one CSV record"
        )),
    }
}

/// One character category of `char.bin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharCategory {
    /// Category name, e.g. `HANGUL`.
    pub name: String,
    /// Always run unknown-word processing for this category.
    pub invoke: bool,
    /// Group consecutive characters of this category into one unknown word.
    pub group: bool,
    /// Also make unknown words of 1..=length characters.
    pub length: u8,
    /// Whether some code point has this category as its default; when not,
    /// `char.bin` does not record the parameters and they are all zero.
    pub parameters_known: bool,
}

/// A decoded `char.bin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharProperty {
    /// Categories in id order.
    pub categories: Vec<CharCategory>,
    /// Per code point `0..0xFFFF`: (default category, set of categories as bits).
    pub code_points: Vec<(u8, u32)>,
}

/// Decodes a `char.bin`. `path` only names the file in error messages.
pub fn parse_char_bin(bytes: &[u8], path: &Path) -> Result<CharProperty> {
    if bytes.len() < 4 {
        return Err(Error::corrupt(
            path,
            "the file is shorter than its 4-byte category count",
        ));
    }
    let count = read_u32(bytes, 0) as usize;
    if count == 0 || count > MAX_CATEGORIES {
        return Err(Error::corrupt(
            path,
            format!("category count {count} is not within 1..={MAX_CATEGORIES}"),
        ));
    }
    let table_start = 4 + count * CHAR_NAME_LEN;
    let expected = table_start + CHAR_TABLE_LEN * 4;
    if bytes.len() != expected {
        return Err(Error::corrupt(
            path,
            format!(
                "{count} categories need a file of {expected} bytes but it has {}",
                bytes.len()
            ),
        ));
    }
    let mut names = Vec::with_capacity(count);
    for i in 0..count {
        let raw = nul_terminated(&bytes[4 + i * CHAR_NAME_LEN..4 + (i + 1) * CHAR_NAME_LEN]);
        let name = std::str::from_utf8(raw)
            .ok()
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic() && b != b'#'))
            .ok_or_else(|| {
                Error::corrupt(
                    path,
                    format!("category name {i} ({raw:?}) is not a plain ASCII word"),
                )
            })?;
        if names.iter().any(|n: &String| n == name) {
            return Err(Error::corrupt(
                path,
                format!("category {name} is defined twice"),
            ));
        }
        names.push(name.to_string());
    }
    let mut params: Vec<Option<(bool, bool, u8, usize)>> = vec![None; count];
    let mut code_points = Vec::with_capacity(CHAR_TABLE_LEN);
    for cp in 0..CHAR_TABLE_LEN {
        let info = read_u32(bytes, table_start + cp * 4);
        let types = info & 0x3_ffff;
        let default = ((info >> 18) & 0xff) as usize;
        let length = ((info >> 26) & 0xf) as u8;
        let group = (info >> 30) & 1 == 1;
        let invoke = (info >> 31) & 1 == 1;
        if default >= count || types >> count != 0 || types & (1 << default) == 0 {
            return Err(Error::corrupt(
                path,
                format!(
                    "code point U+{cp:04X} has default category {default} and category set \
                     {types:#b}, inconsistent with {count} categories"
                ),
            ));
        }
        match params[default] {
            None => params[default] = Some((invoke, group, length, cp)),
            Some((i, g, l, first)) if (i, g, l) != (invoke, group, length) => {
                return Err(Error::corrupt(
                    path,
                    format!(
                        "category {} has invoke/group/length {}/{}/{} at U+{first:04X} but \
                         {}/{}/{} at U+{cp:04X}",
                        names[default], i as u8, g as u8, l, invoke as u8, group as u8, length
                    ),
                ));
            }
            Some(_) => {}
        }
        code_points.push((default as u8, types));
    }
    let categories = names
        .into_iter()
        .zip(params)
        .map(|(name, p)| {
            let (invoke, group, length, _) = p.unwrap_or((false, false, 0, 0));
            CharCategory {
                name,
                invoke,
                group,
                length,
                parameters_known: p.is_some(),
            }
        })
        .collect();
    Ok(CharProperty {
        categories,
        code_points,
    })
}

impl CharProperty {
    /// The category names of a code point, default first, then the others
    /// in id order.
    pub fn categories_of(&self, code_point: usize) -> Vec<&str> {
        let (default, types) = self.code_points[code_point];
        let mut out = vec![self.categories[default as usize].name.as_str()];
        for (id, category) in self.categories.iter().enumerate() {
            if id != default as usize && types & (1 << id) != 0 {
                out.push(category.name.as_str());
            }
        }
        out
    }

    /// Renders MeCab/lindera `char.def` text.
    ///
    /// Category lines come first, in id order (so lindera assigns the same
    /// ids). Then maximal runs of code points with equal categories become
    /// `0xAAAA..0xBBBB DEFAULT_CAT OTHER_CATS...` lines (a single code point
    /// is written `0xAAAA`). Runs whose only category is `DEFAULT` are left
    /// out, since lindera (like MeCab) gives unlisted code points `DEFAULT`;
    /// this also keeps the surrogates `0xD800..=0xDFFF` out, which lindera's
    /// UCS-2 parser cannot read (runs crossing them are split around them).
    pub fn to_char_def(&self) -> String {
        let mut out = String::new();
        out.push_str("# char.def decompiled from MeCab char.bin by kosum-kodic\n");
        for c in &self.categories {
            let _ = write!(
                out,
                "{} {} {} {}",
                c.name, c.invoke as u8, c.group as u8, c.length
            );
            if !c.parameters_known {
                out.push_str(" # parameters unknown: no code point has this default category");
            }
            out.push('\n');
        }
        out.push('\n');
        let default_only = self
            .categories
            .iter()
            .position(|c| c.name == "DEFAULT")
            .map(|id| (id as u8, 1u32 << id));
        let mut cp = 0usize;
        while cp < self.code_points.len() {
            let value = self.code_points[cp];
            let mut end = cp;
            while end + 1 < self.code_points.len()
                && self.code_points[end + 1] == value
                && !(0xD800..=0xDFFF).contains(&(end + 1))
                && !(0xD800..=0xDFFF).contains(&end)
            {
                end += 1;
            }
            let skip = Some(value) == default_only || (0xD800..=0xDFFF).contains(&cp);
            if !skip {
                if end == cp {
                    let _ = write!(out, "0x{cp:04X}");
                } else {
                    let _ = write!(out, "0x{cp:04X}..0x{end:04X}");
                }
                for name in self.categories_of(cp) {
                    out.push(' ');
                    out.push_str(name);
                }
                out.push('\n');
            }
            cp = end + 1;
        }
        out
    }
}

/// A decoded `matrix.bin`.
#[derive(Debug, Clone)]
pub struct Matrix<'a> {
    /// Number of right context ids (of the preceding word).
    pub lsize: u16,
    /// Number of left context ids (of the following word).
    pub rsize: u16,
    costs: &'a [u8],
}

/// Decodes a `matrix.bin`. `path` only names the file in error messages.
pub fn parse_matrix_bin<'a>(bytes: &'a [u8], path: &Path) -> Result<Matrix<'a>> {
    if bytes.len() < 4 {
        return Err(Error::corrupt(
            path,
            "the file is shorter than its 4-byte header",
        ));
    }
    let lsize = read_u16(bytes, 0);
    let rsize = read_u16(bytes, 2);
    let expected = 4 + 2 * usize::from(lsize) * usize::from(rsize);
    if lsize == 0 || rsize == 0 || bytes.len() != expected {
        return Err(Error::corrupt(
            path,
            format!(
                "a {lsize} x {rsize} matrix needs a file of {expected} bytes but it has {}",
                bytes.len()
            ),
        ));
    }
    Ok(Matrix {
        lsize,
        rsize,
        costs: &bytes[4..],
    })
}

impl Matrix<'_> {
    /// The connection cost of right id `l` (preceding word) followed by left
    /// id `r` (following word).
    pub fn cost(&self, l: u16, r: u16) -> i16 {
        let index = usize::from(l) + usize::from(self.lsize) * usize::from(r);
        read_u16(self.costs, index * 2) as i16
    }

    /// Writes `matrix.def`: `lsize rsize`, then one `l r cost` line per cell.
    pub fn write_matrix_def(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(out, "{} {}", self.lsize, self.rsize)?;
        let mut line = Vec::with_capacity(64 * 1024);
        for r in 0..self.rsize {
            let mut r_text = [0u8; 8];
            let r_len = format_int(i32::from(r), &mut r_text);
            for l in 0..self.lsize {
                let mut buf = [0u8; 8];
                let n = format_int(i32::from(l), &mut buf);
                line.extend_from_slice(&buf[..n]);
                line.push(b' ');
                line.extend_from_slice(&r_text[..r_len]);
                line.push(b' ');
                let n = format_int(i32::from(self.cost(l, r)), &mut buf);
                line.extend_from_slice(&buf[..n]);
                line.push(b'\n');
            }
            if line.len() > 60 * 1024 {
                out.write_all(&line)?;
                line.clear();
            }
        }
        out.write_all(&line)
    }
}

/// Writes the decimal form of `value` into `buf`; returns its length.
fn format_int(value: i32, buf: &mut [u8; 8]) -> usize {
    let negative = value < 0;
    let mut v = value.unsigned_abs();
    let mut tmp = [0u8; 8];
    let mut n = 0;
    loop {
        tmp[n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
        if v == 0 {
            break;
        }
    }
    let mut len = 0;
    if negative {
        buf[0] = b'-';
        len = 1;
    }
    for i in (0..n).rev() {
        buf[len] = tmp[i];
        len += 1;
    }
    len
}

/// Renders `unk.def` lines `CATEGORY,left,right,cost,<features>` from a
/// decompiled `unk.dic`, checking each key is a category of `char.bin`.
///
/// lindera splits `unk.def` lines on every comma, so a feature field that
/// itself holds a comma cannot be written and gives [`Error::Unsupported`].
pub fn unk_def(unk: &Dic<'_>, chars: &CharProperty, unk_path: &Path) -> Result<String> {
    let mut out = String::new();
    for entry in &unk.entries {
        if !chars.categories.iter().any(|c| c.name == entry.surface) {
            return Err(Error::corrupt(
                unk_path,
                format!(
                    "unknown-word entry for category {:?}, which char.bin does not define",
                    entry.surface
                ),
            ));
        }
        let fields =
            split_feature(entry.feature).map_err(|detail| Error::corrupt(unk_path, detail))?;
        if fields.iter().any(|f| f.contains(',') || f.contains('\n')) {
            return Err(Error::Unsupported {
                path: unk_path.to_path_buf(),
                detail: format!(
                    "unknown-word feature {:?} has a comma inside a field, which lindera's \
                     unk.def reader cannot take",
                    entry.feature
                ),
            });
        }
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            entry.surface,
            entry.left_id,
            entry.right_id,
            entry.cost,
            fields.join(",")
        );
    }
    Ok(out)
}

/// Writes the lexicon as lindera ko-dic source CSV: `surface, left id, right
/// id, cost` and the [`FEATURE_FIELDS`] feature fields, quoted where CSV
/// needs it, to `out` (named `out_path` in errors), leaving out the entries
/// `left_out` marks (by index into `sys.entries`; `None` writes all). Feeds
/// every entry, written or not, to `stats`. Returns the number of rows.
pub fn write_lexicon(
    sys: &Dic<'_>,
    sys_path: &Path,
    left_out: Option<&[bool]>,
    out: impl Write,
    out_path: &Path,
    stats: &mut ContextIdStats,
) -> Result<usize> {
    let csv_error = |err: csv::Error| match err.into_kind() {
        csv::ErrorKind::Io(io) => Error::io("write", out_path, io),
        other => Error::io(
            "write",
            out_path,
            std::io::Error::other(format!("{other:?}")),
        ),
    };
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    let mut fields: Vec<String> = Vec::with_capacity(FEATURE_FIELDS);
    let mut numbers = [String::new(), String::new(), String::new()];
    let mut rows = 0;
    for (index, entry) in sys.entries.iter().enumerate() {
        if entry.feature.contains('"') {
            fields =
                split_feature(entry.feature).map_err(|detail| Error::corrupt(sys_path, detail))?;
        } else {
            fields.clear();
            fields.extend(entry.feature.split(',').map(str::to_string));
        }
        if fields.len() != FEATURE_FIELDS {
            return Err(Error::Unsupported {
                path: sys_path.to_path_buf(),
                detail: format!(
                    "entry {:?} has {} feature fields ({:?}), not the {FEATURE_FIELDS} of mecab-ko-dic",
                    entry.surface,
                    fields.len(),
                    entry.feature
                ),
            });
        }
        stats.add(&fields, entry.left_id, entry.right_id, entry.cost);
        if left_out.is_some_and(|marks| marks[index]) {
            continue;
        }
        rows += 1;
        for n in &mut numbers {
            n.clear();
        }
        let _ = write!(numbers[0], "{}", entry.left_id);
        let _ = write!(numbers[1], "{}", entry.right_id);
        let _ = write!(numbers[2], "{}", entry.cost);
        let record = std::iter::once(entry.surface.as_str())
            .chain(numbers.iter().map(String::as_str))
            .chain(fields.iter().map(String::as_str));
        writer.write_record(record).map_err(csv_error)?;
    }
    writer
        .flush()
        .map_err(|err| Error::io("write", out_path, err))?;
    Ok(rows)
}

/// What [`decompile_dir`] found and wrote.
#[derive(Debug, Clone)]
pub struct Decompiled {
    /// Number of lexicon entries written to `lex.csv`.
    pub entries: usize,
    /// Number of lexicon entries left out as no best path can use them
    /// ([`crate::prune`]).
    pub dominated_entries: usize,
    /// Number of `unk.def` lines.
    pub unknown_entries: usize,
    /// The character categories, in id order.
    pub categories: Vec<CharCategory>,
    /// Matrix dimensions (lsize, rsize).
    pub matrix_size: (u16, u16),
    /// Typical context ids per (POS, semantic class, jongseong).
    pub context_ids: ContextIdStats,
    /// Estimated use of each context id (written as [`HISTOGRAM_FILE`]).
    pub context_id_frequency: ContextIdFrequency,
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|err| Error::io("read", path, err))
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|err| Error::io("write", path, err))
}

/// Decompiles the four MeCab binaries in `bin_dir` into MeCab source form in
/// `out_dir` (`lex.csv`, `unk.def`, `char.def`, `matrix.def`), checking them
/// against each other (context-id ranges, matrix size, categories), and
/// writes the context-id usage histogram [`HISTOGRAM_FILE`] there too.
///
/// With `prune`, the left-space penalty rules of the search the dictionary
/// is for, `lex.csv` leaves out the entries no best path of that search can
/// use ([`crate::prune`]); the context-id table and the histogram still
/// count every entry. Without it, `lex.csv` holds the whole lexicon.
pub fn decompile_dir(
    bin_dir: &Path,
    out_dir: &Path,
    prune: Option<&SpacePenaltyConfig>,
) -> Result<Decompiled> {
    let missing: Vec<&'static str> = BINARY_FILES
        .iter()
        .copied()
        .filter(|name| !bin_dir.join(name).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(Error::MissingFiles {
            dir: bin_dir.to_path_buf(),
            origin: "the source folder",
            missing,
        });
    }
    std::fs::create_dir_all(out_dir).map_err(|err| Error::io("create the folder", out_dir, err))?;
    let path_of = |name: &str| -> PathBuf { bin_dir.join(name) };

    let matrix_path = path_of("matrix.bin");
    let matrix_bytes = read_file(&matrix_path)?;
    let matrix = parse_matrix_bin(&matrix_bytes, &matrix_path)?;

    let char_path = path_of("char.bin");
    let chars = parse_char_bin(&read_file(&char_path)?, &char_path)?;
    if !chars.categories.iter().any(|c| c.name == "DEFAULT") {
        return Err(Error::corrupt(&char_path, "there is no DEFAULT category"));
    }

    let unk_path = path_of("unk.dic");
    let unk_bytes = read_file(&unk_path)?;
    let unk = parse_dic(&unk_bytes, &unk_path)?;
    let sys_path = path_of("sys.dic");
    let sys_bytes = read_file(&sys_path)?;
    let sys = parse_dic(&sys_bytes, &sys_path)?;
    for (dic, path, kind) in [
        (&unk, &unk_path, DicKind::Unknown),
        (&sys, &sys_path, DicKind::System),
    ] {
        if dic.header.kind != kind {
            return Err(Error::corrupt(
                path,
                format!(
                    "the header says {:?} dictionary, expected {kind:?}",
                    dic.header.kind
                ),
            ));
        }
        if (dic.header.lsize, dic.header.rsize)
            != (u32::from(matrix.lsize), u32::from(matrix.rsize))
        {
            return Err(Error::corrupt(
                path,
                format!(
                    "it was compiled for a {} x {} connection matrix but {} is {} x {}",
                    dic.header.lsize,
                    dic.header.rsize,
                    matrix_path.display(),
                    matrix.lsize,
                    matrix.rsize
                ),
            ));
        }
    }

    write_text(&out_dir.join("char.def"), &chars.to_char_def())?;
    write_text(&out_dir.join("unk.def"), &unk_def(&unk, &chars, &unk_path)?)?;

    let matrix_def = out_dir.join("matrix.def");
    let file = File::create(&matrix_def).map_err(|err| Error::io("create", &matrix_def, err))?;
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    matrix
        .write_matrix_def(&mut writer)
        .and_then(|()| writer.flush())
        .map_err(|err| Error::io("write", &matrix_def, err))?;

    let left_out = prune.map(|rules| {
        crate::prune::dominated(&sys.entries, &matrix, |entry| {
            let fields = split_feature(entry.feature).unwrap_or_default();
            rules.cost_for_tag(fields.first().map_or("", String::as_str))
        })
    });
    let lex_path = out_dir.join(LEXICON_FILE);
    let file = File::create(&lex_path).map_err(|err| Error::io("create", &lex_path, err))?;
    let mut stats = ContextIdStats::default();
    let entries = write_lexicon(
        &sys,
        &sys_path,
        left_out.as_deref(),
        BufWriter::with_capacity(1 << 20, file),
        &lex_path,
        &mut stats,
    )?;

    // Left ids index the matrix's second dimension (rsize), right ids its
    // first (lsize).
    let lexicon: Vec<LexiconEntry<'_>> = sys
        .entries
        .iter()
        .map(|entry| LexiconEntry {
            surface: &entry.surface,
            left_id: entry.left_id,
            right_id: entry.right_id,
            cost: entry.cost,
        })
        .collect();
    let context_id_frequency = ContextIdFrequency::estimate(
        &lexicon,
        unk.entries
            .iter()
            .map(|entry| (entry.left_id, entry.right_id, entry.cost)),
        usize::from(matrix.rsize),
        usize::from(matrix.lsize),
    );
    write_text(
        &out_dir.join(HISTOGRAM_FILE),
        &context_id_frequency.to_histogram(),
    )?;

    Ok(Decompiled {
        entries,
        dominated_entries: sys.entries.len() - entries,
        unknown_entries: unk.entries.len(),
        categories: chars.categories,
        matrix_size: (matrix.lsize, matrix.rsize),
        context_ids: stats,
        context_id_frequency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{
        self, Entry, assemble, encode_char_bin, encode_dic, encode_matrix, entry,
    };

    fn path() -> &'static Path {
        Path::new("test/sys.dic")
    }

    fn is_corrupt(result: Result<Dic<'_>>) -> bool {
        matches!(result, Err(Error::Corrupt { .. }))
    }

    fn assert_same(got: &Dic<'_>, want: &[Entry]) {
        let want = testutil::sorted(want);
        assert_eq!(got.entries.len(), want.len());
        for (g, w) in got.entries.iter().zip(&want) {
            assert_eq!(
                (g.surface.as_str(), g.left_id, g.right_id, g.cost, g.feature),
                (
                    w.surface.as_str(),
                    w.left,
                    w.right,
                    w.cost,
                    w.feature.as_str()
                )
            );
        }
    }

    #[test]
    fn decodes_exactly_the_encoded_entries() {
        let entries = testutil::lexicon();
        let bytes = encode_dic(&entries, 0, 5, 5);
        let dic = parse_dic(&bytes, path()).unwrap();
        assert_eq!(dic.header.kind, DicKind::System);
        assert_eq!(dic.header.lexsize as usize, entries.len());
        assert_eq!((dic.header.lsize, dic.header.rsize), (5, 5));
        assert_eq!(dic.header.charset, "UTF-8");
        assert_same(&dic, &entries);
        // Prefixes of each other (사/사과, 먹/먹었다) and a surface with two
        // tokens (이) all come back.
        let surfaces: Vec<&str> = dic.entries.iter().map(|e| e.surface.as_str()).collect();
        assert!(surfaces.contains(&"사") && surfaces.contains(&"사과"));
        assert_eq!(surfaces.iter().filter(|s| **s == "이").count(), 2);
    }

    #[test]
    fn decodes_many_keys_sharing_prefixes() {
        // Enough keys that the double array is dense and bases interleave.
        let mut entries = Vec::new();
        for a in ["가", "각", "간", "나", "a", "ab", "abc", "b"] {
            for b in ["", "다", "라", "x", "xy"] {
                let surface = format!("{a}{b}");
                entries.push(entry(
                    &surface,
                    1,
                    2,
                    -7,
                    &format!("NNG,*,F,{surface},*,*,*,*"),
                ));
            }
        }
        let bytes = encode_dic(&entries, 0, 3, 3);
        assert_same(&parse_dic(&bytes, path()).unwrap(), &entries);
    }

    #[test]
    fn truncated_or_extended_files_are_errors() {
        let bytes = encode_dic(&testutil::lexicon(), 0, 5, 5);
        for len in [
            0,
            3,
            39,
            40,
            71,
            72,
            80,
            bytes.len() / 2,
            bytes.len() - 16,
            bytes.len() - 1,
        ] {
            assert!(
                is_corrupt(parse_dic(&bytes[..len], path())),
                "truncated to {len}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(is_corrupt(parse_dic(&longer, path())));
    }

    #[test]
    fn bit_flipped_headers_are_errors() {
        let bytes = encode_dic(&testutil::lexicon(), 0, 5, 5);
        // magic, version, type, lexsize, lsize (to 0), dsize, tsize, fsize
        for (byte, bit) in [
            (0, 0),
            (4, 1),
            (8, 3),
            (12, 0),
            (16, 0),
            (16, 2),
            (24, 3),
            (28, 4),
            (32, 0),
        ] {
            let mut flipped = bytes.clone();
            flipped[byte] ^= 1 << bit;
            let result = parse_dic(&flipped, path());
            // lsize 5 -> 4 or 7 stays a valid header but puts token ids out
            // of range; everything else must fail in the header already.
            assert!(is_corrupt(result), "flip byte {byte} bit {bit}");
        }
    }

    #[test]
    fn other_charsets_are_unsupported() {
        let mut bytes = encode_dic(&testutil::lexicon(), 0, 5, 5);
        bytes[40..46].copy_from_slice(b"EUC-KR");
        assert!(matches!(
            parse_dic(&bytes, path()),
            Err(Error::Unsupported { .. })
        ));
    }

    fn one_token(feature_offset: u32) -> Vec<u8> {
        let mut token = Vec::new();
        for v in [1u16, 1, 0, 10] {
            token.extend_from_slice(&v.to_le_bytes());
        }
        token.extend_from_slice(&feature_offset.to_le_bytes());
        token.extend_from_slice(&0u32.to_le_bytes());
        token
    }

    #[test]
    fn cyclic_double_array_is_an_error_not_a_hang() {
        // Root base 1; byte b'a' leads to unit 1 + 0x61 + 1 whose base is 1
        // again: the walk would go round forever.
        let mut units = vec![(0i32, 0u32); 200];
        units[0] = (1, 0);
        units[1 + 0x61 + 1] = (1, 1);
        let bytes = assemble(0, 2, 2, &units, &one_token(0), b"X\0");
        let err = parse_dic(&bytes, path()).unwrap_err();
        assert!(err.to_string().contains("cycle"), "{err}");

        // A longer cycle: 1 -a-> 10 -b-> 1.
        let mut units = vec![(0i32, 0u32); 200];
        units[0] = (1, 0);
        units[1 + 0x61 + 1] = (10, 1);
        units[10 + 0x62 + 1] = (1, 10);
        let bytes = assemble(0, 2, 2, &units, &one_token(0), b"X\0");
        assert!(is_corrupt(parse_dic(&bytes, path())));

        // Base zero makes every free unit (check 0) look like a child.
        let units = vec![(0i32, 0u32); 300];
        let bytes = assemble(0, 2, 2, &units, &one_token(0), b"X\0");
        assert!(is_corrupt(parse_dic(&bytes, path())));
    }

    /// A one-key dictionary "a" -> value, with `tokens` tokens.
    fn single_key(value: i32, tokens: usize, features: &[u8]) -> Vec<u8> {
        let mut units = vec![(0i32, 0u32); 120];
        units[0] = (1, 0);
        units[1 + 0x61 + 1] = (5, 1); // "a" -> node with base 5
        units[5] = (-value - 1, 5); // terminal
        let token_bytes: Vec<u8> = (0..tokens).flat_map(|_| one_token(0)).collect();
        assemble(0, 2, 2, &units, &token_bytes, features)
    }

    #[test]
    fn bad_token_references_are_errors() {
        // The hand-made one-key dictionary is itself valid.
        let ok = single_key(1, 1, b"F\0");
        let dic = parse_dic(&ok, path()).unwrap();
        assert_eq!(dic.entries[0].surface, "a");
        assert_eq!(dic.entries[0].feature, "F");
        // Value 2 tokens but only one exists.
        assert!(is_corrupt(parse_dic(&single_key(2, 1, b"F\0"), path())));
        // Count zero.
        assert!(is_corrupt(parse_dic(&single_key(0, 1, b"F\0"), path())));
        // First token beyond the array.
        assert!(is_corrupt(parse_dic(
            &single_key((5 << 8) | 1, 1, b"F\0"),
            path()
        )));
        // A token nobody references.
        assert!(is_corrupt(parse_dic(&single_key(1, 2, b"F\0"), path())));
        // Feature not NUL-terminated, and not UTF-8.
        assert!(is_corrupt(parse_dic(&single_key(1, 1, b"F"), path())));
        assert!(is_corrupt(parse_dic(&single_key(1, 1, b"\xff\0"), path())));
    }

    #[test]
    fn bad_feature_offsets_and_ids_are_errors() {
        let mut units = vec![(0i32, 0u32); 120];
        units[0] = (1, 0);
        units[1 + 0x61 + 1] = (5, 1);
        units[5] = (-2, 5);
        let bytes = assemble(0, 2, 2, &units, &one_token(9), b"F\0");
        assert!(is_corrupt(parse_dic(&bytes, path())));
        // Context id 1 is outside a 1 x 1 matrix.
        let bytes = assemble(0, 1, 1, &units, &one_token(0), b"F\0");
        assert!(is_corrupt(parse_dic(&bytes, path())));
    }

    #[test]
    fn random_damage_never_panics() {
        let bytes = encode_dic(&testutil::lexicon(), 0, 5, 5);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut errors = 0;
        for _ in 0..3000 {
            let mut damaged = bytes.clone();
            for _ in 0..1 + next() % 4 {
                // Damage only past the header, which keeps the size right.
                let at = 72 + (next() as usize) % (damaged.len() - 72);
                damaged[at] ^= 1 << (next() % 8);
            }
            if parse_dic(&damaged, path()).is_err() {
                errors += 1;
            }
        }
        assert!(errors > 100, "most damage is detected ({errors})");
    }

    #[test]
    fn splits_csv_quoted_features() {
        assert_eq!(split_feature("NNG,*,F,사과,*,*,*,*").unwrap().len(), 8);
        assert_eq!(
            split_feature("SC,*,*,\",\",*,*,*,\"a \"\"q\"\"\"").unwrap(),
            ["SC", "*", "*", ",", "*", "*", "*", "a \"q\""]
        );
        assert!(split_feature("a,\"b\nc\",d\ne").is_err());
    }

    #[test]
    fn lexicon_csv_quotes_and_reads_back() {
        let entries = testutil::lexicon();
        let bytes = encode_dic(&entries, 0, 5, 5);
        let dic = parse_dic(&bytes, path()).unwrap();
        let mut out = Vec::new();
        let mut stats = ContextIdStats::default();
        let n = write_lexicon(
            &dic,
            path(),
            None,
            &mut out,
            Path::new("lex.csv"),
            &mut stats,
        )
        .unwrap();
        assert_eq!(n, entries.len());
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\",\",4,4,100,SC,*,*,*,*,*,*,*\n"), "{text}");
        assert!(
            text.contains("쉼표,1,1,100,NNG,*,F,\",\",*,*,*,*\n"),
            "{text}"
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), entries.len());
        for (row, e) in rows.iter().zip(testutil::sorted(&entries)) {
            assert_eq!(row.len(), 12);
            assert_eq!(&row[0], e.surface);
            assert_eq!(row[1].parse::<u16>().unwrap(), e.left);
            assert_eq!(row[2].parse::<u16>().unwrap(), e.right);
            assert_eq!(row[3].parse::<i16>().unwrap(), e.cost);
            assert_eq!(
                row.iter().skip(4).collect::<Vec<_>>(),
                split_feature(&e.feature).unwrap()
            );
        }
        // Inflect entries are not plain; the rest feed the statistics.
        let rows = stats.rows();
        assert!(rows.iter().any(|r| r.pos == "NNG" && r.entries == 3));
        assert!(!rows.iter().any(|r| r.pos.contains('+')));
    }

    #[test]
    fn wrong_feature_field_count_is_unsupported() {
        let bytes = encode_dic(&[entry("a", 1, 1, 0, "NNG,*,F")], 0, 5, 5);
        let dic = parse_dic(&bytes, path()).unwrap();
        let result = write_lexicon(
            &dic,
            path(),
            None,
            Vec::new(),
            Path::new("lex.csv"),
            &mut ContextIdStats::default(),
        );
        assert!(matches!(result, Err(Error::Unsupported { .. })));
    }

    fn tiny_chars() -> Vec<u8> {
        encode_char_bin(
            &[
                ("DEFAULT", false, true, 0),
                ("SPACE", false, true, 0),
                ("HANJA", false, false, 1),
                ("HANJANUMERIC", true, true, 0),
                ("HANGUL", false, true, 2),
                ("NEVER", true, false, 3),
            ],
            &[
                (0x20, 0x20, &["SPACE"]),
                (0x4E00, 0x4E05, &["HANJA"]),
                (0x4E00, 0x4E00, &["HANJANUMERIC", "HANJA"]),
                (0x4E03, 0x4E03, &["HANJA", "HANJANUMERIC"]),
                (0xAC00, 0xFFFE, &["HANGUL"]),
            ],
        )
    }

    #[test]
    fn char_bin_becomes_char_def() {
        let chars = parse_char_bin(&tiny_chars(), Path::new("char.bin")).unwrap();
        let names: Vec<&str> = chars.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "DEFAULT",
                "SPACE",
                "HANJA",
                "HANJANUMERIC",
                "HANGUL",
                "NEVER"
            ]
        );
        let hangul = &chars.categories[4];
        assert_eq!(
            (hangul.invoke, hangul.group, hangul.length),
            (false, true, 2)
        );
        assert!(!chars.categories[5].parameters_known);
        assert_eq!(chars.categories_of(0x4E03), ["HANJA", "HANJANUMERIC"]);
        assert_eq!(chars.categories_of(0x4E00), ["HANJANUMERIC", "HANJA"]);
        assert_eq!(chars.categories_of(0x41), ["DEFAULT"]);
        let expected = "\
# char.def decompiled from MeCab char.bin by kosum-kodic
DEFAULT 0 1 0
SPACE 0 1 0
HANJA 0 0 1
HANJANUMERIC 1 1 0
HANGUL 0 1 2
NEVER 0 0 0 # parameters unknown: no code point has this default category

0x0020 SPACE
0x4E00 HANJANUMERIC HANJA
0x4E01..0x4E02 HANJA
0x4E03 HANJA HANJANUMERIC
0x4E04..0x4E05 HANJA
0xAC00..0xD7FF HANGUL
0xE000..0xFFFE HANGUL
";
        assert_eq!(chars.to_char_def(), expected);
    }

    #[test]
    fn corrupt_char_bin_is_an_error() {
        let good = tiny_chars();
        let p = Path::new("char.bin");
        for len in [0, 3, 4, 100, good.len() - 1] {
            assert!(
                parse_char_bin(&good[..len], p).is_err(),
                "truncated to {len}"
            );
        }
        // Category count zero or too large.
        let mut bad = good.clone();
        bad[0..4].copy_from_slice(&0u32.to_le_bytes());
        assert!(parse_char_bin(&bad, p).is_err());
        bad[0..4].copy_from_slice(&40u32.to_le_bytes());
        assert!(parse_char_bin(&bad, p).is_err());
        // A code point whose default category does not exist.
        let table = 4 + 6 * 32;
        let mut bad = good.clone();
        bad[table + 3] |= 0x3c; // default category bits 18..25 -> large
        assert!(parse_char_bin(&bad, p).is_err());
        // A code point whose set lacks its own default category.
        let mut bad = good.clone();
        bad[table] = 0;
        assert!(parse_char_bin(&bad, p).is_err());
        // Two code points with the same default but different parameters.
        let mut bad = good.clone();
        bad[table + 0x41 * 4 + 3] ^= 0x80; // invoke bit of DEFAULT at U+0041
        assert!(parse_char_bin(&bad, p).is_err());
        // An unnamed category.
        let mut bad = good;
        bad[4] = 0;
        assert!(parse_char_bin(&bad, p).is_err());
    }

    #[test]
    fn matrix_bin_becomes_matrix_def() {
        let bytes = encode_matrix(3, 2, |l, r| l as i16 * 10 - r as i16 * 100);
        let matrix = parse_matrix_bin(&bytes, Path::new("matrix.bin")).unwrap();
        assert_eq!((matrix.lsize, matrix.rsize), (3, 2));
        assert_eq!(matrix.cost(2, 1), -80);
        let mut out = Vec::new();
        matrix.write_matrix_def(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "3 2\n0 0 0\n1 0 10\n2 0 20\n0 1 -100\n1 1 -90\n2 1 -80\n"
        );
        for len in [0, 3, 4, bytes.len() - 1] {
            assert!(parse_matrix_bin(&bytes[..len], Path::new("m")).is_err());
        }
        let mut extreme = Vec::new();
        let big = encode_matrix(1, 2, |_, r| if r == 0 { i16::MIN } else { i16::MAX });
        parse_matrix_bin(&big, Path::new("m"))
            .unwrap()
            .write_matrix_def(&mut extreme)
            .unwrap();
        assert_eq!(
            String::from_utf8(extreme).unwrap(),
            "1 2\n0 0 -32768\n0 1 32767\n"
        );
    }

    #[test]
    fn unk_dic_becomes_unk_def() {
        let chars = parse_char_bin(
            &encode_char_bin(&testutil::CATEGORIES, &[]),
            Path::new("char.bin"),
        )
        .unwrap();
        let bytes = encode_dic(&testutil::unknown(), 2, 5, 5);
        let unk = parse_dic(&bytes, Path::new("unk.dic")).unwrap();
        assert_eq!(unk.header.kind, DicKind::Unknown);
        let text = unk_def(&unk, &chars, Path::new("unk.dic")).unwrap();
        assert_eq!(
            text,
            "ALPHA,1,1,1000,SL,*,*,*,*,*,*,*\n\
             DEFAULT,4,4,5000,SY,*,*,*,*,*,*,*\n\
             HANGUL,1,1,10000,UNKNOWN,*,*,*,*,*,*,*\n\
             SPACE,4,4,100,SP,*,*,*,*,*,*,*\n\
             SYMBOL,4,4,2000,SY,*,*,*,*,*,*,*\n"
        );
        // A key that is no category.
        let bytes = encode_dic(&[entry("NOPE", 1, 1, 0, "SY,*")], 2, 5, 5);
        let unk = parse_dic(&bytes, Path::new("unk.dic")).unwrap();
        assert!(unk_def(&unk, &chars, Path::new("unk.dic")).is_err());
        // A comma inside a field cannot be written for lindera.
        let bytes = encode_dic(&[entry("ALPHA", 1, 1, 0, "SL,\"a,b\"")], 2, 5, 5);
        let unk = parse_dic(&bytes, Path::new("unk.dic")).unwrap();
        assert!(matches!(
            unk_def(&unk, &chars, Path::new("unk.dic")),
            Err(Error::Unsupported { .. })
        ));
    }

    #[test]
    fn pruning_leaves_dominated_entries_out_of_the_csv_only() {
        use lindera_dictionary::space_penalty::SpacePenaltyRule;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        testutil::write_tiny_binaries(&bin);
        let mut lexicon = testutil::lexicon();
        // A dearer twin of 사과 with the same context ids.
        lexicon.push(entry("사과", 1, 1, 900, "NNG,*,F,사과,*,*,*,*"));
        let ids = u32::from(testutil::IDS);
        std::fs::write(bin.join("sys.dic"), encode_dic(&lexicon, 0, ids, ids)).unwrap();
        let decompile = |name: &str, rules: Option<&SpacePenaltyConfig>| {
            let out = dir.path().join(name);
            let d = decompile_dir(&bin, &out, rules).unwrap();
            (d, std::fs::read_to_string(out.join(LEXICON_FILE)).unwrap())
        };

        let (full, full_csv) = decompile("full", None);
        assert_eq!((full.entries, full.dominated_entries), (lexicon.len(), 0));
        assert!(full_csv.contains("사과,1,1,900,"), "{full_csv}");

        // 이/JKS (cost 500) is cheaper than 이/NP (800) everywhere but after
        // whitespace, where a particle pays 6000: both stay.
        let rules = SpacePenaltyConfig::new(vec![SpacePenaltyRule::new(["JKS"], 6000)]);
        let (pruned, csv) = decompile("pruned", Some(&rules));
        assert_eq!(
            (pruned.entries, pruned.dominated_entries),
            (lexicon.len() - 1, 1)
        );
        assert!(!csv.contains("사과,1,1,900,"), "{csv}");
        assert!(
            csv.contains("사과,1,1,100,") && csv.contains("이,1,1,800,"),
            "{csv}"
        );
        // The context-id table and the usage estimate count every entry.
        assert_eq!(pruned.context_ids.rows(), full.context_ids.rows());
        assert_eq!(
            pruned.context_id_frequency.to_histogram(),
            full.context_id_frequency.to_histogram()
        );

        // Without the penalty, 이/NP goes too.
        let (bare, csv) = decompile("bare", Some(&SpacePenaltyConfig::default()));
        assert_eq!(bare.dominated_entries, 2);
        assert!(!csv.contains("이,1,1,800,"), "{csv}");
    }

    #[test]
    fn decompile_dir_writes_all_sources_and_cross_checks() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        testutil::write_tiny_binaries(&bin);
        let out = dir.path().join("src");
        let d = decompile_dir(&bin, &out, None).unwrap();
        assert_eq!(d.entries, testutil::lexicon().len());
        assert_eq!(d.unknown_entries, testutil::unknown().len());
        assert_eq!(d.matrix_size, (5, 5));
        for name in [
            "char.def",
            "unk.def",
            "matrix.def",
            LEXICON_FILE,
            HISTOGRAM_FILE,
        ] {
            assert!(out.join(name).is_file(), "{name}");
        }
        let matrix = std::fs::read_to_string(out.join("matrix.def")).unwrap();
        assert_eq!(matrix.lines().count(), 1 + 25);
        let histogram = std::fs::read_to_string(out.join(HISTOGRAM_FILE)).unwrap();
        assert_eq!(histogram, d.context_id_frequency.to_histogram());
        assert!(histogram.starts_with("5 5\n"), "{histogram}");

        // A matrix of another size than the dictionaries were compiled for.
        std::fs::write(bin.join("matrix.bin"), encode_matrix(4, 5, |_, _| 0)).unwrap();
        let err = decompile_dir(&bin, &dir.path().join("src2"), None).unwrap_err();
        assert!(err.to_string().contains("connection matrix"), "{err}");

        // sys.dic and unk.dic swapped.
        testutil::write_tiny_binaries(&bin);
        std::fs::copy(bin.join("unk.dic"), bin.join("sys.dic")).unwrap();
        assert!(decompile_dir(&bin, &dir.path().join("src3"), None).is_err());

        // A missing file.
        std::fs::remove_file(bin.join("char.bin")).unwrap();
        let err = decompile_dir(&bin, &dir.path().join("src4"), None).unwrap_err();
        assert!(matches!(err, Error::MissingFiles { .. }), "{err}");
        assert!(err.to_string().contains("char.bin"));
    }
}
