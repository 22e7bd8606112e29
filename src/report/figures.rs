//! The key figures of a run, computed in [`crate::plan::figures`] (re-exported here for the
//! renderers).

pub use crate::plan::figures::{KeyFigure, key_figures};
