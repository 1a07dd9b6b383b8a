//! Checks on a scheme table that a linguist should see before using it.
//!
//! Three kinds of problem, each tied to the line of the offending row:
//! * **duplicate keys**: two rows read the same key in the same direction; only the
//!   first would ever apply;
//! * **unreachable keys**: a Latin key that input can never contain once it is folded
//!   (upper case, a decomposed accent, a Greek look-alike the pivot folds away);
//! * **broken round trips**: in a scheme marked `@round-trip yes`, a `both` row whose
//!   native text does not come back to itself through Latin, or the reverse.

use std::collections::HashMap;

use crate::scheme::{strip_anchors, Diagnostic, Direction, RowRule, Scheme, SchemeKind};
use crate::translit::{fold, folded_form, from_latin, to_latin, Options};

pub(crate) fn validate(scheme: &Scheme, pivot: Option<&Scheme>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    duplicate_keys(scheme, &mut found);
    if let Some(pivot) = pivot {
        unreachable_latin_keys(scheme, pivot, &mut found);
    }
    if scheme.kind == SchemeKind::Script && scheme.round_trip {
        broken_round_trips(scheme, &mut found);
    }
    if scheme.kind == SchemeKind::Pivot {
        fold_is_stable(scheme, &mut found);
    }
    found.sort_by_key(|d| d.line);
    found
}

fn duplicate_keys(scheme: &Scheme, found: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(bool, &str), usize> = HashMap::new();
    let mut candidates: HashMap<(&str, &str, String), usize> = HashMap::new();
    for row in &scheme.rows {
        if let RowRule::Candidate { at, .. } = row.rule {
            let key = (row.native.as_str(), row.latin.as_str(), format!("{at:?}"));
            if let Some(&first) = candidates.get(&key) {
                found.push(Diagnostic {
                    line: row.line,
                    message: format!(
                        "duplicate candidate `{}` -> `{}` (first defined on line {first})",
                        row.latin, row.native
                    ),
                });
            } else {
                candidates.insert(key, row.line);
            }
            continue;
        }
        let (reads_native, reads_latin) = match row.rule {
            RowRule::Map(Direction::Both) => (true, true),
            RowRule::Map(Direction::ToLatin) | RowRule::Fold(_) => (true, false),
            RowRule::Map(Direction::FromLatin) => (false, true),
            RowRule::Candidate { .. } => (false, false),
        };
        for (reads, native_side, key) in [
            (reads_native, true, row.native.as_str()),
            (reads_latin, false, row.latin.as_str()),
        ] {
            if !reads {
                continue;
            }
            if let Some(first) = seen.insert((native_side, key), row.line) {
                found.push(Diagnostic {
                    line: row.line,
                    message: format!(
                        "duplicate key `{key}` (first defined on line {first}); this row never applies"
                    ),
                });
                seen.insert((native_side, key), first);
            }
        }
    }
}

fn unreachable_latin_keys(scheme: &Scheme, pivot: &Scheme, found: &mut Vec<Diagnostic>) {
    for row in &scheme.rows {
        let key = match (scheme.kind, row.rule) {
            (SchemeKind::Script, RowRule::Map(Direction::Both | Direction::FromLatin)) => {
                &row.latin
            }
            _ => continue,
        };
        let (bare, _, _) = strip_anchors(key);
        let folded = folded_form(pivot, bare);
        if folded != bare {
            found.push(Diagnostic {
                line: row.line,
                message: format!(
                    "unreachable: Latin input is folded before matching, so `{bare}` arrives as `{folded}`"
                ),
            });
        }
    }
}

fn broken_round_trips(scheme: &Scheme, found: &mut Vec<Diagnostic>) {
    let (to, from) = (to_latin(scheme), from_latin(scheme));
    let run = |m: &crate::matcher::Matcher, text: &str| {
        let mut out = String::new();
        m.apply(text, &mut out);
        out
    };
    for row in &scheme.rows {
        if row.rule != RowRule::Map(Direction::Both) {
            continue;
        }
        let native = strip_anchors(&row.native).0;
        let latin = strip_anchors(&row.latin).0;
        let there = run(&to, native);
        let back = run(&from, &there);
        if there != latin || back != native {
            found.push(Diagnostic {
                line: row.line,
                message: format!(
                    "round trip broken: `{native}` -> `{there}` -> `{back}` (row says `{latin}`)"
                ),
            });
            continue;
        }
        let native_again = run(&from, latin);
        if native_again != native {
            found.push(Diagnostic {
                line: row.line,
                message: format!(
                    "round trip broken: `{latin}` is written `{native_again}`, not `{native}`"
                ),
            });
        }
    }
}

/// A folded canonical letter must not fold again (`a -> b`, `b -> c` chains never finish
/// in one pass).
fn fold_is_stable(pivot: &Scheme, found: &mut Vec<Diagnostic>) {
    let all = fold(
        pivot,
        Options {
            ascii_fallbacks: true,
            ..Options::default()
        },
    );
    for row in &pivot.rows {
        let mut again = String::new();
        all.apply(&row.latin, &mut again);
        if again != row.latin {
            found.push(Diagnostic {
                line: row.line,
                message: format!(
                    "canonical `{}` is itself folded to `{again}`; fold to the final letter",
                    row.latin
                ),
            });
        }
    }
}
