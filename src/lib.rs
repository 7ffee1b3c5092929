//! why401: the web app. Components render state; the probe layer is the only code that touches the
//! network; everything that can be pure lives in `why401-core`.

pub mod app;
pub mod components;
pub mod packing;
pub mod probe;
pub mod state;
