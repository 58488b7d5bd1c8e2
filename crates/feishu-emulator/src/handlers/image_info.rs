//! What an uploaded image is: its format (from its first bytes, whatever
//! its name says) and, for the common formats, its resolution.

/// An image format the upload accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
    Bmp,
    Ico,
    Tiff,
    Heic,
}

impl Format {
    /// The content type a download answers.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
            Format::Bmp => "image/bmp",
            Format::Ico => "image/x-icon",
            Format::Tiff => "image/tiff",
            Format::Heic => "image/heic",
        }
    }
}

/// HEIF brands (`ftyp` box) of HEIC images.
const HEIF_BRANDS: &[&[u8]] = &[
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
];

/// The format of `bytes`, from its signature; `None` when it is none of
/// the documented formats.
pub(crate) fn format(bytes: &[u8]) -> Option<Format> {
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    if starts(b"\xFF\xD8\xFF") {
        Some(Format::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1A\n") {
        Some(Format::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(Format::Gif)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(Format::Webp)
    } else if starts(b"BM") && bytes.len() >= 26 {
        Some(Format::Bmp)
    } else if starts(b"\x00\x00\x01\x00") {
        Some(Format::Ico)
    } else if starts(b"II*\x00") || starts(b"MM\x00*") {
        Some(Format::Tiff)
    } else if bytes.get(4..8) == Some(b"ftyp")
        && bytes
            .get(8..12)
            .is_some_and(|brand| HEIF_BRANDS.contains(&brand))
    {
        Some(Format::Heic)
    } else {
        None
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

/// The width and height of a JPEG, PNG, GIF, BMP or WebP image, when its
/// header gives them; `None` for other formats or a truncated header.
pub(crate) fn dimensions(format: Format, b: &[u8]) -> Option<(u32, u32)> {
    match format {
        Format::Png => Some((be32(b, 16)?, be32(b, 20)?)),
        Format::Gif => Some((le16(b, 6)?, le16(b, 8)?)),
        Format::Bmp => {
            let w = le32(b, 18)? as i32;
            let h = le32(b, 22)? as i32;
            Some((w.unsigned_abs(), h.unsigned_abs()))
        }
        Format::Jpeg => jpeg_dimensions(b),
        Format::Webp => match b.get(12..16)? {
            b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
            b"VP8 " => Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF)),
            b"VP8L" => {
                let bits = le32(b, 21)?;
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            _ => None,
        },
        Format::Ico | Format::Tiff | Format::Heic => None,
    }
}

/// The size in the first start-of-frame segment of a JPEG.
fn jpeg_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        let is_frame = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            return Some((be16(b, at + 7)?, be16(b, at + 5)?));
        }
        let len = be16(b, at + 2)? as usize;
        at += 2 + len;
    }
}

/// The largest width and height allowed: 2000 for a GIF, 4096 for an
/// avatar, 12000 otherwise.
pub(crate) fn max_side(format: Format, avatar: bool) -> u32 {
    if avatar {
        4096
    } else if format == Format::Gif {
        2000
    } else {
        12000
    }
}

/// CRC-32 (IEEE), as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid 1 x 1 transparent PNG (its pixel data in one stored, that is
/// uncompressed, zlib block): what an image the emulator never received
/// downloads as.
pub(crate) fn placeholder_png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    // One scanline: filter byte 0, then one RGBA pixel, all zero.
    let raw = [0u8; 5];
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    let mut zlib = vec![0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF];
    zlib.extend_from_slice(&raw);
    zlib.extend_from_slice(&(b << 16 | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1A\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG header of the given size (signature and IHDR only).
    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn formats_and_sizes_come_from_the_bytes() {
        assert_eq!(format(&png(3, 4)), Some(Format::Png));
        assert_eq!(dimensions(Format::Png, &png(3, 4)), Some((3, 4)));
        let gif = b"GIF89a\xD1\x07\x01\x00".to_vec();
        assert_eq!(format(&gif), Some(Format::Gif));
        assert_eq!(dimensions(Format::Gif, &gif), Some((2001, 1)));
        // SOI, an APP0 segment of 4 bytes, then SOF0 with height 5, width 6.
        let jpeg = b"\xFF\xD8\xFF\xE0\x00\x04ab\xFF\xC0\x00\x11\x08\x00\x05\x00\x06".to_vec();
        assert_eq!(format(&jpeg), Some(Format::Jpeg));
        assert_eq!(dimensions(Format::Jpeg, &jpeg), Some((6, 5)));
        assert_eq!(format(b"hello, world"), None);
        assert_eq!(format(b"\x00\x00\x00\x18ftypheic"), Some(Format::Heic));
        assert_eq!(max_side(Format::Gif, false), 2000);
        assert_eq!(max_side(Format::Png, true), 4096);
        let placeholder = placeholder_png();
        assert_eq!(format(&placeholder), Some(Format::Png));
        assert_eq!(dimensions(Format::Png, &placeholder), Some((1, 1)));
        // The IEND chunk's CRC is a fixed, well-known value.
        assert!(placeholder.ends_with(&[0xAE, 0x42, 0x60, 0x82]));
    }
}
