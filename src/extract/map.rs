//! The offset map: every byte of extracted text back to the bytes of the file it came from.
//!
//! The map is a sorted list of segments that together cover the text without gaps. A segment is
//! either *linear* (text byte `t` comes from file bytes `[file + scale·k, file + scale·(k+1))`,
//! `k = t - text`; scale 1 for UTF-8 and ASCII runs of single-byte encodings, 2 for ASCII runs of
//! UTF-16) or *atomic* (every text byte of the segment comes from the whole file range: an HTML
//! entity, a Windows-1258 letter and its combining tone mark, a VNI letter and its accent byte).
//! File bytes that give no text (tags, comments, a BOM) simply lie between segments. A 100 MB
//! UTF-8 file is one segment; lookups are a binary search.

use std::ops::Range;

/// Maps byte offsets of extracted text to byte offsets of the file it was extracted from.
///
/// For any `s <= e` on character boundaries of the text, `file_start(s)..file_end(e)` is exactly
/// the source of `text[s..e]`: for `Ti&#7871;ng` in HTML the whole 11 bytes, for a VNI file the
/// bytes of the word in VNI.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct OffsetMap {
    segs: Vec<Seg>,
    text_len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    /// First text byte of the segment (the segment runs to the next one's `text`).
    text: usize,
    /// First file byte.
    file: usize,
    /// Just past the last file byte.
    file_end: usize,
    /// File bytes per text byte for a linear segment; 0 for an atomic one.
    scale: u8,
}

impl OffsetMap {
    /// Text that is the file itself: text byte `t` is file byte `t`.
    pub fn identity(len: usize) -> Self {
        let mut b = MapBuilder::default();
        b.linear(len, 0, 1);
        b.finish()
    }

    /// True if text byte `t` is file byte `t` for every `t` (callers may skip the lookups).
    pub fn is_identity(&self) -> bool {
        match self.segs.as_slice() {
            [] => true,
            [s] => s.scale == 1 && s.text == 0 && s.file == 0,
            _ => false,
        }
    }

    /// Length of the text this map covers.
    pub fn text_len(&self) -> usize {
        self.text_len
    }

    /// Number of segments (how much memory the map takes).
    pub fn segments(&self) -> usize {
        self.segs.len()
    }

    /// The file byte where the source of text byte `text_offset` starts. At or past the end of
    /// the text: just past the source of the last text byte.
    pub fn file_start(&self, text_offset: usize) -> usize {
        if text_offset >= self.text_len {
            return self.segs.last().map_or(0, |s| s.file_end);
        }
        let s = self.segs[self.find(text_offset)];
        match s.scale {
            0 => s.file,
            n => s.file + usize::from(n) * (text_offset - s.text),
        }
    }

    /// The file byte just past the source of text byte `text_offset - 1`, so that
    /// `file_start(s)..file_end(e)` covers exactly the source of `text[s..e]`. For 0: where the
    /// source of the text starts. Offsets past the end of the text count as its end.
    pub fn file_end(&self, text_offset: usize) -> usize {
        let t = text_offset.min(self.text_len);
        if t == 0 {
            return self.segs.first().map_or(0, |s| s.file);
        }
        let s = self.segs[self.find(t - 1)];
        match s.scale {
            0 => s.file_end,
            n => s.file + usize::from(n) * (t - s.text),
        }
    }

