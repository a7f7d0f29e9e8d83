//! The profile a certificate is about, with exact rational weights, and how a multiset Y' sees
//! it: voter types alike against Y' merged into groups (the best class Y' reaches, the classes
//! below it, the copies of Y' in that class).

use crate::model::{ModelError, Population, RawRanking};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Weighted weak orders with exact weights (not necessarily normalized).
#[derive(Debug, Clone, PartialEq)]
pub struct ExactProfile {
    pub labels: Vec<String>,
    pub weights: Vec<BigRational>,
    /// Each voter type's classes of tied responses, best first (all responses appear once).
    pub rankings: Vec<Vec<Vec<usize>>>,
}

/// The rational a decimal stands for: `51`, `0.51`, `-2.5e-3` (optionally `+`). None for
/// anything else. Hand-written because num-rational reads only `p/q`.
pub fn decimal(s: &str) -> Option<BigRational> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        || exponent.unsigned_abs() > 400
    {
        return None;
    }
    let digits: BigInt = format!("0{int}{frac}").parse().ok()?;
    let shift = exponent - frac.len() as i32;
    let ten = BigInt::from(10u32);
    let value = if shift >= 0 {
        BigRational::from_integer(digits * ten.pow(shift as u32))
    } else {
        BigRational::new(digits, ten.pow((-shift) as u32))
    };
    Some(if negative { -value } else { value })
}

/// A rational written as `p/q`, `p` or a decimal.
pub fn rational(s: &str) -> Option<BigRational> {
    if s.contains('/') {
        let (p, q) = s.split_once('/')?;
        let (p, q): (BigInt, BigInt) = (p.parse().ok()?, q.parse().ok()?);
        return (!q.is_zero()).then(|| BigRational::new(p, q));
    }
    decimal(s)
}

/// The nearest f64 at or above (`up`) or at or below a rational.
pub fn to_f64_directed(x: &BigRational, up: bool) -> f64 {
    let mut f = x
        .to_f64()
        .unwrap_or(if x.is_negative() { f64::MIN } else { f64::MAX });
    let exact = |f: f64| BigRational::from_float(f).expect("finite");
    if up {
        while exact(f) < *x {
            f = f.next_up();
        }
    } else {
        while exact(f) > *x {
            f = f.next_down();
        }
    }
    f
}

impl ExactProfile {
    /// The profile of a population: each weight is the shortest decimal that reads back as
    /// the same f64 (`0.51` for the f64 nearest 0.51), so a decimal written in a file with at
    /// most 15 significant digits, or any weight the CLI prints, is taken as that decimal.
    pub fn from_population(pop: &Population) -> ExactProfile {
        ExactProfile {
            labels: pop.labels().to_vec(),
            weights: pop
                .voters()
                .iter()
                .map(|v| decimal(&format!("{}", v.weight)).expect("a finite weight"))
                .collect(),
            rankings: pop
                .voters()
                .iter()
                .map(|v| v.ranking.classes().to_vec())
                .collect(),
        }
    }

    /// Checks the profile (labels, rankings of all responses, weights at least 0 adding up to
    /// more than 0); Err says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.weights.len() != self.rankings.len() || self.weights.is_empty() {
            return Err("the profile needs voter types, each with a weight and a ranking".into());
        }
        if let Some(i) = self.weights.iter().position(|w| w.is_negative()) {
            return Err(format!("voter type {} has a negative weight", i + 1));
        }
        if self.weights.iter().all(|w| w.is_zero()) {
            return Err("the voter weights add up to zero".into());
        }
        self.population().map(|_| ()).map_err(|e| e.0)
    }

    pub fn n(&self) -> usize {
        self.labels.len()
    }

    /// The float population (weights rounded to f64) the search runs on.
    pub fn population(&self) -> Result<Population, ModelError> {
        let raw = self
            .weights
            .iter()
            .zip(&self.rankings)
            .map(|(w, r)| (w.to_f64().unwrap_or(f64::NAN), RawRanking(r.clone())))
            .collect();
        Population::from_raw(self.labels.clone(), raw)
    }

    /// The weights divided by their total, as integers over one common denominator.
    pub fn normalized(&self) -> (Vec<BigInt>, BigInt) {
        let total: BigRational = self.weights.iter().sum();
        let shares: Vec<BigRational> = self.weights.iter().map(|w| w / &total).collect();
        let q = shares.iter().fold(BigInt::one(), |acc, s| {
            num_integer::Integer::lcm(&acc, s.denom())
        });
        let p = shares
            .iter()
            .map(|s| s.numer() * (&q / s.denom()))
            .collect();
        (p, q)
    }

    /// Position of each response's class in each voter type's ranking (0 = best).
    pub fn class_indices(&self) -> Vec<Vec<usize>> {
        self.rankings
            .iter()
            .map(|classes| {
                let mut idx = vec![0; self.n()];
                for (c, class) in classes.iter().enumerate() {
                    for &y in class {
                        idx[y] = c;
                    }
                }
                idx
            })
            .collect()
    }
}

/// One group of voter types alike against a multiset: the responses of the best class the
/// multiset reaches (`top`), those below it (`below`), as bit masks, the multiset's copies in
/// `top`, and the voter types in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub top: u32,
    pub below: u32,
    pub copies: usize,
    pub voters: Vec<usize>,
}

/// The groups of voter types against multiset `y` (voter types with zero weight left out).
pub fn groups(class_of: &[Vec<usize>], weights_zero: &[bool], y: &[usize]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (v, idx) in class_of.iter().enumerate() {
        if weights_zero[v] {
            continue;
        }
        let (copies, top, below) = crate::open_question::best_policy::reached(idx, y);
        match out
            .iter_mut()
            .find(|g| g.top == top && g.below == below && g.copies == copies)
        {
            Some(g) => g.voters.push(v),
            None => out.push(Group {
                top,
                below,
                copies,
                voters: vec![v],
            }),
        }
    }
    out
}
