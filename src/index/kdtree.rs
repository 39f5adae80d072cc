//! A static k-d tree over 3D points, flat and implicit.
//!
//! The points are kept in an order the caller gives, and every node of a balanced binary
//! tree covers a contiguous range of it: the root covers all `n`, a node over `[lo, hi)` with
//! more than [`LEAF`] points has children `2k` over `[lo, mid)` and `2k + 1` over
//! `[mid, hi)`, `mid = lo + (hi − lo) / 2`. Only the permutation and one bounding box per
//! node are stored, so the tree is two flat arrays, cheap to build on all cores, and the
//! permutation alone rebuilds it (what the persistent index stores). Each box is computed
//! from the points under it, so any order gives a correct tree; an order that keeps near
//! points together (the index gives one along a Hilbert curve) gives tight boxes and fast
//! queries.
//!
//! Queries: every point within a Euclidean distance, and the points in increasing distance
//! (best-first, for k-nearest).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Points per leaf, at most.
pub const LEAF: usize = 16;

/// A point of the tree: its position and its index in the caller's order.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    xyz: [f64; 3],
    index: u32,
}

/// An axis-aligned box: `[min, max]`.
type Aabb = [[f64; 3]; 2];

const EMPTY: Aabb = [[f64::INFINITY; 3], [f64::NEG_INFINITY; 3]];

/// The tree (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct KdTree {
    entries: Vec<Entry>,
    boxes: Vec<Aabb>,
}

fn dist2(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (x, y, z) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    x * x + y * y + z * z
}

/// Squared distance from `q` to the nearest point of the box (0 inside).
fn box_min2(q: [f64; 3], b: &Aabb) -> f64 {
    let mut s = 0.0;
    for i in 0..3 {
        let d = (b[0][i] - q[i]).max(q[i] - b[1][i]).max(0.0);
        s += d * d;
    }
    s
}

/// Squared distance from `q` to the farthest corner of the box.
fn box_max2(q: [f64; 3], b: &Aabb) -> f64 {
    let mut s = 0.0;
    for i in 0..3 {
        let d = (q[i] - b[0][i]).abs().max((b[1][i] - q[i]).abs());
        s += d * d;
    }
    s
}

fn bounds(entries: &[Entry]) -> Aabb {
    let mut b = EMPTY;
    for e in entries {
        for (i, &x) in e.xyz.iter().enumerate() {
            b[0][i] = b[0][i].min(x);
            b[1][i] = b[1][i].max(x);
        }
    }
    b
}

/// The number of node slots for `n` points: one past the largest node number (the deepest
/// level is reached first along the rightmost path, whose ranges are the largest).
fn node_slots(n: usize) -> usize {
    let (mut node, mut len) = (1, n);
    while len > LEAF {
        node = 2 * node + 1;
        len -= len / 2;
    }
    node + 1
}

impl KdTree {
    /// The tree whose slots hold the points in `order` (a permutation of `0..order.len()`,
    /// which the caller has checked), the position of the point in each slot coming from
    /// `xyz_in_slot(slot)`, on all cores. Any order gives a correct tree, since each node's
    /// box is computed from the points it holds; an order that keeps near points together
    /// gives tight boxes.
    ///
    /// # Examples
    /// ```
    /// use bordermap::index::kdtree::KdTree;
    /// let pts = [[0.0, 0.0, 0.0], [3.0, 4.0, 0.0], [1.0, 0.0, 0.0]]; // metres
    /// let order = [2, 0, 1];
    /// let t = KdTree::from_permutation(&order, |slot| pts[order[slot] as usize]);
    /// let mut slots = Vec::new();
    /// t.within([0.0, 0.0, 0.0], 1.5 * 1.5, &mut slots); // a squared distance, m²
    /// let mut near: Vec<u32> = slots.into_iter().map(|s| t.index_at(s)).collect();
    /// near.sort();
    /// assert_eq!(near, [0, 2]);
    /// ```
    pub fn from_permutation(order: &[u32], xyz_in_slot: impl Fn(usize) -> [f64; 3] + Sync) -> Self {
        use rayon::prelude::*;
        let entries = order
            .par_iter()
            .enumerate()
            .map(|(slot, &index)| Entry {
                xyz: xyz_in_slot(slot),
                index,
            })
            .collect();
        Self::with_entries(entries)
    }

    fn with_entries(entries: Vec<Entry>) -> Self {
        let mut boxes = vec![EMPTY; node_slots(entries.len())];
        fill_boxes(&entries, 1, &mut boxes);
        KdTree { entries, boxes }
    }

    /// The point indices in tree order: the index of the point in each slot.
    pub fn order(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        self.entries.iter().map(|e| e.index)
    }

    /// The ECEF position of the point in `slot`.
    pub fn xyz_at(&self, slot: u32) -> [f64; 3] {
        self.entries[slot as usize].xyz
    }

    /// The index of the point in `slot`.
    pub fn index_at(&self, slot: u32) -> u32 {
        self.entries[slot as usize].index
    }

