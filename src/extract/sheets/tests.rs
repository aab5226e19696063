//! The spreadsheet fixtures of `tests/data/office/`, made by LibreOffice from flat ODS files.

use super::*;

const NAME: &str = "Trần Đức Lương";

/// (file, bytes) of every fixture: Unicode, `.VnTime` and `VNI-Times` in XLSX, XLS and ODS.
const FIXTURES: [(&str, &[u8]); 9] = [
    (
        "xlsx",
        include_bytes!("../../../tests/data/office/sheet.xlsx"),
    ),
    (
        "xlsx",
        include_bytes!("../../../tests/data/office/sheet-vntime.xlsx"),
    ),
    (
        "xlsx",
        include_bytes!("../../../tests/data/office/sheet-vni.xlsx"),
    ),
    (
        "xls",
        include_bytes!("../../../tests/data/office/sheet.xls"),
    ),
    (
        "xls",
        include_bytes!("../../../tests/data/office/sheet-vntime.xls"),
    ),
    (
        "xls",
        include_bytes!("../../../tests/data/office/sheet-vni.xls"),
    ),
    (
        "ods",
        include_bytes!("../../../tests/data/office/sheet.ods"),
    ),
    (
        "ods",
        include_bytes!("../../../tests/data/office/sheet-vntime.ods"),
    ),
    (
        "ods",
        include_bytes!("../../../tests/data/office/sheet-vni.ods"),
    ),
];

/// The text of the row that starts at `place`.
fn row_text<'a>(x: &'a Extracted, sheet: &str, row: u32) -> &'a str {
    let i = x
        .parts
        .iter()
        .position(|p| {
            p.place
                == Place::Row {
                    sheet: sheet.into(),
                    row,
                }
        })
        .unwrap_or_else(|| panic!("no row {sheet}!{row}"));
    let start = x.parts[i].start;
    let end = x.parts.get(i + 1).map_or(x.text.len(), |p| p.start);
    &x.text[start..end]
}

#[test]
fn every_fixture_has_the_name_in_its_row_of_the_second_sheet() {
    for (i, (ext, bytes)) in FIXTURES.iter().enumerate() {
        let x = extract(ext, bytes, &Options::default()).unwrap();
        let format = match *ext {
            "xlsx" => Format::Xlsx,
            "xls" => Format::Xls,
            _ => Format::Ods,
        };
        assert_eq!(x.format, format);
        assert_eq!(
            row_text(&x, "Danh sách", 3),
            format!("2\t{NAME}\tChủ tịch nước\tQuảng Ngãi\t1937\n"),
            "fixture {i} ({ext})"
        );
        // Unicode cells beside the legacy one are left as they are.
        assert!(x.text.contains("Nguyễn Văn An\tChủ tịch UBND tỉnh"));
        assert_eq!(row_text(&x, "Tổng hợp", 4), "Lập ngày\t1998-01-15\n");
        assert_eq!(x.parts.len(), 9);
        assert_eq!(x.offsets, crate::extract::Offsets::Extracted);
        // Every row ends with a break, and every `\n` is one.
        let newlines: Vec<usize> = x.text.match_indices('\n').map(|(i, _)| i).collect();
        assert_eq!(x.breaks, newlines);
    }
}

#[test]
fn formulas_count_by_their_cached_value() {
    for (ext, bytes) in &FIXTURES[..1] {
        let x = extract(ext, bytes, &Options::default()).unwrap();
        assert_eq!(row_text(&x, "Tổng hợp", 2), "Số người trong danh sách\t4\n");
        assert_eq!(
            row_text(&x, "Tổng hợp", 3),
            "Người lớn tuổi nhất\tChủ tịch nước (Quảng Ngãi)\n"
        );
    }
    let (ext, bytes) = FIXTURES[3];
    let x = extract(ext, bytes, &Options::default()).unwrap();
    assert_eq!(row_text(&x, "Tổng hợp", 2), "Số người trong danh sách\t4\n");
}

#[test]
fn damaged_and_encrypted_workbooks_are_one_line_skips() {
    for (ext, bytes) in FIXTURES {
        for cut in [0, 10, bytes.len() / 3, bytes.len() / 2, bytes.len() - 100] {
            if let Err(skip) = extract(ext, &bytes[..cut], &Options::default()) {
                assert!(
                    !skip.to_string().contains('\n'),
                    "{ext} cut at {cut}: {skip}"
                );
            }
        }
    }
    for ext in ["xlsx", "xlsb", "xls", "ods"] {
        let skip = extract(ext, b"not a spreadsheet", &Options::default()).unwrap_err();
        assert!(matches!(skip, Skip::Corrupt { .. }), "{ext}: {skip}");
    }
    // An encrypted XLSX is an OLE compound file: an XLS workbook is one too.
    let (_, xls) = FIXTURES[3];
    assert_eq!(
        extract("xlsx", xls, &Options::default()),
        Err(Skip::Encrypted(XLSX))
    );
}

#[test]
fn the_text_stays_within_the_limit() {
    let options = Options {
        max_extract: Some(100),
        ..Options::default()
    };
    for (ext, bytes) in FIXTURES {
        let skip = extract(ext, bytes, &options).unwrap_err();
        assert_eq!(skip, Skip::TooLarge { limit: 100 }, "{ext}");
    }
}

#[test]
fn numbers_read_as_a_reader_sees_them() {
    assert_eq!(shown(&Data::Float(1998.0)).as_deref(), Some("1998"));
    assert_eq!(shown(&Data::Float(2.5)).as_deref(), Some("2.5"));
    assert_eq!(shown(&Data::Int(-3)).as_deref(), Some("-3"));
    assert_eq!(shown(&Data::Bool(true)), None);
}

#[test]
fn mutated_workbooks_never_panic_nor_exhaust_memory() {
    // calamine indexes and reserves by the file's own counts (an XLS sheet's DIMENSIONS once
    // reserved 40 GB); every mutation must end in text or a one-line skip.
    let mut seed = 12345u64;
    for (ext, bytes) in FIXTURES {
        for _ in 0..100 {
            let mut b = bytes.to_vec();
            for _ in 0..4 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let i = (seed >> 33) as usize % b.len();
                b[i] = (seed >> 13) as u8;
            }
            if let Err(skip) = extract(ext, &b, &Options::default()) {
                assert!(!skip.to_string().contains('\n'));
            }
        }
    }
}

#[test]
fn a_sheet_claiming_billions_of_cells_is_damaged() {
    let (_, xls) = FIXTURES[3];
    let mut b = xls.to_vec();
    // The first sheet's DIMENSIONS record (type 0x0200, 14 bytes): rows 0 to 2^32-1.
    let at = b
        .windows(4)
        .position(|w| w == [0x00, 0x02, 14, 0])
        .expect("a DIMENSIONS record");
    b[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    b[at + 14..at + 16].copy_from_slice(&255u16.to_le_bytes());
    let skip = extract("xls", &b, &Options::default()).unwrap_err();
    assert!(matches!(skip, Skip::Corrupt { .. }), "{skip}");
}
