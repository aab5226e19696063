//! Windows-1258 as Vietnamese text was typed in it, for tests: letters with ă â ê ô ơ ư đ
//! precomposed and the tone as a combining mark. Included by the integration tests and, by
//! path, by the library's own encoding tests.

use unicode_normalization::UnicodeNormalization;

/// `text` encoded in Windows-1258: NFD, the non-tone marks recomposed, the tone mark after.
pub fn encode_1258(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        let d: String = c.to_string().nfd().collect();
        let (tones, rest): (String, String) = d
            .chars()
            .partition(|c| "\u{300}\u{301}\u{303}\u{309}\u{323}".contains(*c));
        let s: String = rest.nfc().chain(tones.chars()).collect();
        let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&s);
        assert!(!bad, "{c} not in windows-1258");
        out.extend_from_slice(&bytes);
    }
    out
}
