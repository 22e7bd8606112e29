//! Text for terminals: names from a scenario may hold control characters (an escape sequence in
//! a pool name could clear a screen, move the cursor or retitle a window). Text printed for
//! people passes through [`Printable`], which shows each C0 control (but tab, line feed and
//! carriage return), DEL and each C1 control as `\uXXXX`: readable in a table, and inside a
//! JSON string the same escape JSON itself uses, so JSON stays valid and means the same.

use std::io::{self, Write};

/// The only escape sequences rapt writes itself (see [`super::format::Paint`]): bold red,
/// green, yellow, reset.
pub const STYLES: [&str; 4] = ["\u{1b}[1;31m", "\u{1b}[32m", "\u{1b}[33m", "\u{1b}[0m"];

/// A writer that makes control characters visible (see the module documentation). Valid UTF-8
/// stays as it is; only the controls change, wherever the writes split the text.
pub struct Printable<W: Write> {
    inner: W,
    /// Escape sequences to let through whole (rapt's own colours), when colour is on.
    passing: &'static [&'static str],
    /// The first byte of a two-byte UTF-8 sequence (`0xC2`) seen at the end of the last write:
    /// it starts a C1 control if the next byte is in `0x80..=0x9F`.
    pending_c2: bool,
}

impl<W: Write> Printable<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Printable<W> {
        Printable {
            inner,
            passing: &[],
            pending_c2: false,
        }
    }

    /// Wraps `inner`, letting rapt's colour sequences ([`STYLES`])
    /// through when a write holds one whole; every other control is shown as usual. A name in
    /// a scenario that holds one of these sequences changes a colour, nothing else.
    pub fn passing_styles(inner: W) -> Printable<W> {
        Printable {
            passing: &STYLES,
            ..Printable::new(inner)
        }
    }

    /// The wrapped writer (after [`Write::flush`], nothing is held back).
    pub fn into_inner(self) -> W {
        self.inner
    }
}

/// Whether a single byte is a C0 control other than tab, line feed, carriage return, or DEL.
fn is_control_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F
}

/// `s` with control characters shown as `\uXXXX` (the same rule as [`Printable`]).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char| -> bool {
        let u = u32::from(c);
        let c0 = u < 0x20 && !matches!(c, '\t' | '\n' | '\r');
        let c1 = (0x80..=0x9F).contains(&u);
        !c0 && !c1 && u != 0x7F
    };
    if s.chars().all(shown) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if shown(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    std::borrow::Cow::Owned(out)
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        let mut i = 0;
        if self.pending_c2 {
            self.pending_c2 = false;
            match buf.first() {
                Some(&b @ 0x80..=0x9F) => {
                    write!(self.inner, "\\u{b:04x}")?;
                    start = 1;
                    i = 1;
                }
                _ => self.inner.write_all(&[0xC2])?,
            }
        }
        while i < buf.len() {
            let b = buf[i];
            if b == 0x1B
                && let Some(seq) = self
                    .passing
                    .iter()
                    .find(|seq| buf[i..].starts_with(seq.as_bytes()))
            {
                i += seq.len();
            } else if is_control_byte(b) {
                self.inner.write_all(&buf[start..i])?;
                write!(self.inner, "\\u{b:04x}")?;
                i += 1;
                start = i;
            } else if b == 0xC2 {
                match buf.get(i + 1) {
                    Some(&c @ 0x80..=0x9F) => {
                        self.inner.write_all(&buf[start..i])?;
                        write!(self.inner, "\\u{c:04x}")?;
                        i += 2;
                        start = i;
                    }
                    Some(_) => i += 1,
                    None => {
                        self.inner.write_all(&buf[start..i])?;
                        self.pending_c2 = true;
                        i += 1;
                        start = i;
                    }
                }
            } else {
                i += 1;
            }
        }
        self.inner.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.pending_c2) {
            self.inner.write_all(&[0xC2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(chunks: &[&[u8]]) -> String {
        let mut p = Printable::new(Vec::new());
        for c in chunks {
            p.write_all(c).unwrap();
        }
        p.flush().unwrap();
        String::from_utf8(p.into_inner()).unwrap()
    }

    #[test]
    fn controls_become_visible_and_text_stays() {
        let name = "vpn\u{1b}[2J\u{7}\u{9b}31m\u{7f}";
        let shown = r"vpn\u001b[2J\u0007\u009b31m\u007f";
        assert_eq!(through(&[name.as_bytes()]), shown);
        assert_eq!(printable(name), shown);
        let text = "Ümlaut — tab\there\r\nnew line ✓ \u{a0}";
        assert_eq!(through(&[text.as_bytes()]), text);
        assert!(matches!(printable(text), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn only_rapts_own_colours_pass_and_only_when_asked() {
        let paint = crate::report::format::Paint { on: true };
        let text = format!("{} vpn\u{1b}[2J\u{1b}[31", paint.bad("FAIL"));
        let mut p = Printable::passing_styles(Vec::new());
        p.write_all(text.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(p.into_inner()).unwrap(),
            "\u{1b}[1;31mFAIL\u{1b}[0m vpn\\u001b[2J\\u001b[31"
        );
        assert_eq!(
            through(&[text.as_bytes()]),
            r"\u001b[1;31mFAIL\u001b[0m vpn\u001b[2J\u001b[31"
        );
    }

    #[test]
    fn a_c1_control_split_across_writes_is_still_caught() {
        let bytes = "a\u{9b}b".as_bytes();
        for cut in 0..=bytes.len() {
            let (x, y) = bytes.split_at(cut);
            assert_eq!(through(&[x, y]), r"a\u009bb", "cut at {cut}");
        }
        // A no-break space (C2 A0) and `Â` (C3 82) pass, split or not.
        let ok = "\u{a0}x\u{c2}".as_bytes();
        for cut in 0..=ok.len() {
            let (x, y) = ok.split_at(cut);
            assert_eq!(through(&[x, y]), "\u{a0}x\u{c2}", "cut at {cut}");
        }
    }
}
