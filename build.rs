//! Links the `tracuu` binary as a position-dependent executable on Linux with GNU tools when it
//! is linked dynamically (`.cargo/config.toml` links it statically, which is already so).
//!
//! A search is mostly process start-up. A position-independent executable has its 35,000
//! pointers in read-only data relocated by the loader at every start, which copies some 170
//! pages: a third of the page faults of a search, and about a millisecond. Linked without PIE,
//! the pointers are fixed at link time. The cost is that the executable's own code is not at a
//! random address (ASLR still moves the libraries, the heap and the stack).
//! `TRACUU_PIE=1 RUSTFLAGS= cargo build --release` keeps PIE.

fn main() {
    println!("cargo::rerun-if-env-changed=TRACUU_PIE");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let linux_gnu = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    // A static glibc binary gets its relocation model from rustc's flags: adding `-no-pie` to a
    // static-pie link would make a binary that crashes at start.
    let static_crt = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    let keep_pie = var("TRACUU_PIE") == "1";
    if linux_gnu && !static_crt && !keep_pie {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
