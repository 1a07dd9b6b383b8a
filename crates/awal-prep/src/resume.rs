//! What `--resume` checks before it trusts a checkpoint, and the test-only pause points
//! that let the kill-and-resume soak test (`tests/soak/kill_resume.py`) stop a run at the
//! two moments a crash is most delicate.
//!
//! # Input identity
//!
//! A checkpoint says "the first N items of these inputs are done". That is only true if
//! the inputs still hold the same bytes: resuming a changed file from the old item count
//! would silently mix two versions of it. Hashing every input in full at each start would
//! cost a second read of the whole corpus, so each regular file is identified by what is
//! cheap and catches real changes: its size, its modification time, and the SHA-256 of its
//! first and last 64 KiB (the whole file when it is smaller). An append, a truncation, a
//! rewrite or a copy over it changes at least one of them. Standard input and other
//! non-regular files (pipes, `<(zcat …)`) cannot be identified without consuming them, so
//! they are not: resuming them trusts the caller to feed the same stream again.
//!
//! # Test-only pause points
//!
//! `AWAL_TEST_PAUSE_AT=POINT[:N]` (POINT = `shard-rename` or `checkpoint-write`, N the
//! 1-based occurrence in this process, default 1) makes the writer stop there: it creates
//! the file named by `AWAL_TEST_PAUSE_MARKER` and sleeps [`PAUSE`], so a test can SIGKILL
//! the process at exactly that moment. The variable is read once; when it is unset (any
//! real run) the hook is one relaxed atomic load. It exists for the soak test only.
//! `AWAL_TEST_PANIC_AT=reader` likewise makes the input reader thread panic, for the test
//! that a worker's panic is reported as an error.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::source::{hex, Input};
use crate::Error;

/// Bytes hashed at each end of an input.
const END_BYTES: u64 = 64 * 1024;

/// How long a test pause lasts: far longer than a test needs to deliver its SIGKILL, short
/// enough that a forgotten pause only slows a run down.
const PAUSE: Duration = Duration::from_secs(30);

/// The identity of one regular input file when a run started (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InputIdentity {
    /// The input name, as in the manifest.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Modification time as (seconds, nanoseconds) since the Unix epoch, where the file
    /// system has one.
    pub modified: Option<(u64, u32)>,
    /// SHA-256 of the first and last [`END_BYTES`] (each byte once), hex.
    pub ends_sha256: String,
}

/// The identities of the inputs that are regular files, in input order.
pub(crate) fn identify_inputs(inputs: &[Input]) -> Result<Vec<InputIdentity>, Error> {
    let mut identities = Vec::new();
    for input in inputs {
        let Input::File(path) = input else { continue };
        let open_err = |source| Error::Open {
            path: path.clone(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(open_err)?;
        if !meta.is_file() {
            continue;
        }
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| (d.as_secs(), d.subsec_nanos()));
        identities.push(InputIdentity {
            path: input.name(),
            bytes: meta.len(),
            modified,
            ends_sha256: hash_ends(path, meta.len()).map_err(open_err)?,
        });
    }
    Ok(identities)
}

/// SHA-256 of the first and the last [`END_BYTES`] of a file of `len` bytes; the two
/// ranges do not overlap, so a small file is hashed exactly once in full.
fn hash_ends(path: &Path, len: u64) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let head = len.min(END_BYTES);
    io::copy(&mut (&mut file).take(head), &mut hasher)?;
    let tail_start = head.max(len.saturating_sub(END_BYTES));
    file.seek(SeekFrom::Start(tail_start))?;
    io::copy(&mut file.take(len - tail_start), &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

/// Checks that every input a checkpoint identified is unchanged; the first that is not is
/// an [`Error::InputChanged`] naming it. The input names are already known to match
/// (they are part of the run's fingerprint), so the lists are compared by path.
pub(crate) fn check_unchanged(saved: &[InputIdentity], now: &[InputIdentity]) -> Result<(), Error> {
    for old in saved {
        let what = match now.iter().find(|n| n.path == old.path) {
            None => "it is no longer a regular file".to_string(),
            Some(new) if new.bytes != old.bytes => {
                format!("size {} -> {} bytes", old.bytes, new.bytes)
            }
            Some(new) if new.ends_sha256 != old.ends_sha256 => {
                "the content of its first or last 64 KiB differs".to_string()
            }
            Some(new) if new.modified != old.modified => "its modification time differs".into(),
            Some(_) => continue,
        };
        return Err(Error::InputChanged {
            path: PathBuf::from(&old.path),
            what,
        });
    }
    Ok(())
}

/// A moment of the writer where the soak test may kill the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PausePoint {
    /// A finished, synced shard temp file, just before its rename to the final name.
    ShardRename,
    /// A checkpoint written to its temp file, just before the rename that commits it.
    CheckpointWrite,
}

impl PausePoint {
    fn name(self) -> &'static str {
        match self {
            PausePoint::ShardRename => "shard-rename",
            PausePoint::CheckpointWrite => "checkpoint-write",
        }
    }
}

