//! The corpus side of tracuu: the walk over a folder ([`walk`]) and the registry of indexed
//! corpora in the data directory ([`registry`]).

pub mod registry;
pub mod walk;
