//! `make generate` (`cargo run -p migo-gen`) writes the generated files;
//! `--check` writes nothing and fails while one of them is stale.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let check = std::env::args().skip(1).any(|a| a == "--check");
    let result = if check { migo_gen::stale(&root) } else { migo_gen::write(&root).map(|_| Vec::new()) };
    match result {
        Ok(stale) if stale.is_empty() => ExitCode::SUCCESS,
        Ok(stale) => {
            eprintln!("stale: run `{}` ({})", migo_gen::COMMAND, stale.join(", "));
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("migo-gen: {e}");
            ExitCode::FAILURE
        }
    }
}
