//! `#[derive(WireDeserialize)]` for feishu-model's wire structs.
//!
//! A wire struct keeps the fields the documentation does not list in an
//! `extra` field marked `#[serde(flatten)]`. serde's own derive implements
//! that by buffering the whole object into an intermediate tree and
//! deserializing every field a second time from it. This derive reads the
//! object once instead: each known key goes straight to its field, any other
//! key into the extra map. It honours the serde field attributes the model
//! uses (`rename`, `default`, `deserialize_with`; `skip_serializing_if` is
//! for serializing and ignored here), so `derive(Serialize)` keeps working
//! from the same attributes.
//!
//! The generated code refers to `crate::wire`, so the derive serves the
//! feishu-model crate itself. What it gives, seen from a user of the model
//! (run as a doctest of `feishu_model::wire`, since this crate cannot depend
//! on the crate it serves):
//!
//! ```text
//! use feishu_model::im::chat::Chat;
//!
//! let chat: Chat = serde_json::from_str(
//!     r#"{"name": "ops", "chat_mode": "group", "not_documented": [1, 2]}"#,
//! ).unwrap();
//! assert_eq!(chat.name.as_deref(), Some("ops"));
//! assert_eq!(chat.extra.get("not_documented"), Some(&serde_json::json!([1, 2])));
//! ```
#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr, Type};

/// One named field and what its serde attributes say.
struct Field {
    ident: syn::Ident,
    ty: Type,
    wire: String,
    default: bool,
    with: Option<syn::Path>,
    flatten: bool,
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn field(f: &syn::Field) -> syn::Result<Field> {
    let ident = f
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new_spanned(f, "named fields only"))?;
    let mut out = Field {
        wire: ident.to_string().trim_start_matches("r#").to_owned(),
        ident,
        ty: f.ty.clone(),
        default: is_option(&f.ty),
        with: None,
        flatten: false,
    };
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                out.wire = meta.value()?.parse::<LitStr>()?.value();
            } else if meta.path.is_ident("default") {
                out.default = true;
            } else if meta.path.is_ident("deserialize_with") {
                out.with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
            } else if meta.path.is_ident("flatten") {
                out.flatten = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                meta.value()?.parse::<LitStr>()?;
            } else {
                return Err(meta.error("serde attribute not supported by WireDeserialize"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// Derives `Deserialize` for a struct with one `#[serde(flatten)] extra`
/// field of type `Extra`.
#[proc_macro_derive(WireDeserialize, attributes(serde))]
pub fn wire_deserialize(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "WireDeserialize does not take generic structs",
        ));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(input, "structs only"));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(input, "named fields only"));
    };
    let fields = named
        .named
        .iter()
        .map(field)
        .collect::<syn::Result<Vec<_>>>()?;
    let mut extras = fields.iter().filter(|f| f.flatten);
    let extra = extras
        .next()
        .ok_or_else(|| syn::Error::new_spanned(input, "needs one #[serde(flatten)] extra field"))?;
    if extras.next().is_some() {
        return Err(syn::Error::new_spanned(input, "only one flatten field"));
    }
    let known: Vec<&Field> = fields.iter().filter(|f| !f.flatten).collect();
    let slots: Vec<syn::Ident> = known
        .iter()
        .map(|f| format_ident!("__slot_{}", f.ident))
        .collect();
    let declare = known.iter().zip(&slots).map(|(f, slot)| {
        let ty = &f.ty;
        quote! { let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None; }
    });
    let arms = known.iter().zip(&slots).map(|(f, slot)| {
        let wire = &f.wire;
        let ty = &f.ty;
        let read = match &f.with {
            None => quote! { (&crate::wire::FieldReader::<#ty>::NEW).read(&mut map)? },
            Some(path) => quote! {{
                struct __With(#ty);
                impl<'de> ::serde::Deserialize<'de> for __With {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                        #path(d).map(__With)
                    }
                }
                map.next_value::<__With>()?.0
            }},
        };
        quote! {
            #wire => {
                if #slot.is_some() {
                    return ::core::result::Result::Err(<A::Error as ::serde::de::Error>::duplicate_field(#wire));
                }
                #slot = ::core::option::Option::Some(#read);
            }
        }
    });
    let finish = known.iter().zip(&slots).map(|(f, slot)| {
        let ident = &f.ident;
        let wire = &f.wire;
        if f.default {
            quote! { #ident: #slot.unwrap_or_default(), }
        } else {
            quote! {
                #ident: match #slot {
                    ::core::option::Option::Some(v) => v,
                    ::core::option::Option::None => {
                        return ::core::result::Result::Err(<A::Error as ::serde::de::Error>::missing_field(#wire));
                    }
                },
            }
        }
    });
    let extra_ident = &extra.ident;
    let expecting = format!("struct {name}");
    let wire_names: Vec<&String> = known.iter().map(|f| &f.wire).collect();
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#name, A::Error> {
                        #[allow(unused_imports)]
                        use crate::wire::{ReadEnumField as _, ReadField as _};
                        #(#declare)*
                        let mut __extra = crate::Extra::new();
                        while let ::core::option::Option::Some(key) = map.next_key::<crate::wire::Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => { __extra.insert(key.into_string(), map.next_value()?); }
                            }
                        }
                        ::core::result::Result::Ok(#name {
                            #(#finish)*
                            #extra_ident: __extra,
                        })
                    }
                }
                const FIELDS: &[&str] = &[#(#wire_names),*];
                deserializer.deserialize_struct(stringify!(#name), FIELDS, __Visitor)
            }
        }
    })
}