/// The parsed `AWAL_TEST_PAUSE_AT`: where, at which occurrence, and the marker file.
struct PauseRequest {
    point: &'static str,
    occurrence: u64,
    marker: Option<PathBuf>,
    seen: AtomicU64,
}

fn pause_request() -> Option<&'static PauseRequest> {
    static REQUEST: OnceLock<Option<PauseRequest>> = OnceLock::new();
    REQUEST
        .get_or_init(|| {
            let value = std::env::var("AWAL_TEST_PAUSE_AT").ok()?;
            let (name, occurrence) = match value.split_once(':') {
                Some((name, n)) => (name.to_string(), n.parse().ok()?),
                None => (value, 1),
            };
            let point = [PausePoint::ShardRename, PausePoint::CheckpointWrite]
                .into_iter()
                .find(|p| p.name() == name)?
                .name();
            Some(PauseRequest {
                point,
                occurrence,
                marker: std::env::var_os("AWAL_TEST_PAUSE_MARKER").map(PathBuf::from),
                seen: AtomicU64::new(0),
            })
        })
        .as_ref()
}

/// Test-only: pauses the writer at `point` when `AWAL_TEST_PAUSE_AT` asks for it (see the
/// module docs); does nothing otherwise.
pub(crate) fn test_pause(point: PausePoint) {
    let Some(request) = pause_request() else {
        return;
    };
    if request.point != point.name() {
        return;
    }
    if request.seen.fetch_add(1, Ordering::Relaxed) + 1 != request.occurrence {
        return;
    }
    if let Some(marker) = &request.marker {
        // Best effort: without the marker the test sees no pause and reports it.
        let _ = std::fs::write(marker, point.name());
    }
    std::thread::sleep(PAUSE);
}

/// Test-only: panics when `AWAL_TEST_PANIC_AT` names `place` (e.g. `reader`), so that a test
/// can check that a panicking worker thread becomes an error and not a wrong result; does
/// nothing otherwise.
pub(crate) fn test_panic(place: &str) {
    static REQUEST: OnceLock<Option<String>> = OnceLock::new();
    let request = REQUEST.get_or_init(|| std::env::var("AWAL_TEST_PANIC_AT").ok());
    if request.as_deref() == Some(place) {
        panic!("AWAL_TEST_PANIC_AT={place}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity_of(path: &Path) -> InputIdentity {
        let ids = identify_inputs(&[Input::File(path.to_path_buf())]).unwrap();
        assert_eq!(ids.len(), 1);
        ids[0].clone()
    }

    #[test]
    fn a_small_file_is_hashed_once_in_full() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "abc").unwrap();
        // SHA-256("abc"): head and tail do not overlap.
        assert!(identity_of(&p).ends_sha256.starts_with("ba7816bf"));
    }

    #[test]
    fn a_change_at_either_end_of_a_large_file_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.txt");
        let mut bytes = vec![b'a'; 3 * END_BYTES as usize];
        std::fs::write(&p, &bytes).unwrap();
        let before = identity_of(&p);
        for at in [0, bytes.len() - 1] {
            bytes[at] = b'b';
            std::fs::write(&p, &bytes).unwrap();
            let after = identity_of(&p);
            assert_ne!(after.ends_sha256, before.ends_sha256, "byte {at}");
            bytes[at] = b'a';
        }
    }

    #[test]
    fn a_changed_size_is_named() {
        let a = InputIdentity {
            path: "in/a.jsonl".into(),
            bytes: 10,
            modified: Some((1, 0)),
            ends_sha256: "x".into(),
        };
        let b = InputIdentity {
            bytes: 12,
            ..a.clone()
        };
        let msg = check_unchanged(std::slice::from_ref(&a), &[b])
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("in/a.jsonl") && msg.contains("10 -> 12"),
            "{msg}"
        );
        assert!(check_unchanged(std::slice::from_ref(&a), std::slice::from_ref(&a)).is_ok());
    }

    #[test]
    fn standard_input_and_pipes_are_not_identified() {
        assert!(identify_inputs(&[Input::Stdin]).unwrap().is_empty());
        let dir = tempfile::tempdir().unwrap();
        assert!(identify_inputs(&[Input::File(dir.path().to_path_buf())])
            .unwrap()
            .is_empty());
    }
}
