//! Fragment routing: `location.hash` ⇄ [`Route`] (parsing is pure, in `crate::view`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use crate::view::Route;

/// The route of the current `location.hash`.
pub fn current() -> Route {
    Route::parse(&gloo::utils::window().location().hash().unwrap_or_default())
}

/// Navigates to `route` (a `hashchange` follows, which [`use_route`] picks up).
pub fn go(route: &Route) {
    let _ = gloo::utils::window().location().set_hash(&route.hash());
}

/// The current route, re-rendering the component on every `hashchange`.
#[hook]
pub fn use_route() -> Route {
    let route = use_state(current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| route.set(current()));
            let win = gloo::utils::window();
            let _ = win.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
            move || {
                let _ = win.remove_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
                drop(cb);
            }
        });
    }
    (*route).clone()
}
