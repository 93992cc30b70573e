//! Test-only encoders for tiny MeCab binaries: a small Darts double array,
//! tokens and features (`sys.dic`/`unk.dic`), `char.bin` and `matrix.bin`,
//! written the way MeCab's `mecab-dict-index` lays them out.

use std::collections::HashSet;
use std::path::Path;

/// One entry to encode.
#[derive(Debug, Clone)]
pub struct Entry {
    pub surface: String,
    pub left: u16,
    pub right: u16,
    pub pos: u16,
    pub cost: i16,
    pub feature: String,
}

pub fn entry(surface: &str, left: u16, right: u16, cost: i16, feature: &str) -> Entry {
    Entry {
        surface: surface.to_string(),
        left,
        right,
        pos: 0,
        cost,
        feature: feature.to_string(),
    }
}

/// Entries in the order the decompiler returns them: bytewise by surface,
/// stable within one surface.
pub fn sorted(entries: &[Entry]) -> Vec<Entry> {
    let mut out = entries.to_vec();
    out.sort_by(|a, b| a.surface.as_bytes().cmp(b.surface.as_bytes()));
    out
}

/// Builds a Darts double array for `keys` (sorted, distinct) with values;
/// returns the units as (base, check).
pub fn double_array(keys: &[(Vec<u8>, u32)]) -> Vec<(i32, u32)> {
    struct Da {
        units: Vec<(i32, u32)>,
        occupied: Vec<bool>,
        used_bases: HashSet<usize>,
    }
    impl Da {
        fn ensure(&mut self, len: usize) {
            if self.units.len() < len {
                self.units.resize(len, (0, 0));
                self.occupied.resize(len, false);
            }
        }
        fn place(&mut self, keys: &[(Vec<u8>, u32)], depth: usize) -> usize {
            // Codes: 0 for a key ending here, byte + 1 otherwise; keys are
            // sorted so codes come in increasing order.
            let mut groups: Vec<(usize, usize, usize)> = Vec::new(); // (code, from, to)
            for (i, (key, _)) in keys.iter().enumerate() {
                let code = if key.len() == depth {
                    0
                } else {
                    key[depth] as usize + 1
                };
                match groups.last_mut() {
                    Some(g) if g.0 == code => g.2 = i + 1,
                    _ => groups.push((code, i, i + 1)),
                }
            }
            let mut b = 1;
            loop {
                let max = b + groups.last().unwrap().0;
                self.ensure(max + 1);
                if !self.used_bases.contains(&b) && groups.iter().all(|g| !self.occupied[b + g.0]) {
                    break;
                }
                b += 1;
            }
            self.used_bases.insert(b);
            for g in &groups {
                self.occupied[b + g.0] = true;
                self.units[b + g.0].1 = b as u32;
            }
            for &(code, from, to) in &groups {
                if code == 0 {
                    self.units[b].0 = -(keys[from].1 as i32) - 1;
                } else {
                    let child = self.place(&keys[from..to], depth + 1);
                    self.units[b + code].0 = child as i32;
                }
            }
            b
        }
    }
    let mut da = Da {
        units: vec![(0, 0)],
        occupied: vec![true],
        used_bases: HashSet::new(),
    };
    let root = da.place(keys, 0);
    da.units[0] = (root as i32, 0);
    da.units
}

/// Assembles a MeCab dictionary file from its parts.
pub fn assemble(
    kind: u32,
    lsize: u32,
    rsize: u32,
    units: &[(i32, u32)],
    tokens: &[u8],
    features: &[u8],
) -> Vec<u8> {
    let dsize = units.len() * 8;
    let total = 72 + dsize + tokens.len() + features.len();
    let mut out = Vec::with_capacity(total);
    let header = [
        (total as u32) ^ 0xef71_8f77,
        102,
        kind,
        (tokens.len() / 16) as u32,
        lsize,
        rsize,
        dsize as u32,
        tokens.len() as u32,
        features.len() as u32,
        0,
    ];
    for v in header {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut charset = [0u8; 32];
    charset[..5].copy_from_slice(b"UTF-8");
    out.extend_from_slice(&charset);
    for (base, check) in units {
        out.extend_from_slice(&base.to_le_bytes());
        out.extend_from_slice(&check.to_le_bytes());
    }
    out.extend_from_slice(tokens);
    out.extend_from_slice(features);
    out
}

/// Encodes a `sys.dic` (kind 0) or `unk.dic` (kind 2).
pub fn encode_dic(entries: &[Entry], kind: u32, lsize: u32, rsize: u32) -> Vec<u8> {
    let entries = sorted(entries);
    let mut tokens = Vec::new();
    let mut features = Vec::new();
    let mut keys: Vec<(Vec<u8>, u32)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let offset = features.len() as u32;
        features.extend_from_slice(e.feature.as_bytes());
        features.push(0);
        tokens.extend_from_slice(&e.left.to_le_bytes());
        tokens.extend_from_slice(&e.right.to_le_bytes());
        tokens.extend_from_slice(&e.pos.to_le_bytes());
        tokens.extend_from_slice(&e.cost.to_le_bytes());
        tokens.extend_from_slice(&offset.to_le_bytes());
        tokens.extend_from_slice(&0u32.to_le_bytes());
        match keys.last_mut() {
            Some((key, value)) if key == e.surface.as_bytes() => *value += 1,
            _ => keys.push((e.surface.as_bytes().to_vec(), ((i as u32) << 8) | 1)),
        }
    }
    assemble(kind, lsize, rsize, &double_array(&keys), &tokens, &features)
}

/// A category for [`encode_char_bin`]: name, invoke, group, length.
pub type Category<'a> = (&'a str, bool, bool, u8);

