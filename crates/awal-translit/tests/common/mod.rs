//! Helpers shared by the gold-set tests.

use awal_translit::arabizi::Model;
use awal_translit::eval::normalize_arabic;

/// The built-in model's Arabic for a Latin phrase.
pub fn arabic(latin: &str) -> String {
    Model::builtin().to_arabic(latin, false)
}

/// Exact phrases (after `normalize_arabic`) and rows of a `latin<TAB>arabic…` gold file
/// with a header; prints the misses, so a failing gate shows what changed.
pub fn exact_and_rows(gold: &str) -> (usize, usize) {
    let mut rows = 0;
    let mut exact = 0;
    for line in gold.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(latin), Some(expected)) = (cols.next(), cols.next()) else {
            continue;
        };
        rows += 1;
        let got = arabic(latin);
        if normalize_arabic(&got) == normalize_arabic(expected) {
            exact += 1;
        } else {
            eprintln!("{latin}\texpected {expected}\tgot {got}");
        }
    }
    (exact, rows)
}
