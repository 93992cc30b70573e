//! The `kosum` command line: a thin layer that parses arguments, reads
//! inputs and writes results; all analysis is in the `kosum` library.

mod cli;

/// The command allocates from mimalloc instead of the C library's malloc.
///
/// Each document's analysis makes hundreds of short-lived allocations
/// (morpheme lists, term maps, graphs, the JSON line: 46,719 over the 53
/// konlpy documents, start-up included, and 4,325 reallocations, counted
/// with callgrind) and frees them at its end. With glibc's malloc its
/// allocation functions took 5.9% of that run's instructions (14.6 of
/// 246.2 M). With mimalloc the run takes 3.9% fewer
/// instructions (246.2 → 236.5 M, callgrind, one thread, output
/// byte-identical) and 4.7% fewer over 10,000 small documents. Its
/// transparent huge pages are left off (`no_thp`): with them a one-line
/// run's peak RSS was 41 MB instead of 21 MB, for no measurable gain in
/// speed. Figures and timings: benches/RESULTS.md, "Runs 70–87".
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
