//! The `ualign` command line: evaluate cases, sweep k, search for the profiles that push the
//! value against l-output opponents lowest, draw the phase map, and time the payoff. Every
//! number it prints comes from the core (`ualign`), the same functions the app's worker uses.
//!
//! Exit status: 0 when it went through, 2 for bad input (a usage error prints the command's
//! help; any other bad input one line on stderr), 3 when `verify` finds that a certificate
//! does not hold (one line on stderr), 1 for an internal error.

mod bench;
mod certify;
mod eval;
mod gap;
mod output;
mod phase;
mod simulate;
mod source;
mod sweep;

use clap::{CommandFactory, Parser, Subcommand};
use output::Output;
use std::process::ExitCode;

/// Solvers for "Asymptotic Universal Alignment" (Cai and Zheng, 2026): NLHF versus the
/// (k+1)-player alignment game, and the open question of l-output opponents. Values are
/// exact where certified (equilibria to exploitability 1e-13, the maximal lottery by linear
/// programming, minima over opponents by enumeration); an uncertified equilibrium is printed
/// as the best iterate with its exploitability, and what a search found as a bound.
#[derive(Parser)]
#[command(name = "ualign", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every measure of a case, as one JSON object (the key list is in the README).
    Eval(eval::Args),
    /// Robust win rate against k for NLHF, the (k+1)-player game, RLHF and best-of-k.
    Sweep(sweep::Args),
    /// Search populations on up to 6 responses for the one that pushes a value against
    /// l-output opponents lowest; prints it as a case document.
    GapSearch(gap::Args),
    /// The phase map: the (k+1)-player equilibrium's support and NLHF's shortfall over k and
    /// a profile parameter, with the Condorcet boundary.
    Phase(phase::Args),
    /// Rounds of the arena: a voter, k cards from NLHF and from the (k+1)-player game, a
    /// challenger, the voter's pick; each tally beside the exact value, and a fixed set.
    Simulate(simulate::Args),
    /// Time the payoff vector u_k(.; uniform) and the equilibria k = 1..16.
    Bench(bench::Args),
    /// A certified enclosure [lower, upper] of V_{k,l} at a profile (branch and bound over the
    /// policy simplex, every final cell checked in exact arithmetic), as a certificate.
    Certify(certify::CertifyArgs),
    /// Check a certificate with no search: exit 0 when it holds, 3 when it does not.
    Verify(certify::VerifyArgs),
    /// Join the certificates of a sharded run (`certify --shard I/N`) into the whole run's.
    Merge(certify::MergeArgs),
    /// List the shipped presets.
    Presets(output::OutputArgs),
}

/// Why a command did not go through.
pub enum Failure {
    /// Bad input: one line for the user.
    Input(String),
    /// A certificate whose claim does not hold: one line naming the first failing part.
    DoesNotHold(String),
    /// Something that should not happen.
    Internal(String),
}

impl From<ualign::model::ModelError> for Failure {
    fn from(e: ualign::model::ModelError) -> Self {
        Failure::Input(e.0)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if e.kind() == clap::error::ErrorKind::DisplayHelp
                || e.kind() == clap::error::ErrorKind::DisplayVersion =>
        {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("ualign: name a command");
            eprintln!("{}", usage_help(std::env::args().nth(1).as_deref()));
            return ExitCode::from(2);
        }
        Err(e) => {
            // A usage error: what was wrong, then the help of the command it was for.
            let message = e.render().to_string();
            let what: Vec<&str> = message
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            eprintln!("ualign: {}", what.join(" ").trim_start_matches("error: "));
            eprintln!("{}", usage_help(std::env::args().nth(1).as_deref()));
            return ExitCode::from(2);
        }
    };
    let outcome = std::panic::catch_unwind(|| run(cli.command));
    match outcome {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(Failure::Input(m))) => {
            eprintln!("ualign: {}", m.replace('\n', " "));
            ExitCode::from(2)
        }
        Ok(Err(Failure::DoesNotHold(m))) => {
            eprintln!("ualign: {}", m.replace('\n', " "));
            ExitCode::from(3)
        }
        Ok(Err(Failure::Internal(m))) => {
            eprintln!("ualign: internal error: {}", m.replace('\n', " "));
            ExitCode::from(1)
        }
        Err(_) => {
            eprintln!("ualign: internal error (a panic; the message is above)");
            ExitCode::from(1)
        }
    }
}

/// The help of the subcommand `name` (the whole tool's when it is not one).
fn usage_help(name: Option<&str>) -> String {
    let mut cmd = Cli::command();
    cmd.build();
    if let Some(sub) = name.and_then(|n| cmd.find_subcommand_mut(n)) {
        return sub.render_help().to_string();
    }
    cmd.render_help().to_string()
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Eval(a) => eval::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::GapSearch(a) => gap::run(a),
        Command::Phase(a) => phase::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Certify(a) => certify::run_certify(a),
        Command::Verify(a) => certify::run_verify(a),
        Command::Merge(a) => certify::run_merge(a),
        Command::Presets(out) => {
            let presets = ualign::presets::presets();
            let text = match out.format {
                output::Format::Json => {
                    let list: Vec<_> = presets
                        .iter()
                        .map(|p| serde_json::json!({"id": p.id, "title": p.title, "citation": p.citation}))
                        .collect();
                    serde_json::to_string(&list).expect("serializable") + "\n"
                }
                output::Format::Csv => presets
                    .iter()
                    .map(|p| format!("{}\t{}\n", p.id, p.title))
                    .collect(),
            };
            Output::new(out.output).write(&text)
        }
    }
}
