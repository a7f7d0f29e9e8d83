//! The `ualign` command line: evaluate reference cases, sweep k, and benchmark the payoff.

use std::path::Path;
use std::time::Instant;
use ualign::case::{evaluate, game_population, measures, read_case};
use ualign::model::{uniform, ModelError, Preferences};
use ualign::payoff::{guarantee, CompiledPopulation};

const USAGE: &str = "usage:
  ualign eval CASE.json                 every measure of a case, as one JSON object
  ualign sweep (CASE.json | --preset ID | --file DATA) [--k-max K]
                                        CSV: k, method, robust win rate, exploitability
  ualign bench (CASE.json | --preset ID | --impartial-culture N VOTERS SEED) [--k K] [--reps R]
                                        time the payoff vector u_k(.; uniform)
  ualign presets                        list the shipped presets";

/// Runs the command line; returns the exit status (2 for bad input, with one line on stderr).
pub fn run(args: &[String]) -> i32 {
    match dispatch(args) {
        Ok(out) => {
            print!("{out}");
            0
        }
        Err(e) => {
            eprintln!("ualign: {}", e.0.replace('\n', " "));
            2
        }
    }
}

fn dispatch(args: &[String]) -> Result<String, ModelError> {
    let Some(cmd) = args.first() else {
        return Err(ModelError(USAGE.replace('\n', " ")));
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "eval" => {
            let [path] = rest else {
                return Err(ModelError("eval takes exactly one case file".into()));
            };
            let (case, prefs) = read_case(Path::new(path))?;
            let result = evaluate(&prefs, &case.k, &case.l)?;
            Ok(serde_json::to_string(&result).expect("serializable") + "\n")
        }
        "sweep" => sweep(rest),
        "bench" => bench(rest),
        "presets" => Ok(ualign::presets::presets()
            .iter()
            .map(|p| format!("{}\t{}\n", p.id, p.title))
            .collect()),
        "help" | "--help" | "-h" => Ok(format!("{USAGE}\n")),
        other => Err(ModelError(format!(
            "unknown command {other:?}; try eval, sweep, bench or presets"
        ))),
    }
}

/// Pulls `--name VALUE` out of the arguments.
fn option(args: &mut Vec<String>, name: &str) -> Result<Option<String>, ModelError> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) if i + 1 < args.len() => {
            let v = args.remove(i + 1);
            args.remove(i);
            Ok(Some(v))
        }
        Some(_) => Err(ModelError(format!("{name} needs a value"))),
    }
}

fn number<T: std::str::FromStr>(s: &str, what: &str) -> Result<T, ModelError> {
    s.parse()
        .map_err(|_| ModelError(format!("{what} must be a whole number, not {s:?}")))
}

/// The preferences named by the remaining arguments.
fn preferences(args: &mut Vec<String>) -> Result<Preferences, ModelError> {
    if let Some(id) = option(args, "--preset")? {
        return ualign::presets::load(&id);
    }
    if let Some(file) = option(args, "--file")? {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| ModelError(format!("cannot read {file}: {e}")))?;
        return ualign::readers::read_any(&file, &text)
            .map_err(|e| ModelError(format!("{file}: {e}")));
    }
    if let Some(i) = args.iter().position(|a| a == "--impartial-culture") {
        if i + 3 >= args.len() {
            return Err(ModelError("--impartial-culture needs N VOTERS SEED".into()));
        }
        let n: usize = number(&args[i + 1], "N")?;
        let voters: usize = number(&args[i + 2], "VOTERS")?;
        let seed: u64 = number(&args[i + 3], "SEED")?;
        args.drain(i..i + 4);
        if n == 0 || n > ualign::model::limits::MAX_RESPONSES || voters == 0 || voters > 1_000_000 {
            return Err(ModelError(format!(
                "impartial culture needs 1..={} responses and 1..=1000000 voters",
                ualign::model::limits::MAX_RESPONSES
            )));
        }
        return Ok(Preferences::Population(ualign::presets::impartial_culture(
            n, voters, seed,
        )));
    }
    match args.first() {
        Some(path) if !path.starts_with("--") => {
            let path = args.remove(0);
            Ok(read_case(Path::new(&path))?.1)
        }
        _ => Err(ModelError(
            "name the preferences: a case file, --preset ID or --file DATA".into(),
        )),
    }
}

