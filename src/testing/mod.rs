//! Generators of test data: a gazetteer of Vietnamese place names and synthetic corpora of any
//! size, for tests, examples and `tracuu bench`.

pub mod gazetteer;
pub mod synth;