    /// `file_start(range.start)..file_end(range.end)`.
    pub fn file_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.file_start(range.start);
        start..self.file_end(range.end).max(start)
    }

    /// The map of `text[range]` alone: text offsets relative to `range.start`, file offsets
    /// relative to `file_start(range.start)` (what a passage stores; see [`Self::to_bytes`]).
    pub fn slice(&self, range: Range<usize>) -> OffsetMap {
        let base = self.file_start(range.start);
        let end = range.end.min(self.text_len);
        let mut b = MapBuilder::default();
        if range.start >= end {
            return b.finish();
        }
        let mut i = self.find(range.start);
        let mut t = range.start;
        while t < end {
            let s = self.segs[i];
            let piece_end = self.seg_text_end(i).min(end);
            let rel = |f: usize| f.saturating_sub(base);
            match s.scale {
                0 => b.atomic(piece_end - t, rel(s.file)..rel(s.file_end)),
                n => b.linear(
                    piece_end - t,
                    rel(s.file + usize::from(n) * (t - s.text)),
                    n,
                ),
            }
            t = piece_end;
            i += 1;
        }
        b.finish()
    }

    /// The map in a compact form: LEB128 numbers, four per segment (text length, file start,
    /// file length, scale). [`Self::from_bytes`] reads it back.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 * self.segs.len());
        for (i, s) in self.segs.iter().enumerate() {
            for n in [
                self.seg_text_end(i) - s.text,
                s.file,
                s.file_end - s.file,
                usize::from(s.scale),
            ] {
                write_varint(&mut out, n as u64);
            }
        }
        out
    }

    /// Reads what [`Self::to_bytes`] wrote; `None` if the bytes are not such a map.
    pub fn from_bytes(mut bytes: &[u8]) -> Option<OffsetMap> {
        let mut b = MapBuilder::default();
        while !bytes.is_empty() {
            let mut next = || read_varint(&mut bytes).and_then(|n| usize::try_from(n).ok());
            let (len, file, file_len, scale) = (next()?, next()?, next()?, next()?);
            let file_end = file.checked_add(file_len)?;
            if scale == 0 {
                b.atomic(len, file..file_end);
            } else {
                let scale = u8::try_from(scale).ok()?;
                if file_len != usize::from(scale).checked_mul(len)? {
                    return None;
                }
                b.linear(len, file, scale);
            }
        }
        Some(b.finish())
    }

    /// The text offset whose source holds file byte `file` (or the first one after it): the
    /// inverse of [`Self::file_start`] on character starts.
    pub fn text_offset(&self, file: usize) -> usize {
        let i = self.segs.partition_point(|s| s.file_end <= file);
        let Some(s) = self.segs.get(i) else {
            return self.text_len;
        };
        match s.scale {
            0 => s.text,
            n => s.text + file.saturating_sub(s.file) / usize::from(n),
        }
    }

    /// Index of the segment holding text byte `t` (`t < text_len`).
    fn find(&self, t: usize) -> usize {
        self.segs.partition_point(|s| s.text <= t) - 1
    }

    /// Text end of segment `i`.
    fn seg_text_end(&self, i: usize) -> usize {
        self.segs.get(i + 1).map_or(self.text_len, |s| s.text)
    }

    /// The map of `text -> file` given `self: text -> middle` and `outer: middle -> file` (markup
    /// removed from text that was first decoded from a legacy encoding).
    pub(crate) fn then(self, outer: &OffsetMap) -> OffsetMap {
        if outer.is_identity() {
            return self;
        }
        let mut b = MapBuilder::default();
        for (i, s) in self.segs.iter().enumerate() {
            let len = self.seg_text_end(i) - s.text;
            if s.scale == 0 || outer.text_len == 0 {
                let range = outer.file_range(s.file..s.file_end);
                b.atomic(len, range);
                continue;
            }
            // A linear run of middle bytes [d, d + len): follow the outer segments it crosses.
            let (mut d, end) = (s.file, s.file + len);
            while d < end {
                if d >= outer.text_len {
                    let at = outer.file_start(d);
                    b.atomic(end - d, at..at);
                    break;
                }
                let k = outer.find(d);
                let o = outer.segs[k];
                let piece_end = outer.seg_text_end(k).min(end);
                match o.scale {
                    0 => b.atomic(piece_end - d, o.file..o.file_end),
                    n => b.linear(piece_end - d, o.file + usize::from(n) * (d - o.text), n),
                }
                d = piece_end;
            }
        }
        b.finish()
    }
}

fn write_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

/// Builds an [`OffsetMap`] from the start of the text on; merges adjacent linear runs.
#[derive(Default, Debug)]
pub(crate) struct MapBuilder {
    segs: Vec<Seg>,
    text_len: usize,
}

impl MapBuilder {
    /// The next `len` text bytes come from file bytes `file..file + scale·len`, in order.
    pub(crate) fn linear(&mut self, len: usize, file: usize, scale: u8) {
        if len == 0 {
            return;
        }
        debug_assert!(scale > 0);
        let scale = scale.max(1);
        if let Some(last) = self.segs.last_mut() {
            if last.scale == scale && last.file_end == file {
                last.file_end += usize::from(scale) * len;
                self.text_len += len;
                return;
            }
        }
        self.segs.push(Seg {
            text: self.text_len,
            file,
            file_end: file + usize::from(scale) * len,
            scale,
        });
        self.text_len += len;
    }

