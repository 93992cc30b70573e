//! Scoring kosum against human gold data: sentence boundaries, extractive
//! summaries and named entities, with the measures the evaluation corpus's
//! README defines, so figures compare with those published for other tools.

pub mod ner;
pub mod split;
pub mod summary;
