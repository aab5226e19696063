//! Links the `tracuu` binary as a position-dependent executable on Linux with GNU tools.
//!
//! A search is mostly process start-up. A position-independent executable has its 35,000
//! pointers in read-only data relocated by the loader at every start, which copies some 170
//! pages: a third of the page faults of a search, and about a millisecond. Linked without PIE,
//! the pointers are fixed at link time. The cost is that the executable's own code is not at a
//! random address (ASLR still moves the libraries, the heap and the stack).
//! `TRACUU_PIE=1 cargo build --release` keeps PIE.

fn main() {
    println!("cargo::rerun-if-env-changed=TRACUU_PIE");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let keep_pie = std::env::var_os("TRACUU_PIE").is_some_and(|v| v == "1");
    if linux_gnu && !keep_pie {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
