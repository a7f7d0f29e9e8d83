//! The terms a newcomer meets, each defined in a sentence, and captions split so the page can
//! mark a term where it first appears (a definition on hover and focus).

use serde::{Deserialize, Serialize};

/// One term: its name in the glossary, how captions write it (longest first, so a longer form
/// wins where two start at one place) and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub id: &'static str,
    pub name: &'static str,
    pub forms: &'static [&'static str],
    pub definition: &'static str,
}

/// The glossary, in the order a newcomer meets the terms.
pub const TERMS: &[Term] = &[
    Term {
        id: "best-of-k",
        name: "best-of-k",
        forms: &["best-of-k", "best-of-4", "best-of-2"],
        definition: "The model shows k responses, each drawn on its own from its policy π, and the user picks the one they like best.",
    },
    Term {
        id: "w-k",
        name: "W_k",
        forms: &["win rate", "W_k"],
        definition: "W_k(π, y) is the chance that the user picks one of the model's k responses rather than a challenger's response y (if the best response is on the table more than once, the pick goes to one of its copies at random); W_k(π), the robust win rate, is this against the worst y.",
    },
    Term {
        id: "nlhf",
        name: "NLHF",
        forms: &["NLHF"],
        definition: "Nash learning from human feedback: the policy at the Nash equilibrium of the 2-player game in which each player proposes one response and the one the voter prefers wins (the alignment game at k = 1). That policy is a maximal lottery.",
    },
    Term {
        id: "maximal-lottery",
        name: "maximal lottery",
        forms: &["maximal lottery", "lottery"],
        definition: "A distribution over responses that no single response beats head to head more often than it loses: the equilibrium of the 2-player preference game, where NLHF converges.",
    },
    Term {
        id: "condorcet-winner",
        name: "Condorcet winner",
        forms: &["Condorcet winner"],
        definition: "A response that beats every other response head to head: in each pair, more voters prefer it. When there is one, the maximal lottery puts everything on it.",
    },
    Term {
        id: "alignment-game",
        name: "(k+1)-player alignment game",
        forms: &["(k+1)-player alignment game", "(k+1)-player game", "alignment game"],
        definition: "k + 1 players each put a response on the table, the voter picks the one they like best (one of its copies at random if it is there more than once), and a player's payoff is the chance its copy is picked. Exactly one copy is picked, so the payoffs sum to 1.",
    },
    Term {
        id: "challenger",
        name: "challenger",
        forms: &["challenger"],
        definition: "A single fixed response put beside the model's k: the adversary of best-of-k. The worst challenger is the one that wins most often against the model.",
    },
    Term {
        id: "u-k",
        name: "u_k",
        forms: &["u_k"],
        definition: "u_k(y; π): how often a fixed response y is picked when it sits beside k draws of π. The model then wins W_k(π, y) = 1 − u_k(y; π).",
    },
    Term {
        id: "symmetric-equilibrium",
        name: "symmetric equilibrium",
        forms: &["symmetric equilibrium", "equilibrium"],
        definition: "A policy π that no player wants to leave when all the others sample it. Each seat then earns 1/(k+1), so no response y is picked more than 1/(k+1) of the time against k draws of π.",
    },
    Term {
        id: "exploitability",
        name: "exploitability",
        forms: &["exploitability"],
        definition: "How far π is from the equilibrium: the most any single response is picked beyond the fair share 1/(k+1), max_y u_k(y; π) − 1/(k+1). It is 0 at the equilibrium, and W_k(π) = k/(k+1) minus it.",
    },
    Term {
        id: "iterate",
        name: "iterate",
        forms: &["iterates", "iterate"],
        definition: "The policy self-play holds after t updates. The current iterate is the newest one; the average iterate is the mean of all so far. The exact solutions are computed separately, not by self-play.",
    },
    Term {
        id: "hedge",
        name: "Hedge",
        forms: &["Hedge"],
        definition: "The self-play rule: each response's probability is multiplied by exp(η × its payoff against the current policy), η being the step size, then the policy is scaled to sum to 1.",
    },
];

