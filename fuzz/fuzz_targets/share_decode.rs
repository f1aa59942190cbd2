//! Fuzzes the share-link decoder: any text must give a share or a `DecodeError`, never a
//! panic, and whatever decodes must re-encode to a link that decodes to the same share.
//! The same bytes are also tried as a `.dtlens` file and as a raw container (after the
//! file magic), which reaches the field parser without passing the checksum by luck.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(share) = dtlens::share::decode(&text) {
        let again = dtlens::share::decode(&dtlens::share::encode(&share)).expect("re-encoded link decodes");
        assert_eq!(again, share);
    }
    let _ = dtlens::share::decode_file(data);
    // A container with a valid checksum appended, so the field parser sees arbitrary input.
    let mut file = dtlens::share::FILE_MAGIC.to_vec();
    file.extend_from_slice(data);
    file.extend_from_slice(&dtlens::share::crc32(data).to_le_bytes());
    if let Ok(share) = dtlens::share::decode_file(&file) {
        assert_eq!(dtlens::share::decode_file(&dtlens::share::encode_file(&share)).as_ref(), Ok(&share));
        assert_eq!(share.container(), file[dtlens::share::FILE_MAGIC.len()..].to_vec());
    }
});
