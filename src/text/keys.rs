//! Vietnamese typed as keys, without an input method: a word in Telex keys ("Traanf", "Dduwcs")
//! or VNI keys ("Tra62n", "D9u7o7ng") → the syllable it spells ("Trần", "Đức", "Dương"), or
//! nothing if it spells none.
//!
//! A word with a digit is read as VNI, any other as Telex. Marks and tones may be typed right
//! after their vowel or later in the word, as input methods accept; capitals are kept. Only a
//! word in which some key was used as a mark or tone, and which then has the shape of a syllable
//! ([`is_syllable`]), reads as one.

use unicode_normalization::UnicodeNormalization;

use super::fold::fold;
use super::vietnamese::is_syllable;

/// The mark a key puts on a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    /// â ê ô (Telex `aa` `ee` `oo`, VNI `6`).
    Circumflex,
    /// ă (Telex `aw`, VNI `8`).
    Breve,
    /// ơ ư (Telex `ow` `uw` `w`, VNI `7`).
    Horn,
    /// đ (Telex `dd`, VNI `9`).
    Stroke,
}

/// The five tones, as the combining mark each puts on its vowel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    /// Sắc (Telex `s`, VNI `1`).
    Acute = 0x301,
    /// Huyền (Telex `f`, VNI `2`).
    Grave = 0x300,
    /// Hỏi (Telex `r`, VNI `3`).
    Hook = 0x309,
    /// Ngã (Telex `x`, VNI `4`).
    Tilde = 0x303,
    /// Nặng (Telex `j`, VNI `5`).
    Dot = 0x323,
}

/// One letter of the syllable being typed.
#[derive(Clone, Copy, Debug)]
struct Letter {
    /// The ASCII letter, lower case.
    base: char,
    upper: bool,
    mark: Option<Mark>,
}

/// The letters typed so far and the tone.
#[derive(Default)]
struct Spelling {
    letters: Vec<Letter>,
    tone: Option<Tone>,
}

/// The vowels a syllable may have between its initial and its final (the u of "qu" and the i
/// of "gi" belong to the initial), with their marks and without tone.
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "âu", "ay", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oay", "oeo", "uây", "uôi",
    "uya", "uyê", "uyu", "ươi", "ươu", "yêu", "oao", "uơi",
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The syllable that `word` spells in Telex keys, or in VNI keys if it holds a digit; `None` if
/// no key in it is a mark or tone, or if it spells no syllable.
pub fn from_keys(word: &str) -> Option<String> {
    let mut spelling = Spelling::default();
    let vni = word.chars().any(|c| c.is_ascii_digit());
    for c in word.chars() {
        if !c.is_ascii_alphanumeric() {
            return None;
        }
        let read = if vni {
            spelling.vni(c)
        } else {
            spelling.telex(c)
        };
        if !read {
            return None;
        }
    }
    spelling.syllable()
}

impl Spelling {
    /// Reads one Telex key; false if the word cannot be Telex.
    fn telex(&mut self, c: char) -> bool {
        let key = c.to_ascii_lowercase();
        let used = match key {
            'd' => self.letters.len() == 1 && self.stroke(),
            'a' | 'e' | 'o' => self.mark(&[key], Mark::Circumflex),
            'w' => self.horn_or_breve() || self.push_horned_u(c),
            's' => self.set_tone(Some(Tone::Acute)),
            'f' => self.set_tone(Some(Tone::Grave)),
            'r' => self.set_tone(Some(Tone::Hook)),
            'x' => self.set_tone(Some(Tone::Tilde)),
            'j' => self.set_tone(Some(Tone::Dot)),
            'z' => self.tone.is_some() && self.set_tone(None),
            _ => false,
        };
        if !used {
            self.push(c);
        }
        true
    }

    /// Reads one VNI key; false if a digit has nothing to mark.
    fn vni(&mut self, c: char) -> bool {
        match c {
            '1' => self.set_tone(Some(Tone::Acute)),
            '2' => self.set_tone(Some(Tone::Grave)),
            '3' => self.set_tone(Some(Tone::Hook)),
            '4' => self.set_tone(Some(Tone::Tilde)),
            '5' => self.set_tone(Some(Tone::Dot)),
            '0' => self.set_tone(None),
            '6' => self.mark(&['a', 'e', 'o'], Mark::Circumflex),
            '7' => self.mark(&['o', 'u'], Mark::Horn),
            '8' => self.mark(&['a'], Mark::Breve),
            '9' => self.stroke(),
            _ => {
                self.push(c);
                true
            }
        }
    }

    fn push(&mut self, c: char) {
        self.letters.push(Letter {
            base: c.to_ascii_lowercase(),
            upper: c.is_ascii_uppercase(),
            mark: None,
        });
    }

