//! The best single-output policy against opponents that show l responses
//! (docs/mathematics.md#the-open-question): V_{k,l} = max over pi of min over multisets Y'
//! (|Y'| = l) of W_{k,l}(pi, Y').
//!
//! The objective is a minimum of polynomials in pi, so the problem is not convex and the
//! search is local: sequential linear programming from many starts. At a policy pi, each
//! multiset's win rate is replaced by its tangent plane, and the linear max-min over the
//! simplex (a matrix game: rows the responses, columns the multisets near the minimum) is
//! solved exactly (`matrix_game::solve`); the step toward its solution is halved until the true
//! minimum improves. A start ends when the linear model promises no gain or no step helps;
//! then, if it left small responses (below 1% of its largest), a finishing climb starts from
//! it with those set to 0 and keeps to the face the rest span, and the better end counts.
//! Starts: uniform, the given equilibria (the (k+1)- and (k+l)-player ones), every vertex and
//! seeded random points. What it returns is the best value found, with its policy recomputed
//! exactly: a lower bound on V_{k,l}, never claimed to be the optimum.

use crate::alignment_game::matrix_game;
use crate::model::{Policy, Population};
use crate::rng::Rng;

/// Largest profiles the search takes (responses, distinct voter types, k), and l <= 3: one
/// search evaluates every multiset of l responses for every voter type at every step.
pub const MAX_RESPONSES: usize = 12;
pub const MAX_VOTER_TYPES: usize = 5_000;
pub const MAX_K: usize = 32;
pub const MAX_L: usize = 3;

/// Responses up to which every vertex (pure policy) is a start.
pub const MAX_VERTEX_STARTS: usize = 8;
/// Random starts beside the uniform policy, the equilibria and the vertices.
pub const RANDOM_STARTS: usize = 8;
/// Linear steps per start, at most.
const MAX_STEPS: usize = 120;
/// Multisets within this of the minimum enter the linear model (all when there are few).
const ACTIVE_GAP: f64 = 0.08;
const ALL_ACTIVE_BELOW: usize = 400;

/// Whether a profile is within the search's limits; Err names the limit.
pub fn check_limits(n: usize, voter_types: usize, k: usize, l: usize) -> Result<(), String> {
    if n > MAX_RESPONSES {
        return Err(format!(
            "{n} responses is over {MAX_RESPONSES} (the limit of the best-policy search)"
        ));
    }
    if voter_types > MAX_VOTER_TYPES {
        return Err(format!(
            "{voter_types} voter types is over {MAX_VOTER_TYPES} (the limit of the best-policy search)"
        ));
    }
    if k == 0 || k > MAX_K {
        return Err(format!(
            "k = {k} is outside 1..={MAX_K} (the limit of the best-policy search)"
        ));
    }
    if l == 0 || l > MAX_L {
        return Err(format!(
            "l = {l} is outside 1..={MAX_L} (the limit of the best-policy search)"
        ));
    }
    Ok(())
}

/// Both ends of the interval for V_{k,l}: the paper's guarantee (k+1-l)/(k+1) for the
/// (k+1)-player equilibrium, and k/(k+l), which no policy beats (an opponent sampling pi l
/// times wins l/(k+l) by symmetry).
pub fn interval(k: usize, l: usize) -> (f64, f64) {
    (
        (k + 1).saturating_sub(l) as f64 / (k + 1) as f64,
        k as f64 / (k + l) as f64,
    )
}

/// Every multiset of l responses of n, as non-decreasing sequences in lexicographic order.
pub fn multisets(n: usize, l: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    if n == 0 || l == 0 {
        return out;
    }
    let mut m = vec![0; l];
    loop {
        out.push(m.clone());
        let Some(i) = (0..l).rev().find(|&i| m[i] + 1 < n) else {
            return out;
        };
        let next = m[i] + 1;
        for slot in &mut m[i..] {
            *slot = next;
        }
    }
}

/// W_{k,l}(pi, Y') for every multiset Y' of one profile, with gradients along pi. Against a
/// multiset, a voter type only matters through the responses in the best class the multiset
/// reaches, those below it, and the multiset's copies there: voter types alike in that are
/// merged (their weights added), once, for every multiset.
#[derive(Debug, Clone)]
pub struct Evaluator {
    n: usize,
    k: usize,
    multisets: Vec<Vec<usize>>,
    /// Per multiset: (responses of the best class reached, responses below it, copies of the
    /// multiset in that class, weight of the voter types alike in these), as bit masks.
    reach: Vec<Vec<(u32, u32, usize, f64)>>,
    /// C(k, c) and C(k-1, c) for c = 0..=k.
    binom_k: Vec<f64>,
    binom_k1: Vec<f64>,
}

