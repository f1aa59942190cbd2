//! base64url without padding (RFC 4648 §5), strict.
//!
//! The decoder accepts only the 64 URL-safe characters, rejects `=`, and rejects a final
//! character whose unused low bits are not zero, so every link text maps to exactly one
//! byte string and every changed character changes the decoded bytes.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        for shift in [18, 12, 6, 0] {
            out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
        }
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(ALPHABET[((n >> 18) & 63) as usize] as char);
            out.push(ALPHABET[((n >> 12) & 63) as usize] as char);
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.push(ALPHABET[((n >> 18) & 63) as usize] as char);
            out.push(ALPHABET[((n >> 12) & 63) as usize] as char);
            out.push(ALPHABET[((n >> 6) & 63) as usize] as char);
        }
        _ => {}
    }
    out
}

/// Why base64url text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the URL-safe alphabet, at this character index.
    BadChar { index: usize, ch: char },
    /// The length leaves a single character over (`len % 4 == 1`): the text was cut.
    BadLength,
    /// The last character has non-zero unused bits: not text this encoder produces.
    NonCanonical,
}

fn value(b: u8) -> Option<u32> {
    Some(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    } as u32)
}

/// Decodes strict base64url without padding.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    match decode_lenient(text)? {
        (bytes, true) => Ok(bytes),
        (_, false) => Err(Base64Error::NonCanonical),
    }
}

/// Decodes base64url without padding, also when the last character has non-zero unused
/// bits (those bits are dropped); the flag says whether the text was canonical. The share
/// decoder uses it to tell a cut-off link from a damaged one.
pub fn decode_lenient(text: &str) -> Result<(Vec<u8>, bool), Base64Error> {
    let bytes = text.as_bytes();
    // Report the first bad character (with its char index) before anything else.
    if let Some(i) = bytes.iter().position(|&b| value(b).is_none()) {
        let index = text[..i].chars().count();
        let ch = text[i..].chars().next().unwrap_or('?');
        return Err(Base64Error::BadChar { index, ch });
    }
    if bytes.len() % 4 == 1 {
        return Err(Base64Error::BadLength);
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let mut chunks = bytes.chunks_exact(4);
    for c in &mut chunks {
        let mut n = 0u32;
        for &b in c {
            n = (n << 6) | value(b).unwrap_or(0);
        }
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    let rest = chunks.remainder();
    let mut n = 0u32;
    for &b in rest {
        n = (n << 6) | value(b).unwrap_or(0);
    }
    match rest.len() {
        2 => {
            out.push((n >> 4) as u8);
            return Ok((out, n & 0xf == 0));
        }
        3 => {
            out.push((n >> 10) as u8);
            out.push((n >> 2) as u8);
            return Ok((out, n & 0x3 == 0));
        }
        _ => {}
    }
    Ok((out, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), enc);
            assert_eq!(decode(enc).unwrap(), plain.as_bytes());
        }
        // The two URL-safe characters.
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn all_lengths_round_trip() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            assert_eq!(decode(&encode(&data[..n])).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(decode("Zm9v+g"), Err(Base64Error::BadChar { index: 4, ch: '+' }));
        assert_eq!(decode("Zg=="), Err(Base64Error::BadChar { index: 2, ch: '=' }));
        assert_eq!(decode("Zm9vY"), Err(Base64Error::BadLength));
        // "Zh" has non-zero unused bits (only "Zg" encodes "f").
        assert_eq!(decode("Zh"), Err(Base64Error::NonCanonical));
        assert_eq!(decode("Zm9"), Err(Base64Error::NonCanonical));
        assert_eq!(decode("é"), Err(Base64Error::BadChar { index: 0, ch: 'é' }));
    }
}
