//! Keywords and keyphrases: what a document is about.

/// One keyword or keyphrase of a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Keyword {
    /// The term's most common surface in the document (compound noun
    /// phrases keep their inner space: "클라우드 인프라").
    pub text: String,
    pub score: f64,
    /// How many times the term occurs (inflected and particle-attached
    /// occurrences merged).
    pub count: usize,
    /// Char offsets of the first mention.
    pub start: usize,
    pub end: usize,
}
