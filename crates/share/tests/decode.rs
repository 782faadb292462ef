//! Share links from the outside: what a learner's browser does with good, cut, altered,
//! oversized and future links, and properties over arbitrary input (never a panic).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kubeplay_share::{
    DecodeError, LessonRef, MAX_INFLATED, MAX_STEPS, SessionStep, Shared, decode, encode,
    read_steps, write_steps,
};
use proptest::prelude::*;

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
";

fn view() -> Shared {
    Shared {
        text: WEB.into(),
        steps: vec![
            SessionStep::parse(30_000, "scale deploy/web --replicas=5").unwrap(),
            SessionStep::parse(60_000, "set image deploy/web web=nginx:1.28").unwrap(),
        ],
        panel: Some("rollout".into()),
        t: 75_000,
        lesson: Some(LessonRef {
            id: "04-rolling-updates".into(),
            step: 1,
        }),
    }
}

/// A link whose zlib stream is exactly `payload` (as other tools would write it).
fn link_of(payload: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(payload, 6);
    format!("v1:{}", URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn a_view_round_trips_through_the_fragment() {
    let v = view();
    let f = encode(&v);
    assert!(f.starts_with("v1:"));
    assert!(
        f[3..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(decode(&format!("#{f}")), Ok(Some(v.clone())));
    assert_eq!(decode(&f), Ok(Some(v)));
}

#[test]
fn ordinary_fragments_are_not_links() {
    for f in ["", "#", "#section", "#v", "#vx:abc", "#v:abc", "#version"] {
        assert_eq!(decode(f), Ok(None), "{f:?}");
    }
}

#[test]
fn a_link_cut_short_is_truncated() {
    let f = encode(&view());
    // Every cut (past the prefix) is refused, and never as anything but damage.
    for end in 3..f.len() {
        let err = decode(&f[..end]).unwrap_err();
        assert!(
            matches!(err, DecodeError::Truncated | DecodeError::Altered),
            "cut at {end}: {err:?}"
        );
        assert!(err.to_string().contains("damaged"));
    }
    assert_eq!(decode(&f[..f.len() - 8]), Err(DecodeError::Truncated));
    assert_eq!(
        decode(&f[..f.len() - 8]).unwrap_err().to_string(),
        "This share link is damaged: it was cut short. Copy the whole link, up to its last character."
    );
}

#[test]
fn a_tampered_link_is_altered() {
    let f = encode(&view());
    let mut altered = 0;
    for i in 3..f.len() {
        let mut b = f.clone().into_bytes();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(b).unwrap();
        match decode(&tampered) {
            Err(DecodeError::Altered) => altered += 1,
            // A change in the last character can leave stray bits, or hit the checksum's end.
            Err(_) => {}
            Ok(v) => panic!("tampered at {i} still opened: {v:?}"),
        }
    }
    assert!(
        altered > (f.len() - 3) * 9 / 10,
        "{altered} of {}",
        f.len() - 3
    );
    // Characters outside the URL-safe alphabet.
    assert_eq!(decode(&format!("{f}+/")), Err(DecodeError::Altered));
    assert_eq!(decode("v1:abc*def"), Err(DecodeError::Altered));
}

#[test]
fn a_zip_bomb_is_refused_unpacked_only_up_to_the_cap() {
    let mut payload = b"kubeplay-share 1\nmanifest\n".to_vec();
    payload.resize(MAX_INFLATED + 1, b'a');
    let bomb = link_of(&payload);
    assert!(bomb.len() < 20_000, "{} characters", bomb.len());
    assert_eq!(
        decode(&bomb),
        Err(DecodeError::TooLarge {
            limit: MAX_INFLATED
        })
    );
    assert_eq!(
        decode(&bomb).unwrap_err().to_string(),
        "This share link is too large: it unpacks to more than 4 MiB, so it was not opened."
    );
    // Exactly at the cap still opens.
    payload.truncate(MAX_INFLATED);
    let Ok(Some(v)) = decode(&link_of(&payload)) else {
        panic!("a link at the cap opens")
    };
    assert_eq!(v.text.len(), MAX_INFLATED - 26);
    // An encoded body far above what the cap allows is refused before decoding.
    let huge = format!("v1:{}", "A".repeat(kubeplay_share::MAX_ENCODED + 1));
    assert!(matches!(decode(&huge), Err(DecodeError::TooLarge { .. })));
}

#[test]
fn links_from_a_newer_kubeplay_say_so() {
    let f = encode(&view());
    let v7 = format!("v7{}", &f[2..]);
    assert_eq!(decode(&v7), Err(DecodeError::Newer { version: 7 }));
    assert_eq!(
        decode(&v7).unwrap_err().to_string(),
        "This share link was made by a newer kubeplay (link format v7; this page reads v1). Reload to get the latest version."
    );
    assert_eq!(
        decode("v99999999999:x"),
        Err(DecodeError::Newer { version: u32::MAX })
    );
    assert!(matches!(
        decode("v0:abc"),
        Err(DecodeError::Malformed { .. })
    ));
    assert!(matches!(decode("v1:"), Err(DecodeError::Truncated)));
}

#[test]
fn a_link_from_an_older_page_without_lesson_or_panel_opens() {
    // What the first share links looked like (and what the browser tests build).
    let v = decode(&link_of(
        b"kubeplay-share 1\nt 60000\npanel events\nstep 5000 scale deploy/web --replicas=4\nmanifest\nkind: Pod\n",
    ))
    .unwrap()
    .unwrap();
    assert_eq!(v.t, 60_000);
    assert_eq!(v.panel.as_deref(), Some("events"));
    assert_eq!(v.lesson, None);
    assert_eq!(v.steps.len(), 1);
    assert_eq!(v.text, "kind: Pod\n");
}

#[test]
fn a_link_with_a_query_as_a_step_names_it() {
    let err = decode(&link_of(
        b"kubeplay-share 1\nstep 10 describe pod web\nmanifest\n",
    ))
    .unwrap_err();
    assert_eq!(
        err,
        DecodeError::BadStep {
            command: "describe pod web".into(),
            reason: "it only reads the cluster, it does not change it.".into()
        }
    );
}

#[test]
fn not_utf8_is_altered() {
    assert_eq!(
        decode(&link_of(b"kubeplay-share 1\nmanifest\n\xff\xfe")),
        Err(DecodeError::Altered)
    );
}

const COMMANDS: &[&str] = &[
    "scale deploy/web --replicas=5",
    "scale deployment web --replicas=0",
    "set image deploy/web web=nginx:1.28",
    "rollout undo deploy/web",
    "rollout restart deploy/web",
    "rollout pause deploy/web",
    "rollout resume deploy/web",
    "drain node-2 --ignore-daemonsets",
    "cordon node-1",
    "uncordon node-1",
    "kubectl scale deploy/api --replicas=12",
];

fn arb_step() -> impl Strategy<Value = SessionStep> {
    (0..3_600_000i64, proptest::sample::select(COMMANDS))
        .prop_map(|(at, c)| SessionStep::parse(at, c).unwrap())
}

fn arb_view() -> impl Strategy<Value = Shared> {
    (
        any::<String>(),
        proptest::collection::vec(arb_step(), 0..8),
        proptest::option::of("[a-z]{1,10}"),
        0..10_000_000i64,
        proptest::option::of(("[a-z0-9-]{1,20}", 0..40usize)),
    )
        .prop_map(|(text, mut steps, panel, t, lesson)| {
            steps.sort_by_key(|s| s.step.at);
            Shared {
                text,
                steps,
                panel,
                t,
                lesson: lesson.map(|(id, step)| LessonRef { id, step }),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_view_round_trips(v in arb_view()) {
        prop_assert_eq!(decode(&encode(&v)), Ok(Some(v)));
    }

    #[test]
    fn arbitrary_fragments_never_panic(s in any::<String>()) {
        let _ = decode(&s);
        let _ = decode(&format!("v1:{s}"));
        let _ = read_steps(&s);
    }

    #[test]
    fn arbitrary_payloads_never_panic(body in any::<Vec<u8>>()) {
        let _ = decode(&link_of(&body));
        let mut framed = b"kubeplay-share 1\n".to_vec();
        framed.extend_from_slice(&body);
        let _ = decode(&link_of(&framed));
    }

    #[test]
    fn arbitrary_base64_never_panics(bytes in any::<Vec<u8>>()) {
        let _ = decode(&format!("v1:{}", URL_SAFE_NO_PAD.encode(&bytes)));
    }

    #[test]
    fn saved_steps_round_trip(mut steps in proptest::collection::vec(arb_step(), 0..20)) {
        steps.sort_by_key(|s| s.step.at);
        prop_assert_eq!(read_steps(&write_steps(&steps)), steps);
    }
}

#[test]
fn saved_steps_are_capped() {
    let steps: Vec<SessionStep> = (0..MAX_STEPS as i64 + 10)
        .map(|i| SessionStep::parse(i, "scale deploy/web --replicas=2").unwrap())
        .collect();
    assert_eq!(read_steps(&write_steps(&steps)).len(), MAX_STEPS);
}
