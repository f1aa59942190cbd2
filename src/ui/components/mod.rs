//! One component per file.

pub mod app;
pub mod bottom;
pub mod diff_view;
pub mod dts_edit;
pub mod editor;
pub mod editor_bar;
pub mod editor_node;
pub mod findings;
pub mod layout;
pub mod learn;
pub mod node_pane;
pub mod review;
pub mod settings;
pub mod share;
pub mod shortcuts;
pub mod start;
pub mod text_view;
pub mod topbar;
pub mod tree_view;
