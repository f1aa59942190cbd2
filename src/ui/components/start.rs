//! The start screen: what this is, a drop zone, the bundled examples, the privacy line.

use yew::prelude::*;

use crate::ui::io;
use crate::ui::state::Action;

/// Bundled examples (`static/examples/`): file, title, what it shows.
pub const EXAMPLES: &[(&str, &str, &str)] = &[
    ("xen-guest.dtb", "Xen guest", "A valid Xen on Arm guest: /hypervisor with grant table window and event IRQ."),
    (
        "xen-2012-proposal.dtb",
        "Xen, 2012 debate (illustration)",
        "\"xen,xen\" listed first, resources as grant_table/events children: a layout the posted \
         record does not show (Learn › 2012 has the record).",
    ),
    ("epapr-guest.dtb", "ePAPR guest", "A Power ePAPR 1.1 guest: hypervisor node with hcall-instructions and handles."),
    (
        "qemu-aarch64-virt-gic3.dtb",
        "Large board: QEMU virt",
        "QEMU's aarch64 virt machine with a GICv3, as QEMU generated it (no hypervisor node).",
    ),
];

#[derive(Properties, PartialEq)]
pub struct StartProps {
    pub on_pick: Callback<MouseEvent>,
    pub dispatch: Callback<Action>,
}

#[function_component]
pub fn Start(p: &StartProps) -> Html {
    html! {
        <main class="start">
            <h1><span class="brand">{ "dtlens" }</span></h1>
            <p class="lede">
                { "A device-tree blob explorer for hypervisor and board bring-up: open a " }
                <code>{ ".dtb" }</code>
                { " to see the whole tree with the " }<code>{ "/hypervisor" }</code>
                { " node up front, every value decoded, and DTS/DTB export." }
            </p>
            <button type="button" class="dropzone" id="dropzone" onclick={p.on_pick.clone()} aria-keyshortcuts="O">
                <span class="big">{ "Drop a .dtb or .dts file anywhere on this page" }</span>
                <span>{ "or click here (or press O) to pick one; a .dtlens review file opens too" }</span>
            </button>
            <p class="start-tools">
                <span>{ "Press " }<kbd>{ "?" }</kbd>{ " for the keyboard shortcuts." }</span>
                <a href="#learn" id="start-learn">{ "Learn the bindings and every rule" }</a>
                { super::settings::theme_picker() }
            </p>
            <p class="privacy">
                { "Private by construction: your file is read inside this browser tab and never uploaded. \
                   After the page has loaded it makes no network requests except to fetch the bundled examples \
                   from this same server. Review links keep everything after the #, which browsers never send to a server." }
            </p>
            <section class="examples" aria-label="Examples">
                <h2>{ "Or open an example" }</h2>
                <div class="grid">
                    { for EXAMPLES.iter().map(|&(file, title, caption)| {
                        let dispatch = p.dispatch.clone();
                        let onclick = Callback::from(move |_| io::open_example(file, dispatch.clone()));
                        html! {
                            <button type="button" class="example" data-example={file} {onclick}>
                                <span class="title">{ title }</span>
                                <span class="caption">{ caption }</span>
                                <code class="file">{ file }</code>
                            </button>
                        }
                    }) }
                </div>
            </section>
            { super::learn::start_examples(&p.dispatch) }
        </main>
    }
}
