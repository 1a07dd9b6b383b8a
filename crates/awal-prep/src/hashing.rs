//! Hash-table plumbing shared by the filters and dedup: keys are already good 64-bit
//! hashes, so the tables use them as they are instead of hashing them again. This is
//! not a general-purpose hasher: a table keyed by strings wants `rustc_hash::FxHashMap`,
//! which the other crates use. `mix` and `splitmix` build the dedup keys and MinHash values, which
//! checkpoints persist, so their output must never change.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher that passes a pre-hashed `u64`/`u128` key through.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = (n as u64) ^ ((n >> 64) as u64);
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Prehashed>>;
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<Prehashed>>;

/// Combines a running hash with the next value (order-sensitive).
#[inline]
pub(crate) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(23) ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// SplitMix64 finalizer: a bijective scrambler of 64-bit values.
#[inline]
pub(crate) fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
