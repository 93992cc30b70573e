//! The system dictionary's keys, found by walking lindera's trie with the
//! build's table of entry ranges by trie node.
//!
//! lindera's own prefix search reaches a key's entries through three reads
//! that depend on one another: the key's leaf in the trie, its range in
//! `dict.valsidx`, then the entries. All three mostly miss the processor's
//! caches, and the tokenizer searches at every position a word can start
//! at. The build writes, per trie node, the entry range of the key that ends
//! there (`kosum-trie-values.bin`, see kodic's `trie_values`), so this walk
//! reads the range beside the node it has just reached and the entries come
//! one read later. It walks the same bytes lindera walks and finds the same
//! keys; a test compares the two over every key of the dictionary.

#[path = "../../kodic/src/trie_layout.rs"]
#[allow(dead_code)] // the build's half of the layout is used by kodic only
mod layout;

use layout::{FLAG, NO_CODE, NO_KEY, OFFSET_MASK, TrieParts, split_values, u32_at, unpack};

/// A key found by [`SystemTrie::prefixes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key {
    /// The key's first entry in the dictionary's entry data (in entries).
    pub first_entry: u32,
    /// How many entries the key has (possibly none).
    pub entries: u32,
    /// The key's length in chars.
    pub chars: usize,
}

/// lindera's trie (`dict.trie`) and the table of entry ranges by node.
#[derive(Debug)]
pub(super) struct SystemTrie {
    parts: TrieParts<'static>,
    values: &'static [u8],
    count_bits: u32,
    /// The root node's base, where every walk starts.
    root_base: u32,
}

impl SystemTrie {
    /// Reads the trie and its table, checking that the table is for this
    /// trie and for `entry_count` entries.
    pub fn new(
        trie: &'static [u8],
        table: &'static [u8],
        entry_count: usize,
    ) -> Result<Self, String> {
        let rebuild = "rebuild kosum so the build script makes the dictionary again";
        let parts = TrieParts::split(trie)
            .ok_or_else(|| format!("the embedded dict.trie is malformed; {rebuild}"))?;
        let (header, values) = split_values(table).ok_or_else(|| {
            format!(
                "the embedded kosum-trie-values.bin is malformed or of another format; {rebuild}"
            )
        })?;
        if header.node_count as usize != parts.node_count()
            || header.entry_count as usize != entry_count
        {
            return Err(format!(
                "the embedded kosum-trie-values.bin is for {} trie nodes and {} entries, \
                 the dictionary has {} and {entry_count}; {rebuild}",
                header.node_count,
                header.entry_count,
                parts.node_count()
            ));
        }
        let (root_base, _) = parts
            .node(0)
            .ok_or_else(|| format!("the embedded dict.trie has no nodes; {rebuild}"))?;
        Ok(Self {
            parts,
            values,
            count_bits: header.count_bits,
            root_base,
        })
    }

    /// The trie's code for `c`, or [`NO_CODE`] if no key contains it.
    #[inline]
    pub fn code(&self, c: char) -> u32 {
        u32_at(self.parts.table, c as usize).unwrap_or(NO_CODE)
    }

