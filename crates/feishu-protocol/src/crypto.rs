//! The platform's encryption and signature, as pure functions.
//!
//! - Encryption: AES-256-CBC with key = SHA-256 of the Encrypt Key, a random
//!   16-byte IV prepended to the ciphertext, PKCS#7 padding, standard base64.
//! - Signature: lowercase hex SHA-256 of `timestamp ‖ nonce ‖ encrypt_key ‖
//!   raw body`, sent in `X-Lark-Signature`.

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use feishu_model::Secret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;
type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;

/// The AES block size and the length of the IV, in bytes.
pub const BLOCK: usize = 16;

/// Why an `encrypt` value could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The value is not standard base64.
    #[error("encrypted value is not valid base64: {0}")]
    Base64(String),
    /// Fewer than 32 bytes after base64: no room for an IV and one block.
    #[error("encrypted value is {len} bytes, shorter than an IV and one AES block (32)")]
    TooShort {
        /// The decoded length.
        len: usize,
    },
    /// The ciphertext after the IV is not a whole number of AES blocks.
    #[error("ciphertext is {len} bytes, not a multiple of the 16-byte AES block")]
    NotBlockAligned {
        /// The ciphertext length (without the IV).
        len: usize,
    },
    /// The padding after decryption is not valid PKCS#7: wrong Encrypt Key or
    /// altered ciphertext.
    #[error("decrypted data has invalid PKCS#7 padding (wrong Encrypt Key or altered data)")]
    BadPadding,
}

/// The AES-256 key of an Encrypt Key (its SHA-256), derived once and reused
/// for every message. Its `Debug` output shows no key material.
///
/// ```
/// use feishu_protocol::crypto::AesKey;
/// use feishu_model::Secret;
///
/// let key = AesKey::derive(&Secret::new("test key"));
/// let plain = key.decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").unwrap();
/// assert_eq!(plain, b"hello world");
/// assert_eq!(format!("{key:?}"), "AesKey(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AesKey([u8; 32]);

impl std::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AesKey(<redacted>)")
    }
}

impl AesKey {
    /// Derives the key: SHA-256 of the Encrypt Key.
    pub fn derive(encrypt_key: &Secret) -> Self {
        AesKey(Sha256::digest(encrypt_key.expose().as_bytes()).into())
    }

    /// [`decrypt`] with this already derived key.
    pub fn decrypt(&self, encrypted_b64: &str) -> Result<Vec<u8>, DecryptError> {
        let raw = STANDARD
            .decode(encrypted_b64.trim())
            .map_err(|e| DecryptError::Base64(e.to_string()))?;
        if raw.len() < 2 * BLOCK {
            return Err(DecryptError::TooShort { len: raw.len() });
        }
        let (iv, ciphertext) = raw.split_at(BLOCK);
        if ciphertext.len() % BLOCK != 0 {
            return Err(DecryptError::NotBlockAligned {
                len: ciphertext.len(),
            });
        }
        let decryptor =
            Aes256CbcDec::new_from_slices(&self.0, iv).map_err(|_| DecryptError::BadPadding)?;
        decryptor
            .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
            .map_err(|_| DecryptError::BadPadding)
    }

    /// [`encrypt`] with this already derived key.
    pub fn encrypt(&self, plaintext: &[u8], iv: [u8; BLOCK]) -> String {
        let encryptor = Aes256CbcEnc::new(&self.0.into(), &iv.into());
        let ciphertext = encryptor.encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        let mut out = Vec::with_capacity(BLOCK + ciphertext.len());
        out.extend_from_slice(&iv);
        out.extend_from_slice(&ciphertext);
        STANDARD.encode(out)
    }
}

/// Decrypts an `encrypt` value (base64 of IV ‖ AES-256-CBC ciphertext) with
/// the app's Encrypt Key, checking the PKCS#7 padding strictly.
///
/// ```
/// use feishu_protocol::crypto::decrypt;
/// use feishu_model::Secret;
///
/// let plain = decrypt(&Secret::new("test key"), "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").unwrap();
/// assert_eq!(plain, b"hello world");
/// ```
pub fn decrypt(encrypt_key: &Secret, encrypted_b64: &str) -> Result<Vec<u8>, DecryptError> {
    AesKey::derive(encrypt_key).decrypt(encrypted_b64)
}

/// Encrypts `plaintext` as the platform does, with the given IV: returns
/// base64 of IV ‖ AES-256-CBC(PKCS#7(plaintext)). Use a fresh random IV for
/// every message.
///
/// ```
/// use feishu_protocol::crypto::{decrypt, encrypt};
/// use feishu_model::Secret;
///
/// let key = Secret::new("test key");
/// let iv = [0x3f, 0x7e, 0xf0, 0xf9, 0x56, 0x48, 0x98, 0xd8, 0x0f, 0x10, 0xed, 0x51, 0x06, 0x12, 0x7a, 0x46];
/// let sealed = encrypt(&key, b"hello world", iv);
/// assert_eq!(sealed, "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
/// assert_eq!(decrypt(&key, &sealed).unwrap(), b"hello world");
/// ```
pub fn encrypt(encrypt_key: &Secret, plaintext: &[u8], iv: [u8; BLOCK]) -> String {
    AesKey::derive(encrypt_key).encrypt(plaintext, iv)
}

/// The request signature: lowercase hex SHA-256 of `timestamp`, `nonce`,
/// the Encrypt Key and the raw body bytes exactly as received.
///
/// ```
/// use feishu_protocol::crypto::signature;
/// use feishu_model::Secret;
///
/// assert_eq!(
///     signature("timestamp", "nonce", &Secret::new("1212121212"), b""),
///     "b5ca32b1a9b4daba2d22b977fd4ee3dc1852b6b163d3c640b1b43e3b7e5fbfca",
/// );
/// ```
pub fn signature(timestamp: &str, nonce: &str, encrypt_key: &Secret, raw_body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(timestamp.as_bytes());
    hasher.update(nonce.as_bytes());
    hasher.update(encrypt_key.expose().as_bytes());
    hasher.update(raw_body);
    hex::encode(hasher.finalize())
}

/// Whether `given` (the `X-Lark-Signature` header) is the signature of the
/// request, compared in constant time. Upper-case hex is accepted.
pub fn verify(
    timestamp: &str,
    nonce: &str,
    encrypt_key: &Secret,
    raw_body: &[u8],
    given: &str,
) -> bool {
    let expected = signature(timestamp, nonce, encrypt_key, raw_body);
    let given = given.trim().to_ascii_lowercase();
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

/// Compares two secrets in constant time (for the Verification Token).
///
/// ```
/// assert!(feishu_protocol::crypto::secret_eq("v-token", "v-token"));
/// assert!(!feishu_protocol::crypto::secret_eq("v-token", "v-tokem"));
/// ```
pub fn secret_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
