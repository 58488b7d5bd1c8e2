//! Images and files: upload (`multipart/form-data`, with the documented
//! size, emptiness and image rules) and download by key (only by the app
//! that uploaded them), answered as bytes with their type and name.

use bytes::Bytes;
use feishu_model::codes;
use feishu_model::download::Download;
use feishu_model::im::file::{
    FileType, GetFile, UploadFile, UploadFileBody, UploadFileOutput, MAX_FILE_BYTES,
};
use feishu_model::im::image::{
    GetImage, ImageType, UploadImage, UploadImageBody, UploadImageOutput, MAX_IMAGE_BYTES,
};
use feishu_model::multipart::{self, FilePart, Part, OCTET_STREAM};

use super::image_info;
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::uploads::{Upload, UploadKind};

/// A resource parameter error (234001) naming the field.
pub(crate) fn resource_param(field: &str, rule: impl Into<String>) -> Failure {
    let rule = rule.into();
    Failure::code(codes::RESOURCE_PARAM_INVALID)
        .because(format!("invalid parameter `{field}`: {rule}"))
        .field(field, rule)
}

/// The parts of an upload form (234001 when it is not one).
fn parts(content_type: Option<&str>, body: &[u8]) -> Result<Vec<Part>, Failure> {
    let content_type = content_type.unwrap_or("");
    multipart::parse(content_type, body).map_err(|e| {
        resource_param(
            "body",
            format!("must be multipart/form-data (Content-Type `{content_type}`): {e}"),
        )
    })
}

/// The text field `name`, if the form has it.
fn text(parts: &[Part], name: &str) -> Result<Option<String>, Failure> {
    match parts
        .iter()
        .find(|p| p.name == name && p.file_name.is_none())
    {
        None => Ok(None),
        Some(p) => String::from_utf8(p.body.clone())
            .map(Some)
            .map_err(|_| resource_param(name, "is not UTF-8 text")),
    }
}

/// The file field `name`: present, not empty (234010), at most `max`
/// bytes (234006).
fn file(parts: Vec<Part>, name: &str, max: usize, max_text: &str) -> Result<FilePart, Failure> {
    let part = parts
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| resource_param(name, "is required (a file part)"))?;
    if part.body.is_empty() {
        return Err(
            Failure::code(codes::RESOURCE_EMPTY).because(format!("`{name}` is empty (0 bytes)"))
        );
    }
    if part.body.len() > max {
        return Err(Failure::code(codes::UPLOAD_TOO_LARGE).because(format!(
            "`{name}` has {} bytes, more than {max_text} ({max} bytes)",
            part.body.len()
        )));
    }
    Ok(FilePart {
        file_name: part.file_name.unwrap_or_default(),
        content_type: part.content_type,
        bytes: part.body,
    })
}

/// The download of an upload.
fn download(upload: &Upload) -> Download {
    let mut out = Download::new(upload.bytes.to_vec());
    out.content_type = Some(upload.content_type.clone());
    out.file_name = Some(upload.name.clone());
    out
}

/// A download's answer: its bytes, its content type (`application/
/// octet-stream` when unknown) and `Content-Disposition` with the file
/// name (an ASCII `filename` and the exact UTF-8 `filename*`).
pub(crate) fn binary_answer(file: Download) -> (Vec<u8>, String, Vec<(String, String)>) {
    let content_type = file
        .content_type
        .clone()
        .unwrap_or_else(|| OCTET_STREAM.to_owned());
    let mut headers = Vec::new();
    if let Some(name) = file.file_name.as_deref().filter(|n| !n.is_empty()) {
        let ascii: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let encoded =
            percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
        headers.push((
            "content-disposition".to_owned(),
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        ));
    }
    (file.bytes, content_type, headers)
}

impl Handle for UploadImage {
    const FORM: bool = true;