/// For a voter whose ranking puts response r in class `idx[r]` (0 best), against the
/// opponent's multiset `y`: the opponent's copies in the best class it reaches, that class as
/// a bit set of responses, and the responses ranked below it.
pub(crate) fn reached(idx: &[usize], y: &[usize]) -> (usize, u32, u32) {
    let best = y.iter().map(|&r| idx[r]).min().unwrap_or(0);
    let copies = y.iter().filter(|&&r| idx[r] == best).count();
    let (mut top, mut below) = (0u32, 0u32);
    for (r, &c) in idx.iter().enumerate() {
        if c == best {
            top |= 1 << r;
        } else if c > best {
            below |= 1 << r;
        }
    }
    (copies, top, below)
}

fn binomials(k: usize) -> Vec<f64> {
    let mut row = vec![1.0f64; k + 1];
    for c in 1..=k {
        row[c] = row[c - 1] * (k + 1 - c) as f64 / c as f64;
    }
    row
}

/// The pi-mass of the responses in a bit mask.
fn mass(pi: &[f64], mask: u32) -> f64 {
    pi.iter()
        .enumerate()
        .filter(|(y, _)| mask >> y & 1 == 1)
        .map(|(_, p)| p)
        .sum()
}

impl Evaluator {
    /// The evaluator for opponents with l outputs against k samples (within `check_limits`).
    pub fn new(pop: &Population, k: usize, l: usize) -> Self {
        let n = pop.n();
        let total = pop.total_weight();
        let class_of: Vec<Vec<usize>> = pop
            .voters()
            .iter()
            .map(|v| v.ranking.class_index())
            .collect();
        let multisets = multisets(n, l);
        let reach = multisets
            .iter()
            .map(|y| {
                let mut alike: Vec<(u32, u32, usize, f64)> = Vec::new();
                for (v, idx) in class_of.iter().enumerate() {
                    let (copies, top, below) = reached(idx, y);
                    let w = pop.voters()[v].weight / total;
                    match alike
                        .iter_mut()
                        .find(|a| a.0 == top && a.1 == below && a.2 == copies)
                    {
                        Some(a) => a.3 += w,
                        None => alike.push((top, below, copies, w)),
                    }
                }
                alike
            })
            .collect();
        Evaluator {
            n,
            k,
            multisets,
            reach,
            binom_k: binomials(k),
            binom_k1: binomials(k.saturating_sub(1)),
        }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    pub fn multisets(&self) -> &[Vec<usize>] {
        &self.multisets
    }

    /// W_{k,l}(pi, Y') for multiset `j`, and, when `gradient` is given, its gradient along pi
    /// written into it.
    pub fn win(&self, pi: &[f64], j: usize, mut gradient: Option<&mut [f64]>) -> f64 {
        let k = self.k;
        let kf = k as f64;
        if let Some(g) = gradient.as_deref_mut() {
            g.fill(0.0);
        }
        let mut total = 0.0;
        let (mut pb, mut pd) = (vec![1.0; k + 1], vec![1.0; k + 1]);
        for &(top, below, m, weight) in &self.reach[j] {
            // b: pi-mass of the best class the opponent reaches; d: below it.
            let (b, d) = (mass(pi, top), mass(pi, below));
            for c in 1..=k {
                pb[c] = pb[c - 1] * b;
                pd[c] = pd[c - 1] * d;
            }
            let x = b + d;
            // f = 1 - x^k + sum_{c=1..k} C(k,c) b^c d^(k-c) c/(c+m)
            let share = |c: usize| c as f64 / (c + m) as f64;
            let mut s = 0.0;
            for c in 1..=k {
                s += self.binom_k[c] * pb[c] * pd[k - c] * share(c);
            }
            total += weight * (1.0 - x.powi(k as i32) + s);
            if let Some(g) = gradient.as_deref_mut() {
                let mut ds_db = 0.0;
                let mut ds_dd = 0.0;
                for c in 1..=k {
                    ds_db += self.binom_k1[c - 1] * pb[c - 1] * pd[k - c] * share(c);
                    if c < k {
                        ds_dd += self.binom_k1[c] * pb[c] * pd[k - 1 - c] * share(c);
                    }
                }
                let dx = kf * x.powi(k as i32 - 1);
                let (fb, fd) = (weight * (kf * ds_db - dx), weight * (kf * ds_dd - dx));
                for (y, gy) in g.iter_mut().enumerate() {
                    if top >> y & 1 == 1 {
                        *gy += fb;
                    } else if below >> y & 1 == 1 {
                        *gy += fd;
                    }
                }
            }
        }
        total
    }

    /// W_{k,l}(pi) = the minimum over multisets, and the (first) multiset that attains it.
    pub fn worst(&self, pi: &[f64]) -> (f64, usize) {
        (0..self.multisets.len())
            .map(|j| (self.win(pi, j, None), j))
            .fold((f64::INFINITY, 0), |a, b| if b.0 < a.0 { b } else { a })
    }
}

/// One start's climb.
#[derive(Debug, Clone, PartialEq)]
struct Climb {
    pi: Policy,
    value: f64,
    steps: usize,
    /// The values of the last STALL_STEPS steps, to end climbs that only creep.
    earlier: Vec<f64>,
    /// The trust region's radius that last succeeded.
    radius: f64,
    /// The responses the climb may use (None: all). A finishing climb keeps to the face of
    /// the simplex that its start's large responses span.
    face: Option<Vec<bool>>,
}

/// Responses below this fraction of a climb's largest one are dropped by its finishing climb.
/// The linear steps pi + r (q - pi) shrink a response toward 0 only geometrically, so a climb
/// whose maximum lies on a face of the simplex stalls with small leftovers off that face
/// (0.2% of the largest on `core/tests/cases/gap/five_responses_k2_l2.json`), which cost the
/// value more than the steps can still gain.
const FACE_TOL: f64 = 1e-2;

/// The finishing climb's start: `pi` with its responses below `FACE_TOL` of the largest set
/// to 0, and the face they span; None when there is nothing to drop.
fn face_start(pi: &[f64]) -> Option<(Policy, Vec<bool>)> {
    let top = pi.iter().copied().fold(0.0, f64::max);
    let face: Vec<bool> = pi.iter().map(|&p| p >= FACE_TOL * top).collect();
    if pi.iter().zip(&face).all(|(&p, &f)| f || p == 0.0) {
        return None;
    }
    let kept: Vec<f64> = pi
        .iter()
        .zip(&face)
        .map(|(&p, &f)| if f { p } else { 0.0 })
        .collect();
    let s: f64 = kept.iter().sum();
    Some((kept.iter().map(|p| p / s).collect(), face))
}

/// A climb ends when the linear model promises less than this per unit of trust radius over
/// the current value (a first-order measure of how far from a local maximum it is) ...
const GAP_TOL: f64 = 1e-9;
/// ... or when it gained less than STALL_GAIN over the last STALL_STEPS steps.
const STALL_STEPS: usize = 25;
const STALL_GAIN: f64 = 1e-11;

/// The outcome: the best value found (a lower bound on V_{k,l}), its policy and worst
/// opponent, and how much searching it took.
#[derive(Debug, Clone, PartialEq)]
pub struct BestPolicy {
    pub value: f64,
    pub policy: Policy,
    pub opponent: Vec<usize>,
    pub starts: usize,
    pub steps: usize,
}

/// The search, resumable: one linear step per piece of work.
#[derive(Debug, Clone, PartialEq)]
pub struct BestPolicySearch {
    starts: std::collections::VecDeque<Policy>,
    climb: Option<Climb>,
    best: Option<(f64, Policy)>,
    started: usize,
    steps: usize,
}

impl BestPolicySearch {
    /// A search from uniform, the `given` policies (the equilibria), every vertex and
    /// `RANDOM_STARTS` random points drawn with `seed`.
    pub fn new(n: usize, given: &[Policy], seed: u64) -> Self {
        Self::with_random_starts(n, given, seed, RANDOM_STARTS)
    }