    /// Hands `found` every key that is a prefix of the chars whose codes
    /// ([`SystemTrie::code`]) are `codes`, shortest first.
    #[inline(always)]
    pub fn prefixes(&self, codes: &[u32], mut found: impl FnMut(Key)) {
        let mut node = 0;
        let mut base = self.root_base;
        for (read, &code) in codes.iter().enumerate() {
            // A leaf's base holds a key's ordinal, not where children are.
            if code == NO_CODE || base & FLAG != 0 {
                return;
            }
            let child = (base & OFFSET_MASK) ^ code;
            let Some((child_base, child_check)) = self.parts.node(child) else {
                return;
            };
            if child_check & OFFSET_MASK != node {
                return;
            }
            node = child;
            base = child_base;
            // A key ends at a leaf (flag in the base) and at a node with a
            // leaf child (flag in the check).
            if (child_base | child_check) & FLAG != 0 {
                let value = u32_at(self.values, child as usize).unwrap_or(NO_KEY);
                if value == NO_KEY {
                    return;
                }
                let (first_entry, entries) = unpack(value, self.count_bits);
                found(Key {
                    first_entry,
                    entries,
                    chars: read + 1,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::{embedded, lattice::ENTRY_LEN, system_dictionary, system_trie};
    use lindera_dictionary::dictionary::prefix_dictionary::PrefixDictionary;

    /// The keys lindera's own search finds as `(first entry, entries,
    /// chars)`, from where its entry slices lie in the entry data.
    fn lindera_keys(prefix: &PrefixDictionary, chars: &[char]) -> Vec<Key> {
        let data: &[u8] = &prefix.vals_data;
        prefix
            .common_prefix_search(chars)
            .map(|(entries, chars)| {
                let start = entries.as_ptr() as usize - data.as_ptr() as usize;
                assert!(start + entries.len() <= data.len());
                Key {
                    first_entry: (start / ENTRY_LEN) as u32,
                    entries: (entries.len() / ENTRY_LEN) as u32,
                    chars,
                }
            })
            .collect()
    }

    fn our_keys(trie: &SystemTrie, chars: &[char]) -> Vec<Key> {
        let codes: Vec<u32> = chars.iter().map(|&c| trie.code(c)).collect();
        let mut keys = Vec::new();
        trie.prefixes(&codes, |key| keys.push(key));
        keys
    }

    /// Every key of the dictionary, spelled out from the trie: each node
    /// records its parent in `check`, and the code that leads to it is its
    /// index XOR the parent's base. (Code 0 is the end marker that leads to
    /// a leaf child, so a spelling through it is left out.)
    fn every_key(parts: &TrieParts) -> Vec<Vec<char>> {
        let mut char_of_code = std::collections::HashMap::new();
        for c in (0..parts.table.len() / 4).filter_map(|code| char::from_u32(code as u32)) {
            let code = u32_at(parts.table, c as usize).unwrap();
            if code != NO_CODE && code != 0 {
                char_of_code.insert(code, c);
            }
        }
        let spell = |mut node: u32| -> Option<Vec<char>> {
            let mut chars = Vec::new();
            while node != 0 {
                let (_, check) = parts.node(node)?;
                let parent = check & OFFSET_MASK;
                let (parent_base, _) = parts.node(parent)?;
                if parent_base & FLAG != 0 || chars.len() > 256 {
                    return None;
                }
                chars.push(*char_of_code.get(&((parent_base & OFFSET_MASK) ^ node))?);
                node = parent;
            }
            chars.reverse();
            Some(chars)
        };
        (1..parts.node_count() as u32)
            .filter(|&node| {
                let (base, check) = parts.node(node).unwrap();
                (base | check) & FLAG != 0
            })
            .filter_map(spell)
            .collect()
    }

    #[test]
    fn every_key_of_the_dictionary_is_found_with_the_entries_lindera_finds() {
        let dictionary = system_dictionary().unwrap();
        let trie = system_trie().unwrap();
        let (trie_bytes, _) = embedded::trie_and_values();
        let keys = every_key(&TrieParts::split(trie_bytes).unwrap());
        let prefix = &dictionary.prefix_dictionary;
        let distinct: std::collections::HashSet<&Vec<char>> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len());
        assert!(keys.len() > 700_000, "{} keys", keys.len());
        let mut entries = 0;
        for key in &keys {
            let ours = our_keys(trie, key);
            assert_eq!(
                ours,
                lindera_keys(prefix, key),
                "{}",
                String::from_iter(key)
            );
            assert_eq!(ours.last().map(|found| found.chars), Some(key.len()));
            entries += ours.last().unwrap().entries as usize;
        }
        // The keys' ranges cover the entry data exactly: no key was missed.
        assert_eq!(
            entries * ENTRY_LEN,
            prefix.vals_data.len(),
            "every entry once"
        );
    }

    #[test]
    fn text_with_chars_in_no_key_finds_what_lindera_finds() {
        let dictionary = system_dictionary().unwrap();
        let trie = system_trie().unwrap();
        // U+FFFF has the end marker's code, 0.
        let text =
            "마이크로소프트가 오픈AI에 투자\u{FFFF}했다. 😀 \u{10FFFF}값 ＡＢＣ 1,000원 ㅋㅋ";
        let chars: Vec<char> = text.chars().collect();
        let mut found = 0;
        for start in 0..chars.len() {
            let ours = our_keys(trie, &chars[start..]);
            found += ours.len();
            assert_eq!(
                ours,
                lindera_keys(&dictionary.prefix_dictionary, &chars[start..])
            );
        }
        assert!(found > 20, "{found} keys found");
    }

    #[test]
    fn a_table_for_another_trie_is_refused_with_what_to_do() {
        let dictionary = system_dictionary().unwrap();
        let entries = dictionary.prefix_dictionary.vals_data.len() / ENTRY_LEN;
        let (trie, values) = embedded::trie_and_values();
        assert!(SystemTrie::new(trie, values, entries).is_ok());
        let error = SystemTrie::new(trie, values, entries + 1).unwrap_err();
        assert!(error.contains("rebuild kosum"), "{error}");
        let error = SystemTrie::new(trie, &values[..values.len() - 4], entries).unwrap_err();
        assert!(error.contains("malformed"), "{error}");
        let error = SystemTrie::new(&trie[..trie.len() - 8], values, entries).unwrap_err();
        assert!(error.contains("dict.trie"), "{error}");
    }
}
