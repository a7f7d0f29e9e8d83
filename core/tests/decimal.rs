//! The page's decimal reader (`links::decimal::parse_f64`) against std's `str::parse::<f64>`,
//! bit for bit: shortest and long forms of random doubles, random digit strings across the
//! whole exponent range, exact halfway points between neighbouring doubles (ties go to even)
//! and a hair either side of them, subnormals, the edges of the range, and malformed text.

use proptest::prelude::*;
use ualign::links::decimal::parse_f64;

fn same(text: &str) {
    let ours = parse_f64(text);
    let std = text.parse::<f64>().ok();
    match (ours, std) {
        (Some(a), Some(b)) if a.is_nan() && b.is_nan() => {}
        (Some(a), Some(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{text}: {a:e} vs std {b:e}"),
        (None, None) => {}
        (a, b) => panic!("{text}: ours {a:?}, std {b:?}"),
    }
}

/// A tiny unsigned big integer in base 10^9, least significant first: enough to write the
/// exact decimal expansion of a halfway point.
fn times(n: &mut Vec<u64>, m: u64) {
    let mut carry = 0;
    for limb in n.iter_mut() {
        let x = *limb * m + carry;
        *limb = x % 1_000_000_000;
        carry = x / 1_000_000_000;
    }
    while carry > 0 {
        n.push(carry % 1_000_000_000);
        carry /= 1_000_000_000;
    }
}

fn decimal(n: &[u64]) -> String {
    let mut s = n.last().unwrap().to_string();
    for limb in n.iter().rev().skip(1) {
        s += &format!("{limb:09}");
    }
    s
}

/// The exact decimal of (2m + 1) * 2^(e - 1), the point halfway between m * 2^e and the next
/// double, as digits and a power of ten.
fn halfway(m: u64, e: i32) -> String {
    let mut n = vec![2 * m + 1];
    // Normalize the first limb into base 10^9.
    let first = n[0];
    n = vec![
        first % 1_000_000_000,
        first / 1_000_000_000 % 1_000_000_000,
        first / 1_000_000_000_000_000_000,
    ];
    while n.len() > 1 && *n.last().unwrap() == 0 {
        n.pop();
    }
    let k = e - 1;
    if k >= 0 {
        for _ in 0..k {
            times(&mut n, 2);
        }
        decimal(&n)
    } else {
        // (2m+1) / 2^j = (2m+1) * 5^j / 10^j
        for _ in 0..-k {
            times(&mut n, 5);
        }
        format!("{}e{}", decimal(&n), k)
    }
}

/// The mantissa (with its hidden bit) and exponent of a positive finite double: x = m * 2^e.
fn parts(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    }
}

#[test]
fn edges_and_words() {
    for t in [
        "0",
        "-0",
        "0.0",
        "00000",
        ".5",
        "5.",
        "1.e5",
        ".",
        "",
        "-",
        "+",
        "e5",
        "1e",
        "1e+",
        "1e-",
        "1.5e308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "2e308",
        "1e309",
        "4.9e-324",
        "5e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.225073858507201e-308",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "1e-400",
        "1e400",
        "inf",
        "-inf",
        "Infinity",
        "INF",
        "nan",
        "NaN",
        "-nan",
        "+1",
        "1_0",
        " 1",
        "1 ",
        "0x10",
        "1e1000000000000",
        "1e-1000000000000",
        "9007199254740993",
        "9007199254740992.5",
        "0.1",
        "0.2",
        "0.3",
        "0.51",
        "123456789012345678901234567890",
        "0.000000000000000000000000000001",
        "1.0000000000000002",
        "1.00000000000000011102230246251565",
    ] {
        same(t);
    }
    // Long: 900 digits, and a thousand leading zeros.
    same(&format!("1{}", "0".repeat(300)));
    same(&format!("{}1", "9".repeat(900)));
    same(&format!("0.{}1", "0".repeat(1000)));
    same(&format!("1.{}1e-5", "0".repeat(850)));
}

#[test]
fn halfway_points_and_their_neighbours() {
    let mut xs = vec![
        1.0,
        0.5,
        3.0,
        1e22,
        1e23,
        f64::MAX / 2.0,
        f64::MIN_POSITIVE,
        5e-324,
        1e-310,
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..400 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let x = f64::from_bits(state >> 1);
        if x.is_finite() && x > 0.0 {
            xs.push(x);
        }
    }
    for x in xs {
        let (m, e) = parts(x);
        let h = halfway(m, e);
        same(&h);
        // A hair above and below the halfway point round away from it.
        let (digits, exp) = h.split_once('e').unwrap_or((&h, "0"));
        same(&format!("{digits}0000000000000000000001e{exp}"));
        let lower = {
            let mut d: Vec<u8> = digits.bytes().collect();
            // The halfway digits end in 5 (or an even number times 2^k): subtract one unit in
            // the last place by borrowing.
            let mut i = d.len() - 1;
            loop {
                if d[i] > b'0' {
                    d[i] -= 1;
                    break;
                }
                d[i] = b'9';
                i -= 1;
            }
            String::from_utf8(d).unwrap()
        };
        same(&format!("{lower}e{exp}"));
        same(&format!(
            "{lower}99999999999999999999e{}",
            exp.parse::<i64>().unwrap() - 20
        ));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn every_double_in_every_form(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        for t in [format!("{x}"), format!("{x:e}"), format!("{x:.17e}"), format!("{x:.25e}"), format!("{x:.3}")] {
            same(&t);
        }
    }

    #[test]
    fn random_digit_strings(digits in "[0-9]{1,40}", point in 0usize..41, exp in -360i32..360, sign in any::<bool>()) {
        let point = point.min(digits.len());
        let t = format!("{}{}.{}e{exp}", if sign { "-" } else { "" }, &digits[..point], &digits[point..]);
        same(&t);
        same(&digits);
    }

    #[test]
    fn any_text_parses_as_std_does(t in "[-+0-9.eE]{0,12}|[a-zA-Z]{0,9}") {
        same(&t);
    }
}
