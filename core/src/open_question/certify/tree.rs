//! The split tree of a certificate as text: the partition of the simplex into cells, written so
//! that its coverage of the simplex holds by construction.
//!
//! Preorder, one token per node: a split is a letter, `a` + the index of the edge cut at its
//! midpoint (`simplex::edges`), followed by its two halves; a leaf is the index of the multiset
//! that bounds it, in decimal, followed by `.`; `?` stands for a subtree left to another shard.
//! For example `a0.b3.1.` cuts the simplex at edge 0, keeps the first half as a leaf bounded
//! by multiset 0 and cuts the second at edge 1 into leaves bounded by multisets 3 and 1.

use super::simplex::{edges, Cell};

/// One token of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Split(usize),
    Leaf(usize),
    Missing,
}

pub fn write_split(out: &mut String, edge: usize) {
    out.push((b'a' + edge as u8) as char);
}

pub fn write_leaf(out: &mut String, multiset: usize) {
    out.push_str(&multiset.to_string());
    out.push('.');
}

/// Reads tokens from a tree's text, with the byte offset of each.
pub struct Tokens<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens {
            text: text.as_bytes(),
            pos: 0,
        }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The next token; None at the end; Err names what is wrong and where.
    pub fn next_token(&mut self) -> Option<Result<Token, String>> {
        let &c = self.text.get(self.pos)?;
        let at = self.pos;
        self.pos += 1;
        Some(match c {
            b'a'..=b'z' => Ok(Token::Split((c - b'a') as usize)),
            b'?' => Ok(Token::Missing),
            b'0'..=b'9' => {
                let start = at;
                while self.text.get(self.pos).is_some_and(u8::is_ascii_digit) {
                    self.pos += 1;
                }
                if self.text.get(self.pos) != Some(&b'.') {
                    return Some(Err(format!("a leaf without its '.' at character {at}")));
                }
                self.pos += 1;
                std::str::from_utf8(&self.text[start..self.pos - 1])
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok())
                    .map(Token::Leaf)
                    .ok_or_else(|| format!("a leaf index too large at character {at}"))
            }
            other => Err(format!(
                "unexpected {:?} at character {at}",
                char::from(other)
            )),
        })
    }
}

/// What the walk of a tree meets.
pub enum Event<'c> {
    /// Leaf number `index` (preorder, from 0 within the walk), its cell and its multiset.
    Leaf {
        index: usize,
        cell: &'c Cell,
        multiset: usize,
    },
    /// A subtree left to another shard, rooted at this cell.
    Missing { cell: &'c Cell },
}

/// Walks one subtree (a whole tree from the root cell, or one piece of it) from `cell`,
/// cutting cells exactly as the splits say; every leaf and missing subtree is handed to `f`.
/// Err when the text is not exactly one subtree or a split cannot be made.
pub fn walk(
    root: Cell,
    tokens: &mut Tokens<'_>,
    f: &mut dyn FnMut(Event<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let edges = edges(root.n);
    let mut stack = vec![root];
    let mut leaves = 0;
    while let Some(cell) = stack.pop() {
        let at = tokens.pos();
        let token = tokens.next_token().ok_or_else(|| {
            format!("the tree ends early (at character {at}): cells are missing")
        })??;
        match token {
            Token::Split(e) => {
                let &edge = edges.get(e).ok_or_else(|| {
                    format!(
                        "edge {e} at character {at} does not exist for {} vertices",
                        root.n
                    )
                })?;
                let (a, b) = cell.split(edge).ok_or_else(|| {
                    format!("the split at character {at} is beyond the resolution of 2^-62")
                })?;
                stack.push(b);
                stack.push(a);
            }
            Token::Leaf(multiset) => {
                f(Event::Leaf {
                    index: leaves,
                    cell: &cell,
                    multiset,
                })?;
                leaves += 1;
            }
            Token::Missing => f(Event::Missing { cell: &cell })?,
        }
    }
    Ok(())
}

/// The subtrees at depth `depth` of a tree (the roots of the fixed first split), each as its
/// root cell and its text, in preorder. Err when the first `depth` levels are not all splits
/// or the text is not one tree.
pub fn pieces(n: usize, tree: &str, depth: usize) -> Result<Vec<(Cell, &str)>, String> {
    let edges = edges(n);
    let mut tokens = Tokens::new(tree);
    let mut out = Vec::new();
    // (cell, depth) of the nodes still to read, in preorder.
    let mut stack = vec![(Cell::root(n), 0usize)];
    while let Some((cell, d)) = stack.pop() {
        let at = tokens.pos();
        if d == depth {
            let mut skip = Tokens::new(&tree[at..]);
            walk(cell, &mut skip, &mut |_| Ok(()))?;
            let end = at + skip.pos();
            out.push((cell, &tree[at..end]));
            tokens = Tokens::new(tree);
            tokens.pos = end;
            continue;
        }
        match tokens.next_token() {
            Some(Ok(Token::Split(e))) => {
                let &edge = edges
                    .get(e)
                    .ok_or_else(|| format!("edge {e} at character {at} does not exist"))?;
                let (a, b) = cell
                    .split(edge)
                    .ok_or_else(|| format!("the split at character {at} cannot be made"))?;
                stack.push((b, d + 1));
                stack.push((a, d + 1));
            }
            Some(Ok(_)) => {
                return Err(format!(
                    "the first {depth} levels of the tree must all be splits (character {at})"
                ))
            }
            Some(Err(e)) => return Err(e),
            None => return Err("the tree ends early: cells are missing".into()),
        }
    }
    if tokens.pos() != tree.len() {
        return Err(format!(
            "the tree has text after its last cell (at character {})",
            tokens.pos()
        ));
    }
    Ok(out)
}