    /// `w` with no vowel to mark is ư.
    fn push_horned_u(&mut self, c: char) -> bool {
        self.push(if c.is_ascii_uppercase() { 'U' } else { 'u' });
        if let Some(last) = self.letters.last_mut() {
            last.mark = Some(Mark::Horn);
        }
        true
    }

    /// The range of the vowels (the first run of them).
    fn vowels(&self) -> std::ops::Range<usize> {
        let start = self
            .letters
            .iter()
            .position(|l| is_vowel(l.base))
            .unwrap_or(self.letters.len());
        let len = self.letters[start..]
            .iter()
            .take_while(|l| is_vowel(l.base))
            .count();
        start..start + len
    }

    /// Marks the last unmarked vowel among `bases`.
    fn mark(&mut self, bases: &[char], mark: Mark) -> bool {
        let range = self.vowels();
        let found = self.letters[range]
            .iter_mut()
            .rev()
            .find(|l| l.mark.is_none() && bases.contains(&l.base));
        found.map(|l| l.mark = Some(mark)).is_some()
    }

    /// Telex `w`: a horn (ơ, ư) or a breve (ă) on the last vowel that takes one.
    fn horn_or_breve(&mut self) -> bool {
        let range = self.vowels();
        let last = self.letters[range]
            .iter()
            .rev()
            .find(|l| l.mark.is_none() && matches!(l.base, 'a' | 'o' | 'u'));
        match last.map(|l| l.base) {
            Some('a') => self.mark(&['a'], Mark::Breve),
            Some(_) => self.mark(&['o', 'u'], Mark::Horn),
            None => false,
        }
    }

    /// đ: the first letter, if it is a d.
    fn stroke(&mut self) -> bool {
        match self.letters.first_mut() {
            Some(first) if first.base == 'd' && first.mark.is_none() => {
                first.mark = Some(Mark::Stroke);
                true
            }
            _ => false,
        }
    }

    /// Sets (or with `None` clears) the tone, once some vowel is typed.
    fn set_tone(&mut self, tone: Option<Tone>) -> bool {
        if self.vowels().is_empty() {
            return false;
        }
        self.tone = tone;
        true
    }

    /// The syllable typed, if some key made a mark or tone and it has the shape of one.
    fn syllable(mut self) -> Option<String> {
        self.complete_uo();
        if self.tone.is_none() && self.letters.iter().all(|l| l.mark.is_none()) {
            return None;
        }
        let folded: String = self.letters.iter().map(|l| l.base).collect();
        let nucleus = self.nucleus();
        let vowels: String = self.letters[nucleus.clone()]
            .iter()
            .map(|l| Self::spell(l, None).to_lowercase())
            .collect();
        let stop = ["c", "ch", "p", "t"].contains(&&folded[nucleus.end..]);
        if !is_syllable(&folded)
            || !NUCLEI.contains(&vowels.as_str())
            || (stop && !matches!(self.tone, Some(Tone::Acute | Tone::Dot)))
        {
            return None;
        }
        let toned = self.tone.map(|tone| (self.toned_vowel(), tone));
        let out: String = self
            .letters
            .iter()
            .enumerate()
            .map(|(i, l)| Self::spell(l, toned.filter(|&(at, _)| at == i).map(|(_, t)| t)))
            .collect();
        // Folded back, the syllable must be the letters typed: no key left in it.
        (fold(&out) == folded).then_some(out)
    }

    /// "ưo" and "uơ" before another letter are "ươ", as input methods complete them ("duơng",
    /// "nguơi"); "uơ" at the end stays ("thuở").
    fn complete_uo(&mut self) {
        let horn = |l: &Letter| l.mark == Some(Mark::Horn);
        let half = self.letters.windows(3).position(|w| {
            w[0].base == 'u'
                && w[1].base == 'o'
                && horn(&w[0]) != horn(&w[1])
                && w[..2].iter().all(|l| l.mark.is_none() || horn(l))
        });
        if let Some(i) = half {
            self.letters[i].mark = Some(Mark::Horn);
            self.letters[i + 1].mark = Some(Mark::Horn);
        }
    }

    /// One letter with its mark and `tone`, in its case, composed (NFC).
    fn spell(l: &Letter, tone: Option<Tone>) -> String {
        let mut letter = String::from(l.base);
        match l.mark {
            Some(Mark::Stroke) => letter = "đ".into(),
            Some(Mark::Circumflex) => letter.push('\u{302}'),
            Some(Mark::Breve) => letter.push('\u{306}'),
            Some(Mark::Horn) => letter.push('\u{31b}'),
            None => {}
        }
        letter.extend(tone.and_then(|t| char::from_u32(t as u32)));
        let letter: String = letter.nfc().collect();
        if l.upper {
            letter.to_uppercase()
        } else {
            letter
        }
    }

