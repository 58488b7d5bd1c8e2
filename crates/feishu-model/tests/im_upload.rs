#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Wire contract of the image and file endpoints: multipart uploads with
//! their size rules, and binary downloads.

mod messaging;

use feishu_model::codes::{self, ErrorClass};
use feishu_model::download::{read_binary, BinaryAnswer, Download, MAX_DOWNLOAD_BYTES};
use feishu_model::im::file::{
    FileType, GetFile, UploadFile, UploadFileBody, UploadFileOutput, MAX_FILE_BYTES,
};
use feishu_model::im::image::{
    GetImage, ImageType, UploadImage, UploadImageBody, UploadImageOutput, MAX_IMAGE_BYTES,
};
use feishu_model::multipart::{self, Part};
use feishu_model::{Endpoint, Method, Params, RateLimit, ResponseShape, TokenKind};
use messaging::*;
use rstest::rstest;
use serde_json::json;

#[rstest]
#[case(meta::<UploadImage>(), "im.v1.image.create", Method::Post, "/open-apis/im/v1/images", ResponseShape::Data, "image/create")]
#[case(meta::<GetImage>(), "im.v1.image.get", Method::Get, "/open-apis/im/v1/images/:image_key", ResponseShape::Binary, "image/get")]
#[case(meta::<UploadFile>(), "im.v1.file.create", Method::Post, "/open-apis/im/v1/files", ResponseShape::Data, "file/create")]
#[case(meta::<GetFile>(), "im.v1.file.get", Method::Get, "/open-apis/im/v1/files/:file_key", ResponseShape::Binary, "file/get")]
fn documented_metadata(
    #[case] m: Meta,
    #[case] operation: &str,
    #[case] method: Method,
    #[case] path: &str,
    #[case] response: ResponseShape,
    #[case] doc_tail: &str,
) {
    assert_eq!(m.operation, operation);
    assert_eq!(m.method, method);
    assert_eq!(m.path, path);
    assert_eq!(m.tokens, &[TokenKind::Tenant]);
    assert_eq!(m.rate, RateLimit::GROUP);
    assert_eq!(m.response, response);
    assert_eq!(m.idempotent, method == Method::Get, "{operation}");
    assert_eq!(m.doc, format!("{DOC_BASE}{doc_tail}"));
    registered(&m);
}

/// The parts of a request's multipart body.
fn parts_of(req: &feishu_model::RequestSpec) -> Vec<Part> {
    let content_type = req.content_type.as_deref().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary=feishu-rs-"),
        "{content_type}"
    );
    multipart::parse(content_type, req.body.as_deref().unwrap()).unwrap()
}

#[test]
fn image_upload_is_the_documented_form() {
    let mut call = UploadImage::new(ImageType::Message, "image.jpg", b"\xff\xd8\xff".to_vec());
    call.body.image.content_type = Some("image/jpeg".into());
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/im/v1/images");
    assert!(req.query.is_empty());
    assert!(!req.idempotent);
    let parts = parts_of(&req);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].name, "image_type");
    assert_eq!(parts[0].body, b"message");
    assert_eq!(parts[1].name, "image");
    assert_eq!(parts[1].file_name.as_deref(), Some("image.jpg"));
    assert_eq!(parts[1].content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(parts[1].body, b"\xff\xd8\xff");
    // The same upload always encodes to the same bytes.
    assert_eq!(call.to_request().unwrap(), req);
}

#[test]
fn file_upload_is_the_documented_form() {
    let video = vec![0_u8, 1, 2, 3, b'\r', b'\n', b'-', b'-'];
    let call = UploadFile::new(FileType::Mp4, "测试视频.mp4", video.clone()).with_duration(3000);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/im/v1/files");
    let parts = parts_of(&req);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["file_type", "file_name", "duration", "file"]);
    assert_eq!(parts[0].body, b"mp4");
    assert_eq!(parts[1].body, "测试视频.mp4".as_bytes());
    assert_eq!(parts[2].body, b"3000");
    assert_eq!(parts[3].file_name.as_deref(), Some("测试视频.mp4"));
    assert_eq!(
        parts[3].content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(parts[3].body, video);
}

#[test]
fn a_file_part_without_a_name_takes_the_file_name() {
    let mut call = UploadFile::new(FileType::Stream, "text.txt", b"hi".to_vec());
    call.body.file.file_name = String::new();
    let parts = parts_of(&call.to_request().unwrap());
    assert_eq!(names_and_files(&parts), vec![("file", Some("text.txt"))]);
}

