//! The branch and bound in floats. The simplex is first cut to a fixed depth (`SPLIT_DEPTH`,
//! 64 subtrees); every subtree is then refined on its own, best bound first, from the same
//! starting lower bound (a local search), so a shard that takes some of the subtrees finds
//! exactly what the whole run finds there. A subtree is done when its largest open bound is
//! within the tolerance of its best lower bound, or at its cell budget.

use super::bounds::{Bound, Scratch};
use super::simplex::{edges, skeleton, Cell};
use super::tree::{write_leaf, write_split};
use super::Problem;
use crate::open_question::best_policy::BestPolicySearch;
use crate::payoff::CompiledPopulation;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Depth of the fixed first split: 2^6 = 64 subtrees, the most shards a run can have.
pub const SPLIT_DEPTH: usize = 6;
pub const SUBTREES: usize = 1 << SPLIT_DEPTH;
/// Slack for float rounding in the stopping test, so the exact width stays within the tolerance.
const SLACK: f64 = 1e-12;

/// Which subtrees a run takes: subtree s belongs to shard `index` (1..=count) when
/// s % count == index - 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    pub fn check(&self) -> Result<(), String> {
        if !(1..=SUBTREES).contains(&self.count) || !(1..=self.count).contains(&self.index) {
            return Err(format!(
                "shard {}/{} is not I/N with 1 <= I <= N <= {SUBTREES}",
                self.index, self.count
            ));
        }
        Ok(())
    }

    pub fn owns(&self, subtree: usize) -> bool {
        subtree % self.count == self.index - 1
    }
}

/// What a run is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Stop when upper - lower is at most this.
    pub tol: f64,
    /// Cells split per subtree at most.
    pub max_cells: usize,
    pub shard: Shard,
}

/// Why a subtree (or a run: the worst of its subtrees) stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stop {
    /// Every open cell is within the tolerance.
    Tolerance,
    /// Within the tolerance except cells that cannot be split further (2^-62).
    Resolution,
    /// The cell budget ran out first.
    MaxCells,
}

impl Stop {
    pub fn id(self) -> &'static str {
        match self {
            Stop::Tolerance => "tolerance",
            Stop::Resolution => "resolution",
            Stop::MaxCells => "max cells",
        }
    }

    pub fn from_id(s: &str) -> Option<Stop> {
        [Stop::Tolerance, Stop::Resolution, Stop::MaxCells]
            .into_iter()
            .find(|x| x.id() == s)
    }
}

/// A policy and its float worst case.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub value: f64,
    pub policy: Vec<f64>,
}

/// The starting lower bound: the best-policy search from uniform, the (k+1)- and
/// (k+l)-player equilibria, the vertices and seeded random points.
pub fn local_search(problem: &Problem) -> BestPolicySearch {
    let c = CompiledPopulation::new(&problem.population);
    let given = [
        crate::equilibrium::solve(&c, problem.k + 1).policy,
        crate::equilibrium::solve(&c, problem.k + problem.l).policy,
    ];
    BestPolicySearch::new(problem.n(), &given, 1)
}

/// The starting lower bound in one call.
pub fn initial_lower(problem: &Problem) -> Candidate {
    let mut search = local_search(problem);
    search.advance(&problem.eval, &mut || true);
    let best = search.result(&problem.eval).expect("a start");
    Candidate {
        value: best.value,
        policy: best.policy,
    }
}

/// The outcome of one subtree.
#[derive(Debug, Clone, PartialEq)]
pub struct SubtreeResult {
    pub index: usize,
    /// Its split tree (`tree`'s format).
    pub tree: String,
    pub leaves: usize,
    /// Cells split.
    pub examined: usize,
    /// The largest float bound of its open leaves (pruned leaves are below the lower bound).
    pub upper: f64,
    /// A better policy than the starting one, if a cell's centroid gave one.
    pub best: Option<Candidate>,
    pub stop: Stop,
}

enum Node {
    Open,
    Split(usize, usize, usize),
    Leaf(usize),
}

