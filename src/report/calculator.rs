//! A calculation ([`crate::plan::calculator::Calculation`]) as aligned text or JSON.

use std::io::{self, Write};

use crate::plan::calculator::{Calculation, Value};

/// One value as the JSON number or string it is (`null` when there is none).
fn text(v: Value) -> String {
    match v {
        Value::Name(n) => n.to_string(),
        Value::Count(c) => c.to_string(),
        Value::Real(r) => {
            serde_json::Number::from_f64(r).map_or_else(|| "null".into(), |n| n.to_string())
        }
    }
}

/// One line per value: its name (underscores as spaces) and the value.
pub fn write_text(c: &Calculation, out: &mut dyn Write) -> io::Result<()> {
    for (k, v) in &c.rows {
        writeln!(out, "{:<24} {}", k.replace('_', " "), text(*v))?;
    }
    Ok(())
}

/// The calculation as a pretty JSON object.
pub fn write_json(c: &Calculation, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, c)?;
    writeln!(out)
}