    /// Pushes onto `out` the slot of every point within squared distance `r2` of `q`
    /// (slots in tree order: neighbours in space are neighbours in memory).
    pub fn within(&self, q: [f64; 3], r2: f64, out: &mut Vec<u32>) {
        let mut stack = vec![(1usize, 0usize, self.entries.len())];
        while let Some((node, lo, hi)) = stack.pop() {
            let b = &self.boxes[node];
            if lo == hi || box_min2(q, b) > r2 {
                continue;
            }
            let all_inside = box_max2(q, b) <= r2;
            if all_inside || hi - lo <= LEAF {
                let inside =
                    (lo..hi).filter(|&slot| all_inside || dist2(q, self.entries[slot].xyz) <= r2);
                out.extend(inside.map(|slot| slot as u32));
                continue;
            }
            let mid = lo + (hi - lo) / 2;
            stack.push((2 * node + 1, mid, hi));
            stack.push((2 * node, lo, mid));
        }
    }

    /// The points in increasing squared distance from `q`, as `(slot, squared distance)`.
    pub fn nearest_iter(&self, q: [f64; 3]) -> Nearest<'_> {
        let mut heap = BinaryHeap::new();
        if !self.entries.is_empty() {
            heap.push(Item {
                d2: box_min2(q, &self.boxes[1]),
                what: What::Node(1, 0, self.entries.len()),
            });
        }
        Nearest {
            tree: self,
            q,
            heap,
        }
    }
}

/// The boxes of `node` (over all of `entries`) and its descendants; returns its box.
fn fill_boxes(entries: &[Entry], node: usize, boxes: &mut [Aabb]) -> Aabb {
    let b = if entries.len() <= LEAF {
        bounds(entries)
    } else {
        let mid = entries.len() / 2;
        let l = fill_boxes(&entries[..mid], 2 * node, boxes);
        let r = fill_boxes(&entries[mid..], 2 * node + 1, boxes);
        [
            std::array::from_fn(|i| l[0][i].min(r[0][i])),
            std::array::from_fn(|i| l[1][i].max(r[1][i])),
        ]
    };
    boxes[node] = b;
    b
}

/// A node (number, range) or a point (slot) waiting in the best-first queue.
#[derive(Debug, Clone, Copy)]
enum What {
    Node(usize, usize, usize),
    Point(usize),
}

#[derive(Debug, Clone, Copy)]
struct Item {
    d2: f64,
    what: What,
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Item {}

impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Item {
    /// Reversed, so that the max-heap pops the nearest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.d2.total_cmp(&self.d2)
    }
}

/// The iterator of [`KdTree::nearest_iter`].
#[derive(Debug)]
pub struct Nearest<'t> {
    tree: &'t KdTree,
    q: [f64; 3],
    heap: BinaryHeap<Item>,
}

impl Iterator for Nearest<'_> {
    type Item = (u32, f64);

    fn next(&mut self) -> Option<(u32, f64)> {
        while let Some(item) = self.heap.pop() {
            match item.what {
                What::Point(slot) => return Some((slot as u32, item.d2)),
                What::Node(_, lo, hi) if hi - lo <= LEAF => {
                    for slot in lo..hi {
                        let d2 = dist2(self.q, self.tree.entries[slot].xyz);
                        self.heap.push(Item {
                            d2,
                            what: What::Point(slot),
                        });
                    }
                }
                What::Node(node, lo, hi) => {
                    let mid = lo + (hi - lo) / 2;
                    for (child, a, b) in [(2 * node, lo, mid), (2 * node + 1, mid, hi)] {
                        self.heap.push(Item {
                            d2: box_min2(self.q, &self.tree.boxes[child]),
                            what: What::Node(child, a, b),
                        });
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud(n: usize, seed: u64) -> Vec<[f64; 3]> {
        let mut s = seed;
        let mut next = move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|_| [next() * 100.0, next() * 10.0, (next() * 4.0).round()])
            .collect()
    }

    #[test]
    fn within_and_nearest_match_brute_force() {
        for n in [0, 1, 15, 16, 17, 33, 1000, 40_000] {
            let pts = cloud(n, n as u64 + 1);
            // any order gives a correct tree: the order given, and one along the first axis
            let mut along: Vec<u32> = (0..n as u32).collect();
            along.sort_by(|&a, &b| pts[a as usize][0].total_cmp(&pts[b as usize][0]));
            let given: Vec<u32> = (0..n as u32).collect();
            for order in [given, along] {
                let t = KdTree::from_permutation(&order, |slot| pts[order[slot] as usize]);
                for q in cloud(20, 99) {
                    for r2 in [0.0, 1.0, 30.0, 1e5] {
                        let mut got = Vec::new();
                        t.within(q, r2, &mut got);
                        let mut got: Vec<u32> = got.into_iter().map(|s| t.index_at(s)).collect();
                        got.sort_unstable();
                        let want: Vec<u32> = (0..n as u32)
                            .filter(|&i| dist2(q, pts[i as usize]) <= r2)
                            .collect();
                        assert_eq!(got, want, "n {n} r2 {r2}");
                    }
                    let order: Vec<(u32, f64)> = t.nearest_iter(q).collect();
                    assert_eq!(order.len(), n);
                    assert!(order.windows(2).all(|w| w[0].1 <= w[1].1));
                    for (slot, d2) in order {
                        assert_eq!(d2, dist2(q, pts[t.index_at(slot) as usize]));
                    }
                }
            }
        }
    }
}
