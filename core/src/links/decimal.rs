//! Decimal numbers as people and links write them (`0.51`, `2`, `1e-3`), read into the nearest
//! f64 exactly as `str::parse::<f64>` reads them.
//!
//! Written here rather than taken from std because std's reader carries its 10 KB table of
//! powers of five (the Eisel-Lemire algorithm) into every binary that parses a number: 15 KB
//! of the page's gzipped wasm, which only reads a few typed settings. This one takes the exact
//! fast path for short numbers (a mantissa below 2^53 times an exact power of ten) and exact
//! big-integer arithmetic otherwise. `tests/decimal.rs` checks it against std bit for bit.

/// Digits kept exactly; the rest only decide whether the value is a hair above the kept ones
/// (enough: 768 significant digits decide every f64, as for std's own slow path).
const MAX_DIGITS: usize = 800;

/// Exact powers of ten as f64 (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The nearest f64 to a decimal number in the syntax `str::parse::<f64>` accepts: an optional
/// sign, digits with an optional point (`1.`, `.5`), an optional exponent (`e-3`, `E+7`), or
/// `inf`, `infinity`, `nan` in any case. None for anything else.
pub fn parse_f64(s: &str) -> Option<f64> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_magnitude(rest)?;
    Some(if negative { -magnitude } else { magnitude })
}