    /// The same with `random` random starts.
    pub fn with_random_starts(n: usize, given: &[Policy], seed: u64, random: usize) -> Self {
        let mut starts: std::collections::VecDeque<Policy> = std::collections::VecDeque::new();
        starts.push_back(crate::model::uniform(n));
        starts.extend(given.iter().filter(|p| p.len() == n).cloned());
        // Pure policies rarely climb far against l >= 2; beyond a few responses they are left out.
        if n <= MAX_VERTEX_STARTS {
            for y in 0..n {
                let mut v = vec![0.0; n];
                v[y] = 1.0;
                starts.push_back(v);
            }
        }
        let mut rng = Rng::new(seed);
        for _ in 0..random {
            // Uniform on the simplex: normalized exponentials.
            let e: Vec<f64> = (0..n).map(|_| -(1.0 - rng.next_f64()).ln()).collect();
            let s: f64 = e.iter().sum();
            starts.push_back(e.iter().map(|x| x / s).collect());
        }
        BestPolicySearch {
            starts,
            climb: None,
            best: None,
            started: 0,
            steps: 0,
        }
    }

    /// Works while `more()` says so (asked before each step); true once every start is done.
    pub fn advance(&mut self, eval: &Evaluator, more: &mut dyn FnMut() -> bool) -> bool {
        loop {
            if self.climb.is_none() {
                let Some(pi) = self.starts.pop_front() else {
                    return true;
                };
                self.started += 1;
                self.climb = Some(Climb::new(eval, pi, None));
            }
            if !more() {
                return false;
            }
            let climb = self.climb.as_mut().expect("a climb");
            let moved = climb.steps < MAX_STEPS && step(eval, climb);
            self.steps += 1;
            if !moved {
                let Climb {
                    pi, value, face, ..
                } = self.climb.take().expect("a climb");
                if face.is_none() {
                    if let Some((start, face)) = face_start(&pi) {
                        self.climb = Some(Climb::new(eval, start, Some(face)));
                    }
                }
                if self.best.as_ref().is_none_or(|(b, _)| value > *b) {
                    self.best = Some((value, pi));
                }
            }
        }
    }

