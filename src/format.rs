//! Number formats for the readouts: plain decimals for win rates, scientific for exploitability.

/// Four decimals (`0.8000`); a dash for values that are not numbers.
pub fn fixed4(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.4}")
    } else {
        "–".to_string()
    }
}

/// Scientific with three decimals (`1.234e-5`), `0` for exact zero.
pub fn sci(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if v.is_finite() {
        format!("{v:.3e}")
    } else {
        "–".to_string()
    }
}
