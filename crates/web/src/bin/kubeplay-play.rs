//! The whole playground (built with the `play` feature), loaded by the first stage once the
//! editor is interactive; see `kubeplay_web::stage`.
fn main() {
    kubeplay_web::start();
}
