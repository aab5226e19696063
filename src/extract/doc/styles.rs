//! The paragraph styles of an old Word document and where they apply: the font each style of
//! the style sheet (`STSH`) sets, following `istdBase`, and the style of each paragraph from the
//! paragraph property pages (`PapxFkp`). A run that sets no font of its own is in its
//! paragraph's style's font: a document typed in `.VnTime` usually says so only in "Normal".

use super::{font_sprm, u16_at, u32_at};

/// No base style (`istdBase`).
const NO_BASE: u16 = 0x0FFF;

/// The font (an index into the font table) of each style, by `istd`, following `istdBase`;
/// `None` where no style up the chain sets one. Empty where the style sheet is broken.
pub(super) fn style_fonts(stsh: &[u8]) -> Vec<Option<u16>> {
    let styles = styles(stsh).unwrap_or_default();
    (0..styles.len())
        .map(|istd| {
            let mut at = istd;
            // A chain longer than the sheet is a loop.
            for _ in 0..styles.len() {
                let (base, font) = styles[at];
                if font.is_some() {
                    return font;
                }
                match usize::from(base) {
                    b if base == NO_BASE || b >= styles.len() => return None,
                    b => at = b,
                }
            }
            None
        })
        .collect()
}

/// Each style's `istdBase` and its own font, in `istd` order.
fn styles(stsh: &[u8]) -> Option<Vec<(u16, Option<u16>)>> {
    // STSH: cbStshi, Stshi (Stshif: cstd, cbSTDBaseInFile, …), then an LPStd per style.
    let cb_stshi = usize::from(u16_at(stsh, 0)?);
    let cstd = usize::from(u16_at(stsh, 2)?);
    let cb_base = usize::from(u16_at(stsh, 4)?);
    let mut at = 2 + cb_stshi;
    let mut out = Vec::with_capacity(cstd.min(4096));
    for _ in 0..cstd {
        let cb_std = usize::from(u16_at(stsh, at)?);
        let std = stsh.get(at + 2..at + 2 + cb_std)?;
        at += 2 + cb_std;
        out.push(if std.is_empty() {
            (NO_BASE, None)
        } else {
            style(std, cb_base).unwrap_or((NO_BASE, None))
        });
    }
    Some(out)
}

/// One STD: its `istdBase` and the font its character properties set.
fn style(std: &[u8], cb_base: usize) -> Option<(u16, Option<u16>)> {
    let kind_base = u16_at(std, 2)?;
    let (stk, base) = (kind_base & 0x000F, kind_base >> 4);
    let cupx = usize::from(u16_at(std, 4)? & 0x000F);
    // The name: cch, cch UTF-16 units, a terminating 0.
    let cch = usize::from(u16_at(std, cb_base)?);
    let mut at = cb_base + 2 + cch * 2 + 2;
    // The UPXs: a paragraph style (1) has its paragraph then its character properties, a
    // character style (2) its character properties only.
    let chpx = match stk {
        1 => 1,
        2 => 0,
        _ => return Some((base, None)),
    };
    for i in 0..cupx.min(3) {
        let cb = usize::from(u16_at(std, at)?);
        let upx = std.get(at + 2..at + 2 + cb)?;
        if i == chpx {
            return Some((base, font_sprm(upx)));
        }
        at += 2 + cb + cb % 2;
    }
    Some((base, None))
}

/// The paragraphs of the document: `WordDocument` stream ranges and their style (`istd`),
/// sorted, from the paragraph property pages that `bte` (PlcBtePapx) lists.
pub(super) fn paragraph_styles(word: &[u8], bte: &[u8]) -> Vec<(usize, usize, u16)> {
    let n = bte.len().saturating_sub(4) / 8;
    let mut out = Vec::new();
    for k in 0..n {
        let Some(pn) = u32_at(bte, (n + 1) * 4 + k * 4) else {
            break;
        };
        let Some(page) = word
            .get((pn & 0x003F_FFFF) as usize * 512..)
            .and_then(|p| p.get(..512))
        else {
            continue;
        };
        out.extend(papx_runs(page));
    }
    out.sort_by_key(|r| r.0);
    out
}

