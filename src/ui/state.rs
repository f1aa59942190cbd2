//! The app's reducer: a thin `Rc` wrapper that lets Yew's `use_reducer` drive the pure
//! [`Model::apply`](crate::view::Model::apply), which is unit-tested natively in `view`.

use std::rc::Rc;

use yew::Reducible;

pub use crate::view::{Action, Model, Nav, Status, Tab};

#[derive(Debug, Clone, Default)]
pub struct AppState(pub Model);

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.0.apply(action);
        Rc::new(next)
    }
}

impl std::ops::Deref for AppState {
    type Target = Model;

    fn deref(&self) -> &Model {
        &self.0
    }
}
