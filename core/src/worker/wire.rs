//! The worker's replies on the wire: a tag, a list of numbers, a list of strings, and two sets
//! of preferences in serde's own form (a configuration's custom ones, and the editable ones).
//! A configuration travels as its share-link settings (`url::encode_settings`, read back by
//! the link decoder the page has anyway) plus its custom preferences: serde's reader for
//! `Config` would cost the page 2 KB gzipped. The page
//! reads them with one small reader instead of a serde visitor per struct and variant (those
//! took 16 KB of its wasm; this saves 3.5 KB gzipped); every count is checked against what is
//! left as it is read. (The requests keep serde's derived form: packed the same way, the
//! worker's wasm came out larger, not smaller.)

use crate::config::{Config, CustomPreferences};
use crate::deck::{Answer, Deck, Question, Step};
use crate::open_question::phase_map::Family;
use crate::page::arena::ArenaPage;
use crate::protocol::{FromWorker, RunStatus};
use crate::session::{OpponentRow, SideState, Snapshot, StepRecord, SweepRow};
use serde::{Deserialize, Serialize};

/// A reply as it travels: tag, numbers, strings, configuration, preferences.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Wire(
    u8,
    Vec<f64>,
    Vec<String>,
    Option<CustomPreferences>,
    Option<CustomPreferences>,
);

fn write_config(w: &mut Writer, c: Config) -> Option<CustomPreferences> {
    w.text(&crate::url::encode_settings(&c));
    c.custom.map(|c| (*c).clone())
}

fn read_config(r: &mut Reader<'_>, custom: Option<CustomPreferences>) -> Read<Config> {
    let (mut c, _) = crate::url::decode_settings(&r.text()?).map_err(|e| e.0)?;
    c.custom = custom.map(Into::into);
    Ok(c)
}

/// Writes numbers and strings in order.
#[derive(Debug, Default)]
pub struct Writer {
    nums: Vec<f64>,
    texts: Vec<String>,
}

impl Writer {
    pub fn num(&mut self, x: f64) {
        self.nums.push(x);
    }
    pub fn int(&mut self, x: usize) {
        self.num(x as f64);
    }
    pub fn flag(&mut self, b: bool) {
        self.num(f64::from(u8::from(b)));
    }
    pub fn text(&mut self, s: &str) {
        self.texts.push(s.to_string());
    }
    pub fn nums(&mut self, v: &[f64]) {
        self.int(v.len());
        self.nums.extend_from_slice(v);
    }
    pub fn opt_num(&mut self, x: Option<f64>) {
        self.flag(x.is_some());
        self.num(x.unwrap_or(0.0));
    }
    pub fn opt_text(&mut self, s: Option<&str>) {
        self.flag(s.is_some());
        if let Some(s) = s {
            self.text(s);
        }
    }
    pub fn texts(&mut self, v: &[String]) {
        self.int(v.len());
        self.texts.extend_from_slice(v);
    }
}

pub type Read<T> = Result<T, String>;

/// Reads what a `Writer` wrote, refusing what does not fit.
pub struct Reader<'a> {
    nums: &'a [f64],
    texts: std::vec::IntoIter<String>,
}

