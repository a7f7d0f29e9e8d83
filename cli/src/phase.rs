//! `ualign phase`: the phase map as CSV (or JSON), the same grid the app draws.

use crate::output::{Format, Output, OutputArgs, Progress};
use crate::source::SourceArgs;
use crate::Failure;
use ualign::case::game_population;
use ualign::open_question::phase_map::{phase_csv, Family, PhaseSearch};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// `two-responses` (majority share p from 0.5 to 0.99) or `weight:V` (voter type V's
    /// share of the given preferences, from 0 to 0.99).
    #[arg(long, default_value = "two-responses")]
    pub family: String,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Rows: k = 1..=K.
    #[arg(long, default_value_t = 16)]
    pub k_max: usize,
    /// Columns: values of the parameter.
    #[arg(long, default_value_t = 21)]
    pub columns: usize,
    #[command(flatten)]
    pub out: OutputArgs,
}

pub fn run(a: Args) -> Result<(), Failure> {
    let family = Family::from_id(&a.family).ok_or_else(|| {
        Failure::Input(format!(
            "--family {:?} is not two-responses or weight:V (a voter type, from 1)",
            a.family
        ))
    })?;
    let base = match family {
        Family::TwoResponses => None,
        Family::Weight { .. } => Some(game_population(&a.source.preferences()?)?.0),
    };
    let mut map =
        PhaseSearch::new(family, base.as_ref(), a.columns, a.k_max).map_err(Failure::Input)?;
    let mut progress = Progress::new(map.progress().1 as u64, "phase map cells");
    while !map.advance(&mut {
        let mut pieces = 0;
        move || {
            pieces += 1;
            pieces > 50
        }
    }) {
        progress.set(map.progress().0 as u64);
    }
    progress.finish();
    let text = match a.out.format {
        Format::Csv => phase_csv(&map),
        Format::Json => {
            serde_json::to_string(&serde_json::json!({
                "family": family.id(),
                "parameter": family.parameter_name(),
                "columns": map.facts,
                "cells": map.cells,
            }))
            .expect("serializable")
                + "\n"
        }
    };
    Output::new(a.out.output).write(&text)
}
