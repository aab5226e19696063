//! Administrative abbreviations in queries, as Vietnamese addresses write them: a small table
//! (`P.` Phường, `Q.` Quận, `TP.` Thành phố, `TX.` Thị xã, `TT.` Thị trấn, `H.` Huyện, `X.` Xã,
//! `T.` Tỉnh; `HCM`, `TPHCM`, `TP.HCM` Hồ Chí Minh; `HN` Hà Nội), not a guess, and the rule
//! that reads one word of a query against it. Pure: the parser ([`super::query`]) turns what
//! this reads into a required choice between the full form and the abbreviation itself.
//!
//! The rule, conservative because a lone letter is often something else (an initial, a grade):
//! - a city acronym (`HN`, `HCM`, `TPHCM`, `TP.HCM`), in any case, is always one;
//! - a unit's letters followed by a dot are always one (`P.`, `tp.`), and so are they glued by a
//!   dot to a name of two letters or more (`P.Phúc`: the unit, then `Phúc`);
//! - the numbered units, Phường and Quận, glued to a number of one or two digits, with or without
//!   the dot (`Q1`, `Q.1`, `P.12`), or a dotted one followed by the number (`Q. 1`);
//! - a unit's letters alone (`P`, `TP`) are only a *candidate*: the parser takes them as the unit
//!   only before a capitalised name (or, for P and Q, a number) in a query that looks like an
//!   address (it has a comma or another abbreviation). Anything else is a plain word.

/// An administrative unit and its abbreviation.
#[derive(Debug, PartialEq, Eq)]
pub struct Unit {
    /// The abbreviation, upper case, without its dot.
    pub short: &'static str,
    /// The unit's name in full.
    pub full: &'static str,
    /// Units of this kind are numbered ("Phường 12", "Quận 1").
    pub numbered: bool,
}

/// The units, by abbreviation.
pub const UNITS: &[Unit] = &[
    Unit {
        short: "P",
        full: "Phường",
        numbered: true,
    },
    Unit {
        short: "Q",
        full: "Quận",
        numbered: true,
    },
    Unit {
        short: "TP",
        full: "Thành phố",
        numbered: false,
    },
    Unit {
        short: "TX",
        full: "Thị xã",
        numbered: false,
    },
    Unit {
        short: "TT",
        full: "Thị trấn",
        numbered: false,
    },
    Unit {
        short: "H",
        full: "Huyện",
        numbered: false,
    },
    Unit {
        short: "X",
        full: "Xã",
        numbered: false,
    },
    Unit {
        short: "T",
        full: "Tỉnh",
        numbered: false,
    },
];

/// A city written as an acronym.
#[derive(Debug, PartialEq, Eq)]
pub struct City {
    /// Its acronyms, upper case: every one stands for the others too.
    pub short: &'static [&'static str],
    /// The city's name in full.
    pub full: &'static str,
}

/// The cities known by acronyms: the two largest.
pub const CITIES: &[City] = &[
    City {
        short: &["HCM", "TPHCM"],
        full: "Hồ Chí Minh",
    },
    City {
        short: &["HN"],
        full: "Hà Nội",
    },
];

/// What an abbreviation stands for: a passage may write it in full or in any short form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    /// The full form ("Quận 1").
    pub full: String,
    /// The short forms ("Q.1", "Q1"), as a passage may write them.
    pub short: Vec<String>,
    /// The unit, when this is a unit without a number (it may take one: `Q. 1`).
    unit: Option<&'static Unit>,
}

impl Unit {
    /// The unit without a number.
    pub fn expansion(&'static self) -> Expansion {
        Expansion {
            full: self.full.to_string(),
            short: vec![self.short.to_string()],
            unit: Some(self),
        }
    }

    /// The unit numbered `word` (1 or 2 digits, punctuation after them ignored), if the unit is
    /// numbered: "Quận 1", written "Q.1" or "Q1".
    pub fn numbered(&self, word: &str) -> Option<Expansion> {
        let (n, _) = core(word);
        let digits = (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit());
        (self.numbered && digits).then(|| Expansion {
            full: format!("{} {n}", self.full),
            short: vec![format!("{}.{n}", self.short), format!("{}{n}", self.short)],
            unit: None,
        })
    }
}

impl City {
    fn expansion(&self) -> Expansion {
        Expansion {
            full: self.full.to_string(),
            short: self.short.iter().map(|s| s.to_string()).collect(),
            unit: None,
        }
    }
}

impl Expansion {
    /// True if this one is dropped before `next`: Thành phố before a city acronym.
    pub fn absorbed_by(&self, next: &Expansion) -> bool {
        self.unit.is_some_and(|u| u.short == "TP") && CITIES.iter().any(|c| c.full == next.full)
    }

    /// This unit numbered by the next word, if this is a numbered unit and `word` a number:
    /// `Q.` then `1` is "Quận 1".
    pub fn with_number(&self, word: &str) -> Option<Expansion> {
        self.unit?.numbered(word)
    }
}

/// How one word of a query reads against the table.
#[derive(Debug, PartialEq, Eq)]
pub enum Reading<'a> {
    /// An abbreviation whatever stands around it (`P.`, `Q1`, `P.12`, `HN`, `TP.HCM`).
    Sure(Expansion),
    /// A unit glued by a dot to a name (`P.Phúc`): the unit, and the rest of the word.
    Glued(Expansion, &'a str),
    /// A unit's letters alone, without a dot (`P`, `TP`): a unit only in context.
    Candidate(&'static Unit),
    /// A plain word.
    Plain,
}

impl Reading<'_> {
    /// True if the word is an abbreviation without context.
    pub fn is_sure(&self) -> bool {
        matches!(self, Reading::Sure(_) | Reading::Glued(..))
    }
}

