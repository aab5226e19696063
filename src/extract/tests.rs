//! Tests of the whole extraction: fixtures in every format and encoding, offsets checked.
