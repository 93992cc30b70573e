//! Named entities: who and what a document names.

/// The entity types of kosum's JSON schema v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Org,
    Product,
    Person,
    Location,
    Date,
    Time,
    Money,
    Quantity,
    Percent,
    Email,
    Url,
}

impl EntityType {
    /// Parses the schema's upper-case name (`ORG`, `PRODUCT` …).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "ORG" => Self::Org,
            "PRODUCT" => Self::Product,
            "PERSON" => Self::Person,
            "LOCATION" => Self::Location,
            "DATE" => Self::Date,
            "TIME" => Self::Time,
            "MONEY" => Self::Money,
            "QUANTITY" => Self::Quantity,
            "PERCENT" => Self::Percent,
            "EMAIL" => Self::Email,
            "URL" => Self::Url,
            _ => return None,
        })
    }

    /// The schema's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Org => "ORG",
            Self::Product => "PRODUCT",
            Self::Person => "PERSON",
            Self::Location => "LOCATION",
            Self::Date => "DATE",
            Self::Time => "TIME",
            Self::Money => "MONEY",
            Self::Quantity => "QUANTITY",
            Self::Percent => "PERCENT",
            Self::Email => "EMAIL",
            Self::Url => "URL",
        }
    }
}

/// One mention of an entity: char offsets into the document, half-open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
}

/// One entity of a document with all its mentions (aliases grouped).
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// The normalized surface of its first (or most common) mention.
    pub text: String,
    pub kind: EntityType,
    /// The canonical name (the gazetteer's, or the text itself).
    pub canonical: String,
    pub mentions: Vec<Mention>,
}
