//! The open question for l > 1 (docs/mathematics.md#the-open-question): how well a single-output policy sampled
//! k times can do against an opponent that shows l responses, between the paper's guarantee
//! (k+1-l)/(k+1) and k/(k+l); the search for the profiles that push it lowest; and the phase
//! map of when the equilibrium's diversity switches on.

pub mod best_policy;
pub mod certify;
pub mod gap_search;
pub mod phase_map;
