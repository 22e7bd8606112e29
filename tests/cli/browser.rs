//! The HTML report in a real browser: headless Chromium opens it, renders it without console
//! errors or failed fetches, prints it on A4, and the numbers behind the charts are the
//! numbers of the CSV export.
//!
//! Skipped, with a message, where no Chromium is installed; `.ci/run` installs Debian's
//! `chromium` so it runs there. `RAPT_CHROMIUM` names another binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{rapt, root, run};

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("RAPT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn headless(browser: &Path, args: &[&str]) -> (String, String) {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // Read both pipes on threads so a chatty browser cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    )
}

/// The numbers a chart's series carries, by chart id and series name, from the rendered DOM.
fn series(dom: &str, chart: &str, name: &str) -> (Vec<f64>, Vec<f64>) {
    let start = dom
        .find(&format!("data-chart=\"{chart}\""))
        .unwrap_or_else(|| panic!("chart {chart} not in the rendered page"));
    let end = start + dom[start..].find("</svg>").expect("svg end");
    let svg = &dom[start..end];
    let at = svg
        .find(&format!("data-series=\"{name}\""))
        .unwrap_or_else(|| panic!("series {name} not in chart {chart}"));
    let attr = |key: &str| -> Vec<f64> {
        let from = at + svg[at..].find(&format!("{key}=\"")).expect("attribute") + key.len() + 2;
        let to = from + svg[from..].find('"').expect("end quote");
        svg[from..to]
            .split_whitespace()
            .map(|v| v.parse().expect("number"))
            .collect()
    };
    (attr("data-x"), attr("data-y"))
}