fn parse_magnitude(s: &str) -> Option<f64> {
    if s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("infinity") {
        return Some(f64::INFINITY);
    }
    if s.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    // Significant digits (leading zeros dropped), the decimal exponent of the last one kept,
    // and whether a nonzero digit beyond MAX_DIGITS was dropped.
    let mut digits: Vec<u8> = Vec::new();
    let mut exponent: i64 = 0;
    let mut dropped = false;
    let mut seen_digit = false;
    let mut take = |d: u8, after_point: bool, digits: &mut Vec<u8>, exponent: &mut i64| {
        if digits.is_empty() && d == 0 {
            if after_point {
                *exponent -= 1;
            }
        } else if digits.len() < MAX_DIGITS {
            digits.push(d);
            if after_point {
                *exponent -= 1;
            }
        } else {
            dropped |= d != 0;
            if !after_point {
                *exponent += 1;
            }
        }
    };
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        take(bytes[i] - b'0', false, &mut digits, &mut exponent);
        seen_digit = true;
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            take(bytes[i] - b'0', true, &mut digits, &mut exponent);
            seen_digit = true;
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        let negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            // Saturates: any exponent this large gives zero or infinity.
            e = (e * 10 + i64::from(bytes[i] - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent += if negative { -e } else { e };
    }
    if i != bytes.len() {
        return None;
    }
    Some(nearest(&digits, exponent, dropped))
}

/// The nearest f64 to digits × 10^exponent (plus a hair when `dropped`).
fn nearest(digits: &[u8], exponent: i64, dropped: bool) -> f64 {
    if digits.is_empty() {
        return 0.0;
    }
    let magnitude = digits.len() as i64 + exponent; // value < 10^magnitude
    if magnitude > 310 {
        return f64::INFINITY;
    }
    if magnitude < -330 {
        return 0.0;
    }
    // Exact fast path: mantissa and power of ten both exact, one rounding.
    if digits.len() <= 15 && !dropped && exponent.abs() <= 22 {
        let m = digits.iter().fold(0u64, |m, &d| m * 10 + u64::from(d)) as f64;
        let p = POW10[exponent.unsigned_abs() as usize];
        return if exponent >= 0 { m * p } else { m / p };
    }
    let mut num = Big::from_digits(digits);
    let mut den = Big::one();
    if exponent >= 0 {
        num.mul_pow10(exponent as u32);
    } else {
        den.mul_pow10((-exponent) as u32);
    }
    // value = num / den. Find s with 2^54 <= num * 2^s / den < 2^55 (one guard bit more
    // than the 53 of a mantissa, and one to spare), then the quotient q and the remainder.
    let mut s = 54 - (num.bits() as i64 - den.bits() as i64);
    // The leading bit of the value is 2^e2; below 2^-1022 the quantum is fixed at 2^-1074.
    let e2 = |s: i64| 54 - s;
    loop {
        let (q, _) = quotient(&num, &den, s);
        if q >= 1 << 55 {
            s -= 1;
        } else if q < 1 << 54 {
            s += 1;
        } else {
            break;
        }
    }
    if e2(s) < -1022 {
        s = 1074 + 2; // two guard bits over the subnormal quantum
    }
    let (q, exact) = quotient(&num, &den, s);
    let sticky = !exact || dropped || (q & 1) != 0;
    let round = (q >> 1) & 1 != 0;
    let mut mantissa = q >> 2; // 53 bits (fewer for subnormals)
    if round && (sticky || mantissa & 1 != 0) {
        mantissa += 1;
    }
    // value = mantissa * 2^(2 - s)
    let mut binary_exponent = 2 - s;
    if mantissa == 1 << 53 {
        mantissa >>= 1;
        binary_exponent += 1;
    }
    if binary_exponent == -1074 {
        // Subnormal (or the smallest normal, when rounding carried into bit 52).
        return f64::from_bits(mantissa);
    }
    let e = binary_exponent + 52; // exponent of the leading bit
    if e > 1023 {
        return f64::INFINITY;
    }
    f64::from_bits((((e + 1023) as u64) << 52) | (mantissa & ((1 << 52) - 1)))
}

/// floor(num * 2^s / den) (which must fit in 56 bits), and whether it is exact.
fn quotient(num: &Big, den: &Big, s: i64) -> (u64, bool) {
    let (mut n, d) = if s >= 0 {
        (num.shifted(s as u32), den.clone())
    } else {
        (num.clone(), den.shifted((-s) as u32))
    };
    let mut q = 0u64;
    for bit in (0..56).rev() {
        let t = d.shifted(bit);
        if n.at_least(&t) {
            n.subtract(&t);
            q |= 1 << bit;
        }
    }
    (q, n.is_zero())
}

/// An unsigned integer in base 2^32, least significant limb first, without leading zeros.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn one() -> Big {
        Big(vec![1])
    }

    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(Vec::new());
        for chunk in digits.chunks(9) {
            let value = chunk.iter().fold(0u32, |v, &d| v * 10 + u32::from(d));
            b.mul_add(10u32.pow(chunk.len() as u32), value);
        }
        b
    }

    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let x = u64::from(*limb) * u64::from(m) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut e: u32) {
        while e > 0 {
            let step = e.min(9);
            self.mul_add(10u32.pow(step), 0);
            e -= step;
        }
    }

    fn bits(&self) -> u32 {
        match self.0.last() {
            Some(&top) => 32 * (self.0.len() as u32 - 1) + (32 - top.leading_zeros()),
            None => 0,
        }
    }

    fn shifted(&self, s: u32) -> Big {
        let (limbs, bits) = ((s / 32) as usize, s % 32);
        let mut out = vec![0u32; limbs];
        let mut carry = 0u32;
        for &limb in &self.0 {
            if bits == 0 {
                out.push(limb);
            } else {
                out.push((limb << bits) | carry);
                carry = limb >> (32 - bits);
            }
        }
        if carry > 0 {
            out.push(carry);
        }
        Big(out)
    }

    fn at_least(&self, other: &Big) -> bool {
        if self.0.len() != other.0.len() {
            return self.0.len() > other.0.len();
        }
        for (a, b) in self.0.iter().rev().zip(other.0.iter().rev()) {
            if a != b {
                return a > b;
            }
        }
        true
    }

    /// self -= other (other <= self).
    fn subtract(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let x = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(x < 0);
            *limb = x.rem_euclid(1 << 32) as u32;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}
