//! The layout of lindera 6.2's serialized trie (`dict.trie`) and of kosum's
//! table of entry ranges by trie node ([`TRIE_VALUES_FILE`]).
//!
//! The build writes the table ([`crate::trie_values`]) and kosum's tokenizer
//! walks the trie with it, so both read these bytes the same way. kosum does
//! not depend on this crate at run time, so it includes this file by path;
//! it must therefore use nothing but `core` and `std`.
//!
//! `dict.trie` (crawdad 0.4's serialization, which lindera pins and walks
//! in place): a `u32` code-table length `t`, `t` `u32` codes (a char's code
//! is `table[c as usize]`, `u32::MAX` for a char in no key), a `u32`
//! alphabet size, a `u32` node count `n`, then `n` nodes of two `u32`s,
//! `base` and `check`, all little endian. The child of node `i` by code `c`
//! is node `(base_i & OFFSET_MASK) ^ c`, which exists when its `check &
//! OFFSET_MASK` is `i`. A `base` with [`FLAG`] set makes the node a leaf
//! whose `base` holds a key's ordinal instead of a child offset; a `check`
//! with [`FLAG`] set says that a key ends at the node, its ordinal in the
//! `base` of the leaf child at `base & OFFSET_MASK` (code 0, the end
//! marker). A key's ordinal indexes `dict.valsidx`, `u32` prefix sums of the
//! entries per key, into `dict.vals`.
//!
//! [`TRIE_VALUES_FILE`]: [`VALUES_HEADER_LEN`] bytes of header ([`MAGIC`],
//! then as `u32`s [`TRIE_VALUES_FORMAT`], the trie's node count, the
//! number of entries in `dict.vals`, and the number of low bits that hold
//! an entry count), then one little-endian `u32` per trie node: [`NO_KEY`], or the first entry and entry count of the key that ends
//! at the node ([`pack`]). A walk then reads a key's entry range beside the
//! node it is at, instead of through the leaf child and `dict.valsidx`.

/// File name of the table inside the built `ko-dic/` folder.
pub const TRIE_VALUES_FILE: &str = "kosum-trie-values.bin";

/// The table's first four bytes.
pub const MAGIC: [u8; 4] = *b"KSTV";

/// The table's format; part of the dictionary cache key.
pub const TRIE_VALUES_FORMAT: u32 = 1;

/// Bytes of the table's header.
pub const VALUES_HEADER_LEN: usize = 20;

/// The flag bit of a node's `base` (leaf) and `check` (a key ends here).
pub const FLAG: u32 = 0x8000_0000;

/// The offset bits of a node's `base` and `check`.
pub const OFFSET_MASK: u32 = 0x7fff_ffff;

/// A char's code when no key contains it.
pub const NO_CODE: u32 = u32::MAX;

/// The table's value for a node no key ends at.
pub const NO_KEY: u32 = u32::MAX;

/// The little-endian `u32` at `index` (in `u32`s) of `bytes`.
#[inline(always)]
pub fn u32_at(bytes: &[u8], index: usize) -> Option<u32> {
    let word = bytes.get(index.checked_mul(4)?..)?.first_chunk()?;
    Some(u32::from_le_bytes(*word))
}

/// `dict.trie` split into its code table and its nodes.
#[derive(Debug, Clone, Copy)]
pub struct TrieParts<'a> {
    /// The code table, [`u32_at`] by char.
    pub table: &'a [u8],
    /// The nodes, eight bytes each: `base` is `u32` number `2i`, `check`
    /// number `2i + 1`.
    pub nodes: &'a [u8],
}

impl<'a> TrieParts<'a> {
    /// Splits `dict.trie`'s bytes; `None` if the lengths it declares do not
    /// add up to its size.
    pub fn split(trie: &'a [u8]) -> Option<Self> {
        let table_len = usize::try_from(u32_at(trie, 0)?).ok()?;
        let table_end = table_len.checked_add(1)?.checked_mul(4)?;
        let node_count = usize::try_from(u32_at(trie, table_len + 2)?).ok()?;
        let nodes_start = table_end.checked_add(8)?;
        if nodes_start.checked_add(node_count.checked_mul(8)?)? != trie.len() {
            return None;
        }
        Some(TrieParts {
            table: &trie[4..table_end],
            nodes: &trie[nodes_start..],
        })
    }

    /// How many nodes the trie has.
    pub fn node_count(&self) -> usize {
        self.nodes.len() / 8
    }

    /// Node `index`'s `(base, check)`, flags included.
    #[inline(always)]
    pub fn node(&self, index: u32) -> Option<(u32, u32)> {
        let start = usize::try_from(index).ok()?.checked_mul(8)?;
        let node: &[u8; 8] = self.nodes.get(start..)?.first_chunk()?;
        let (base, check) = node.split_at(4);
        Some((
            u32::from_le_bytes(base.try_into().ok()?),
            u32::from_le_bytes(check.try_into().ok()?),
        ))
    }
}

