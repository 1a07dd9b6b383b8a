//! Compiles the builtin models when the binary is built, so that `awal` starts without
//! training them: the Darija transliteration model (`awal_translit::arabizi`) and the
//! default language-ID model (`awal_lid`) are trained here, from the same embedded
//! lexicons and sentences the libraries would train on at run time, and written to
//! `OUT_DIR`; `src/models.rs` embeds them and installs them before any command runs.
//! A change to either library rebuilds it and so re-runs this script: the embedded models
//! are always those of the code being built.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    awal_translit::arabizi::write_builtin(&out).expect("the builtin translit model is written");
    awal_lid::write_default_model(&out).expect("the default LID model is trained and written");
    println!("cargo:rerun-if-changed=build.rs");
}
