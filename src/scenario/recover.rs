//! Every type error of a file in one run, not only the first.
//!
//! The decoder stops at the first field it cannot read. To find the next, that spot is
//! patched in a working copy of the text — a misspelt key renamed to the key it suggests, an
//! unknown key removed, an unknown value or a value of the wrong form replaced by a
//! placeholder of the expected form — and the copy is decoded again, until it decodes, a
//! finding cannot be patched (a missing field, a list where a mapping belongs) or
//! [`MAX_TYPE_FINDINGS`] are found. Patches keep every line where it is, so each finding is
//! located in the file as written; its snippet is the original line.

use super::diagnostic::{Diagnostic, FindingKind};

/// Most type errors reported for one file.
pub const MAX_TYPE_FINDINGS: usize = 50;

/// Files above this size report their first type error only (each further one decodes the
/// file again).
pub const MAX_RECOVERY_BYTES: usize = 1 << 20;

/// The type errors after `first` (the decoder's first), in the order the decoder meets them.
pub fn further_type_errors(name: &str, text: &str, first: &Diagnostic) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = Vec::new();
    if first.kind != FindingKind::Type || text.len() > MAX_RECOVERY_BYTES {
        return found;
    }
    let original: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut lines: Vec<String> = original.iter().map(|l| l.to_string()).collect();
    // Each patch: (line index, character column, characters added): a later finding on the
    // same line, right of a patch, is moved back to where it stands in the file.
    let mut patches: Vec<(usize, usize, isize)> = Vec::new();
    let mut last = first.clone();
    while found.len() + 1 < MAX_TYPE_FINDINGS {
        let Some(done) = patch(&mut lines, &last) else {
            break;
        };
        patches.push(done);
        let copy = lines.join("\n");
        let Err(next) = super::load::parse_scenario(name, &copy) else {
            break;
        };
        let mut next = *next;
        let same_spot = (next.line, next.column) == (last.line, last.column);
        if next.kind != FindingKind::Type || same_spot {
            break;
        }
        last = next.clone();
        if let (Some(l), Some(c)) = (next.line, next.column) {
            let shift: isize = patches
                .iter()
                .filter(|(pl, pc, _)| *pl as u64 + 1 == l && (*pc as u64) < c.saturating_sub(1))
                .map(|p| p.2)
                .sum();
            next.column = Some((c as i64 - shift as i64).max(1) as u64);
        }
        next.snippet = next
            .line
            .and_then(|l| original.get(usize::try_from(l).ok()?.checked_sub(1)?))
            .map(|l| l.chars().take(240).collect());
        found.push(next);
    }
    found
}

/// Patches the working copy so that decoding gets past `d`: the line index, the character
/// column and the characters it added to that line; `None` when it cannot.
fn patch(lines: &mut [String], d: &Diagnostic) -> Option<(usize, usize, isize)> {
    let (line, column) = (d.line?, d.column?);
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    if index >= lines.len() {
        return None;
    }
    let at = usize::try_from(column.saturating_sub(1)).unwrap_or(0);
    let expected = d.expected.as_deref().unwrap_or("");
    let before = lines[index].chars().count() as isize;
    let done = if let Some(rest) = d.message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        match backticked_after(&d.message, "did you mean `") {
            Some(suggestion) => replace_word(&mut lines[index], at, field, &suggestion),
            None => remove_key(lines, index, field),
        }
    } else if let Some(rest) = d.message.strip_prefix("unknown value `") {
        let value = rest.split('`').next().unwrap_or("");
        let replacement = backticked_after(&d.message, "did you mean `")
            .or_else(|| backticked_after(expected, "one of `"));
        replacement.is_some_and(|r| replace_word(&mut lines[index], at, value, &r))
    } else {
        placeholder(expected).is_some_and(|value| replace_scalar(&mut lines[index], at, value))
    };
    done.then(|| (index, at, lines[index].chars().count() as isize - before))
}