impl Reader<'_> {
    pub fn num(&mut self) -> Read<f64> {
        let (&x, rest) = self.nums.split_first().ok_or("the message ends early")?;
        self.nums = rest;
        Ok(x)
    }
    /// A whole number up to `max`.
    pub fn int(&mut self, max: usize) -> Read<usize> {
        let x = self.num()?;
        if x.fract() != 0.0 || !(0.0..=max as f64).contains(&x) {
            return Err(format!(
                "the message has {x} where a count up to {max} belongs"
            ));
        }
        Ok(x as usize)
    }
    /// A count of items that each take at least one number or string: never more than what
    /// is left to read.
    pub fn count(&mut self) -> Read<usize> {
        let n = self.int(usize::MAX)?;
        if n > self.nums.len() + self.texts.len() {
            return Err("the message ends early".into());
        }
        Ok(n)
    }
    pub fn flag(&mut self) -> Read<bool> {
        Ok(self.int(1)? == 1)
    }
    pub fn text(&mut self) -> Read<String> {
        self.texts
            .next()
            .ok_or_else(|| "the message ends early".into())
    }
    pub fn nums(&mut self) -> Read<Vec<f64>> {
        let n = self.int(usize::MAX)?;
        if n > self.nums.len() {
            return Err("the message ends early".into());
        }
        let (v, rest) = self.nums.split_at(n);
        self.nums = rest;
        Ok(v.to_vec())
    }
    pub fn opt_num(&mut self) -> Read<Option<f64>> {
        let some = self.flag()?;
        let x = self.num()?;
        Ok(some.then_some(x))
    }
    pub fn opt_text(&mut self) -> Read<Option<String>> {
        Ok(if self.flag()? {
            Some(self.text()?)
        } else {
            None
        })
    }
    pub fn texts(&mut self) -> Read<Vec<String>> {
        let n = self.int(usize::MAX)?;
        if n > self.texts.len() {
            return Err("the message ends early".into());
        }
        (0..n).map(|_| self.text()).collect()
    }
    /// Everything was read.
    fn end(&self) -> Read<()> {
        if self.nums.is_empty() && self.texts.len() == 0 {
            Ok(())
        } else {
            Err("the message runs on past its end".into())
        }
    }
}

fn side(w: &mut Writer, s: &SideState) {
    w.nums(&s.policy);
    w.nums(&s.average);
    for x in [
        s.exploitability,
        s.robust_win_rate,
        s.regret,
        s.exact_robust_win_rate,
        s.exact_top as f64,
        s.exact_exploitability,
    ] {
        w.num(x);
    }
}

fn read_side(r: &mut Reader<'_>) -> Read<SideState> {
    Ok(SideState {
        policy: r.nums()?,
        average: r.nums()?,
        exploitability: r.num()?,
        robust_win_rate: r.num()?,
        regret: r.num()?,
        exact_robust_win_rate: r.num()?,
        exact_top: r.num()? as usize,
        exact_exploitability: r.num()?,
    })
}

fn write_deck(w: &mut Writer, deck: &Deck) {
    w.int(deck.ualign_deck as usize);
    w.text(&deck.title);
    w.int(deck.steps.len());
    for s in &deck.steps {
        for t in [&s.fragment, &s.title, &s.caption, &s.notes] {
            w.text(t);
        }
        w.opt_text(s.question.as_ref().map(|q| q.prompt.as_str()));
        w.flag(
            s.question
                .as_ref()
                .is_some_and(|q| q.answer == Answer::NlhfTop),
        );
    }
}

fn read_deck(r: &mut Reader<'_>) -> Read<Deck> {
    let ualign_deck = r.int(u32::MAX as usize)? as u32;
    let title = r.text()?;
    let n = r.int(crate::deck::MAX_STEPS)?;
    let mut steps = Vec::with_capacity(n);
    for _ in 0..n {
        let (fragment, title, caption, notes) = (r.text()?, r.text()?, r.text()?, r.text()?);
        let prompt = r.opt_text()?;
        let top = r.flag()?;
        steps.push(Step {
            fragment,
            title,
            caption,
            notes,
            question: prompt.map(|prompt| Question {
                prompt,
                answer: if top {
                    Answer::NlhfTop
                } else {
                    Answer::NlhfWinRate
                },
            }),
        });
    }
    Ok(Deck {
        ualign_deck,
        title,
        steps,
    })
}

const STATUSES: [RunStatus; 4] = [
    RunStatus::Idle,
    RunStatus::Running,
    RunStatus::Done,
    RunStatus::Error,
];

