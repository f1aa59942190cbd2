//! The Yew browser app. (stub: being written)

pub fn run() {}
