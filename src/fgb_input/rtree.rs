//! The file's packed Hilbert R-tree: its levels, and the search for the features whose boxes
//! meet a question's, every node offset checked against its level.

use super::{FgbFile, le8};
use crate::error::{Error, Result};
use std::io::{Read, Seek, SeekFrom};

/// Entries of the index's leaf level read at most at once.
const LEAF_ENTRIES_AT_ONCE: u64 = 1 << 14;

/// Bytes of one node of the packed R-tree: a box (four f64) and an offset (u64).
pub(super) const NODE_BYTES: u64 = 40;

/// One feature's place: its number in the file, its byte offset in the feature section and
/// the box whose search found it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found {
    pub(super) index: u64,
    pub(super) offset: u64,
    pub(super) in_box: usize,
}

impl FgbFile {
    /// Every feature in the index whose box meets one of `boxes`, once, in the order of the
    /// file. The nodes above the leaves are read once each, however many boxes lead to
    /// them; the leaf nodes are read last, in order, adjacent ones together.
    pub(super) fn search(&mut self, boxes: &[[f64; 4]]) -> Result<Vec<Found>> {
        let levels = level_bounds(self.count, self.node_size);
        let node_size = u64::from(self.node_size);
        let meets = |b: &[f64; 4], node: &[u8]| {
            let f = |k: usize| f64::from_le_bytes(le8(&node[k * 8..k * 8 + 8]));
            !(f(2) < b[0] || f(0) > b[2] || f(3) < b[1] || f(1) > b[3])
        };
        let offset_of = |node: &[u8]| u64::from_le_bytes(le8(&node[32..40]));
        // the branch nodes read so far, by their first entry
        let mut branches: std::collections::HashMap<u64, Vec<u8>> = Default::default();
        // the leaf nodes to read: their first entry, and the box that leads there
        let mut leaf_nodes: Vec<(u64, usize)> = Vec::new();
        for (in_box, b) in boxes.iter().enumerate() {
            let mut queue = std::collections::VecDeque::from([(0u64, levels.len() - 1)]);
            while let Some((first, level)) = queue.pop_front() {
                let (start, end) = levels[level];
                if !(start..end).contains(&first) {
                    return Err(self.damaged_index(format!(
                        "a node points to entry {first}, outside its level ({start}..{end})"
                    )));
                }
                if level == 0 {
                    leaf_nodes.push((first, in_box));
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(e) = branches.entry(first) {
                    e.insert(self.read_nodes(first, (first + node_size).min(end))?);
                }
                for node in branches[&first].chunks_exact(NODE_BYTES as usize) {
                    if meets(b, node) {
                        queue.push_back((offset_of(node), level - 1));
                    }
                }
            }
        }
        leaf_nodes.sort_unstable();
        leaf_nodes.dedup();
        let (leaves, leaves_end) = levels[0];
        let mut seen = vec![0u64; self.count.div_ceil(64) as usize];
        let mut found = Vec::new();
        let mut i = 0;
        while i < leaf_nodes.len() {
            // a run of overlapping or adjacent leaf nodes, read at once
            let start = leaf_nodes[i].0;
            let mut end = (start + node_size).min(leaves_end);
            let mut j = i + 1;
            while j < leaf_nodes.len()
                && leaf_nodes[j].0 <= end
                && end - start < LEAF_ENTRIES_AT_ONCE
            {
                end = end.max((leaf_nodes[j].0 + node_size).min(leaves_end));
                j += 1;
            }
            let bytes = self.read_nodes(start, end)?;
            for &(first, in_box) in &leaf_nodes[i..j] {
                let last = (first + node_size).min(leaves_end);
                let from = ((first - start) * NODE_BYTES) as usize;
                let to = ((last - start) * NODE_BYTES) as usize;
                for (k, node) in bytes[from..to]
                    .chunks_exact(NODE_BYTES as usize)
                    .enumerate()
                {
                    let index = first + k as u64 - leaves;
                    let (word, bit) = ((index / 64) as usize, 1u64 << (index % 64));
                    if seen[word] & bit == 0 && meets(&boxes[in_box], node) {
                        seen[word] |= bit;
                        found.push(Found {
                            index,
                            offset: offset_of(node),
                            in_box,
                        });
                    }
                }
            }
            i = j;
        }
        radsort::sort_by_key(&mut found, |f| f.index);
        Ok(found)
    }

    /// The index's entries `first..last`, as bytes.
    fn read_nodes(&mut self, first: u64, last: u64) -> Result<Vec<u8>> {
        let mut bytes = vec![0; ((last - first) * NODE_BYTES) as usize];
        let at = self.index_start + first * NODE_BYTES;
        self.nodes
            .seek(SeekFrom::Start(at))
            .and_then(|_| self.nodes.read_exact(&mut bytes))
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(bytes)
    }

    pub(super) fn damaged_index(&self, what: String) -> Error {
        Error::record(
            &self.path,
            "index",
            format!("damaged spatial index: {what}"),
        )
    }
}

/// The levels of a packed R-tree of `count` leaves and nodes of `node_size` entries, leaves
/// first: each the range of its entries in the index, which stores the root first. There is
/// always a level above the leaves, even for a single feature (as the format's writers
/// make it).
pub(super) fn level_bounds(count: u64, node_size: u16) -> Vec<(u64, u64)> {
    let mut sizes = vec![count];
    let mut n = count;
    loop {
        n = n.div_ceil(u64::from(node_size));
        sizes.push(n);
        if n <= 1 {
            break;
        }
    }
    let total: u64 = sizes.iter().sum();
    let mut end = total;
    sizes
        .iter()
        .map(|&size| {
            end -= size;
            (end, end + size)
        })
        .collect()
}