impl From<FromWorker> for Wire {
    fn from(msg: FromWorker) -> Wire {
        let mut w = Writer::default();
        let (mut config, mut custom) = (None, None);
        let tag = match msg {
            FromWorker::Ready => 0,
            FromWorker::Loaded {
                config: c,
                labels,
                keep_sweep,
                preferences,
                fit_residual,
                fit_types,
            } => {
                w.texts(&labels);
                w.flag(keep_sweep);
                w.opt_num(fit_residual);
                w.opt_num(fit_types.map(|t| t as f64));
                config = write_config(&mut w, c);
                custom = Some(preferences);
                1
            }
            FromWorker::Restarted => 2,
            FromWorker::Snapshot {
                snapshot: s,
                description,
                status,
            } => {
                for x in [s.iteration, s.k, s.players] {
                    w.int(x);
                }
                side(&mut w, &s.nlhf);
                side(&mut w, &s.game);
                w.text(&description);
                w.int(STATUSES.iter().position(|&x| x == status).unwrap_or(0));
                3
            }
            FromWorker::History(records) => {
                w.int(records.len());
                for r in records {
                    w.int(r.iteration);
                    for x in [
                        r.nlhf_win_rate,
                        r.game_win_rate,
                        r.nlhf_exploitability,
                        r.game_exploitability,
                    ] {
                        w.num(x);
                    }
                }
                4
            }
            FromWorker::SweepProgress {
                row: r,
                done,
                total,
            } => {
                w.int(r.k);
                for x in [
                    r.nlhf,
                    r.game,
                    r.rlhf,
                    r.best_of_k,
                    r.bound,
                    r.game_exploitability,
                ] {
                    w.num(x);
                }
                w.int(done);
                w.int(total);
                5
            }
            FromWorker::Opponents(rows) => {
                w.int(rows.len());
                for r in rows {
                    w.int(r.l);
                    for x in [r.game, r.nlhf, r.bound] {
                        w.num(x);
                    }
                    w.flag(r.exact);
                    w.num(r.k_plus_l);
                    w.opt_num(r.best);
                    w.flag(r.best_exact);
                }
                6
            }
            FromWorker::Phase {
                family,
                n,
                columns,
                cells,
                done,
                total,
            } => {
                match family {
                    Family::TwoResponses => w.opt_num(None),
                    Family::Weight { voter } => w.opt_num(Some(voter as f64)),
                }
                for x in [n, done, total] {
                    w.int(x);
                }
                w.nums(&columns);
                w.nums(&cells);
                7
            }
            FromWorker::Arena(view) => {
                view.write(&mut w);
                8
            }
            FromWorker::Done => 9,
            FromWorker::Imported { name, custom: c } => {
                w.text(&name);
                custom = Some(c);
                10
            }
            FromWorker::ImportFailed(t) => {
                w.text(&t);
                11
            }
            FromWorker::Error(t) => {
                w.text(&t);
                12
            }
            FromWorker::Crashed(t) => {
                w.text(&t);
                13
            }
            FromWorker::Pong(n) => {
                w.num(f64::from(n));
                14
            }
            FromWorker::Saved { name, config: c } => {
                w.text(&name);
                w.flag(c.is_ok());
                match c {
                    Ok(c) => config = write_config(&mut w, c),
                    Err(why) => w.text(&why),
                }
                17
            }
            FromWorker::Deck(deck) => {
                write_deck(&mut w, &deck);
                15
            }
            FromWorker::DeckFailed(t) => {
                w.text(&t);
                16
            }
            FromWorker::Draft(d) => {
                w.text(&d.form);
                w.text(&d.html);
                w.text(&d.json);
                w.int(d.steps);
                w.flag(d.added);
                w.flag(d.store);
                w.opt_text(d.notice.as_deref());
                18
            }
        };
        Wire(tag, w.nums, w.texts, config, custom)
    }
}

impl TryFrom<Wire> for FromWorker {
    type Error = String;

