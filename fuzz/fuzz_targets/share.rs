//! Share links and saved kubectl steps: any fragment opens or is refused with a typed error,
//! never a panic; whatever opens re-encodes to a link that opens to the same view.
//!
//! The first byte picks what the rest is: 0 a fragment as the address bar holds it, 1 the
//! text inside a link (packed here, so mutations reach the payload reader past zlib's
//! checksum), 2 the saved steps of a session.
#![no_main]
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let opened = match mode % 3 {
        0 => kubeplay_share::decode(&String::from_utf8_lossy(rest)),
        1 => {
            let packed = miniz_oxide::deflate::compress_to_vec_zlib(rest, 1);
            kubeplay_share::decode(&format!("v1:{}", URL_SAFE_NO_PAD.encode(packed)))
        }
        _ => {
            let steps = kubeplay_share::read_steps(&String::from_utf8_lossy(rest));
            assert!(steps.len() <= kubeplay_share::MAX_STEPS);
            let again = kubeplay_share::read_steps(&kubeplay_share::write_steps(&steps));
            assert_eq!(again, steps);
            return;
        }
    };
    match opened {
        Ok(Some(view)) => {
            let again = kubeplay_share::decode(&kubeplay_share::encode(&view));
            assert_eq!(again, Ok(Some(view)));
        }
        Ok(None) => {}
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
