//! The builtin models, compiled by `build.rs` when the binary was built, handed to the
//! libraries before any command runs so that none of them trains a model at start-up
//! (one-line `awal translit` and `awal detect` runs take milliseconds, not the few hundred
//! the training takes). Outputs are the same as with models trained at run time: the build
//! script trains them with the same code and data (`tests/cli.rs` checks it).

/// Set to train the models at start-up as a library user would (to measure what the
/// embedding saves, `benches/startup.sh`, and to check that outputs are the same).
const TRAIN_VAR: &str = "AWAL_TRAIN_MODELS";

/// Installs the embedded models (a no-op for one already installed), unless
/// `AWAL_TRAIN_MODELS` is set.
pub fn install() {
    if std::env::var_os(TRAIN_VAR).is_some() {
        return;
    }
    awal_translit::arabizi::install_builtin(include_bytes!(concat!(
        env!("OUT_DIR"),
        "/ary-translit.bin"
    )));
    awal_lid::install_default_model(include_bytes!(concat!(env!("OUT_DIR"), "/lid-default.bin")));
}
