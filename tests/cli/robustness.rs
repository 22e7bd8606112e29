//! Property tests: the starter scenario mutated many ways must never make checking panic, and
//! every error about a file that decoded must say on which line it is.
//!
//! These call `rapt::scenario::check_str` directly (no processes), so hundreds of cases run in
//! about a second. The mutants start from the starter and from every shipped scenario. The
//! number of property cases is `RAPT_FUZZ_CASES` (default 256); `.ci/run` runs a longer,
//! still bounded pass. `shipped_mutants_through_the_binary` drives the real `rapt validate`.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::Config;

use rapt::scenario::{STARTER, Severity, check_str};

use crate::common::{rapt, run};

/// The seeds of every mutation: the starter and each shipped scenario.
const SEEDS: &[(&str, &str)] = &[
    ("starter.yaml", STARTER),
    (
        "stuttgart-2020.yaml",
        include_str!("../../scenarios/stuttgart-2020.yaml"),
    ),
    (
        "munich-2020.yaml",
        include_str!("../../scenarios/munich-2020.yaml"),
    ),
    (
        "thuringia.yaml",
        include_str!("../../scenarios/thuringia.yaml"),
    ),
    (
        "chemnitz-2020.yaml",
        include_str!("../../scenarios/chemnitz-2020.yaml"),
    ),
    (
        "starter-city.yaml",
        include_str!("../corpus/plan/starter-city.yaml"),
    ),
    (
        "login-storm.yaml",
        include_str!("../../scenarios/bench/login-storm.yaml"),
    ),
    (
        "erlang-b.yaml",
        include_str!("../../scenarios/bench/erlang-b.yaml"),
    ),
    (
        "engset.yaml",
        include_str!("../../scenarios/bench/engset.yaml"),
    ),
];

fn fuzz_cases() -> u32 {
    std::env::var("RAPT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn seed_text() -> impl Strategy<Value = &'static str> {
    select(SEEDS).prop_map(|(_, text)| text)
}

/// Values that are wrong somewhere (or everywhere) in a scenario.
const VALUES: &[&str] = &[
    "lots",
    "-1",
    "-5",
    "-10%",
    "0",
    "0d",
    "0min",
    "1e300",
    "-1e300",
    "1e-300",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "4294967296",
    "99999999999999999999999999999999",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "1e999",
    "~",
    "null",
    "''",
    "\"\"",
    "[]",
    "{}",
    "[1, 2]",
    "{ a: 1 }",
    "true",
    "no",
    "2021-02-29",
    "0000-01-01",
    "9999-12-31",
    "2020-13-01",
    "25:00",
    "99:99",
    "1e400h",
    "99999999999999999999d",
    "0.0000001s",
    "100000000",
    "150%",
    "1e308%",
    "5 parsecs",
    "1/fortnight",
    "0/min",
    "99999999999Tbit/s",
    "*nowhere",
    "&anchor 5",
    "!!str 5",
    "!!binary AAAA",
    "!custom x",
    "|",
    ">-",
    "'unterminated",
    "\"unterminated",
    "[unclosed",
    "{unclosed",
    "- item",
    ": colon",
    "# only a comment",
    "\t",
    "ünïcödé",
    "\u{feff}",
    "mon",
    "vpn",
    "office",
];

/// Replacements of the same shape as a value (so the mutant still decodes) but wrong in meaning:
/// out of range, zero, names nothing defines, dates outside the horizon.
fn same_shape_replacements(original: &str) -> &'static [&'static str] {
    let v = original.trim();
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-' {
        &[
            "2000-01-01",
            "2020-03-15",
            "2020-03-16",
            "2020-05-14",
            "2020-05-15",
            "2030-01-01",
        ]
    } else if v.ends_with('%') {
        &["0%", "100%", "150%", "-10%", "0.00001%", "1000%"]
    } else if digits(v) {
        &[
            "0",
            "1",
            "20000000",
            "100000001",
            "4294967295",
            "18446744073709551615",
        ]
    } else if v.contains("bit/s") {
        &["0bit/s", "1bit/s", "100Tbit/s"]
    } else if v.contains('/') && v.starts_with(|c: char| c.is_ascii_digit()) {
        &["0/min", "1/day", "1000000/s"]
    } else if v.starts_with('"') && v.contains(':') {
        &["\"00:00\"", "\"23:59\"", "\"24:00\"", "\"00:01\""]
    } else if v.starts_with(|c: char| c.is_ascii_digit()) && v.contains('.') && !v.contains('h') {
        &["0", "-1", "0.0000001", "25", "1e6"]
    } else if v.starts_with(|c: char| c.is_ascii_digit()) {
        &["0s", "1s", "59s", "7min", "36h", "24h", "3661d", "1d"]
    } else if v.starts_with('[') {
        &["[]", "[sat, sun]", "[mon, mon]"]
    } else if v == "true" || v == "false" {
        &["true", "false"]
    } else if v.contains(' ') || v.contains('.') {
        &["\"\"", "\" \"", "x", "nowhere.at.all", "staff.office"]
    } else {
        &[
            "citrix",
            "vpn",
            "rds",
            "web-portal",
            "vpn-notebook",
            "office",
            "none",
            "any",
            "byod",
            "managed",
            "existing",
            "hardware",
            "software",
            "dial_in",
            "remote_desktop",
            "named",
            "concurrent",
            "p99",
            "mean",
        ]
    }
}

