//! The one bounded cache of the program. As a process-wide memo of a pure function (a `static`):
//! shaped words, hyphenation points, set paragraphs, compressed streams and versions read from
//! PDFs repeat within a document and across renders, and what a memo keeps can never change an
//! output. As the server's caches of packs and page thumbnails: a flood of distinct requests
//! cannot grow the process.
//!
//! Bounded by weight (entries, or bytes, as the caller counts them): when a value would pass
//! the limit, the least recently used values are pushed out until it fits (in O(log n) each),
//! and their memory returns to the allocator. A value heavier than the whole cache is not kept.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// A cache from `K` to `V` holding at most `max` weight (values are cloned out: make `V` an
/// `Arc` when it is large), its keys hashed with `S`: FxHash for the memos of pure functions,
/// whose keys come from the data (paragraphs, words, whole streams: the hash is a measurable
/// part of a render); a caller whose keys come from requests uses std's keyed SipHash, which
/// a sender cannot flood with collisions.
pub(crate) struct Memo<K, V, S = rustc_hash::FxBuildHasher> {
    max: usize,
    /// Empty until first used, so that a memo can be a `static`.
    inner: Mutex<Option<Inner<K, V, S>>>,
    /// Lookups found and not found, and values pushed out, since the start.
    hits: AtomicU64,
    misses: AtomicU64,
    evictions: AtomicU64,
}

/// What a memo holds and how it has been used (the server's `/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) struct Stats {
    pub weight: usize,
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
}

struct Inner<K, V, S> {
    map: HashMap<K, Entry<V>, S>,
    /// The keys by when they were last used (a counter, not a clock): the oldest first.
    by_use: BTreeMap<u64, K>,
    /// Sum of the weights of the values held.
    weight: usize,
    tick: u64,
}

struct Entry<V> {
    value: V,
    weight: usize,
    used: u64,
}

impl<K: Hash + Eq + Clone, V: Clone, S: BuildHasher + Default> Memo<K, V, S> {
    /// An empty cache that holds at most `max` weight.
    pub(crate) const fn new(max: usize) -> Self {
        Memo {
            max,
            inner: Mutex::new(None),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Inner<K, V, S>>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of `key`, marked as used.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut guard = self.lock();
        let found = guard.as_mut().and_then(|inner| {
            inner.tick += 1;
            let tick = inner.tick;
            let entry = inner.map.get_mut(key)?;
            let key = inner.by_use.remove(&entry.used)?;
            entry.used = tick;
            let value = entry.value.clone();
            inner.by_use.insert(tick, key);
            Some(value)
        });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `value` of `weight` under `key`, pushing out the least recently used values until
    /// it fits. A value heavier than the whole cache is not kept.
    pub(crate) fn put(&self, key: K, value: V, weight: usize) {
        if weight > self.max {
            return;
        }
        let mut guard = self.lock();
        let inner = guard.get_or_insert_with(|| Inner {
            map: HashMap::default(),
            by_use: BTreeMap::new(),
            weight: 0,
            tick: 0,
        });
        if let Some(old) = inner.map.remove(&key) {
            inner.by_use.remove(&old.used);
            inner.weight -= old.weight;
        }
        while inner.weight + weight > self.max {
            let Some((_, oldest)) = inner.by_use.pop_first() else {
                break;
            };
            if let Some(gone) = inner.map.remove(&oldest) {
                inner.weight -= gone.weight;
                self.evictions.fetch_add(1, Ordering::Relaxed);
            }
        }
        inner.tick += 1;
        let used = inner.tick;
        inner.by_use.insert(used, key.clone());
        inner.map.insert(
            key,
            Entry {
                value,
                weight,
                used,
            },
        );
        inner.weight += weight;
    }

    /// The value for `key`, computed by `f` the first time; `weight` is what keeping it costs
    /// (1 to count entries).
    pub(crate) fn get_or<Q>(&self, key: &Q, weight: usize, f: impl FnOnce() -> V) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(v) = self.get(key) {
            return v;
        }
        let v = f();
        self.put(key.to_owned(), v.clone(), weight);
        v
    }

    /// What the memo holds and how it has been used.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            weight: self.lock().as_ref().map_or(0, |inner| inner.weight),
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
        }
    }

    /// The weight held now.
    #[cfg(any(test, feature = "serve"))]
    pub(crate) fn weight(&self) -> usize {
        self.lock().as_ref().map_or(0, |inner| inner.weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn computes_once_per_key_and_pushes_out_the_least_recently_used() {
        static MEMO: Memo<String, usize> = Memo::new(3);
        let calls = Cell::new(0);
        let len = |s: &str| {
            MEMO.get_or(s, 1, || {
                calls.set(calls.get() + 1);
                s.len()
            })
        };
        assert_eq!((len("a"), len("bb"), len("a")), (1, 2, 1));
        assert_eq!(calls.get(), 2);
        len("ccc");
        // Full: the fourth key pushes out "bb", used longest ago; "a" stays.
        len("dddd");
        assert_eq!(len("a"), 1);
        assert_eq!(calls.get(), 4);
        assert_eq!(len("bb"), 2);
        assert_eq!(calls.get(), 5);
        assert_eq!(MEMO.weight(), 3);
    }

    #[test]
    fn holds_at_most_its_weight() {
        let cache: Memo<u32, u32> = Memo::new(100);
        for i in 0..1000u32 {
            cache.put(i, i, 30);
            assert!(cache.weight() <= 100, "{} bytes", cache.weight());
        }
        // 997, 998, 999 fit; 997 is used, so 998 goes first.
        assert_eq!(cache.get(&997), Some(997));
        cache.put(5000, 0, 30);
        assert_eq!(cache.get(&998), None);
        assert_eq!(cache.get(&997), Some(997));
        assert_eq!(cache.get(&999), Some(999));
    }

    #[test]
    fn a_value_heavier_than_the_cache_is_not_kept() {
        let cache: Memo<&str, i32> = Memo::new(10);
        cache.put("a", 1, 11);
        assert_eq!((cache.get(&"a"), cache.weight()), (None, 0));
        cache.put("b", 2, 4);
        cache.put("b", 3, 6);
        assert_eq!((cache.get(&"b"), cache.weight()), (Some(3), 6));
        static MEMO: Memo<Vec<u8>, usize> = Memo::new(4);
        let calls = Cell::new(0);
        for _ in 0..2 {
            MEMO.get_or(&b"12345"[..], 5, || {
                calls.set(calls.get() + 1);
                5
            });
        }
        assert_eq!(calls.get(), 2);
    }
}