fn no_leftovers(args: &[String]) -> Result<(), ModelError> {
    match args.first() {
        Some(a) => Err(ModelError(format!("unexpected argument {a:?}"))),
        None => Ok(()),
    }
}

fn sweep(rest: &[String]) -> Result<String, ModelError> {
    let mut args = rest.to_vec();
    let k_max: usize = option(&mut args, "--k-max")?
        .map(|s| number(&s, "--k-max"))
        .transpose()?
        .unwrap_or(16);
    let prefs = preferences(&mut args)?;
    no_leftovers(&args)?;
    if k_max == 0 || k_max > ualign::config::MAX_SWEEP_K {
        return Err(ModelError(format!(
            "--k-max {k_max} is outside 1..={} (the limit on the sweep)",
            ualign::config::MAX_SWEEP_K
        )));
    }
    let pairwise = prefs.pairwise();
    let (m, _) = measures(&prefs)?;
    let lottery = ualign::lottery::maximal_lottery(&pairwise);
    let rlhf = ualign::bradley_terry::rlhf_policy(
        &ualign::bradley_terry::fit_scores(&pairwise),
        1.0,
        None,
    );
    let reference = uniform(m.n());
    let mut out = String::from("k,method,robust_win_rate,exploitability\n");
    for k in 1..=k_max {
        let eq = m.equilibrium(k + 1);
        for (method, pi) in [
            ("nlhf", &lottery),
            ("alignment-game", &eq.policy),
            ("rlhf", &rlhf),
            ("best-of-k", &reference),
        ] {
            let eps = m.exploitability(pi, k).max(0.0);
            out += &format!("{k},{method},{:.12},{eps:.3e}\n", guarantee(k) - eps);
        }
    }
    Ok(out)
}

fn bench(rest: &[String]) -> Result<String, ModelError> {
    let mut args = rest.to_vec();
    let k: usize = option(&mut args, "--k")?
        .map(|s| number(&s, "--k"))
        .transpose()?
        .unwrap_or(4);
    let reps: usize = option(&mut args, "--reps")?
        .map(|s| number(&s, "--reps"))
        .transpose()?
        .unwrap_or(2000);
    let prefs = preferences(&mut args)?;
    no_leftovers(&args)?;
    ualign::case::check_request(&[k], &[], prefs.n())?;
    let (population, _) = game_population(&prefs)?;
    let mut out = String::new();
    let t = Instant::now();
    let c = CompiledPopulation::new(&population);
    out += &format!(
        "population: {} responses, {} voter types, {} payoff entries; compiled in {:.3} ms\n",
        c.n(),
        c.population().voters().len(),
        c.entry_count(),
        t.elapsed().as_secs_f64() * 1e3
    );
    // Full solves: the equilibrium for every k = 1..=16.
    let t = Instant::now();
    let mut worst = 0.0f64;
    for kk in 1..=16 {
        worst = worst.max(ualign::equilibrium::solve(&c, kk + 1).exploitability);
    }
    out += &format!(
        "equilibrium_k1_to_16_seconds={:.6} (worst exploitability {worst:.1e})\n",
        t.elapsed().as_secs_f64()
    );
    let pi = uniform(c.n());
    let mut u = vec![0.0; c.n()];
    let time = |f: &mut dyn FnMut()| {
        for _ in 0..reps.div_ceil(10).max(1) {
            f();
        }
        let t = Instant::now();
        for _ in 0..reps.max(1) {
            f();
        }
        t.elapsed().as_secs_f64() / reps.max(1) as f64
    };
    let per_voter = time(&mut || {
        CompiledPopulation::payoff_per_voter(&population, &pi, k, &mut u);
        std::hint::black_box(&u);
    });
    out += &format!("per_voter_payoff_eval_seconds={per_voter:.3e}\n");
    let fast = time(&mut || {
        c.payoff(std::hint::black_box(&pi), k, &mut u);
        std::hint::black_box(&u);
    });
    out += &format!("speedup_over_per_voter={:.1}\n", per_voter / fast);
    let u = c.payoff_vec(&pi, k);
    let shown: Vec<String> = u.iter().map(|x| format!("{x:.15}")).collect();
    out += &format!("u_uniform={}\n", shown.join(","));
    out += &format!("payoff_eval_seconds={fast:.3e}\n");
    Ok(out)
}
