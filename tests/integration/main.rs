//! The integration tests: one binary, one module per area (as ripgrep, krilla and typst do).
//! Plain `cargo test` runs every test that needs no external program; modules and tests that
//! need poppler, veraPDF, Chromium or kill processes are in the `oracles` tier
//! (`cargo test --features oracles`, installed and run by `bash tests/run-all.sh`).

mod common;

#[cfg(feature = "serve")]
mod browser;
mod changes;
mod cli;
mod collection;
mod constructs;
mod container;
mod external_tools;
mod failsafe;
mod fidelity;
mod generated;
mod html;
mod large_print;
mod layout;
mod logo;
mod output_safety;
mod pack;
mod parity;
mod preview;
mod regression;
mod rich_text;
mod seal;
#[cfg(feature = "serve")]
mod serve;
mod stress;
mod tables;
mod typography;
mod verify;
mod way_back;
mod what_changed;