fn names_and_files(parts: &[Part]) -> Vec<(&str, Option<&str>)> {
    parts
        .iter()
        .filter(|p| p.file_name.is_some())
        .map(|p| (p.name.as_str(), p.file_name.as_deref()))
        .collect()
}

#[test]
fn without_a_duration_no_duration_field_is_sent() {
    let call = UploadFile::new(FileType::Pdf, "a.pdf", b"%PDF".to_vec());
    let parts = parts_of(&call.to_request().unwrap());
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["file_type", "file_name", "file"]);
}

#[test]
fn names_with_quotes_and_line_breaks_are_escaped() {
    let call = UploadFile::new(FileType::Stream, "a\"b\r\nc.txt", b"x".to_vec());
    let req = call.to_request().unwrap();
    let text = String::from_utf8_lossy(req.body.as_deref().unwrap()).into_owned();
    assert!(text.contains("filename=\"a%22b%0D%0Ac.txt\""), "{text}");
    let parts = parts_of(&req);
    assert_eq!(parts[2].file_name.as_deref(), Some("a\"b\r\nc.txt"));
}

#[rstest]
#[case(1, None)]
#[case(MAX_IMAGE_BYTES, None)]
#[case(MAX_IMAGE_BYTES + 1, Some("10 MB"))]
#[case(0, Some("empty"))]
fn image_size_is_checked(#[case] size: usize, #[case] refused: Option<&str>) {
    assert_eq!(MAX_IMAGE_BYTES, 10_485_760);
    let call = UploadImage::new(ImageType::Avatar, "a.png", vec![7; size]);
    match (call.validate(), refused) {
        (Ok(()), None) => {}
        (Err(e), Some(rule)) => {
            assert_eq!(e.field, "image");
            assert!(e.rule.contains(rule), "{}", e.rule);
        }
        (result, _) => panic!("{size} bytes: {result:?}"),
    }
}

#[rstest]
#[case(1, None)]
#[case(MAX_FILE_BYTES, None)]
#[case(MAX_FILE_BYTES + 1, Some("30 MB"))]
#[case(0, Some("empty"))]
fn file_size_is_checked(#[case] size: usize, #[case] refused: Option<&str>) {
    assert_eq!(MAX_FILE_BYTES, 31_457_280);
    let call = UploadFile::new(FileType::Stream, "a.bin", vec![7; size]);
    match (call.validate(), refused) {
        (Ok(()), None) => {}
        (Err(e), Some(rule)) => {
            assert_eq!(e.field, "file");
            assert!(e.rule.contains(rule), "{}", e.rule);
        }
        (result, _) => panic!("{size} bytes: {result:?}"),
    }
}

#[test]
fn an_image_at_the_limit_is_encoded_and_one_past_it_is_refused_before_encoding() {
    let call = UploadImage::new(ImageType::Message, "big.png", vec![b'-'; MAX_IMAGE_BYTES]);
    let req = call.to_request().unwrap();
    assert!(req.body.unwrap().len() > MAX_IMAGE_BYTES);
    let over = UploadImage::new(ImageType::Message, "big.png", vec![0; MAX_IMAGE_BYTES + 1]);
    assert_eq!(over.to_request().unwrap_err().field, "image");
}

#[test]
fn a_file_needs_a_name() {
    let call = UploadFile::new(FileType::Stream, "", b"x".to_vec());
    assert_eq!(call.to_request().unwrap_err().field, "file_name");
}

#[test]
fn upload_answers_decode_and_re_encode() {
    let image: UploadImageOutput = round_trip("im.v1.image.create");
    assert_eq!(image.image_key.as_deref(), Some("img_v2_xxx"));
    let file: UploadFileOutput = round_trip("im.v1.file.create");
    assert_eq!(
        file.file_key.as_deref(),
        Some("file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g")
    );
}

