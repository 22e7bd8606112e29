//! Small formatting helpers shared by the exporters and the commands.

/// Escapes text for HTML and SVG (element content and quoted attributes).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Seconds since midnight as `hh:mm`, rounded to the minute.
pub fn clock(secs: f64) -> String {
    let m = (secs / 60.0).round() as u64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A share as a percentage with two decimals, e.g. `0.0123` → `1.23%`.
pub fn percent(v: f64) -> String {
    format!("{:.2}%", v * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            esc("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(clock(8.0 * 3600.0 + 5.0 * 60.0), "08:05");
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(percent(0.0123), "1.23%");
    }
}
