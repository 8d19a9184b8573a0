//! The estate model.
