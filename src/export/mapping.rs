//! The index definition an engine is given (the body of `PUT /INDEX`): settings with the
//! analysers, the strict mapping of a passage document, and `_meta` saying which tracuu, index
//! format, analysis version, commit and corpus the documents come from.
//!
//! `folded` and `exact` hold tracuu's own tokens pre-analysed ([`super::tokens`]): a
//! `whitespace` tokenizer and a `stop` filter that removes the `_` gap markers but keeps their
//! positions. `compound` needs no positions. `text` and `title` get a readable native analyser
//! for people who query the index from Dashboards or Kibana; tracuu's own queries never use it.

use serde_json::{json, Value};

use crate::store::{Manifest, FORMAT_VERSION};

/// How many shards and replicas the index gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// `number_of_shards`.
    pub shards: u32,
    /// `number_of_replicas`.
    pub replicas: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            shards: 1,
            replicas: 0,
        }
    }
}

/// The `_meta` of an index holding the commit `manifest` describes.
pub fn meta(manifest: &Manifest) -> Value {
    json!({
        "tracuu": {
            "version": crate::store::BUILD,
            "format": FORMAT_VERSION,
            "analysis": manifest.tokenizer,
            "generation": manifest.generation,
            "corpus": manifest.corpus,
        }
    })
}

/// The body of `PUT /INDEX` for the commit `manifest` describes.
pub fn definition(manifest: &Manifest, layout: Layout) -> Value {
    json!({
        "settings": {
            "number_of_shards": layout.shards,
            "number_of_replicas": layout.replicas,
            "analysis": analysis(),
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": meta(manifest),
            "_source": {"excludes": ["folded", "exact", "compound"]},
            "properties": properties(),
        }
    })
}

fn analysis() -> Value {
    json!({
        "char_filter": {
            "tracuu_drop_marks": {
                "type": "pattern_replace",
                "pattern": "\\p{M}+",
                "replacement": "",
            }
        },
        "tokenizer": {
            "tracuu_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}
        },
        "filter": {
            "tracuu_gap": {"type": "stop", "stopwords": ["_"], "ignore_case": false}
        },
        "analyzer": {
            "tracuu_pretokenized": {
                "type": "custom",
                "tokenizer": "whitespace",
                "filter": ["tracuu_gap"],
            },
            "tracuu_readable": {
                "type": "custom",
                "char_filter": ["tracuu_drop_marks"],
                "tokenizer": "tracuu_words",
                "filter": ["lowercase", "asciifolding"],
            },
            "tracuu_readable_exact": {
                "type": "custom",
                "tokenizer": "tracuu_words",
                "filter": ["lowercase"],
            }
        }
    })
}

fn properties() -> Value {
    let pretokenized = json!({
        "type": "text",
        "analyzer": "tracuu_pretokenized",
        "index_options": "positions",
    });
    let keyword = json!({"type": "keyword"});
    let long = json!({"type": "long"});
    let mut p = json!({
        "folded": pretokenized,
        "exact": pretokenized,
        "compound": {"type": "text", "analyzer": "whitespace", "index_options": "freqs"},
        "text": {
            "type": "text",
            "analyzer": "tracuu_readable",
            "fields": {"exact": {"type": "text", "analyzer": "tracuu_readable_exact"}},
        },
        "title": {"type": "text", "analyzer": "tracuu_readable"},
        // Kept in _source only, for highlights in file offsets.
        "map": {"type": "keyword", "index": false, "doc_values": false},
    });
    let map = p.as_object_mut().expect("an object");
    for name in [
        "source",
        "file",
        "format",
        "encoding",
        "offsets",
        "place",
        "sheet",
        "chapter",
        "path_bytes",
    ] {
        map.insert(name.into(), keyword.clone());
    }
    for name in [
        "start",
        "end",
        "line",
        "column",
        "page",
        "paragraph",
        "row",
        "slide",
        "message",
    ] {
        map.insert(name.into(), long.clone());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field a passage document can hold is mapped, and nothing else.
    #[test]
    fn every_document_field_is_mapped() {
        let d = definition(&Manifest::new("/c".into()), Layout::default());
        let props = d["mappings"]["properties"].as_object().unwrap();
        let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut want = vec![
            "source",
            "file",
            "path_bytes",
            "start",
            "end",
            "line",
            "column",
            "text",
            "title",
            "format",
            "encoding",
            "offsets",
            "place",
            "page",
            "chapter",
            "paragraph",
            "sheet",
            "row",
            "slide",
            "message",
            "map",
            "folded",
            "exact",
            "compound",
        ];
        want.sort_unstable();
        assert_eq!(names, want);
        assert_eq!(d["settings"]["number_of_shards"], 1);
        assert_eq!(
            d["mappings"]["_meta"]["tracuu"]["analysis"],
            crate::text::TOKENIZER_VERSION
        );
    }
}