    fn form_body(content_type: Option<&str>, body: &[u8]) -> Result<UploadImageBody, Failure> {
        let parts = parts(content_type, body)?;
        let image_type = text(&parts, "image_type")?
            .ok_or_else(|| resource_param("image_type", "is required"))?;
        let image_type = ImageType::from(image_type);
        if !image_type.is_known() {
            return Err(resource_param(
                "image_type",
                format!("must be `message` or `avatar`, got `{image_type}`"),
            ));
        }
        let image = file(parts, "image", MAX_IMAGE_BYTES, "10 MB")?;
        Ok(UploadImageBody { image_type, image })
    }

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<UploadImageOutput, Failure> {
        let caller = ctx.caller()?;
        let image = self.body.image;
        let format = image_info::format(&image.bytes).ok_or_else(|| {
            Failure::code(codes::IMAGE_FORMAT_UNSUPPORTED).because(
                "not a JPG, JPEG, PNG, WEBP, GIF, BMP, ICO, TIFF or HEIC image (by its content)",
            )
        })?;
        let avatar = self.body.image_type == ImageType::Avatar;
        if let Some((w, h)) = image_info::dimensions(format, &image.bytes) {
            let max = image_info::max_side(format, avatar);
            if w > max || h > max {
                return Err(Failure::code(codes::IMAGE_RESOLUTION_TOO_LARGE)
                    .because(format!("{w} x {h} is more than {max} x {max}")));
            }
        }
        let key = ctx.world.ids.image_key();
        ctx.world.uploads.insert(Upload {
            key: key.clone(),
            kind: UploadKind::Image(self.body.image_type),
            name: image.file_name,
            content_type: format.content_type().to_owned(),
            bytes: Bytes::from(image.bytes),
            duration: None,
            owner: caller.app,
            tenant: caller.tenant,
            at_ms: ctx.now_ms,
        });
        let mut out = UploadImageOutput::default();
        out.image_key = Some(key);
        Ok(out)
    }
}

impl Handle for UploadFile {
    const FORM: bool = true;

    fn form_body(content_type: Option<&str>, body: &[u8]) -> Result<UploadFileBody, Failure> {
        let parts = parts(content_type, body)?;
        let file_type =
            text(&parts, "file_type")?.ok_or_else(|| resource_param("file_type", "is required"))?;
        let file_type = FileType::from(file_type);
        if !file_type.is_known() {
            return Err(resource_param(
                "file_type",
                format!("must be one of opus, mp4, pdf, doc, xls, ppt, stream; got `{file_type}`"),
            ));
        }
        let file_name = text(&parts, "file_name")?
            .filter(|n| !n.is_empty())
            .ok_or_else(|| resource_param("file_name", "is required"))?;
        let duration = match text(&parts, "duration")? {
            None => None,
            Some(ms) => Some(ms.trim().parse::<u64>().map_err(|_| {
                resource_param("duration", format!("must be milliseconds, got `{ms}`"))
            })?),
        };
        let file = file(parts, "file", MAX_FILE_BYTES, "30 MB")?;
        Ok(UploadFileBody {
            file_type,
            file_name,
            duration,
            file,
        })
    }

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<UploadFileOutput, Failure> {
        let caller = ctx.caller()?;
        let body = self.body;
        let content_type = body
            .file
            .content_type
            .clone()
            .unwrap_or_else(|| OCTET_STREAM.to_owned());
        let key = ctx.world.ids.file_key();
        ctx.world.uploads.insert(Upload {
            key: key.clone(),
            kind: UploadKind::File(body.file_type),
            name: body.file_name,
            content_type,
            bytes: Bytes::from(body.file.bytes),
            duration: body.duration,
            owner: caller.app,
            tenant: caller.tenant,
            at_ms: ctx.now_ms,
        });
        let mut out = UploadFileOutput::default();
        out.file_key = Some(key);
        Ok(out)
    }
}

/// The upload `key` of kind `resource`, if the caller uploaded it:
/// 234005 when there is none, 234008 when another app uploaded it.
fn owned<'a>(ctx: &'a Ctx<'_>, key: &str, resource: &str) -> Result<&'a Upload, Failure> {
    let caller = ctx.caller()?;
    let upload = ctx
        .world
        .uploads
        .get(key)
        .filter(|u| u.kind.resource() == resource)
        .ok_or_else(|| {
            Failure::code(codes::RESOURCE_NOT_FOUND).because(format!("no {resource} `{key}`"))
        })?;
    if upload.owner != caller.app {
        return Err(Failure::code(codes::RESOURCE_NOT_OWNER)
            .because(format!("`{key}` was uploaded by another app")));
    }
    Ok(upload)
}

impl Handle for GetImage {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Download, Failure> {
        let upload = owned(ctx, &self.path.image_key, "image")?;
        if upload.kind == UploadKind::Image(ImageType::Avatar) {
            return Err(resource_param(
                "image_key",
                "an image uploaded as an avatar cannot be downloaded",
            ));
        }
        Ok(download(upload))
    }

    fn download(output: Download) -> Option<Download> {
        Some(output)
    }
}

impl Handle for GetFile {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Download, Failure> {
        let upload = owned(ctx, &self.path.file_key, "file")?;
        Ok(download(upload))
    }

    fn download(output: Download) -> Option<Download> {
        Some(output)
    }
}
