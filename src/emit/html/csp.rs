//! The report's Content-Security-Policy: nothing may load, and the only
//! script that may run is the report's own, named by its SHA-256 hash
//! (RustCrypto's `sha2`), written in standard base64 with padding (the
//! `base64` crate), as CSP's `'sha256-...'` source expects. The pages'
//! scripts are constant, so build.rs hashes them once, with the same
//! crates; [`sha256`] and [`base64`] do it at run time, for the tests
//! that check those hashes and the pages served.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    STANDARD.encode(data)
}

// The hashes of the pages' constant scripts, made by build.rs with the
// same crates (`REPORT_SCRIPT_SHA256`, `LIVE_SCRIPT_SHA256`,
// `DIFF_SCRIPT_SHA256`); a test checks them against [`sha256`].
include!(concat!(env!("OUT_DIR"), "/script_hashes.rs"));

/// The policy for a page whose scripts have these hashes (each the
/// base64 of its SHA-256: the constants above, for the pages' own
/// scripts); with `connect_self`, the page may also open connections to
/// its own origin (`tmd serve`'s event stream) and nowhere else.
pub fn policy(hashes: &[&str], connect_self: bool) -> String {
    let mut sources = String::new();
    for hash in hashes {
        sources.push_str(" 'sha256-");
        sources.push_str(hash);
        sources.push('\'');
    }
    let connect = if connect_self {
        " connect-src 'self';"
    } else {
        ""
    };
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src{sources};{connect} base-uri 'none'; form-action 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// build.rs hashes the files the pages embed, as [`sha256`] does.
    #[test]
    fn build_time_hashes_are_the_scripts() {
        let cases = [
            (REPORT_SCRIPT_SHA256, include_str!("script.js")),
            (LIVE_SCRIPT_SHA256, include_str!("live.js")),
            (DIFF_SCRIPT_SHA256, include_str!("../../diff/html.js")),
        ];
        for (hash, script) in cases {
            assert_eq!(hash, base64(&sha256(script.as_bytes())));
        }
        assert!(policy(&[REPORT_SCRIPT_SHA256], false).contains(&format!(
            "script-src 'sha256-{}';",
            base64(&sha256(include_str!("script.js").as_bytes()))
        )));
    }

    #[test]
    fn sha256_test_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha256(&million)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn a_policy_names_every_script_and_connects_only_when_asked() {
        let hash = |script: &[u8]| base64(&sha256(script));
        let (a, b) = (hash(b"a"), hash(b"b"));
        let one = policy(&[&a], false);
        assert!(one.contains(&format!("script-src 'sha256-{a}';")));
        assert!(!one.contains("connect-src"));
        let two = policy(&[&a, &b], true);
        assert!(two.contains(&format!(
            "script-src 'sha256-{}' 'sha256-{}';",
            base64(&sha256(b"a")),
            base64(&sha256(b"b"))
        )));
        assert!(two.contains(" connect-src 'self';"));
        assert!(two.starts_with("default-src 'none';"));
    }

    #[test]
    fn base64_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }
}
