//! The `_bulk` body: NDJSON actions, one `index` action and its document per passage sent, one
//! `delete` per passage gone, each line ended by a line feed (as `_bulk` requires).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

/// Writes the `index` action of the document `doc` with `_id` `id`.
pub fn write_index(
    out: &mut (impl Write + ?Sized),
    id: &str,
    doc: &impl Serialize,
) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &json!({"index": {"_id": id}}))?;
    out.write_all(b"\n")?;
    serde_json::to_writer(&mut *out, doc)?;
    out.write_all(b"\n")
}

/// Writes the `delete` action of `_id` `id`.
pub fn write_delete(out: &mut (impl Write + ?Sized), id: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &json!({"delete": {"_id": id}}))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_one_line_each() {
        let mut out = Vec::new();
        write_index(&mut out, "a \"b\".txt:0", &json!({"text": "x\ny"})).unwrap();
        write_delete(&mut out, "c.txt:12").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "{\"index\":{\"_id\":\"a \\\"b\\\".txt:0\"}}\n{\"text\":\"x\\ny\"}\n{\"delete\":{\"_id\":\"c.txt:12\"}}\n"
        );
    }
}