#[test]
fn upload_bodies_read_from_json_and_hide_their_bytes() {
    let body: UploadImageBody = serde_json::from_value(json!({
        "image_type": "message",
        "image": {"file_name": "a.png", "content_type": "image/png", "bytes": [1, 2, 3]}
    }))
    .unwrap();
    assert_eq!(body.image.bytes, [1, 2, 3]);
    let file: UploadFileBody = serde_json::from_value(json!({
        "file_type": "opus",
        "file_name": "voice.opus",
        "duration": 3000,
        "file": {"file_name": "voice.opus", "bytes": [9]}
    }))
    .unwrap();
    assert_eq!(file.duration, Some(3000));
    assert!(file.validate().is_ok());
    let call = UploadImage::new(ImageType::Message, "a.png", vec![42; 4096]);
    let debug = format!("{call:?}");
    assert!(debug.contains("4096 bytes"), "{debug}");
    assert!(!debug.contains("42, 42"), "{debug}");
}

#[test]
fn download_requests_match_the_docs() {
    let req = GetImage::new("img_8d5181ca-0aed-40f0-b0d1-b1452132afbg")
        .to_request()
        .unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.path,
        "/open-apis/im/v1/images/img_8d5181ca-0aed-40f0-b0d1-b1452132afbg"
    );
    assert_eq!((req.body, req.content_type), (None, None));
    let req = GetFile::new("file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g")
        .to_request()
        .unwrap();
    assert_eq!(
        req.path,
        "/open-apis/im/v1/files/file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g"
    );
    assert_eq!(GetFile::new("").to_request().unwrap_err().field, "file_key");
    assert_eq!(
        GetImage::new("").to_request().unwrap_err().field,
        "image_key"
    );
}

#[test]
fn a_download_answer_becomes_the_output() {
    let headers = [
        ("Content-Type", "video/mp4"),
        (
            "Content-Disposition",
            "attachment; filename=\"video.mp4\"; filename*=UTF-8''%E6%B5%8B%E8%AF%95%E8%A7%86%E9%A2%91.mp4",
        ),
    ];
    let BinaryAnswer::File(file) = read_binary(200, headers, vec![0, 0, 0, 24]) else {
        panic!("a file was expected");
    };
    let output: Download = GetFile::binary_output(file).unwrap();
    assert_eq!(output.file_name.as_deref(), Some("测试视频.mp4"));
    assert_eq!(output.content_type.as_deref(), Some("video/mp4"));
    assert_eq!(output.bytes, [0, 0, 0, 24]);
    assert!(GetImage::binary_output(Download::new(vec![1])).is_some());
    // A JSON endpoint has no binary output.
    assert!(UploadImage::binary_output(Download::new(vec![1])).is_none());
    assert_eq!(MAX_DOWNLOAD_BYTES, 104_857_600);
}

#[test]
fn a_download_error_is_the_json_envelope() {
    let body = br#"{"code":234037,"msg":"Downloaded file size exceeds limit."}"#.to_vec();
    let answer = read_binary(400, [("content-type", "application/json")], body.clone());
    assert_eq!(answer, BinaryAnswer::Error { status: 400, body });
}

#[rstest]
#[case(codes::META_WRITING_STOPPED, 232096, ErrorClass::Transient)]
#[case(codes::RESOURCE_PARAM_INVALID, 234001, ErrorClass::Request)]
#[case(codes::RESOURCE_UNAUTHORIZED, 234002, ErrorClass::Permission)]
#[case(codes::RESOURCE_NOT_FOUND, 234005, ErrorClass::Request)]
#[case(codes::UPLOAD_TOO_LARGE, 234006, ErrorClass::Request)]
#[case(codes::RESOURCE_BOT_DISABLED, 234007, ErrorClass::Permission)]
#[case(codes::RESOURCE_NOT_OWNER, 234008, ErrorClass::Permission)]
#[case(codes::RESOURCE_EMPTY, 234010, ErrorClass::Request)]
#[case(codes::IMAGE_FORMAT_UNSUPPORTED, 234011, ErrorClass::Request)]
#[case(codes::DOWNLOAD_TOO_LARGE, 234037, ErrorClass::Request)]
#[case(codes::IMAGE_RESOLUTION_TOO_LARGE, 234039, ErrorClass::Request)]
#[case(codes::TENANT_MASTER_KEY_DELETED, 234041, ErrorClass::Request)]
#[case(codes::TENANT_STORAGE_ERROR, 234042, ErrorClass::Request)]
fn documented_error_codes(#[case] constant: i64, #[case] code: i64, #[case] class: ErrorClass) {
    assert_eq!(constant, code);
    assert_eq!(codes::classify(code), class, "{code}");
}
