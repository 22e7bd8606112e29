//! Numbers as rapt writes them for machines and spreadsheets: at most six significant digits.
//! Below the other report modules, so each can use it.

/// Significant digits of a number in CSV ([`num`]).
pub const SIGNIFICANT_DIGITS: i32 = 6;

/// A number for CSV: whole numbers as integers, others rounded to [`SIGNIFICANT_DIGITS`]
/// significant digits, in plain decimal notation without trailing zeros (`5055.67`,
/// `0.587856`, `0.0000123457`); empty when not finite. Stable across platforms.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let decimals = if v == 0.0 {
        0
    } else {
        // Digits after the point that leave SIGNIFICANT_DIGITS in all; at most 15, below
        // which an f64 has nothing left to say.
        (SIGNIFICANT_DIGITS - 1 - v.abs().log10().floor() as i32).clamp(0, 15) as usize
    };
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" { "0".into() } else { s.to_string() }
}