    /// The vowels between the initial and the final: the u of "qu" and the i of "gi" before
    /// another vowel belong to the initial.
    fn nucleus(&self) -> std::ops::Range<usize> {
        let mut vowels = self.vowels();
        let initial: String = self.letters.iter().take(2).map(|l| l.base).collect();
        if vowels.start == 1 && vowels.len() > 1 && (initial == "qu" || initial == "gi") {
            vowels.start += 1;
        }
        vowels
    }

    /// Where the tone goes: on the vowel with a mark (ơ of ươ), else on the last vowel before a
    /// final consonant, else on the middle of three vowels or the first of two ("hòa", "của").
    fn toned_vowel(&self) -> usize {
        let vowels = self.nucleus();
        let marked = vowels.clone().rev().find(|&i| {
            matches!(
                self.letters[i].mark,
                Some(Mark::Circumflex | Mark::Breve | Mark::Horn)
            )
        });
        match (marked, vowels.len()) {
            (Some(i), _) => i,
            _ if vowels.end < self.letters.len() => vowels.end - 1,
            (None, 3) => vowels.start + 1,
            _ => vowels.start,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_keys(cases: &[(&str, Option<&str>)]) {
        for &(typed, want) in cases {
            assert_eq!(from_keys(typed).as_deref(), want, "{typed}");
        }
    }

    #[test]
    fn telex_keys_spell_syllables() {
        assert_keys(&[
            ("Traanf", Some("Trần")),
            ("Dduwcs", Some("Đức")),
            ("Nguyeenx", Some("Nguyễn")),
            ("Luwowng", Some("Lương")),
            ("dduowngf", Some("đường")),
            ("dduwongf", Some("đường")),
            ("nguwowif", Some("người")),
            ("Hoaf", Some("Hòa")),
            ("thuyr", Some("thủy")),
            ("quys", Some("quý")),
            ("giaf", Some("già")),
            ("khuyeets", Some("khuyết")),
            ("xoawn", Some("xoăn")),
            ("tw", Some("tư")),
            ("Ddinhf", Some("Đình")),
            ("Ddinh", Some("Đinh")),
        ]);
    }

    #[test]
    fn marks_and_tones_may_come_later_in_the_word() {
        assert_keys(&[
            ("Trafan", Some("Trần")),
            ("Trafn", Some("Tràn")),
            ("Tranaf", Some("Trần")),
            ("Nguyeexn", Some("Nguyễn")),
            ("Dducws", Some("Đức")),
            ("duongw", Some("dương")),
            ("Buoon", Some("Buôn")),
            ("thuowr", Some("thuở")),
            ("nguowif", Some("người")),
            ("giuwax", Some("giữa")),
            ("quoocs", Some("quốc")),
            ("uoongs", Some("uống")),
            ("khuyur", Some("khuỷu")),
            ("nghieeng", Some("nghiêng")),
            ("Trasnz", None),
        ]);
    }

    #[test]
    fn vni_keys_spell_syllables() {
        assert_keys(&[
            ("Tra62n", Some("Trần")),
            ("Tra6n2", Some("Trần")),
            ("d9u7o7ng2", Some("đường")),
            ("Du7o7ng", Some("Dương")),
            ("Duo7ng", Some("Dương")),
            ("D9u7c1", Some("Đức")),
            ("Nguye6n4", Some("Nguyễn")),
            ("a8n", Some("ăn")),
            ("thuo73", Some("thuở")),
        ]);
    }

    #[test]
    fn capitals_are_kept() {
        assert_keys(&[
            ("TRAANF", Some("TRẦN")),
            ("DDUWCS", Some("ĐỨC")),
            ("TRA62N", Some("TRẦN")),
            ("traanf", Some("trần")),
        ]);
    }

    #[test]
    fn words_that_are_not_syllables_read_as_nothing() {
        assert_keys(&[
            // A syllable: search keeps a word the corpus holds (`ddos`) as it is.
            ("ddos", Some("đó")),
            // No key used: nothing to read.
            ("Putin", None),
            ("tran", None),
            ("Ba", None),
            // Keys, but no syllable.
            ("class", None),
            ("Windows", None),
            ("xyzs", None),
            ("Su30", None),
            ("dead", None),
            ("hoaa", None),
            ("2024", None),
            ("a9", None),
            ("Traans-", None),
            // A stop final takes only sắc or nặng.
            ("Tootf", None),
            ("Toots", Some("Tốt")),
        ]);
    }
}
