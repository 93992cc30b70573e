//! Any bytes as each of MeCab's compiled dictionary files: the decompiler
//! returns a result or an error, never panics or hangs.
#![no_main]

use std::path::Path;

use kosum_kodic::decompile::{parse_char_bin, parse_dic, parse_matrix_bin};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz-input");
    let _ = parse_dic(data, path);
    let _ = parse_char_bin(data, path);
    let _ = parse_matrix_bin(data, path);
});
