//! One binary, two faces: the CLI on the host, the Yew app in the browser.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(dtlens::cli::main(std::env::args_os().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {
    dtlens::ui::run();
}
