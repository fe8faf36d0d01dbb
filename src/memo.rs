//! A process-wide memo of a pure function: shaped words, hyphenation points, set paragraphs
//! and compressed streams repeat within a document and across renders (a server renders a
//! notice again after every data change, `build` renders two editions and a pack of the same
//! notices), and the memo of a pure function cannot change any output.
//!
//! Bounded by weight (entries, or bytes, as the caller counts them): emptied when the next
//! entry would pass [`Memo::new`]'s limit, so what is kept never depends on timing, and a
//! long-running process never grows without bound.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{LazyLock, Mutex};

/// A memo from `K` to `V` (cloned out: make `V` an `Arc` when it is large).
pub(crate) struct Memo<K, V> {
    map: LazyLock<Mutex<Table<K, V>>>,
    max: usize,
}

struct Table<K, V> {
    map: HashMap<K, V>,
    /// Sum of the weights of the entries in `map`.
    weight: usize,
}

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Table {
            map: HashMap::new(),
            weight: 0,
        }
    }
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// A memo that holds at most `max` weight.
    pub(crate) const fn new(max: usize) -> Self {
        Memo {
            map: LazyLock::new(Default::default),
            max,
        }
    }

    /// The value for `key`, computed by `f` the first time; `weight` is what keeping it costs
    /// (1 to count entries). An entry heavier than the whole memo is computed, never kept.
    pub(crate) fn get_or<Q>(&self, key: &Q, weight: usize, f: impl FnOnce() -> V) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let lock = || self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = lock().map.get(key) {
            return v.clone();
        }
        let v = f();
        if weight > self.max {
            return v;
        }
        let mut table = lock();
        if table.weight + weight > self.max {
            table.map.clear();
            table.weight = 0;
        }
        if table.map.insert(key.to_owned(), v.clone()).is_none() {
            table.weight += weight;
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn computes_once_per_key_and_empties_at_its_limit() {
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
        // Full: the fourth key empties the memo, so "a" is computed again.
        len("dddd");
        assert_eq!(len("a"), 1);
        assert_eq!(calls.get(), 5);
    }

    #[test]
    fn an_entry_heavier_than_the_memo_is_not_kept() {
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