/// Every table of a report fits its printed page: the narrowest it can be laid out (its
/// min-content width, in the print type size, which narrow windows share) is within A4's
/// 182 mm between the margins, or 269 mm for the landscape pages of `.wide` sections. Measured
/// by a script added to a copy of the report (the report itself has none).
fn assert_tables_fit_a4(browser: &Path, html: &Path) {
    const PORTRAIT_PX: f64 = 182.0 / 25.4 * 96.0;
    const LANDSCAPE_PX: f64 = 269.0 / 25.4 * 96.0;
    let text = std::fs::read_to_string(html).expect("report");
    let probe = "<script>addEventListener('load', () => { document.body.dataset.tables = \
        [...document.querySelectorAll('table')].map(t => { t.style.width = 'min-content'; \
        return (t.id || '?') + ':' + (t.closest('.wide') ? 'wide' : 'page') + ':' + \
        t.getBoundingClientRect().width; }).join(' '); });</script></body>";
    let copy = html.with_extension("probe.html");
    std::fs::write(&copy, text.replace("</body>", probe)).expect("write the copy");
    let url = format!("file://{}", copy.display());
    let (dom, log) = headless(
        browser,
        &[
            "--hide-scrollbars",
            "--window-size=688,1000",
            "--dump-dom",
            &url,
        ],
    );
    let from = dom
        .find("data-tables=\"")
        .unwrap_or_else(|| panic!("{}: no measurement in the page:\n{log}", html.display()))
        + 13;
    let to = from + dom[from..].find('"').expect("end quote");
    let tables: Vec<&str> = dom[from..to].split_whitespace().collect();
    assert!(tables.len() >= 5, "{}: {tables:?}", html.display());
    for t in tables {
        let mut parts = t.split(':');
        let (id, kind) = (parts.next().unwrap(), parts.next().unwrap());
        let width: f64 = parts.next().unwrap().parse().expect("a width");
        let limit = if kind == "wide" {
            LANDSCAPE_PX
        } else {
            PORTRAIT_PX
        };
        assert!(
            width <= limit,
            "{}: table {id} needs {width:.0} px, the page has {limit:.0}",
            html.display()
        );
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn report_renders_in_chromium_and_charts_match_the_csv() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: no Chromium found (install Debian's `chromium`, or set RAPT_CHROMIUM); \
             .ci/run installs it"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (scenario, pool) in [
        ("scenarios/bench/login-storm.yaml", "vpn"),
        ("scenarios/munich-2020.yaml", "remote-desktop"),
    ] {
        let file = root().join(scenario).display().to_string();
        let html = dir.path().join("report.html");
        let csv_dir = dir.path().join("csv");
        let _ = std::fs::remove_file(&html);
        let _ = std::fs::remove_dir_all(&csv_dir);
        let r = run(rapt().args([
            "report",
            &file,
            "-n",
            "4",
            "-q",
            "-o",
            &html.display().to_string(),
        ]));
        assert_eq!(r.code, 0, "{}", r.both());
        let r = run(rapt().args([
            "simulate",
            &file,
            "-n",
            "4",
            "-q",
            "-o",
            &format!("{}/", csv_dir.display()),
        ]));
        assert_eq!(r.code, 0, "{}", r.both());

        let text = std::fs::read_to_string(&html).expect("report");
        // Self-contained: nothing fetched from anywhere.
        for banned in [
            "<script", "http://", "https://", "@import", "url(", "<link", "src=",
        ] {
            let allowed = banned == "http://"
                && text.matches("http://").count()
                    == text.matches("http://www.w3.org/2000/svg").count();
            assert!(
                allowed || !text.contains(banned),
                "{scenario}: report contains {banned}"
            );
        }

        let url = format!("file://{}", html.display());
        let (dom, log) = headless(&browser, &["--dump-dom", &url]);
        assert!(
            dom.contains("<svg"),
            "{scenario}: no chart in the rendered DOM:\n{log}"
        );
        for bad in ["Uncaught", "Failed to load resource", "ERR_", "Refused to"] {
            let offending: Vec<&str> = log
                .lines()
                .filter(|l| l.contains(bad) && !l.contains("dbus"))
                .collect();
            assert!(
                offending.is_empty(),
                "{scenario}: browser log: {offending:#?}"
            );
        }
        assert!(
            !log.lines().any(|l| l.contains(":CONSOLE(")),
            "{scenario}: console output:\n{log}"
        );

        // The sessions chart's mean line is the CSV's active_mean, interval by interval.
        let csv = std::fs::read_to_string(csv_dir.join("workday.csv")).expect("workday.csv");
        let mut rd = csv::Reader::from_reader(csv.as_bytes());
        let header = rd.headers().expect("header").clone();
        let col = |n: &str| header.iter().position(|h| h == n).expect("column");
        let (pc, ac, p95c) = (col("pool"), col("active_mean"), col("active_p95"));
        let rows: Vec<csv::StringRecord> = rd
            .records()
            .map(|x| x.expect("row"))
            .filter(|x| &x[pc] == pool)
            .collect();
        let (xs, ys) = series(
            &dom,
            &format!("workday-{pool}"),
            "active at the interval's start (mean)",
        );
        let (_, maxes) = series(
            &dom,
            &format!("workday-{pool}"),
            "most active within the interval (mean)",
        );
        let mc = col("active_max_mean");
        assert_eq!(ys.len(), rows.len(), "{scenario}: one point per interval");
        for (i, row) in rows.iter().enumerate() {
            for (drawn, column) in [(ys[i], ac), (maxes[i], mc)] {
                let want: f64 = row[column].parse().expect("number");
                assert!(
                    // The CSV carries six significant digits.
                    (drawn - want).abs() <= 5e-7_f64.max(want.abs() * 5e-6),
                    "{scenario}: interval {i}: chart {drawn} vs csv {want}"
                );
            }
        }
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
        let band_at = dom.find("class=\"band\"").expect("a P5–P95 band");
        let high_from = band_at + dom[band_at..].find("data-high=\"").expect("high") + 11;
        let high_to = high_from + dom[high_from..].find('"').expect("end");
        let highs: Vec<f64> = dom[high_from..high_to]
            .split_whitespace()
            .map(|v| v.parse().expect("number"))
            .collect();
        // The first pool's band comes first in the page.
        let first_pool = csv
            .lines()
            .nth(1)
            .and_then(|l| l.split(',').nth(1))
            .expect("first pool")
            .to_string();
        let first_rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|x| x.expect("row"))
            .filter(|x| x[pc] == *first_pool)
            .collect();
        for (i, row) in first_rows.iter().enumerate() {
            let want: f64 = row[p95c].parse().expect("number");
            assert!(
                (highs[i] - want).abs() <= 5e-7_f64.max(want.abs() * 5e-6),
                "{scenario}: P95 at {i}"
            );
        }

        // The timeline's capacity steps are the timeline.csv capacities.
        if scenario.contains("munich") {
            let t = std::fs::read_to_string(csv_dir.join("timeline.csv")).expect("timeline.csv");
            let mut rd = csv::Reader::from_reader(t.as_bytes());
            let h = rd.headers().expect("header").clone();
            let (pc, cc) = (
                h.iter().position(|x| x == "pool").expect("pool"),
                h.iter().position(|x| x == "capacity").expect("capacity"),
            );
            let caps: Vec<f64> = rd
                .records()
                .map(|x| x.expect("row"))
                .filter(|x| &x[pc] == "vpn")
                .map(|x| x[cc].parse().expect("number"))
                .collect();
            let (_, ys) = series(&dom, "timeline", "capacity: vpn");
            assert_eq!(ys.len(), caps.len());
            assert!(ys.iter().zip(&caps).all(|(a, b)| close(*a, *b)));
        }

        // The breach calendar's cells are the timeline's blocking P95 (the scenarios judge at
        // P95), one per workday and pool.
        if scenario.contains("munich") {
            let t = std::fs::read_to_string(csv_dir.join("timeline.csv")).expect("timeline.csv");
            let mut rd = csv::Reader::from_reader(t.as_bytes());
            let h = rd.headers().expect("header").clone();
            let at = |n: &str| h.iter().position(|x| x == n).expect("column");
            let (dc, pc, wc, bc) = (
                at("date"),
                at("pool"),
                at("workday"),
                at("blocking_probability_p95"),
            );
            // (date, pool) -> value, from the rendered cells.
            let drawn: std::collections::HashMap<(String, String), f64> = dom
                .split("data-date=\"")
                .skip(1)
                .map(|cell| {
                    let field = |key: &str| -> String {
                        let from = cell
                            .find(&format!("{key}=\""))
                            .map_or(0, |i| i + key.len() + 2);
                        let to = from + cell[from..].find('"').expect("end quote");
                        cell[from..to].to_string()
                    };
                    let date = cell[..cell.find('"').expect("date end")].to_string();
                    let value = field("data-value").parse().expect("number");
                    ((date, field("data-pool")), value)
                })
                .collect();
            let mut cells = 0;
            for row in rd.records().map(|x| x.expect("row")) {
                if &row[wc] != "true" {
                    continue;
                }
                let want: f64 = row[bc].parse().expect("number");
                let got = drawn
                    .get(&(row[dc].to_string(), row[pc].to_string()))
                    .unwrap_or_else(|| panic!("{scenario}: no calendar cell for {:?}", &row));
                assert!((got - want).abs() <= 5e-7, "{scenario}: {got} vs {want}");
                cells += 1;
            }
            // 55 weekdays, less Good Friday, Easter Monday, 1 May and Ascension (Bavarian holidays).
            assert_eq!(cells, 2 * 51, "{scenario}: 51 workdays × 2 pools");
            assert_eq!(
                drawn.len(),
                cells,
                "{scenario}: one cell per workday and pool"
            );
        }

        // It prints: a PDF of A4 pages.
        let pdf = dir.path().join("report.pdf");
        let _ = headless(
            &browser,
            &[
                &format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer",
                &url,
            ],
        );
        let bytes = std::fs::read(&pdf).expect("a PDF was printed");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF"), "{scenario}: not a PDF");
        // A4 is 595 × 842 points.
        assert!(
            text.contains("/MediaBox [0 0 594.95996 841.91998]"),
            "{scenario}: pages are not A4"
        );
    }
}

