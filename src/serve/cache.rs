//! The one bounded cache type of the server (packs, page thumbnails): bounded by the bytes it
//! holds, least recently used out first, so that a flood of distinct requests cannot grow the
//! process and what was cached returns to the allocator when it is pushed out.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// A map from `K` to `V` holding at most `max_bytes` of values (as [`ByteCache::put`] is
/// told they weigh).
pub(super) struct ByteCache<K, V> {
    max_bytes: usize,
    inner: Mutex<Inner<K, V>>,
}

struct Inner<K, V> {
    /// Value, its weight in bytes, and when it was last used (a counter, not a clock).
    map: BTreeMap<K, (V, usize, u64)>,
    bytes: usize,
    tick: u64,
}

impl<K: Ord + Clone, V: Clone> ByteCache<K, V> {
    /// An empty cache of at most `max_bytes`.
    pub(super) fn new(max_bytes: usize) -> Self {
        ByteCache {
            max_bytes,
            inner: Mutex::new(Inner {
                map: BTreeMap::new(),
                bytes: 0,
                tick: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of `key`, marked as used.
    pub(super) fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let (v, _, used) = inner.map.get_mut(key)?;
        *used = tick;
        Some(v.clone())
    }

    /// Keeps `value` of `bytes` under `key`, pushing out the least recently used values until
    /// everything fits. A value heavier than the whole cache is not kept.
    pub(super) fn put(&self, key: K, value: V, bytes: usize) {
        if bytes > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        if let Some((_, old, _)) = inner.map.remove(&key) {
            inner.bytes -= old;
        }
        while inner.bytes + bytes > self.max_bytes {
            let Some(oldest) = inner
                .map
                .iter()
                .min_by_key(|(_, (_, _, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((_, weight, _)) = inner.map.remove(&oldest) {
                inner.bytes -= weight;
            }
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.map.insert(key, (value, bytes, tick));
        inner.bytes += bytes;
    }

    /// The bytes held now.
    pub(super) fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_at_most_its_bytes_and_pushes_out_the_least_recently_used() {
        let cache = ByteCache::new(100);
        for i in 0..1000u32 {
            cache.put(i, i, 30);
            assert!(cache.bytes() <= 100, "{} bytes", cache.bytes());
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
        let cache = ByteCache::new(10);
        cache.put("a", 1, 11);
        assert_eq!((cache.get(&"a"), cache.bytes()), (None, 0));
        cache.put("b", 2, 4);
        cache.put("b", 3, 6);
        assert_eq!((cache.get(&"b"), cache.bytes()), (Some(3), 6));
    }
}