struct Open {
    bound: Bound,
    node: usize,
    cell: Cell,
}

impl PartialEq for Open {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Open {}
impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Open {
    /// Largest bound first; of equal bounds, the older cell.
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound
            .value
            .total_cmp(&other.bound.value)
            .then(other.node.cmp(&self.node))
    }
}

/// One subtree's refinement, a cell at a time.
pub struct SubtreeRun {
    index: usize,
    edges: Vec<(usize, usize)>,
    nodes: Vec<Node>,
    heap: BinaryHeap<Open>,
    best: Candidate,
    improved: bool,
    examined: usize,
    resolution: bool,
    stop: Option<Stop>,
    scratch: Scratch,
}

impl SubtreeRun {
    pub fn new(problem: &Problem, index: usize, root: Cell, lower: &Candidate) -> SubtreeRun {
        let mut run = SubtreeRun {
            index,
            edges: edges(problem.n()),
            nodes: vec![Node::Open],
            heap: BinaryHeap::new(),
            best: lower.clone(),
            improved: false,
            examined: 0,
            resolution: false,
            stop: None,
            scratch: Scratch::default(),
        };
        run.add(problem, 0, root);
        run
    }

    /// Bounds a new cell, tries its centroid as a policy, and prunes it or keeps it open.
    fn add(&mut self, problem: &Problem, node: usize, cell: Cell) {
        let bound = problem.bounder.bound(&cell, &mut self.scratch);
        let centroid = cell.centroid();
        let value = problem.eval.worst(&centroid).0;
        if value > self.best.value {
            self.best = Candidate {
                value,
                policy: centroid,
            };
            self.improved = true;
        }
        if bound.value < self.best.value {
            self.nodes[node] = Node::Leaf(bound.multiset);
        } else {
            self.heap.push(Open { bound, node, cell });
        }
    }

    /// One cell split (or the end found); true once the subtree is done.
    pub fn step(&mut self, problem: &Problem, opts: &Options) -> bool {
        if self.stop.is_some() {
            return true;
        }
        let within = |stop: &mut Option<Stop>, resolution: bool| {
            *stop = Some(if resolution {
                Stop::Resolution
            } else {
                Stop::Tolerance
            });
            true
        };
        let Some(top) = self.heap.peek() else {
            return within(&mut self.stop, self.resolution);
        };
        if top.bound.value + SLACK <= self.best.value + opts.tol {
            return within(&mut self.stop, self.resolution);
        }
        let top = self.heap.pop().expect("peeked");
        if top.bound.value < self.best.value {
            self.nodes[top.node] = Node::Leaf(top.bound.multiset);
            return false;
        }
        if self.examined >= opts.max_cells {
            self.heap.push(top);
            self.stop = Some(Stop::MaxCells);
            return true;
        }
        let e = top.cell.longest_edge(&self.edges);
        let Some((a, b)) = top.cell.split(self.edges[e]) else {
            self.nodes[top.node] = Node::Leaf(top.bound.multiset);
            self.resolution = true;
            return false;
        };
        self.examined += 1;
        let (ia, ib) = (self.nodes.len(), self.nodes.len() + 1);
        self.nodes.push(Node::Open);
        self.nodes.push(Node::Open);
        self.nodes[top.node] = Node::Split(e, ia, ib);
        self.add(problem, ia, a);
        self.add(problem, ib, b);
        false
    }

    /// The subtree's outcome: open cells become leaves, the tree is written in preorder.
    pub fn finish(mut self) -> SubtreeResult {
        let mut upper = f64::NEG_INFINITY;
        for open in std::mem::take(&mut self.heap) {
            upper = upper.max(open.bound.value);
            self.nodes[open.node] = Node::Leaf(open.bound.multiset);
        }
        let mut tree = String::new();
        let mut leaves = 0;
        let mut stack = vec![0usize];
        while let Some(id) = stack.pop() {
            match self.nodes[id] {
                Node::Split(e, a, b) => {
                    write_split(&mut tree, e);
                    stack.push(b);
                    stack.push(a);
                }
                Node::Leaf(j) => {
                    write_leaf(&mut tree, j);
                    leaves += 1;
                }
                Node::Open => unreachable!("every open cell was made a leaf"),
            }
        }
        SubtreeResult {
            index: self.index,
            tree,
            leaves,
            examined: self.examined,
            upper,
            best: self.improved.then_some(self.best),
            stop: self.stop.unwrap_or(Stop::MaxCells),
        }
    }
}

