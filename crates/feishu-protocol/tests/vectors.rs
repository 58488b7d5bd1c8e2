//! The published and derived test vectors of the platform's encryption and
//! signature, and the encrypt → decrypt round trip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use feishu_model::Secret;
use feishu_protocol::crypto::{decrypt, encrypt, signature, verify, DecryptError};
use proptest::prelude::*;

#[test]
fn documented_vector_decrypts_to_hello_world() {
    let plain = decrypt(
        &Secret::new("test key"),
        "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=",
    )
    .unwrap();
    assert_eq!(plain, b"hello world");
}

#[test]
fn encrypted_challenge_vector() {
    let encrypted = "tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e";
    let plain = decrypt(&Secret::new("mazhe.nerd"), encrypted).unwrap();
    assert_eq!(
        std::str::from_utf8(&plain).unwrap(),
        r#"{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad","token":"iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6","type":"url_verification"}"#
    );
}

#[test]
fn encrypted_v2_event_vector_with_a_full_padding_block() {
    let encrypted = "bZ3L7yh6m3Fkuffl4g+3uGjIHnhOm5fVZbKVuyT8t7tcd5ABMYm8l28/X900ZL3knZ7n+sCREu/H2WnIzft0amC7+xWqNH8o25IU63N4BnZWfHh+4hyG76QPd19vkw2bPJCx9aqxK8Nz+xqFNbk0RdgyWhmgd30jSxHtcQXAllkI7FMpGpOCteJad3bLXPDBQIV/xkCtKICCS7Z63gakpxZCLaRZ3qCXP1fapHh+LBIupxenrU6ysc7I3nHmjmKie41IiWwS5puG4zQHhVbq6KWLcgWm/3NBZOPQy53ucMu75SXA55I7jarVLZXWUcqBGrcgE3vouWbtwgZuzmoTQl0GSh5VYSVvpW992BuGxUWj0XjPYdICJm6Cr7xouNXwMcdb7N8caVdkdSZeEnswG19qSyDoQhklwzNGW0yiaayulBqJNjfge/G5V3401c2XaIuAeEIo+QQ4RSNpRGfnHkbu/j55FGQAGWjpuBNaIwZbaUoVP3NkGP+vM5rpEDe3sL2GN+Xsd+g9yBs7FqdMV8mXTGgLjCqjrPrke5/km76Q3Pe6KPs2YexMRG4MkSx3xUTzZnNn7zIzShPcjeSwBd2pxk6ht5N+fzueZdxl6Oo=";
    assert_eq!(encrypted.len(), 620);
    let plain = decrypt(&Secret::new("1212121212"), encrypted).unwrap();
    // 464 bytes decoded = 16 IV + 448 ciphertext; a 16-byte pad leaves 432.
    assert_eq!(plain.len(), 448 - 16);
    let value: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(value["schema"], "2.0");
    assert_eq!(
        value["header"]["event_id"],
        "f7984f25108f8137722bb63cee927e66"
    );
    assert_eq!(value["header"]["event_type"], "contact.user.created_v3");
    assert_eq!(value["header"]["token"], "v");
}

/// The body of the signature vector (contains UTF-8 `张三`).
const SIGNED_BODY: &str = r#"{"schema":"2.0","header":{"event_id":"f7984f25108f8137722bb63cee927e66","event_type":"contact.user.created_v3","app_id":"cli_xxxxxxxx","tenant_key":"xxxxxxx","create_time":"1603977298000000","token":"v"},"event":{"object":{"open_id":"ou_7dab8a3d3cdcc9da365777c7ad535d62","union_id":"on_576833b917gda3d939b9a3c2d53e72c8","user_id":"e33ggbyz","name":"张三","employee_no":"employee_no"}},"challenge":"1212","type":"url_verification"}"#;

#[test]
fn signature_vectors() {
    let key = Secret::new("1212121212");
    let sig = signature("timestamp", "nonce", &key, SIGNED_BODY.as_bytes());
    assert_eq!(
        sig,
        "4dca085198cb3216defc5b65b0668c1328b038a22dbadf2bc6c4fdc3d32bbc45"
    );
    assert_eq!(
        signature("timestamp", "nonce", &key, b""),
        "b5ca32b1a9b4daba2d22b977fd4ee3dc1852b6b163d3c640b1b43e3b7e5fbfca"
    );
    assert!(verify(
        "timestamp",
        "nonce",
        &key,
        SIGNED_BODY.as_bytes(),
        &sig
    ));
    assert!(verify(
        "timestamp",
        "nonce",
        &key,
        SIGNED_BODY.as_bytes(),
        &sig.to_uppercase()
    ));
    assert!(!verify(
        "timestamp",
        "nonce",
        &Secret::new("1212121213"),
        SIGNED_BODY.as_bytes(),
        &sig
    ));
    assert!(!verify("timestamp", "nonce", &key, b"{}", &sig));
}

#[test]
fn decrypt_rejections_are_typed() {
    let key = Secret::new("test key");
    assert!(matches!(
        decrypt(&key, "not base64!"),
        Err(DecryptError::Base64(_))
    ));
    // 16 bytes: an IV and no block.
    assert_eq!(
        decrypt(&key, "AAAAAAAAAAAAAAAAAAAAAA=="),
        Err(DecryptError::TooShort { len: 16 })
    );
    // 16 + 17 bytes.
    let odd = base64_of(&[0u8; 33]);
    assert_eq!(
        decrypt(&key, &odd),
        Err(DecryptError::NotBlockAligned { len: 17 })
    );
    // The documented vector with the wrong key fails on its padding.
    assert_eq!(
        decrypt(
            &Secret::new("wrong key"),
            "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="
        ),
        Err(DecryptError::BadPadding)
    );
    // A last block of pad value 0 is refused (strict PKCS#7), as is 17.
    for bad_pad in [0u8, 17] {
        let sealed = sealed_with_raw_block(&key, [bad_pad; 16]);
        assert_eq!(decrypt(&key, &sealed), Err(DecryptError::BadPadding));
    }
    // Unequal pad bytes (last says 2, previous says 3).
    let mut block = [b'a'; 16];
    block[14] = 3;
    block[15] = 2;
    assert_eq!(
        decrypt(&key, &sealed_with_raw_block(&key, block)),
        Err(DecryptError::BadPadding)
    );
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// IV ‖ AES-256-CBC of exactly one block, with no padding added: built by
/// encrypting 16 bytes (which adds a whole pad block) and dropping that block.
fn sealed_with_raw_block(key: &Secret, block: [u8; 16]) -> String {
    use base64::Engine;
    let full = encrypt(key, &block, [9; 16]);
    let mut raw = base64::engine::general_purpose::STANDARD
        .decode(full)
        .unwrap();
    raw.truncate(32);
    base64_of(&raw)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encrypt_then_decrypt_round_trips(
        key in ".{0,40}",
        plaintext in proptest::collection::vec(any::<u8>(), 0..300),
        iv in any::<[u8; 16]>(),
    ) {
        let key = Secret::new(key);
        let sealed = encrypt(&key, &plaintext, iv);
        prop_assert_eq!(decrypt(&key, &sealed).unwrap(), plaintext);
    }
}
