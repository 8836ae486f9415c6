//! Flat storage for the index: compressed-sparse-row arrays and the interned vocabulary.

use std::collections::HashMap;

/// Compressed sparse rows: `starts[i]..starts[i + 1]` indexes `items`.
#[derive(Default)]
pub struct Csr {
    pub starts: Vec<u32>,
    pub items: Vec<u32>,
}

impl Csr {
    /// From (row, item) pairs; rows are 0..n.
    pub fn build(n: usize, pairs: &[(u32, u32)]) -> Csr {
        let mut starts = vec![0u32; n + 1];
        for &(r, _) in pairs {
            starts[r as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(r, it) in pairs {
            items[fill[r as usize] as usize] = it;
            fill[r as usize] += 1;
        }
        Csr { starts, items }
    }

    pub fn row(&self, r: usize) -> &[u32] {
        match (self.starts.get(r), self.starts.get(r + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Interned token texts and skeletons in two arenas.
#[derive(Default)]
pub struct Vocab {
    pub text: String,
    pub text_at: Vec<u32>,
    pub skel: Vec<u8>,
    pub skel_at: Vec<u32>,
    pub ids: HashMap<Box<str>, u32>,
}

impl Vocab {
    pub fn intern(&mut self, t: &str, sk: &[u8]) -> u32 {
        if let Some(&id) = self.ids.get(t) {
            return id;
        }
        if self.text_at.is_empty() {
            self.text_at.push(0);
            self.skel_at.push(0);
        }
        let id = (self.text_at.len() - 1) as u32;
        self.text.push_str(t);
        self.text_at.push(self.text.len() as u32);
        self.skel.extend_from_slice(sk);
        self.skel_at.push(self.skel.len() as u32);
        self.ids.insert(t.into(), id);
        id
    }

    pub fn len(&self) -> usize {
        self.text_at.len().saturating_sub(1)
    }

    pub fn text(&self, id: u32) -> &str {
        let i = id as usize;
        &self.text[self.text_at[i] as usize..self.text_at[i + 1] as usize]
    }

    pub fn skel(&self, id: u32) -> &[u8] {
        let i = id as usize;
        &self.skel[self.skel_at[i] as usize..self.skel_at[i + 1] as usize]
    }
}

/// Padded trigrams of a token ($HI, HIK, … ON$), sorted and deduplicated, as u32.
pub fn trigrams_of(t: &[u8], out: &mut Vec<u32>) {
    out.clear();
    let n = t.len();
    let at = |i: isize| -> u32 {
        if i < 0 || i as usize >= n {
            u32::from(b'$')
        } else {
            u32::from(t[i as usize])
        }
    };
    for i in -1..(n as isize - 1) {
        out.push(at(i) << 16 | at(i + 1) << 8 | at(i + 2));
    }
    out.sort_unstable();
    out.dedup();
}
