//! What the core's test binaries share: the shipped data files and a population of weighted
//! strict rankings, and win rates by brute force. Each binary uses a part of it.
#![allow(dead_code)]

pub mod brute_force;

use ualign::model::{default_labels, Population, Ranking, Voter};
use ualign::rng::Rng;

pub const APA: &str = include_str!("../../data/00028-00000001.soi");
pub const TSHIRT: &str = include_str!("../../data/00012-00000001.soc");
pub const NETFLIX: &str = include_str!("../../data/00004-00000012.soc");
pub const DOTS: &str = include_str!("../../data/00024-00000001.soc");
pub const BREAKFAST: &str = include_str!("../../data/00035-00000002.soc");
pub const LLMFAO_15: &str = include_str!("../../data/llmfao-15-matrix.csv");
pub const LLMFAO_BIG: &str = include_str!("../../data/llmfao-crowd-comparisons.csv");

/// Weighted strict rankings (best first) of `n` responses labelled by default.
pub fn strict_population(voters: &[(f64, Vec<usize>)], n: usize) -> Population {
    Population::new(
        default_labels(n),
        voters
            .iter()
            .map(|(w, r)| Voter {
                weight: *w,
                ranking: Ranking::strict(r, n).unwrap(),
            })
            .collect(),
    )
    .unwrap()
}

/// Weighted rankings over n responses, strict or (with `weak`, half of them) cut into random
/// tied classes; each weight is (0.1 + a uniform draw) / `divide`.
pub fn random_population(
    rng: &mut Rng,
    n: usize,
    types: usize,
    weak: bool,
    divide: f64,
) -> Population {
    let voters = (0..types)
        .map(|_| {
            let order = rng.permutation(n);
            let ranking = if weak && rng.below(2) == 0 {
                let mut classes: Vec<Vec<usize>> = vec![];
                for y in order {
                    if classes.is_empty() || rng.below(3) == 0 {
                        classes.push(vec![y]);
                    } else {
                        classes.last_mut().unwrap().push(y);
                    }
                }
                Ranking::weak(classes, n).unwrap()
            } else {
                Ranking::strict(&order, n).unwrap()
            };
            Voter {
                weight: (0.1 + rng.next_f64()) / divide,
                ranking,
            }
        })
        .collect();
    Population::new(default_labels(n), voters).unwrap()
}