/// One subtree refined to the end.
pub fn run_subtree(
    problem: &Problem,
    index: usize,
    root: Cell,
    lower: &Candidate,
    opts: &Options,
) -> SubtreeResult {
    let mut run = SubtreeRun::new(problem, index, root, lower);
    while !run.step(problem, opts) {}
    run.finish()
}

/// The roots of the subtrees (preorder) and the edges of the splits above them.
pub fn subtree_roots(problem: &Problem) -> (Vec<Cell>, Vec<usize>) {
    skeleton(problem.n(), SPLIT_DEPTH)
}

/// The whole run, resumable in slices: the local search a step at a time, then each of the
/// shard's subtrees a cell at a time, then the check of its leaves (`leaves_upper`).
pub struct CertifySearch {
    opts: Options,
    local: BestPolicySearch,
    lower: Option<Candidate>,
    roots: Vec<Cell>,
    next: usize,
    run: Option<SubtreeRun>,
    results: Vec<SubtreeResult>,
    maxima: Vec<f64>,
}

impl CertifySearch {
    pub fn new(problem: &Problem, opts: Options) -> CertifySearch {
        CertifySearch {
            opts,
            local: local_search(problem),
            lower: None,
            roots: subtree_roots(problem).0,
            next: 0,
            run: None,
            results: Vec::new(),
            maxima: Vec::new(),
        }
    }

    /// Works while `more()` says so (asked before each piece of work); true once done.
    pub fn advance(&mut self, problem: &Problem, more: &mut dyn FnMut() -> bool) -> bool {
        loop {
            if self.lower.is_none() {
                if !self.local.advance(&problem.eval, more) {
                    return false;
                }
                let best = self.local.result(&problem.eval).expect("a start");
                self.lower = Some(Candidate {
                    value: best.value,
                    policy: best.policy,
                });
            }
            if !more() {
                return false;
            }
            if let Some(run) = self.run.as_mut() {
                if run.step(problem, &self.opts) {
                    let result = self.run.take().expect("a run").finish();
                    self.results.push(result);
                }
                continue;
            }
            if self.maxima.len() < self.results.len() {
                let r = &self.results[self.maxima.len()];
                self.maxima.push(super::certificate::leaves_upper(
                    problem,
                    self.roots[r.index],
                    r,
                ));
                continue;
            }
            while self.next < self.roots.len() && !self.opts.shard.owns(self.next) {
                self.next += 1;
            }
            if self.next == self.roots.len() {
                return true;
            }
            let lower = self.lower.as_ref().expect("set");
            self.run = Some(SubtreeRun::new(
                problem,
                self.next,
                self.roots[self.next],
                lower,
            ));
            self.next += 1;
        }
    }

    /// Subtrees and cells done so far (of the shard's), for a progress display.
    pub fn progress(&self) -> (usize, usize) {
        let owned = (0..self.roots.len())
            .filter(|&s| self.opts.shard.owns(s))
            .count();
        let cells = self.results.iter().map(|r| r.examined).sum::<usize>()
            + self.run.as_ref().map_or(0, |r| r.examined);
        (self.maxima.len().min(owned), cells)
    }

    /// Once done: the starting lower bound, the subtrees' results and the bounds of their leaves.
    pub fn outcome(&self) -> Option<(&Candidate, &[SubtreeResult], &[f64])> {
        let done = self.next == self.roots.len()
            && self.run.is_none()
            && self.maxima.len() == self.results.len();
        done.then(|| {
            (
                self.lower.as_ref().expect("set"),
                &self.results[..],
                &self.maxima[..],
            )
        })
    }
}
