//! The `kosum` command line: a thin layer that parses arguments, reads
//! inputs and writes results; all analysis is in the `kosum` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
