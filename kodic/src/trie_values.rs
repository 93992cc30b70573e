//! Writes `ko-dic/kosum-trie-values.bin`: each trie node's key entry range.
//!
//! lindera finds the entries of a key its prefix search reaches through
//! three reads that depend on one another: the leaf child holding the key's
//! ordinal, the ordinal's range in `dict.valsidx`, then the entries in
//! `dict.vals`. Each mostly misses the processor's caches, and kosum's
//! tokenizer makes one such search per position a word can start at. With
//! this table, indexed by node like the trie itself, the walk reads a key's
//! entry range beside the node it has just reached and goes straight to the
//! entries. [`crate::trie_layout`] gives the layout of both files.

use std::path::Path;

use crate::error::{Error, Result};
use crate::trie_layout::{
    FLAG, NO_KEY, OFFSET_MASK, TRIE_VALUES_FILE, TrieParts, VALUES_HEADER_LEN, ValuesHeader, pack,
    u32_at,
};

/// The table for the trie `trie` whose keys' entries `vals_idx` indexes
/// (the bytes of `dict.trie` and `dict.valsidx`), or what is wrong with them.
pub fn trie_values(trie: &[u8], vals_idx: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let parts = TrieParts::split(trie).ok_or("dict.trie's lengths do not add up to its size")?;
    let keys = (vals_idx.len() / 4)
        .checked_sub(1)
        .ok_or("dict.valsidx is empty")?;
    let range = |ordinal: u32| -> std::result::Result<(u32, u32), String> {
        let ordinal = ordinal as usize;
        match (u32_at(vals_idx, ordinal), u32_at(vals_idx, ordinal + 1)) {
            (Some(start), Some(end)) if ordinal < keys && start <= end => Ok((start, end - start)),
            _ => Err(format!(
                "key ordinal {ordinal} has no entry range in dict.valsidx ({keys} keys)"
            )),
        }
    };
    let node_count = parts.node_count();
    let mut ranges = vec![None; node_count];
    let mut widest = 0;
    for index in 0..node_count as u32 {
        let (base, check) = parts.node(index).ok_or("a node was out of range")?;
        let ordinal = if base & FLAG != 0 {
            base & OFFSET_MASK
        } else if check & FLAG != 0 {
            let leaf = base & OFFSET_MASK;
            let (leaf_base, _) = parts
                .node(leaf)
                .ok_or_else(|| format!("node {index}'s leaf child {leaf} is out of range"))?;
            leaf_base & OFFSET_MASK
        } else {
            continue;
        };
        let (first, count) = range(ordinal)?;
        widest = widest.max(count);
        ranges[index as usize] = Some((first, count));
    }
    let count_bits = (u32::BITS - widest.leading_zeros()).max(1);
    let header = ValuesHeader {
        node_count: node_count as u32,
        entry_count: u32_at(vals_idx, keys).unwrap_or(0),
        count_bits,
    };
    let mut table = Vec::with_capacity(VALUES_HEADER_LEN + 4 * node_count);
    table.extend_from_slice(&header.to_bytes());
    for range in ranges {
        let value = match range {
            Some((first, count)) => pack(first, count, count_bits).ok_or_else(|| {
                format!("entry {first} (a key of {count} entries) does not fit a u32 with {count_bits} count bits")
            })?,
            None => NO_KEY,
        };
        table.extend_from_slice(&value.to_le_bytes());
    }
    Ok(table)
}

/// Writes the table for the built dictionary in `dictionary_dir`.
pub fn write_trie_values(dictionary_dir: &Path) -> Result<()> {
    let read = |name: &str| {
        let path = dictionary_dir.join(name);
        std::fs::read(&path).map_err(|err| Error::io("read", &path, err))
    };
    let table = trie_values(&read("dict.trie")?, &read("dict.valsidx")?).map_err(|detail| {
        Error::Incomplete {
            path: dictionary_dir.to_path_buf(),
            detail,
        }
    })?;
    let path = dictionary_dir.join(TRIE_VALUES_FILE);
    std::fs::write(&path, table).map_err(|err| Error::io("write", &path, err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trie_layout::{NO_CODE, split_values, unpack};

    /// A trie of the keys "a" (ordinal 0), "ab" (1) and "b" (2), built by
    /// hand: codes a = 1, b = 2 (chars 1 and 2); node 0 is the root (base 4); "a" is node
    /// 5 with a leaf child at node 8, "ab" node 10 (a leaf) and "b" node 6
    /// (a leaf).
    fn tiny_trie() -> Vec<u8> {
        // The code table covers chars 0..3: char 1 has code 1, char 2 code 2.
        let mut words = vec![3u32, NO_CODE, 1, 2];
        let mut nodes = [[0u32, OFFSET_MASK]; 11];
        nodes[0] = [4, 0];
        nodes[5] = [8, FLAG];
        nodes[8] = [FLAG, 5];
        nodes[10] = [FLAG | 1, 5];
        nodes[6] = [FLAG | 2, 0];
        words.push(3); // alphabet size
        words.push(nodes.len() as u32);
        words.extend(nodes.iter().flatten());
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn valsidx(sums: &[u32]) -> Vec<u8> {
        sums.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    #[test]
    fn every_node_a_key_ends_at_gets_that_keys_entries() {
        // "a" has entries 0..2, "ab" 2..3, "b" 3..7.
        let table = trie_values(&tiny_trie(), &valsidx(&[0, 2, 3, 7])).unwrap();
        let (header, values) = split_values(&table).unwrap();
        let expected = ValuesHeader {
            node_count: 11,
            entry_count: 7,
            count_bits: 3, // the widest key has 4 entries
        };
        assert_eq!(header, expected);
        let bits = header.count_bits;
        let value = |node| u32_at(values, node).unwrap();
        assert_eq!(unpack(value(5), bits), (0, 2));
        assert_eq!(unpack(value(10), bits), (2, 1));
        assert_eq!(unpack(value(6), bits), (3, 4));
        // The leaf child is a leaf, so it has a value too; every other node
        // has none.
        assert_eq!(unpack(value(8), bits), (0, 2));
        for node in [0, 1, 2, 3, 4, 7, 9] {
            assert_eq!(value(node), NO_KEY, "node {node}");
        }
    }

    #[test]
    fn inconsistent_files_are_refused_with_the_reason() {
        let short = trie_values(&tiny_trie(), &valsidx(&[0, 2, 3])).unwrap_err();
        assert!(short.contains("key ordinal 2"), "{short}");
        let trie = tiny_trie();
        let cut = trie_values(&trie[..trie.len() - 4], &valsidx(&[0, 2, 3, 7])).unwrap_err();
        assert!(cut.contains("add up"), "{cut}");
        let empty = trie_values(&trie, &[]).unwrap_err();
        assert!(empty.contains("empty"), "{empty}");
    }
}