#[test]
fn the_german_report_renders_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium found; .ci/run installs it");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("bericht.html");
    let file = root().join("scenarios/munich-2020.yaml");
    let r = run(rapt()
        .arg("report")
        .arg(&file)
        .args(["-n", "4", "-q", "--plan", "--lang", "de", "-o"])
        .arg(&html));
    assert!(r.code == 0, "{}", r.both());
    let text = std::fs::read_to_string(&html).expect("report");
    for banned in ["<script", "https://", "@import", "url(", "<link", "src="] {
        assert!(!text.contains(banned), "report contains {banned}");
    }
    let url = format!("file://{}", html.display());
    let (dom, log) = headless(&browser, &["--dump-dom", &url]);
    assert!(dom.contains("<html lang=\"de\">"), "{log}");
    for bad in ["Uncaught", "Failed to load resource", "ERR_", "Refused to"] {
        let offending: Vec<&str> = log
            .lines()
            .filter(|l| l.contains(bad) && !l.contains("dbus"))
            .collect();
        assert!(offending.is_empty(), "browser log: {offending:#?}");
    }
    assert!(
        !log.lines().any(|l| l.contains(":CONSOLE(")),
        "console output:\n{log}"
    );
    // German headings, verdict, captions, table headers, dates and numbers.
    for german in [
        "Service-Level (P95 über die Replikationen, jeder simulierte Arbeitstag vom 16.03.2020 bis 31.05.2020): VERFEHLT",
        "<h2>Wichtigste Ergebnisse</h2>",
        "<h2>Diagramme</h2>",
        "Blockierwahrscheinlichkeit (je Anmeldeversuch) von remote-desktop: schlechtester Wert",
        "(Grenze 1,00 %)",
        "<th>Beschäftigtengruppe</th>",
        "Plan: was zu bestellen ist",
        "Kalender der Überschreitungen",
        ">Mo<",
        "Gezeigt wird der 20.03.2020",
        "<h2>Quellen</h2>",
        "Erstellt mit rapt",
    ] {
        assert!(dom.contains(german), "no {german:?} in the German report");
    }
    // rapt's own English words are gone (the scenario's names and notes stay as written).
    for english in [
        "Key results",
        "Charts</h2>",
        "Service level (",
        "worst blocking",
        "The day shown is",
        "replications ·",
        "Made by rapt",
        "not judged:",
    ] {
        assert!(
            !dom.contains(english),
            "English {english:?} in the German report"
        );
    }
    // The chart numbers are the same as in the English report: only words change.
    let english = dir.path().join("report.html");
    let r = run(rapt()
        .arg("report")
        .arg(&file)
        .args(["-n", "4", "-q", "--plan", "-o"])
        .arg(&english));
    assert!(r.code == 0, "{}", r.both());
    let data = |t: &str| -> Vec<String> {
        t.match_indices("data-y=\"")
            .map(|(i, _)| t[i..].split('"').nth(1).unwrap_or("").to_string())
            .collect()
    };
    let en = std::fs::read_to_string(&english).unwrap();
    assert!(!data(&text).is_empty());
    assert_eq!(data(&text), data(&en));
    // Both print on A4 without a table running off the page (German words are long).
    assert_tables_fit_a4(&browser, &html);
    assert_tables_fit_a4(&browser, &english);
}
