//! Extractive summaries: the key sentences of a document, in its order.

/// One chosen sentence: its index in the document's sentence list and its
/// score. Text and offsets come from that sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct SummarySentence {
    pub index: usize,
    pub score: f64,
}
