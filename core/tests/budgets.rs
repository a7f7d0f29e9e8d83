//! Speed budget held in CI (issue: budgets): the compiled payoff evaluation must stay at least
//! 5x faster than the straightforward per-voter evaluation of the same formula, measured in the
//! same process on the 5,000-voter x 10-response population. A ratio, not a time, so it holds
//! on any machine; the median of several rounds keeps a noisy neighbour from deciding it.

use std::time::Instant;
use ualign::payoff::CompiledPopulation;

#[test]
fn compiled_payoff_is_at_least_5x_the_per_voter_loop() {
    let pop = ualign::presets::impartial_culture(10, 5000, 1);
    let compiled = CompiledPopulation::new(&pop);
    let pi: Vec<f64> = (0..10).map(|i| (i + 1) as f64 / 55.0).collect();
    let k = 4;
    let mut fast = vec![0.0; 10];
    let mut slow = vec![0.0; 10];
    // Same numbers first: the comparison is between two evaluations of one formula.
    compiled.payoff(&pi, k, &mut fast);
    CompiledPopulation::payoff_per_voter(&pop, &pi, k, &mut slow);
    for (a, b) in fast.iter().zip(&slow) {
        assert!((a - b).abs() < 1e-13);
    }
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
        let compiled_time = t.elapsed().as_secs_f64();
        ratios.push(per_voter / compiled_time);
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    eprintln!("compiled payoff speedup over per-voter (median of 7): {median:.1}x");
    assert!(
        median >= 5.0,
        "speedup {median:.1}x is under the 5x budget ({ratios:?})"
    );
}
