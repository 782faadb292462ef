//! The page's first stage (built without the `play` feature; see `kubeplay_web::stage`).
fn main() {
    kubeplay_web::start();
}