/// Encodes a `char.bin` as MeCab does: every code point starts as
/// `DEFAULT`; each range line (later lines win) sets the default category
/// to its first category, the set to all of them, and the parameters to
/// the first one's.
pub fn encode_char_bin(categories: &[Category<'_>], ranges: &[(u32, u32, &[&str])]) -> Vec<u8> {
    let id = |name: &str| categories.iter().position(|c| c.0 == name).unwrap();
    let info = |cats: &[&str]| -> u32 {
        let first = id(cats[0]);
        let (_, invoke, group, length) = categories[first];
        let mut types = 0u32;
        for c in cats {
            types |= 1 << id(c);
        }
        types
            | (first as u32) << 18
            | u32::from(length) << 26
            | u32::from(group) << 30
            | u32::from(invoke) << 31
    };
    let mut table = vec![info(&["DEFAULT"]); 0xFFFF];
    for &(lo, hi, cats) in ranges {
        for cp in lo..=hi {
            table[cp as usize] = info(cats);
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(&(categories.len() as u32).to_le_bytes());
    for c in categories {
        let mut name = [0u8; 32];
        name[..c.0.len()].copy_from_slice(c.0.as_bytes());
        out.extend_from_slice(&name);
    }
    for v in table {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Encodes a `matrix.bin` with cost `f(l, r)` at `l + lsize * r`.
pub fn encode_matrix(lsize: u16, rsize: u16, f: impl Fn(u16, u16) -> i16) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&lsize.to_le_bytes());
    out.extend_from_slice(&rsize.to_le_bytes());
    for r in 0..rsize {
        for l in 0..lsize {
            out.extend_from_slice(&f(l, r).to_le_bytes());
        }
    }
    out
}

/// The categories of the tiny test dictionary.
pub const CATEGORIES: [Category<'static>; 5] = [
    ("DEFAULT", false, true, 0),
    ("SPACE", false, true, 0),
    ("ALPHA", true, true, 0),
    ("HANGUL", false, true, 2),
    ("SYMBOL", true, true, 0),
];

/// Context ids of the tiny test dictionary: 0 BOS/EOS, 1 noun, 2 particle,
/// 3 predicate, 4 symbol.
pub const IDS: u16 = 5;

/// Connection costs of the tiny test dictionary: small, so word costs
/// decide, but asymmetric, so a transposed matrix shows.
pub fn matrix_cost(l: u16, r: u16) -> i16 {
    (10 * l + r) as i16
}

/// The lexicon of the tiny test dictionary.
pub fn lexicon() -> Vec<Entry> {
    vec![
        entry("사과", 1, 1, 100, "NNG,*,F,사과,*,*,*,*"),
        entry("사", 1, 1, 3000, "NNG,*,F,사,*,*,*,*"),
        entry("과", 2, 2, 3000, "JC,*,T,과,*,*,*,*"),
        entry("를", 2, 2, 100, "JKO,*,T,를,*,*,*,*"),
        entry("먹", 3, 3, 100, "VV,*,T,먹,*,*,*,*"),
        entry("었", 3, 3, 100, "EP,*,T,었,*,*,*,*"),
        entry("다", 3, 3, 100, "EF,*,F,다,*,*,*,*"),
        entry(
            "먹었다",
            3,
            3,
            200,
            "VV+EP+EF,*,F,먹었다,Inflect,VV,EF,먹/VV/*+었/EP/*+다/EF/*",
        ),
        entry(".", 4, 4, 100, "SF,*,*,*,*,*,*,*"),
        entry(",", 4, 4, 100, "SC,*,*,*,*,*,*,*"),
        entry("쉼표", 1, 1, 100, "NNG,*,F,\",\",*,*,*,*"),
        // Two tokens for one surface.
        entry("이", 2, 2, 500, "JKS,*,F,이,*,*,*,*"),
        entry("이", 1, 1, 800, "NP,*,F,이,*,*,*,*"),
    ]
}

/// The unknown-word entries of the tiny test dictionary.
pub fn unknown() -> Vec<Entry> {
    vec![
        entry("DEFAULT", 4, 4, 5000, "SY,*,*,*,*,*,*,*"),
        entry("SPACE", 4, 4, 100, "SP,*,*,*,*,*,*,*"),
        entry("ALPHA", 1, 1, 1000, "SL,*,*,*,*,*,*,*"),
        entry("HANGUL", 1, 1, 10000, "UNKNOWN,*,*,*,*,*,*,*"),
        entry("SYMBOL", 4, 4, 2000, "SY,*,*,*,*,*,*,*"),
    ]
}

/// Writes the tiny test dictionary's four binaries into `dir`.
pub fn write_tiny_binaries(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let files: [(&str, Vec<u8>); 4] = [
        (
            "sys.dic",
            encode_dic(&lexicon(), 0, u32::from(IDS), u32::from(IDS)),
        ),
        (
            "unk.dic",
            encode_dic(&unknown(), 2, u32::from(IDS), u32::from(IDS)),
        ),
        (
            "char.bin",
            encode_char_bin(
                &CATEGORIES,
                &[
                    (0x20, 0x20, &["SPACE"]),
                    (0x09, 0x0A, &["SPACE"]),
                    (0x21, 0x2F, &["SYMBOL"]),
                    (0x41, 0x5A, &["ALPHA"]),
                    (0x61, 0x7A, &["ALPHA"]),
                    (0xAC00, 0xD7A3, &["HANGUL"]),
                ],
            ),
        ),
        ("matrix.bin", encode_matrix(IDS, IDS, matrix_cost)),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
