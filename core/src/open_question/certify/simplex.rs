//! Cells of the policy simplex: sub-simplices whose vertices are dyadic points, held exactly as
//! integers over 2^62, split at the midpoint of an edge.

/// Responses a cell can have at most (the certificate's limit).
pub const MAX_N: usize = 6;
/// The scale of a vertex coordinate: coordinate y of a vertex is `v[y] / ONE`.
pub const ONE: u64 = 1 << 62;

/// A sub-simplex: n vertices in the simplex of n responses, each a point whose coordinates are
/// integers over `ONE` adding up to `ONE`. Only `v[..n]` and `v[i][..n]` are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub n: usize,
    pub v: [[u64; MAX_N]; MAX_N],
}

/// The edges of a cell with n vertices: pairs (i, j), i < j, in lexicographic order; an edge
/// is named by its position in this list (at most 15 edges for n = 6).
pub fn edges(n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            out.push((i, j));
        }
    }
    out
}

impl Cell {
    /// The whole simplex: vertex i is the pure policy on response i.
    pub fn root(n: usize) -> Cell {
        let mut v = [[0u64; MAX_N]; MAX_N];
        for (i, row) in v.iter_mut().enumerate().take(n) {
            row[i] = ONE;
        }
        Cell { n, v }
    }

    /// The two halves of the cell cut at the midpoint of edge (i, j): the first keeps vertex i
    /// (vertex j moves to the midpoint), the second keeps vertex j. None when the midpoint is
    /// not a multiple of 1/ONE (the cell is at the resolution limit).
    pub fn split(&self, (i, j): (usize, usize)) -> Option<(Cell, Cell)> {
        let mut mid = [0u64; MAX_N];
        for (y, m) in mid.iter_mut().enumerate().take(self.n) {
            let s = self.v[i][y] + self.v[j][y];
            if !s.is_multiple_of(2) {
                return None;
            }
            *m = s / 2;
        }
        let (mut a, mut b) = (*self, *self);
        a.v[j] = mid;
        b.v[i] = mid;
        Some((a, b))
    }

    /// Vertex i as a float point.
    pub fn vertex_f64(&self, i: usize) -> [f64; MAX_N] {
        let mut out = [0.0; MAX_N];
        for (o, &x) in out.iter_mut().zip(&self.v[i]).take(self.n) {
            *o = x as f64 / ONE as f64;
        }
        out
    }

    /// The centroid, as a float policy.
    pub fn centroid(&self) -> Vec<f64> {
        (0..self.n)
            .map(|y| {
                let s: u128 = (0..self.n).map(|i| self.v[i][y] as u128).sum();
                s as f64 / (self.n as f64 * ONE as f64)
            })
            .collect()
    }

    /// The longest edge (Euclidean, in floats; the first of equal ones): the search's split
    /// rule. A certificate records the edge of every split, so its check needs no rule.
    pub fn longest_edge(&self, edges: &[(usize, usize)]) -> usize {
        let mut best = (0, -1.0f64);
        for (e, &(i, j)) in edges.iter().enumerate() {
            let len: f64 = (0..self.n)
                .map(|y| {
                    let d = (self.v[i][y] as f64 - self.v[j][y] as f64) / ONE as f64;
                    d * d
                })
                .sum();
            if len > best.1 {
                best = (e, len);
            }
        }
        best.0
    }
}

/// The cells at depth `depth` of the fixed first split (each cell cut at its longest edge),
/// in preorder, and the edges of the splits above them in preorder: the roots of the
/// subtrees a search (or a shard of it) refines independently.
pub fn skeleton(n: usize, depth: usize) -> (Vec<Cell>, Vec<usize>) {
    let edges = edges(n);
    let mut roots = Vec::new();
    let mut splits = Vec::new();
    fn walk(
        cell: Cell,
        left: usize,
        edges: &[(usize, usize)],
        roots: &mut Vec<Cell>,
        splits: &mut Vec<usize>,
    ) {
        if left == 0 {
            roots.push(cell);
            return;
        }
        let e = cell.longest_edge(edges);
        let (a, b) = cell
            .split(edges[e])
            .expect("the first levels are far from the resolution");
        splits.push(e);
        walk(a, left - 1, edges, roots, splits);
        walk(b, left - 1, edges, roots, splits);
    }
    walk(Cell::root(n), depth, &edges, &mut roots, &mut splits);
    (roots, splits)
}
