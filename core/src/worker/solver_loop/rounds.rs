//! The loop's rounds: the arena and the seats opened on the session, their requests, and
//! their views posted when a report is due.

use super::SolverLoop;
use crate::arena::live::{Arena, ArenaRequest};
use crate::arena::seats::{Seats, SeatsRequest};
use crate::protocol::FromWorker;

impl SolverLoop {
    /// Opens the arena on the session (or gives it a new setup), or passes the request on;
    /// the report follows at once.
    pub(super) fn arena_request(&mut self, request: ArenaRequest, now_ms: f64) {
        match (&mut self.arena, request) {
            (Some(arena), request) => arena.handle(request, now_ms),
            (None, ArenaRequest::Open(setup)) => {
                let (Some(session), Some(config)) = (&self.session, &self.config) else {
                    return;
                };
                self.arena = Some(Arena::new(
                    session.game_population(),
                    session.maximal_lottery().to_vec(),
                    session.equilibrium().policy.clone(),
                    config.k,
                    config.players(),
                    setup,
                ));
            }
            // Nothing to play on before the page opens the arena.
            (None, _) => return,
        }
        self.post_arena(now_ms);
    }

    /// Fast rounds run in the arena or at the seats.
    pub(super) fn rounds_fast(&self) -> bool {
        self.arena.as_ref().is_some_and(Arena::fast) || self.seats.as_ref().is_some_and(Seats::fast)
    }

    /// Opens the seats on the session (or gives them a new challenger), or passes the
    /// request on; the view follows at once.
    pub(super) fn seats_request(&mut self, request: SeatsRequest, now_ms: f64) {
        match (&mut self.seats, request) {
            (Some(seats), request) => seats.handle(request, now_ms),
            (None, SeatsRequest::Open(setup)) => {
                let (Some(session), Some(config)) = (&self.session, &self.config) else {
                    return;
                };
                self.seats = Some(Seats::new(
                    session.game_population(),
                    session.maximal_lottery().to_vec(),
                    session.equilibrium().policy.clone(),
                    config.k,
                    crate::arena::seats::seat_challenger(&setup.challenger),
                    setup.draws,
                ));
            }
            (None, _) => return,
        }
        self.post_seats(now_ms);
    }

    pub(super) fn post_seats(&mut self, now_ms: f64) {
        let (Some(seats), Some(session)) = (&mut self.seats, &self.session) else {
            return;
        };
        if let Some(view) = seats.tick(now_ms, session.labels()) {
            self.outbox.push(FromWorker::Seats(Box::new(view)));
        }
    }

    /// The arena's view, when a report is due (in words here, so the page only lays it out).
    pub(super) fn post_arena(&mut self, now_ms: f64) {
        let (Some(arena), Some(session)) = (&mut self.arena, &self.session) else {
            return;
        };
        if let Some(report) = arena.tick(now_ms) {
            let view = crate::arena::view::view(&report, arena.chosen(), session.labels());
            self.outbox.push(FromWorker::Arena(Box::new(view)));
        }
    }
}