    fn try_from(Wire(tag, nums, texts, config, custom): Wire) -> Read<FromWorker> {
        let mut r = Reader {
            nums: &nums,
            texts: texts.into_iter(),
        };
        let r = &mut r;
        let big = usize::MAX;
        let msg = match tag {
            0 => FromWorker::Ready,
            1 => FromWorker::Loaded {
                labels: r.texts()?,
                keep_sweep: r.flag()?,
                fit_residual: r.opt_num()?,
                fit_types: r.opt_num()?.map(|t| t as usize),
                config: read_config(r, config)?,
                preferences: custom.ok_or("a load without its preferences")?,
            },
            2 => FromWorker::Restarted,
            3 => FromWorker::Snapshot {
                snapshot: Snapshot {
                    iteration: r.int(big)?,
                    k: r.int(big)?,
                    players: r.int(big)?,
                    nlhf: read_side(r)?,
                    game: read_side(r)?,
                },
                description: r.text()?,
                status: STATUSES[r.int(3)?],
            },
            4 => FromWorker::History(
                (0..r.count()?)
                    .map(|_| {
                        Ok(StepRecord {
                            iteration: r.int(big)?,
                            nlhf_win_rate: r.num()?,
                            game_win_rate: r.num()?,
                            nlhf_exploitability: r.num()?,
                            game_exploitability: r.num()?,
                        })
                    })
                    .collect::<Read<_>>()?,
            ),
            5 => FromWorker::SweepProgress {
                row: SweepRow {
                    k: r.int(big)?,
                    nlhf: r.num()?,
                    game: r.num()?,
                    rlhf: r.num()?,
                    best_of_k: r.num()?,
                    bound: r.num()?,
                    game_exploitability: r.num()?,
                },
                done: r.int(big)?,
                total: r.int(big)?,
            },
            6 => FromWorker::Opponents(
                (0..r.count()?)
                    .map(|_| {
                        Ok(OpponentRow {
                            l: r.int(big)?,
                            game: r.num()?,
                            nlhf: r.num()?,
                            bound: r.num()?,
                            exact: r.flag()?,
                            k_plus_l: r.num()?,
                            best: r.opt_num()?,
                            best_exact: r.flag()?,
                        })
                    })
                    .collect::<Read<_>>()?,
            ),
            7 => FromWorker::Phase {
                family: match r.opt_num()? {
                    None => Family::TwoResponses,
                    Some(v) if v.fract() == 0.0 && v >= 0.0 => Family::Weight { voter: v as usize },
                    Some(v) => return Err(format!("the message names voter type {v}")),
                },
                n: r.int(big)?,
                done: r.int(big)?,
                total: r.int(big)?,
                columns: r.nums()?,
                cells: r.nums()?,
            },
            8 => FromWorker::Arena(Box::new(ArenaPage::read(r)?)),
            9 => FromWorker::Done,
            10 => FromWorker::Imported {
                name: r.text()?,
                custom: custom.ok_or("an import without its preferences")?,
            },
            11 => FromWorker::ImportFailed(r.text()?),
            12 => FromWorker::Error(r.text()?),
            13 => FromWorker::Crashed(r.text()?),
            14 => FromWorker::Pong(r.int(u32::MAX as usize)? as u32),
            15 => FromWorker::Deck(read_deck(r)?),
            16 => FromWorker::DeckFailed(r.text()?),
            17 => FromWorker::Saved {
                name: r.text()?,
                config: if r.flag()? {
                    Ok(read_config(r, config)?)
                } else {
                    Err(r.text()?)
                },
            },
            18 => FromWorker::Draft(crate::page::deck_edit::DraftPage {
                form: r.text()?,
                html: r.text()?,
                json: r.text()?,
                steps: r.int(crate::deck::MAX_STEPS)?,
                added: r.flag()?,
                store: r.flag()?,
                notice: r.opt_text()?,
            }),
            t => return Err(format!("the message has an unknown tag {t}")),
        };
        r.end()?;
        Ok(msg)
    }
}