    /// The best so far (the result once finished), recomputed exactly.
    pub fn result(&self, eval: &Evaluator) -> Option<BestPolicy> {
        let (_, policy) = self.best.as_ref()?;
        let (value, j) = eval.worst(policy);
        Some(BestPolicy {
            value,
            policy: policy.clone(),
            opponent: eval.multisets()[j].clone(),
            starts: self.started,
            steps: self.steps,
        })
    }
}

impl Climb {
    fn new(eval: &Evaluator, pi: Policy, face: Option<Vec<bool>>) -> Climb {
        Climb {
            value: eval.worst(&pi).0,
            pi,
            steps: 0,
            earlier: Vec::new(),
            radius: 0.5,
            face,
        }
    }
}

/// One linear step of a climb; false when it cannot improve (the climb ends).
///
/// The linear model is trusted within a region pi + r (simplex - pi): for each radius r, the
/// model's max-min over that region is a matrix game with the slopes scaled by r (the offsets
/// W_j stay), so a smaller region gives a different, more cautious target, not just a shorter
/// step. The radius grows after a success and halves until the true minimum improves.
fn step(eval: &Evaluator, climb: &mut Climb) -> bool {
    let n = eval.n();
    let count = eval.multisets().len();
    let mut wins = Vec::with_capacity(count);
    let mut grads = Vec::with_capacity(count);
    for j in 0..count {
        let mut g = vec![0.0; n];
        wins.push(eval.win(&climb.pi, j, Some(&mut g)));
        grads.push(g);
    }
    let v = wins.iter().copied().fold(f64::INFINITY, f64::min);
    let active: Vec<usize> = (0..count)
        .filter(|&j| count <= ALL_ACTIVE_BELOW || wins[j] <= v + ACTIVE_GAP)
        .collect();
    let along: Vec<f64> = grads
        .iter()
        .map(|g| g.iter().zip(&climb.pi).map(|(a, b)| a * b).sum())
        .collect();
    climb.steps += 1;
    climb.earlier.push(climb.value);
    if climb.earlier.len() > STALL_STEPS {
        let then = climb.earlier.remove(0);
        if climb.value - then < STALL_GAIN {
            return false;
        }
    }
    // The vertices the climb may head for: its face's (all responses unless restricted).
    let rows: Vec<usize> = (0..n)
        .filter(|&y| climb.face.as_ref().is_none_or(|f| f[y]))
        .collect();
    let mut r = (2.0 * climb.radius).min(1.0);
    while r > 1e-9 {
        // The tangent planes over the region: M[y][j] = W_j + r g_j . (e_y - pi).
        let m: Vec<Vec<f64>> = rows
            .iter()
            .map(|&y| {
                active
                    .iter()
                    .map(|&j| wins[j] + r * (grads[j][y] - along[j]))
                    .collect()
            })
            .collect();
        let (mix, promised) = matrix_game::solve(&m);
        let mut target = vec![0.0; n];
        for (&y, &q) in rows.iter().zip(&mix) {
            target[y] = q;
        }
        // The gain the model promises per unit of radius: first order, so it tends to a
        // constant as r shrinks; near zero means a local maximum.
        if (promised - v) / r <= GAP_TOL {
            return false;
        }
        let pi: Policy = climb
            .pi
            .iter()
            .zip(&target)
            .map(|(p, q)| (p + r * (q - p)).max(0.0))
            .collect();
        let s: f64 = pi.iter().sum();
        let pi: Policy = pi.iter().map(|p| p / s).collect();
        let value = eval.worst(&pi).0;
        if value > climb.value + 1e-15 {
            climb.pi = pi;
            climb.value = value;
            climb.radius = r;
            return true;
        }
        r *= 0.5;
    }
    false
}

/// The whole search in one call: the best policy found against l-output opponents, from the
/// given starts (the equilibria) and the rest (`BestPolicySearch::new`).
pub fn best_policy(
    pop: &Population,
    k: usize,
    l: usize,
    given: &[Policy],
    seed: u64,
) -> BestPolicy {
    let eval = Evaluator::new(pop, k, l);
    let mut search = BestPolicySearch::new(pop.n(), given, seed);
    search.advance(&eval, &mut || true);
    search.result(&eval).expect("at least one start")
}
