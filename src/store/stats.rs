//! BM25 statistics that do not depend on how the index was built.
//!
//! BM25 divides by the mean passage length, and tantivy takes it from each segment's token count:
//! exact for a segment written in one go, but estimated from quantized field norms when a merge
//! drops deleted passages. So an index updated in several runs would score a little differently
//! from one built in one run, enough to swap close hits. tracuu instead takes every segment's
//! token count from its field norms (exact for each passage up to 40 words, quantized beyond), the
//! same way for every segment: a passage then adds the same to the total however it was indexed.
//! Counting reads one byte per passage, so the indexer counts once per segment and saves the
//! counts beside the index (`tracuu-stats.json`); a segment missing there is counted at open.
//!
//! Several indexes searched together score as one: each index's [`Stats`] gets the others as
//! [`Peer`]s, and its provider sums document counts, document frequencies and token totals over
//! all of them, so a passage scores the same as in one index built over every corpus (the step a
//! distributed engine takes across its shards).

use std::collections::HashMap;
use std::path::Path;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Index, Searcher, SegmentReader, Term};

use super::layout::{self, STATS_FILE};
use crate::error::{Error, Result};

/// Token counts by segment (and its deletes) and field name.
type Counts = HashMap<String, HashMap<String, u64>>;

fn key(reader: &SegmentReader) -> String {
    match reader.delete_opstamp() {
        Some(op) => format!("{}.{op}", reader.segment_id().uuid_string()),
        None => reader.segment_id().uuid_string(),
    }
}

/// The tokens of `field` in the live passages of one segment, from its field norms.
fn count(reader: &SegmentReader, field: Field) -> u64 {
    let Ok(Some(norms)) = reader.fieldnorms_readers().get_field(field) else {
        return 0;
    };
    let mut histogram = [0u64; 256];
    match reader.alive_bitset() {
        None => (0..reader.max_doc()).for_each(|d| histogram[norms.fieldnorm_id(d) as usize] += 1),
        Some(_) => reader
            .doc_ids_alive()
            .for_each(|d| histogram[norms.fieldnorm_id(d) as usize] += 1),
    }
    histogram
        .iter()
        .enumerate()
        .map(|(id, n)| n * u64::from(FieldNormReader::id_to_fieldnorm(id as u8)))
        .sum()
}

/// Counts the tokens of `fields` in every segment of `index`'s last commit and saves them beside
/// it, replacing the file atomically.
pub fn save(index: &Index, dir: &Path, fields: &[Field]) -> Result<()> {
    let reader = index.reader().map_err(Error::from)?;
    let searcher = reader.searcher();
    let schema = index.schema();
    let mut counts = Counts::new();
    for segment in searcher.segment_readers() {
        let per_field = fields
            .iter()
            .map(|&f| (schema.get_field_name(f).to_string(), count(segment, f)))
            .collect();
        counts.insert(key(segment), per_field);
    }
    let json = serde_json::to_vec(&counts).map_err(|e| Error::Tantivy(e.to_string()))?;
    let tmp = dir.join(layout::tmp_name(STATS_FILE));
    std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
    let path = dir.join(STATS_FILE);
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

/// What is wrong with the saved counts beside the index in `dir`, one line each: a file that
/// cannot be read as counts, or a segment whose saved count differs from its field norms (a
/// search would score with it). A missing file, or a segment missing from it, is not wrong: it
/// is counted at open.
pub fn verify(searcher: &Searcher, dir: &Path, fields: &[Field]) -> Vec<String> {
    let bytes = match std::fs::read(dir.join(STATS_FILE)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => return vec![format!("{STATS_FILE}: {e}")],
    };
    let saved: Counts = match serde_json::from_slice(&bytes) {
        Ok(saved) => saved,
        Err(_) => return vec![format!("{STATS_FILE} cannot be read as ranking statistics")],
    };
    let schema = searcher.schema();
    let mut problems = Vec::new();
    for segment in searcher.segment_readers() {
        let Some(per_field) = saved.get(&key(segment)) else {
            continue;
        };
        for &field in fields {
            let name = schema.get_field_name(field);
            let (kept, counted) = (per_field.get(name).copied(), count(segment, field));
            if kept.is_some_and(|kept| kept != counted) {
                problems.push(format!(
                    "{STATS_FILE}: segment {} counts {} tokens of {name} where its field norms hold {counted}",
                    segment.segment_id().short_uuid_string(),
                    kept.unwrap_or_default()
                ));
            }
        }
    }
    problems
}

/// Statistics for scoring with a searcher: tantivy's document counts, token totals from field
/// norms.
pub struct Stats {
    totals: HashMap<Field, u64>,
    peers: Vec<Peer>,
}

/// Another index searched together with this one: its searcher and token totals.
#[derive(Clone)]
pub struct Peer {
    searcher: Searcher,
    totals: HashMap<Field, u64>,
}

impl Peer {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.totals.get(&field) {
            Some(&n) => Ok(n),
            None => Bm25StatisticsProvider::total_num_tokens(&self.searcher, field),
        }
    }
}

impl Stats {
    /// The token totals of `fields` over `searcher`'s segments, from the saved counts where they
    /// cover a segment, else counted now. A missing or unreadable file only costs time.
    pub fn load(searcher: &Searcher, dir: &Path, fields: &[Field]) -> Self {
        let saved: Counts = std::fs::read(dir.join(STATS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let schema = searcher.schema();
        let mut totals = HashMap::new();
        for &field in fields {
            let name = schema.get_field_name(field);
            let total = searcher
                .segment_readers()
                .iter()
                .map(|s| {
                    saved
                        .get(&key(s))
                        .and_then(|c| c.get(name))
                        .copied()
                        .unwrap_or_else(|| count(s, field))
                })
                .sum();
            totals.insert(field, total);
        }
        Stats {
            totals,
            peers: Vec::new(),
        }
    }

    /// These statistics with `searcher`, as a peer of another index's.
    pub fn peer(&self, searcher: &Searcher) -> Peer {
        Peer {
            searcher: searcher.clone(),
            totals: self.totals.clone(),
        }
    }

    /// Scores from now on count `peers` too (replacing any earlier ones).
    pub fn set_peers(&mut self, peers: Vec<Peer>) {
        self.peers = peers;
    }

    /// A statistics provider over `searcher`.
    pub fn provider<'a>(&'a self, searcher: &'a Searcher) -> Provider<'a> {
        Provider {
            stats: self,
            searcher,
        }
    }
}

/// [`Stats`] with a searcher, for tantivy's scoring.
pub struct Provider<'a> {
    stats: &'a Stats,
    searcher: &'a Searcher,
}

impl Bm25StatisticsProvider for Provider<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = match self.stats.totals.get(&field) {
            Some(&n) => n,
            None => Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?,
        };
        for peer in &self.stats.peers {
            total += peer.total_num_tokens(field)?;
        }
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        let mut total = Bm25StatisticsProvider::total_num_docs(self.searcher)?;
        for peer in &self.stats.peers {
            total += Bm25StatisticsProvider::total_num_docs(&peer.searcher)?;
        }
        Ok(total)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut total = self.searcher.doc_freq(term)?;
        for peer in &self.stats.peers {
            total += peer.searcher.doc_freq(term)?;
        }
        Ok(total)
    }
}
