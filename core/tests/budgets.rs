//! The compiled payoff on the 5,000-voter x 10-response population: the same numbers as the
//! straightforward per-voter evaluation, from a fifth of the work or less (5,070 shared
//! (class, below-set) entries instead of 50,000 voter positions). The speed itself is a
//! benchmark, not a test: `make bench` runs the ignored ratio below, and `ualign bench` and
//! `benches/payoff_vs_numpy.sh` time it (BENCHMARKS.md).

use std::time::Instant;
use ualign::payoff::CompiledPopulation;

fn setup() -> (ualign::Population, CompiledPopulation, Vec<f64>) {
    let pop = ualign::presets::impartial_culture(10, 5000, 1);
    let compiled = CompiledPopulation::new(&pop);
    let pi: Vec<f64> = (0..10).map(|i| (i + 1) as f64 / 55.0).collect();
    (pop, compiled, pi)
}

#[test]
fn compiled_payoff_equals_the_per_voter_loop_from_a_fifth_of_the_entries() {
    let (pop, compiled, pi) = setup();
    for k in [1, 4, 32] {
        let mut fast = vec![0.0; 10];
        let mut slow = vec![0.0; 10];
        compiled.payoff(&pi, k, &mut fast);
        CompiledPopulation::payoff_per_voter(&pop, &pi, k, &mut slow);
        for (a, b) in fast.iter().zip(&slow) {
            assert!((a - b).abs() < 1e-13, "k = {k}: {a} vs {b}");
        }
    }
    let positions = pop.voters().len() * pop.n();
    assert!(
        compiled.entry_count() * 5 <= positions,
        "{} entries for {positions} voter positions",
        compiled.entry_count()
    );
}

/// A benchmark (`make bench`): the compiled payoff at least 5x the per-voter loop, measured in
/// one process (a ratio, so it holds on any machine; the median of 7 rounds).
#[test]
#[ignore = "a benchmark: make bench"]
fn compiled_payoff_is_at_least_5x_the_per_voter_loop() {
    let (pop, compiled, pi) = setup();
    let k = 4;
    let mut fast = vec![0.0; 10];
    let mut slow = vec![0.0; 10];
    let mut ratios = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        for _ in 0..20 {
            CompiledPopulation::payoff_per_voter(&pop, std::hint::black_box(&pi), k, &mut slow);
        }
        let per_voter = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..20 {
            compiled.payoff(std::hint::black_box(&pi), k, &mut fast);
        }
        ratios.push(per_voter / t.elapsed().as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    eprintln!("compiled payoff speedup over per-voter (median of 7): {median:.1}x");
    assert!(
        median >= 5.0,
        "speedup {median:.1}x is under 5x ({ratios:?})"
    );
}
