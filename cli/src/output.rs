//! Where a command's output goes (stdout or `--output FILE`), its format, and a progress bar
//! for work longer than about a second (stderr, only on a terminal).

use crate::Failure;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The formats a table can be written in.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Csv,
    Json,
}

/// `--format` and `--output`, for commands that print a table.
#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The destination of a command's output.
pub struct Output(Option<PathBuf>);

impl Output {
    pub fn new(path: Option<PathBuf>) -> Self {
        Output(path)
    }

    pub fn write(&self, text: &str) -> Result<(), Failure> {
        match &self.0 {
            None => {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                // A closed pipe (`| head`) is not an error of ours.
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
                Ok(())
            }
            Some(path) => std::fs::write(path, text)
                .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display()))),
        }
    }
}

/// A progress bar that appears only once the work has taken a second, on a terminal.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
}

impl Progress {
    pub fn new(total: u64, what: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({elapsed}, {eta} left)")
                .expect("a valid template"),
        );
        bar.set_message(what.to_string());
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    pub fn set(&mut self, done: u64) {
        if !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            self.shown = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done);
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