    /// The next `len` text bytes, as a whole, come from the file bytes `file`.
    pub(crate) fn atomic(&mut self, len: usize, file: Range<usize>) {
        if len == 0 {
            return;
        }
        self.segs.push(Seg {
            text: self.text_len,
            file: file.start,
            file_end: file.end.max(file.start),
            scale: 0,
        });
        self.text_len += len;
    }

    /// Appends a whole map whose file offsets are relative to file byte `shift` (the text of an
    /// HTML fragment inside Markdown).
    pub(crate) fn append(&mut self, other: &OffsetMap, shift: usize) {
        for (i, s) in other.segs.iter().enumerate() {
            let len = other.seg_text_end(i) - s.text;
            match s.scale {
                0 => self.atomic(len, s.file + shift..s.file_end + shift),
                n => self.linear(len, s.file + shift, n),
            }
        }
    }

    pub(crate) fn finish(self) -> OffsetMap {
        OffsetMap {
            segs: self.segs,
            text_len: self.text_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_one_segment_and_maps_every_byte_to_itself() {
        let m = OffsetMap::identity(100_000_000);
        assert!(m.is_identity());
        assert_eq!(m.segments(), 1);
        assert_eq!(m.file_start(12345), 12345);
        assert_eq!(m.file_end(12345), 12345);
        assert_eq!(m.file_start(100_000_000), 100_000_000);
        assert_eq!(m.file_end(200_000_000), 100_000_000);
        assert!(OffsetMap::identity(0).is_identity());
        assert_eq!(OffsetMap::identity(0).file_start(5), 0);
    }

    #[test]
    fn atomic_segments_cover_their_whole_source_and_gaps_are_skipped() {
        // "a<b>ế" from "a<b>&#7871;": 'a' linear at 0, tag skipped, 'ế' (3 bytes) from 4..11.
        let mut b = MapBuilder::default();
        b.linear(1, 0, 1);
        b.atomic(3, 4..11);
        let m = b.finish();
        assert!(!m.is_identity());
        assert_eq!(m.file_range(0..1), 0..1);
        assert_eq!(m.file_range(1..4), 4..11);
        assert_eq!(m.file_range(0..4), 0..11);
        assert_eq!(m.file_start(2), 4);
        assert_eq!(m.file_end(2), 11);
    }

    #[test]
    fn adjacent_linear_runs_merge_and_utf16_scales() {
        let mut b = MapBuilder::default();
        b.linear(3, 2, 2);
        b.linear(2, 8, 2);
        b.atomic(3, 12..14);
        b.linear(1, 14, 2);
        let m = b.finish();
        assert_eq!(m.segments(), 3);
        assert_eq!(m.file_range(1..2), 4..6);
        assert_eq!(m.file_range(0..9), 2..16);
    }

    #[test]
    fn a_slice_is_relative_and_survives_bytes() {
        // "a<b>ế c" from "a<b>&#7871; c".
        let mut b = MapBuilder::default();
        b.linear(1, 0, 1);
        b.atomic(3, 4..11);
        b.linear(2, 11, 1);
        let m = b.finish();
        let s = m.slice(1..6);
        assert_eq!(s.file_range(0..3), 0..7);
        assert_eq!(s.file_range(4..5), 8..9);
        assert_eq!(OffsetMap::from_bytes(&s.to_bytes()), Some(s));
        assert_eq!(OffsetMap::from_bytes(&[0x80]), None);
        assert_eq!(m.text_offset(11), 4);
        assert_eq!(m.text_offset(6), 1);
        assert_eq!(m.text_offset(0), 0);
        assert_eq!(m.text_offset(99), 6);
    }

    #[test]
    fn composition_follows_both_maps() {
        // middle "xé<i>y" from file "x\xe9<i>y" in windows-1252: é is 2 middle bytes from 1 file byte.
        let mut outer = MapBuilder::default();
        outer.linear(1, 0, 1);
        outer.atomic(2, 1..2);
        outer.linear(4, 2, 1);
        let outer = outer.finish();
        // text "xéy": x é from middle 0..3 (linear), y from middle 6.
        let mut inner = MapBuilder::default();
        inner.linear(3, 0, 1);
        inner.linear(1, 6, 1);
        let m = inner.finish().then(&outer);
        assert_eq!(m.file_range(0..1), 0..1);
        assert_eq!(m.file_range(1..3), 1..2);
        assert_eq!(m.file_range(3..4), 5..6);
        assert_eq!(m.text_len(), 4);
    }
}
