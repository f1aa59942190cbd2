//! One sort for the whole crate.
//!
//! Every `sort_by_key` with its own key closure is a separate copy of std's sort code in the
//! browser build (about 3.5 KB of wasm each; twenty of them were 74 KB). These helpers route
//! every sort through one non-generic sort of `(key, position)` pairs: positions are unique,
//! so the unstable sort of the pairs gives exactly the order of a stable sort by key.

/// Positions `0..keys.len()` ordered by key, equal keys in their original order.
pub fn stable_order(keys: &[u64]) -> Vec<usize> {
    let mut pairs: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// Sorts `v` stably by `key`: the same order as `v.sort_by_key(key)`.
pub fn sort_by_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let keys: Vec<u64> = v.iter().map(key).collect();
    permute(v, &stable_order(&keys));
}

/// Reorders `v` so that its item at `order[i]` comes i-th. `order` is a permutation of
/// `0..v.len()` (from [`stable_order`]); a position out of range or repeated is skipped.
pub fn permute<T>(v: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_stable_sort() {
        // Many equal keys, so stability shows: the payload records the original position.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 200, 1000] {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 5, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(k, _)| k);
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|&(k, _)| k);
            assert_eq!(ours, std_sorted, "len {len}");
        }
    }

    #[test]
    fn large_keys_and_non_copy_items() {
        let mut v = vec![(u64::MAX, "d".to_string()), (0, "a".into()), (u64::MAX, "e".into()), (1 << 40, "c".into())];
        v.insert(2, (0, "b".into()));
        sort_by_key(&mut v, |x| x.0);
        let names: Vec<&str> = v.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn permute_skips_bad_positions() {
        let mut v = vec!['a', 'b', 'c'];
        permute(&mut v, &[2, 2, 9, 0]);
        assert_eq!(v, ['c', 'a']);
    }
}
