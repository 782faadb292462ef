//! Share links: a view of the playground (the manifest, the kubectl steps the learner added,
//! the open panel, the time and, inside a lesson, the lesson step) packed into the URL
//! fragment as `#v1:` + URL-safe base64 of zlib-compressed text. The fragment never reaches
//! a server.
//!
//! Decoding is the part that reads untrusted input, so it is a library of its own (no web,
//! no I/O) that unit tests, property tests and the `share` fuzz target call directly. It
//! never panics: every refusal is a [`DecodeError`] whose `Display` is the learner-facing
//! message (cut short, altered, unpacks too large, made by a newer kubeplay, a step this page
//! cannot run).

mod error;
mod lesson_ref;
mod link;
mod payload;
mod steps;

pub use error::DecodeError;
pub use lesson_ref::{LessonRef, MissingLesson};
pub use link::{MAX_ENCODED, MAX_INFLATED, VERSION, decode, encode};
pub use payload::Shared;
pub use steps::{MAX_STEPS, SessionStep, read_steps, write_steps};