/// A value of the expected form, from the finding's "expected …" text; `None` for structure
/// (a list, a mapping) and anything else no single scalar can stand in for.
fn placeholder(expected: &str) -> Option<&'static str> {
    let e = expected.to_ascii_lowercase();
    if e.contains("a list") || e.contains("a mapping") || e.contains("not a list") {
        None
    } else if e.contains("whole number") {
        Some("1")
    } else if e.contains("duration") || e.contains("(s, min, h, d)") {
        Some("1h")
    } else if e.contains("per time unit") || e.contains("/min") {
        Some("1/min")
    } else if e.contains("true or false") {
        Some("false")
    } else if e.contains("yyyy-mm-dd") {
        Some("2020-01-01")
    } else if e.contains("bandwidth") || e.contains("bit/s") {
        Some("1Mbit/s")
    } else if e.contains("share") || e.contains('%') {
        Some("50%")
    } else if e.contains("number") {
        Some("1")
    } else {
        None
    }
}

/// The text between backticks after `marker` (`did you mean `x`?` → `x`).
fn backticked_after(text: &str, marker: &str) -> Option<String> {
    let rest = &text[text.find(marker)? + marker.len()..];
    Some(rest.split('`').next()?.to_string()).filter(|s| !s.is_empty())
}

/// The byte offset of the `at`-th character of `line` (its end if shorter).
fn byte_at(line: &str, at: usize) -> usize {
    line.char_indices().nth(at).map_or(line.len(), |(b, _)| b)
}

/// Replaces the first `word` at or after character `at` (or anywhere on the line) by `with`.
fn replace_word(line: &mut String, at: usize, word: &str, with: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let from = byte_at(line, at);
    let found = line[from..]
        .find(word)
        .map(|i| from + i)
        .or_else(|| line.find(word));
    match found {
        Some(i) => {
            line.replace_range(i..i + word.len(), with);
            true
        }
        None => false,
    }
}

/// Replaces the scalar starting at character `at` by `with`: a quoted one to its closing
/// quote, a plain one to the next `,` `}` `]` in a flow collection, else to a comment or the
/// line's end.
fn replace_scalar(line: &mut String, at: usize, with: &str) -> bool {
    let start = byte_at(line, at);
    let rest = &line[start..];
    if rest.is_empty() {
        return false;
    }
    let flow = line[..start].contains(['{', '[']);
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
        _ => {
            let end = if flow {
                rest.find([',', '}', ']'])
            } else {
                rest.find(" #")
            };
            rest[..end.unwrap_or(rest.len())].trim_end().len()
        }
    };
    if len == 0 {
        return false;
    }
    line.replace_range(start..start + len, with);
    true
}

/// Blanks the block-style key `field` on line `index` and the lines nested under it; a key
/// that opens a list item (`- field: x`) keeps its `-`, so the item's other keys stay its.
fn remove_key(lines: &mut [String], index: usize, field: &str) -> bool {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let line = &lines[index];
    let item = line.trim_start().starts_with("- ");
    let trimmed = line.trim_start().trim_start_matches("- ");
    if !trimmed.starts_with(&format!("{field}:")) || line.contains('{') {
        return false;
    }
    // The key's own column: past the `- ` of a list item.
    let own = indent(line) + if item { 2 } else { 0 };
    if item {
        let keep = indent(line) + 1;
        lines[index].truncate(keep);
    } else {
        lines[index].clear();
    }
    for l in lines.iter_mut().skip(index + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if indent(l) <= own {
            break;
        }
        l.clear();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_replaced_to_their_end() {
        let mut l = "  start: 16.03.2020   # first day".to_string();
        assert!(replace_scalar(&mut l, 9, "2020-01-01"));
        assert_eq!(l, "  start: 2020-01-01   # first day");
        let mut l = "  - { date: 30.11.2026, quantity: 6,000 }".to_string();
        assert!(replace_scalar(&mut l, 12, "2020-01-01"));
        assert_eq!(l, "  - { date: 2020-01-01, quantity: 6,000 }");
        let mut l = r#"  mean: "8 Uhr""#.to_string();
        assert!(replace_scalar(&mut l, 8, "1h"));
        assert_eq!(l, "  mean: 1h");
    }

    #[test]
    fn unknown_keys_are_removed_with_their_block() {
        let mut lines: Vec<String> = ["a:", "  colour: red", "    shade: dark", "  b: 1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(remove_key(&mut lines, 1, "colour"));
        assert_eq!(lines, ["a:", "", "", "  b: 1"]);
        let mut item: Vec<String> = ["a:", "  - colour: red", "    path: x", "  - path: y"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(remove_key(&mut item, 1, "colour"));
        assert_eq!(item, ["a:", "  -", "    path: x", "  - path: y"]);
    }
}
