//! Compiles the builtin models when the extension module is built, as `awal-cli`'s
//! build script does for the binary (see there): the Darija transliteration model and the
//! default language-ID model are trained here and embedded, so a Python process (a Spark
//! or Ray worker, a `datasets.map` subprocess) does not train them on first use.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    awal_translit::arabizi::write_builtin(&out).expect("the builtin translit model is written");
    awal_lid::write_default_model(&out).expect("the default LID model is trained and written");
    println!("cargo:rerun-if-changed=build.rs");
}