/// Characters worth inserting into YAML.
const SPECIAL: &[char] = &[
    '\t', '\0', '\r', ':', '-', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '#', '\'', '"',
    '%', '@', '`', '?', ' ', '\n', '\u{85}', '\u{2028}', '\u{feff}', 'é', '€', '🙂',
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value after one `: ` (block or flow) with a wrong one.
    ReplaceValue(Index, &'static str),
    /// Replace the value after one `: ` with one of the same shape (see
    /// [`same_shape_replacements`]).
    ReplaceSameShape(Index, Index),
    /// Delete one line.
    DeleteLine(Index),
    /// Repeat one line (duplicate keys, duplicate list entries).
    DuplicateLine(Index),
    /// Change one character of a key (misspelling), or drop it.
    MisspellKey(Index, Index, Option<char>),
    /// Cut the text at a byte offset (snapped to a character boundary).
    Truncate(Index),
    /// Insert characters at a byte offset.
    Insert(Index, String),
    /// Indent one line more or less.
    Reindent(Index, i8),
    /// Swap two lines.
    SwapLines(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let inserted =
        prop::collection::vec(prop_oneof![3 => select(SPECIAL), 1 => any::<char>()], 1..6)
            .prop_map(|chars| chars.into_iter().collect::<String>());
    prop_oneof![
        4 => (any::<Index>(), select(VALUES)).prop_map(|(i, v)| Mutation::ReplaceValue(i, v)),
        2 => any::<Index>().prop_map(Mutation::DeleteLine),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        2 => (any::<Index>(), any::<Index>(), prop::option::of(prop::char::range('a', 'z')))
            .prop_map(|(l, c, ch)| Mutation::MisspellKey(l, c, ch)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), inserted).prop_map(|(i, s)| Mutation::Insert(i, s)),
        1 => (any::<Index>(), -3i8..=3).prop_map(|(i, d)| Mutation::Reindent(i, d)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

/// The largest character boundary at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Byte ranges of the scalar values that follow `: `. In a flow collection (a `{` or `[` earlier on
/// the line) a value ends at `,`, `}` or `]`; in block context at the line's end. Either way a
/// ` #` comment and trailing spaces are not part of it. Values that open a mapping are skipped.
fn value_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = text[i..].find(": ") {
        let start = i + off + 2;
        i = start;
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let flow = text[line_start..start].contains(['{', '[']);
        let mut end = start;
        while end < bytes.len() && bytes[end] != b'\n' {
            if flow && matches!(bytes[end], b',' | b'}' | b']') {
                break;
            }
            if bytes[end] == b'#' && end > start && bytes[end - 1] == b' ' {
                break;
            }
            end += 1;
        }
        while end > start && bytes[end - 1] == b' ' {
            end -= 1;
        }
        if end > start && bytes[start] != b'{' {
            spans.push((start, end));
        }
    }
    spans
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    match m {
        Mutation::ReplaceValue(i, value) => {
            let spans = value_spans(text);
            if spans.is_empty() {
                return text.to_string();
            }
            let (s, e) = spans[i.index(spans.len())];
            format!("{}{value}{}", &text[..s], &text[e..])
        }
        Mutation::ReplaceSameShape(i, choice) => {
            let spans = value_spans(text);
            if spans.is_empty() {
                return text.to_string();
            }
            let (s, e) = spans[i.index(spans.len())];
            let options = same_shape_replacements(&text[s..e]);
            let value = options[choice.index(options.len())];
            format!("{}{value}{}", &text[..s], &text[e..])
        }
        Mutation::DeleteLine(i) => {
            lines.remove(i.index(lines.len()));
            lines.join("\n")
        }
        Mutation::DuplicateLine(i) => {
            let at = i.index(lines.len());
            lines.insert(at, lines[at].clone());
            lines.join("\n")
        }
        Mutation::MisspellKey(l, c, ch) => {
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&n| {
                    lines[n].trim_start().split(": ").count() > 1 || lines[n].ends_with(':')
                })
                .collect();
            if keyed.is_empty() {
                return text.to_string();
            }
            let n = keyed[l.index(keyed.len())];
            let line = &lines[n];
            let indent = line.len() - line.trim_start().len();
            let key_end = line.find(':').unwrap_or(line.len());
            if key_end <= indent {
                return text.to_string();
            }
            let at = floor_boundary(line, indent + c.index(key_end - indent));
            let next = line[at..].chars().next().map_or(0, char::len_utf8);
            let replacement = ch.map(String::from).unwrap_or_default();
            lines[n] = format!("{}{replacement}{}", &line[..at], &line[at + next..]);
            lines.join("\n")
        }
        Mutation::Truncate(i) => {
            let at = floor_boundary(text, i.index(text.len() + 1));
            text[..at].to_string()
        }
        Mutation::Insert(i, s) => {
            let at = floor_boundary(text, i.index(text.len() + 1));
            format!("{}{s}{}", &text[..at], &text[at..])
        }
        Mutation::Reindent(i, delta) => {
            let n = i.index(lines.len());
            let line = &lines[n];
            lines[n] = if *delta >= 0 {
                format!("{}{line}", " ".repeat(*delta as usize))
            } else {
                let strip = line
                    .chars()
                    .take(delta.unsigned_abs() as usize)
                    .take_while(|c| *c == ' ')
                    .count();
                line[strip..].to_string()
            };
            lines.join("\n")
        }
        Mutation::SwapLines(a, b) => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.join("\n")
        }
    }
}

/// Checks the text and asserts the invariants every outcome must meet.
fn check_invariants(text: &str) -> Result<(), TestCaseError> {
    let checked = check_str("mutant.yaml", text);
    let line_count = text.split('\n').count() as u64;
    for d in &checked.diagnostics {
        // Rendering and serialising a finding must not panic either.
        let rendered = d.render();
        prop_assert!(serde_json::to_string(d).is_ok());
        prop_assert!(!d.message.trim().is_empty(), "empty message: {rendered}");
        if checked.loaded.is_some() && d.severity == Severity::Error {
            prop_assert!(
                d.line.is_some(),
                "an error about a decoded file has no line:\n{rendered}\n--- text ---\n{text}"
            );
        }
        if let Some(line) = d.line {
            prop_assert!(
                (1..=line_count + 1).contains(&line),
                "line {line} outside the file ({line_count} lines): {rendered}"
            );
            if let Some(col) = d.column {
                prop_assert!(col >= 1, "column 0: {rendered}");
            }
        }
        if let Some(path) = &d.path {
            prop_assert!(!path.is_empty(), "empty field path: {rendered}");
        }
    }
    if checked.loaded.is_none() {
        prop_assert!(
            checked.has_errors(),
            "a file that did not decode must have an error"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: fuzz_cases(),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn mutated_scenarios_never_panic_and_errors_are_located(
        seed in seed_text(),
        mutations in prop::collection::vec(mutation(), 1..5)
    ) {
        let mut text = seed.to_string();
        for m in &mutations {
            text = apply(&text, m);
        }
        check_invariants(&text)?;
    }

    /// Mutants that mostly decode: every error the semantic checks find must carry a line.
    #[test]
    fn semantic_mutants_have_located_errors(
        seed in seed_text(),
        edits in prop::collection::vec(
            prop_oneof![
                4 => (any::<Index>(), any::<Index>())
                    .prop_map(|(i, c)| Mutation::ReplaceSameShape(i, c)),
                1 => any::<Index>().prop_map(Mutation::DeleteLine),
            ],
            1..6,
        )
    ) {
        let mut text = seed.to_string();
        for m in &edits {
            text = apply(&text, m);
        }
        check_invariants(&text)?;
    }

    #[test]
    fn every_value_replaced_by_every_kind_of_wrong_value_is_handled(
        seed in seed_text(),
        at in any::<Index>(),
        value in select(VALUES),
    ) {
        check_invariants(&apply(seed, &Mutation::ReplaceValue(at, value)))?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        check_invariants(&text)?;
    }
}

/// Every value of the starter replaced by three wrong values, rotating through the list so each
/// wrong value lands in several places (deterministic, unlike the property tests).
#[test]
fn each_value_with_rotating_wrong_values() {
    let spans = value_spans(STARTER);
    assert!(
        spans.len() > 50,
        "the starter has many values: {}",
        spans.len()
    );
    for (i, (s, e)) in spans.into_iter().enumerate() {
        for k in 0..3 {
            let value = VALUES[(3 * i + k) % VALUES.len()];
            let text = format!("{}{value}{}", &STARTER[..s], &STARTER[e..]);
            if let Err(err) = check_invariants(&text) {
                panic!("{err}");
            }
        }
    }
}

#[test]
fn the_starter_itself_is_valid() {
    let checked = check_str("starter.yaml", STARTER);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
}

/// Every value of every shipped scenario replaced by rotating wrong values, and every key line
/// deleted, duplicated and misspelt (deterministic): checking never panics and errors are located.
#[test]
fn every_shipped_scenario_mutated_every_way() {
    for (name, seed) in SEEDS {
        let spans = value_spans(seed);
        assert!(spans.len() > 10, "{name}: {} values", spans.len());
        for (i, (s, e)) in spans.into_iter().enumerate() {
            for k in 0..2 {
                let value = VALUES[(2 * i + k) % VALUES.len()];
                let text = format!("{}{value}{}", &seed[..s], &seed[e..]);
                if let Err(err) = check_invariants(&text) {
                    panic!("{name}: {err}");
                }
            }
        }
        let lines: Vec<&str> = seed.split('\n').collect();
        for l in 0..lines.len() {
            let mut deleted = lines.clone();
            deleted.remove(l);
            let mut duplicated = lines.clone();
            duplicated.insert(l, lines[l]);
            let mut misspelt: Vec<String> = lines.iter().map(|x| x.to_string()).collect();
            let indent = lines[l].len() - lines[l].trim_start().len();
            if lines[l].find(':').is_some_and(|c| c > indent + 1) {
                misspelt[l].insert(indent + 1, 'q');
            }
            for (how, text) in [
                ("deleted", deleted.join("\n")),
                ("duplicated", duplicated.join("\n")),
                ("misspelt", misspelt.join("\n")),
            ] {
                if let Err(err) = check_invariants(&text) {
                    panic!("{name}: line {} {how}: {err}", l + 1);
                }
            }
        }
    }
}

/// Mutants of each shipped scenario through the real binary: exit 1 with a message naming
/// the file and a line, never a crash or another code.
#[test]
fn shipped_mutants_through_the_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wrong = ["-5", "lots", ".nan", "1e999", "[]", "99999999999999999999d"];
    let mut tried = 0;
    for (name, seed) in SEEDS.iter().skip(1) {
        let spans = value_spans(seed);
        // A spread of values through the file, each with a different wrong value.
        for (n, &(s, e)) in spans.iter().step_by((spans.len() / 6).max(1)).enumerate() {
            let text = format!("{}{}{}", &seed[..s], wrong[n % wrong.len()], &seed[e..]);
            let checked = check_str(name, &text);
            if !checked.has_errors() {
                continue; // e.g. `-5` in a free-text note: still valid
            }
            let file = dir.path().join(format!("{tried}-{name}"));
            std::fs::write(&file, &text).expect("write");
            let r = run(rapt().args(["validate", &file.display().to_string()]));
            assert_eq!(r.code, 1, "{name}: {}", r.both());
            let located = format!("{}:", file.display());
            assert!(
                r.stdout.contains(&located) || r.stderr.contains(&located),
                "{name}: message does not name the file and line:\n{}",
                r.both()
            );
            tried += 1;
        }
    }
    assert!(tried >= 20, "only {tried} mutants were invalid");
}