/// A key's first entry and entry count as one table value, with the count
/// in the low `count_bits` bits; `None` if they do not fit (or would read
/// as [`NO_KEY`]).
pub fn pack(first_entry: u32, count: u32, count_bits: u32) -> Option<u32> {
    if count_bits == 0 || count_bits >= 32 || count >> count_bits != 0 {
        return None;
    }
    if first_entry >> (32 - count_bits) != 0 {
        return None;
    }
    let value = first_entry << count_bits | count;
    (value != NO_KEY).then_some(value)
}

/// The first entry and entry count a table value holds.
#[inline(always)]
pub fn unpack(value: u32, count_bits: u32) -> (u32, u32) {
    (value >> count_bits, value & ((1 << count_bits) - 1))
}

/// What a table's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValuesHeader {
    /// Nodes of the trie the table is for (and values in the table).
    pub node_count: u32,
    /// Entries in the `dict.vals` the values index.
    pub entry_count: u32,
    /// Low bits of a value that hold the entry count ([`unpack`]).
    pub count_bits: u32,
}

impl ValuesHeader {
    /// The header's bytes.
    pub fn to_bytes(self) -> [u8; VALUES_HEADER_LEN] {
        let mut header = [0; VALUES_HEADER_LEN];
        header[..4].copy_from_slice(&MAGIC);
        let words = [
            TRIE_VALUES_FORMAT,
            self.node_count,
            self.entry_count,
            self.count_bits,
        ];
        for (at, word) in header[4..].chunks_exact_mut(4).zip(words) {
            at.copy_from_slice(&word.to_le_bytes());
        }
        header
    }
}

/// A table's header and its values; `None` unless the header is this
/// format's and the values are whole.
pub fn split_values(table: &[u8]) -> Option<(ValuesHeader, &[u8])> {
    let header = table.get(..VALUES_HEADER_LEN)?;
    if header[..4] != MAGIC || u32_at(header, 1)? != TRIE_VALUES_FORMAT {
        return None;
    }
    let parsed = ValuesHeader {
        node_count: u32_at(header, 2)?,
        entry_count: u32_at(header, 3)?,
        count_bits: u32_at(header, 4)?,
    };
    let values = &table[VALUES_HEADER_LEN..];
    if values.len() != usize::try_from(parsed.node_count).ok()?.checked_mul(4)?
        || !(1..32).contains(&parsed.count_bits)
    {
        return None;
    }
    Some((parsed, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_pack_and_unpack_within_their_bits() {
        assert_eq!(
            pack(814_037, 28, 5).map(|v| unpack(v, 5)),
            Some((814_037, 28))
        );
        assert_eq!(pack(0, 0, 1).map(|v| unpack(v, 1)), Some((0, 0)));
        assert_eq!(pack(1, 32, 5), None, "count too wide");
        assert_eq!(pack(1 << 27, 1, 5), None, "first entry too wide");
        assert_eq!(pack(u32::MAX >> 5, 31, 5), None, "reads as NO_KEY");
        assert_eq!(pack(1, 1, 0), None);
    }

    #[test]
    fn a_table_header_round_trips_and_a_wrong_one_is_refused() {
        let header = ValuesHeader {
            node_count: 2,
            entry_count: 9,
            count_bits: 5,
        };
        let mut table = header.to_bytes().to_vec();
        table.extend_from_slice(&NO_KEY.to_le_bytes());
        table.extend_from_slice(&7u32.to_le_bytes());
        let (read, values) = split_values(&table).unwrap();
        assert_eq!((read, u32_at(values, 1)), (header, Some(7)));
        assert!(split_values(&table[..table.len() - 1]).is_none(), "short");
        let mut wrong = table.clone();
        wrong[0] = b'X';
        assert!(split_values(&wrong).is_none(), "magic");
        let mut later = table;
        later[4] = 2;
        assert!(split_values(&later).is_none(), "format");
    }

    #[test]
    fn a_trie_splits_into_table_and_nodes_only_when_its_lengths_add_up() {
        let words = [2u32, 9, 10, 3, 2, 1, 2, 3, 4];
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let parts = TrieParts::split(&bytes).unwrap();
        assert_eq!(u32_at(parts.table, 1), Some(10));
        assert_eq!(parts.node_count(), 2);
        assert_eq!(parts.node(1), Some((3, 4)));
        assert_eq!(parts.node(2), None);
        assert!(TrieParts::split(&bytes[..bytes.len() - 4]).is_none());
    }
}