/// A term by its id.
pub fn term(id: &str) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.id == id)
}

/// A piece of a caption: plain text, or a term as written there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Piece {
    Text(String),
    Term { text: String, id: &'static str },
}

/// Word characters for whole-word matching (ASCII: the terms are ASCII words; anything else,
/// such as an apostrophe or π, ends a word).
fn word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Where `form` first occurs in `text` as a whole word. A byte search: `str::find` would bring
/// its two-way searcher into the page's wasm for this one use.
fn find_word(text: &str, form: &str) -> Option<usize> {
    let (t, f) = (text.as_bytes(), form.as_bytes());
    (0..=t.len().checked_sub(f.len())?).find(|&i| {
        t[i..].starts_with(f)
            && !(i > 0 && word_byte(t[i - 1]))
            && !t.get(i + f.len()).is_some_and(|&c| word_byte(c))
    })
}

/// Splits a caption so each term is marked where it first appears (whole words only; a term's
/// forms are listed longest first, and the earliest is taken; the same term is not marked
/// twice, nor inside another). Kept in order by insertion, not sorted: the sort would add
/// 8 KB to the page's wasm.
pub fn mark(text: &str) -> Vec<Piece> {
    let mut hits: Vec<(usize, usize, &'static str)> = Vec::new();
    for t in TERMS {
        let first = t
            .forms
            .iter()
            .filter_map(|f| find_word(text, f).map(|i| (i, i + f.len())))
            .fold(None, |best: Option<(usize, usize)>, h| match best {
                Some(b) if b.0 <= h.0 => Some(b),
                _ => Some(h),
            });
        if let Some((start, end)) = first {
            if !hits.iter().any(|&(s, e, _)| start < e && s < end) {
                let at = hits
                    .iter()
                    .position(|&(s, _, _)| s > start)
                    .unwrap_or(hits.len());
                hits.insert(at, (start, end, t.id));
            }
        }
    }
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end, id) in hits {
        if start > at {
            out.push(Piece::Text(text[at..start].to_string()));
        }
        out.push(Piece::Term {
            text: text[start..end].to_string(),
            id,
        });
        at = end;
    }
    if at < text.len() {
        out.push(Piece::Text(text[at..].to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(p: &[Piece]) -> String {
        p.iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Term { text: t, .. } => t.as_str(),
            })
            .collect()
    }

    #[test]
    fn terms_are_marked_once_where_they_first_appear_and_the_text_is_kept() {
        let text = "NLHF's maximal lottery puts everything on A; NLHF wins 0.51. The (k+1)-player alignment game's symmetric equilibrium does not.";
        let pieces = mark(text);
        assert_eq!(joined(&pieces), text);
        let ids: Vec<&str> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Term { id, .. } => Some(*id),
                Piece::Text(_) => None,
            })
            .collect();
        assert_eq!(
            ids,
            [
                "nlhf",
                "maximal-lottery",
                "alignment-game",
                "symmetric-equilibrium"
            ]
        );
        // Whole words only: "iterates" is not "iterate" + "s", "Hedges" is no term.
        assert!(mark("Hedges").iter().all(|p| matches!(p, Piece::Text(_))));
        assert_eq!(
            mark("the iterates"),
            [
                Piece::Text("the ".into()),
                Piece::Term {
                    text: "iterates".into(),
                    id: "iterate"
                }
            ]
        );
        for t in TERMS {
            assert!(term(t.id).is_some() && !t.definition.is_empty() && !t.forms.is_empty());
            assert!(
                t.forms.windows(2).all(|w| w[0].len() >= w[1].len()),
                "{}",
                t.id
            );
        }
        // An apostrophe or a letter beyond ASCII ends a word.
        assert_eq!(
            mark("NLHF's")[0],
            Piece::Term {
                text: "NLHF".into(),
                id: "nlhf"
            }
        );
    }
}