/// The unit written `letters` (any case), if any.
pub fn unit(letters: &str) -> Option<&'static Unit> {
    UNITS.iter().find(|u| u.short.eq_ignore_ascii_case(letters))
}

/// The city written `letters` (any case), if any.
fn city(letters: &str) -> Option<&'static City> {
    CITIES
        .iter()
        .find(|c| c.short.iter().any(|s| s.eq_ignore_ascii_case(letters)))
}

/// The word without the punctuation that ends it (`,` `;` `:` `.` `!` `?`), and whether that
/// punctuation starts with a dot.
fn core(word: &str) -> (&str, bool) {
    let core = word.trim_end_matches([',', ';', ':', '.', '!', '?']);
    (core, word[core.len()..].starts_with('.'))
}

/// Reads one bare word of a query (as typed, without quotes) against the table.
pub fn read(word: &str) -> Reading<'_> {
    let (core, dotted) = core(word);
    if let Some(c) = city(core) {
        return Reading::Sure(c.expansion());
    }
    if let Some(u) = unit(core) {
        return if dotted {
            Reading::Sure(u.expansion())
        } else {
            Reading::Candidate(u)
        };
    }
    if let Some((head, tail)) = core.split_once('.') {
        let Some(u) = unit(head) else {
            return Reading::Plain;
        };
        if u.short == "TP" {
            if let Some(c) = city(tail) {
                return Reading::Sure(c.expansion());
            }
        }
        if let Some(e) = u.numbered(tail) {
            return Reading::Sure(e);
        }
        let name = tail.chars().take(2).filter(|c| c.is_alphabetic()).count() == 2;
        return if name {
            Reading::Glued(u.expansion(), &word[head.len() + 1..])
        } else {
            Reading::Plain
        };
    }
    // "Q1", "P12": letters then digits, without a dot.
    let split = core
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(core.len());
    match unit(&core[..split]).and_then(|u| u.numbered(&core[split..])) {
        Some(e) => Reading::Sure(e),
        None => Reading::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sure(word: &str) -> (String, Vec<String>) {
        match read(word) {
            Reading::Sure(e) => (e.full, e.short),
            other => panic!("{word}: {other:?}"),
        }
    }

    #[test]
    fn every_unit_with_its_dot_in_any_case() {
        for u in UNITS {
            for typed in [
                format!("{}.", u.short),
                format!("{}.", u.short.to_lowercase()),
            ] {
                assert_eq!(sure(&typed), (u.full.to_string(), vec![u.short.into()]));
            }
            assert_eq!(read(u.short), Reading::Candidate(u));
        }
        assert_eq!(sure("Tp.,").0, "Thành phố");
    }

    #[test]
    fn numbered_units_with_or_without_the_dot() {
        let quan1 = ("Quận 1".to_string(), vec!["Q.1".into(), "Q1".into()]);
        for typed in ["Q.1", "Q1", "q1", "q.1,"] {
            assert_eq!(sure(typed), quan1, "{typed}");
        }
        assert_eq!(sure("P.12").0, "Phường 12");
        assert_eq!(sure("P12").0, "Phường 12");
        // Not numbered, or not a ward's or a district's number: plain words.
        for typed in ["H.264", "X5", "T34", "Q123", "P2P", "Q.1A", "Q"] {
            assert!(!read(typed).is_sure(), "{typed}");
        }
    }

    #[test]
    fn city_acronyms_always() {
        let hcm = "Hồ Chí Minh".to_string();
        for typed in ["HCM", "hcm", "TPHCM", "TP.HCM", "Tp.HCM", "tp.hcm,"] {
            assert_eq!(sure(typed).0, hcm, "{typed}");
        }
        assert_eq!(sure("TP.HCM").1, ["HCM", "TPHCM"]);
        assert_eq!(sure("HN"), ("Hà Nội".into(), vec!["HN".into()]));
        assert_eq!(sure("TP.HN").0, "Hà Nội");
    }

    #[test]
    fn a_unit_glued_to_a_name() {
        let Reading::Glued(e, rest) = read("P.Phúc") else {
            panic!()
        };
        assert_eq!((e.full.as_str(), rest), ("Phường", "Phúc"));
        let Reading::Glued(e, rest) = read("tp.hà,") else {
            panic!()
        };
        assert_eq!((e.full.as_str(), rest), ("Thành phố", "hà,"));
        // Initials and other dotted words stay plain.
        for typed in ["T.S.", "H.W", "U.S.", "e.g.", "Mr.Smith", "P.-"] {
            assert_eq!(read(typed), Reading::Plain, "{typed}");
        }
    }

    #[test]
    fn plain_words_stay_plain() {
        for typed in [
            "Phúc", "Putin", "Hanoi", "TPH", "HNX", "Sputnik", "V", "1919",
        ] {
            assert_eq!(read(typed), Reading::Plain, "{typed}");
        }
    }

    #[test]
    fn thanh_pho_is_dropped_before_a_city_acronym_only() {
        let tp = unit("TP").unwrap().expansion();
        let Reading::Sure(hcm) = read("HCM") else {
            panic!()
        };
        assert!(tp.absorbed_by(&hcm));
        assert!(!tp.absorbed_by(&unit("Q").unwrap().expansion()));
        assert!(!unit("Q").unwrap().expansion().absorbed_by(&hcm));
    }
}