/// The paragraphs of one paragraph property page: their stream ranges and style.
fn papx_runs(page: &[u8]) -> Vec<(usize, usize, u16)> {
    let crun = usize::from(page[511]);
    let mut out = Vec::new();
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, i * 4), u32_at(page, i * 4 + 4)) else {
            break;
        };
        // BxPap: 13 bytes after the FCs, the first the word offset of the PapxInFkp.
        let Some(&b) = page.get((crun + 1) * 4 + i * 13) else {
            break;
        };
        let at = usize::from(b) * 2;
        let istd = match page.get(at) {
            Some(0) => u16_at(page, at + 2),
            Some(_) => u16_at(page, at + 1),
            None => None,
        };
        if let (Some(istd), true) = (istd, b != 0) {
            out.push((start as usize, end as usize, istd));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A style sheet of `(stk, istdBase, character grpprl)` styles, cbSTDBaseInFile 10.
    fn stsh(styles: &[(u16, u16, &[u8])]) -> Vec<u8> {
        let mut stshi = vec![0u8; 18];
        stshi[0..2].copy_from_slice(&(styles.len() as u16).to_le_bytes());
        stshi[2..4].copy_from_slice(&10u16.to_le_bytes());
        let mut out = (stshi.len() as u16).to_le_bytes().to_vec();
        out.extend(&stshi);
        for &(stk, base, chpx) in styles {
            let mut std = vec![0u8; 10];
            std[2..4].copy_from_slice(&(stk | (base << 4)).to_le_bytes());
            let cupx: u16 = if stk == 1 { 2 } else { 1 };
            std[4..6].copy_from_slice(&cupx.to_le_bytes());
            std.extend([1, 0, b'N', 0, 0, 0]); // the name "N"
            if stk == 1 {
                std.extend([2, 0, 0, 0]); // PAPX: istd 0, no sprm
            }
            std.extend((chpx.len() as u16).to_le_bytes());
            std.extend(chpx);
            if chpx.len() % 2 == 1 {
                std.push(0);
            }
            out.extend((std.len() as u16).to_le_bytes());
            out.extend(std);
        }
        out
    }

    #[test]
    fn styles_give_their_font_or_their_base_style_s() {
        let font = |ftc: u8| vec![0x4F, 0x4A, ftc, 0];
        let sheet = stsh(&[
            (1, NO_BASE, &font(3)), // Normal: font 3
            (1, 0, &[]),            // based on Normal
            (1, 1, &font(5)),       // based on 1, its own font
            (2, NO_BASE, &[]),      // a character style without a font
            (1, 4, &[]),            // based on itself, through 4: a loop
        ]);
        assert_eq!(style_fonts(&sheet), [Some(3), Some(3), Some(5), None, None]);
        assert!(style_fonts(&sheet[..sheet.len() - 3]).is_empty());
        assert!(style_fonts(&[]).is_empty());
    }

    #[test]
    fn paragraph_pages_give_each_paragraph_its_style() {
        let mut page = [0u8; 512];
        page[511] = 2;
        for (i, fc) in [100u32, 150, 300].iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
        }
        // BX entries at 12 and 25, PAPXs at words 100 and 110.
        page[12] = 100;
        page[25] = 110;
        page[200..204].copy_from_slice(&[2, 7, 0, 0]); // cb 2: istd 7
        page[220..224].copy_from_slice(&[0, 1, 1, 0]); // cb 0, cb' 1: istd 1
        assert_eq!(papx_runs(&page), [(100, 150, 7), (150, 300, 1)]);
        page[511] = 255;
        assert!(papx_runs(&page).len() <= 255);
    }
}
