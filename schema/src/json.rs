//! Export of the key tree as a JSON Schema (draft 2020-12), for yaml-language-server and
//! SchemaStore. Values written with ERB (`<%= … %>`) are accepted wherever a value is expected,
//! since they are only known at deploy time.

use serde_json::{json, Map, Value};

use crate::kamal::{ACCESSORY, COMMANDS, PROXY, PROXY_SSL, REGISTRY, ROLE, ROOT};
use crate::tree::{Key, Section, Ty};
use crate::version::Version;

/// The JSON Schema of `config/deploy.yml` for a Kamal version.
pub fn json_schema(version: Version) -> Value {
    let mut defs = Map::new();
    defs.insert("erb".into(), json!({"type": "string", "pattern": "<%"}));
    defs.insert(
        "stringish".into(),
        json!({
            "description": "Kamal accepts strings, numbers and booleans where it expects a string.",
            "type": ["string", "number", "boolean"]
        }),
    );
    defs.insert(
        "hostList".into(),
        with_erb(json!({
            "type": "array",
            "items": with_erb(json!({"anyOf": [
                {"$ref": "#/$defs/stringish"},
                {
                    "type": "object",
                    "description": "A host with its tag(s): `HOST: TAG` or `HOST: [TAGS]`.",
                    "minProperties": 1,
                    "maxProperties": 1,
                    "additionalProperties": {"anyOf": [
                        {"$ref": "#/$defs/stringish"},
                        {"type": "array", "items": {"$ref": "#/$defs/stringish"}}
                    ]}
                }
            ]}))
        })),
    );
    defs.insert("env".into(), env_schema(false));
    defs.insert("rootEnv".into(), env_schema(true));
    defs.insert("proxy".into(), section_schema(&PROXY, version));
    defs.insert("registry".into(), section_schema(&REGISTRY, version));
    defs.insert("role".into(), section_schema(&ROLE, version));
    defs.insert("accessory".into(), section_schema(&ACCESSORY, version));

    let mut root = section_schema(&ROOT, version);
    let obj = root.as_object_mut().expect("sections are objects");
    obj.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    obj.insert(
        "$id".into(),
        json!(format!(
            "https://github.com/sextant-lint/sextant/schema/kamal-{version}-deploy.json"
        )),
    );
    obj.insert(
        "title".into(),
        json!(format!("Kamal {version} deploy configuration")),
    );
    obj.insert(
        "patternProperties".into(),
        json!({"^x-": {"description": "Extension key, ignored by Kamal (use it for YAML anchors)."}}),
    );
    obj.insert("$defs".into(), Value::Object(defs));
    root
}

fn with_erb(schema: Value) -> Value {
    json!({"anyOf": [schema, {"$ref": "#/$defs/erb"}]})
}

fn section_schema(section: &Section, version: Version) -> Value {
    let mut props = Map::new();
    for key in section.keys.iter().filter(|k| k.available_in(version)) {
        let mut schema = ty_schema(key.ty, version);
        annotate(&mut schema, key);
        props.insert(key.name.into(), schema);
    }
    json!({
        "type": "object",
        "description": section.doc,
        "properties": props,
        "additionalProperties": false
    })
}

fn annotate(schema: &mut Value, key: &Key) {
    let mut text = key.doc.to_string();
    if let Some(default) = key.default {
        text.push_str(&format!("\n\nDefault: `{default}`."));
    }
    if key.required {
        text.push_str("\n\nRequired.");
    }
    if key.since > crate::version::V2_0 {
        text.push_str(&format!("\n\nSince Kamal {}.", key.since));
    }
    if let Value::Object(map) = schema {
        map.insert("description".into(), Value::String(strip_markdown(&text)));
        map.insert("markdownDescription".into(), Value::String(text));
        if let Some(example) = key.example {
            map.insert("examples".into(), json!([example]));
        }
    }
}

fn strip_markdown(text: &str) -> String {
    text.replace('`', "")
}

fn ty_schema(ty: Ty, version: Version) -> Value {
    match ty {
        Ty::Str => json!({"$ref": "#/$defs/stringish"}),
        Ty::Int => with_erb(json!({"type": "integer"})),
        Ty::Bool => with_erb(json!({"type": "boolean"})),
        Ty::StrArray => with_erb(json!({"type": "array", "items": {"$ref": "#/$defs/stringish"}})),
        Ty::Section(section) => {
            if std::ptr::eq(section, &PROXY) {
                with_erb(json!({"$ref": "#/$defs/proxy"}))
            } else if std::ptr::eq(section, &REGISTRY) {
                with_erb(json!({"$ref": "#/$defs/registry"}))
            } else {
                with_erb(section_schema(section, version))
            }
        }
        Ty::AnyHash => with_erb(json!({"type": "object"})),
        Ty::Labels => with_erb(json!({
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/stringish"}
        })),
        Ty::Servers => json!({"anyOf": [
            {"$ref": "#/$defs/hostList"},
            {
                "type": "object",
                "description": "Roles: name to a host list or a role configuration.",
                "additionalProperties": {"anyOf": [
                    {"$ref": "#/$defs/hostList"},
                    {"$ref": "#/$defs/role"}
                ]}
            }
        ]}),
        Ty::HostList => json!({"$ref": "#/$defs/hostList"}),
        Ty::Ssl => {
            let mut hash = section_schema(&PROXY_SSL, version);
            // Kamal does not check the contents of an ssl hash.
            hash["additionalProperties"] = json!(true);
            with_erb(json!({"anyOf": [{"type": "boolean"}, hash]}))
        }
        Ty::Arch => json!({"anyOf": [
            {"$ref": "#/$defs/stringish"},
            {"type": "array", "items": {"$ref": "#/$defs/stringish"}}
        ]}),
        Ty::RoleProxy => json!({"anyOf": [{"type": "boolean"}, {"$ref": "#/$defs/proxy"}]}),
        Ty::Env { root } => {
            if root {
                json!({"$ref": "#/$defs/rootEnv"})
            } else {
                json!({"$ref": "#/$defs/env"})
            }
        }
        Ty::RegistryCredential => json!({"anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 1}
        ]}),
        Ty::Accessories => with_erb(json!({
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/accessory"}
        })),
        Ty::Aliases => with_erb(json!({
            "type": "object",
            "propertyNames": {
                "pattern": "^[a-z0-9_-]+$",
                "not": {"enum": COMMANDS}
            },
            "additionalProperties": {"$ref": "#/$defs/stringish"}
        })),
        Ty::SshConfig => {
            if version >= Version::new(2, 9, 0) {
                json!({"anyOf": [
                    {"type": "boolean"},
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/$defs/stringish"}}
                ]})
            } else {
                with_erb(json!({"type": "boolean"}))
            }
        }
        Ty::Paths => {
            let item = if version >= Version::new(2, 10, 0) {
                json!({"anyOf": [
                    {"$ref": "#/$defs/stringish"},
                    {"type": "object", "properties": {
                        "local": {"$ref": "#/$defs/stringish"},
                        "remote": {"$ref": "#/$defs/stringish"},
                        "mode": {"$ref": "#/$defs/stringish"},
                        "owner": {"$ref": "#/$defs/stringish"},
                        "options": {"$ref": "#/$defs/stringish"}
                    }}
                ]})
            } else {
                json!({"$ref": "#/$defs/stringish"})
            };
            with_erb(json!({"type": "array", "items": item}))
        }
        Ty::HooksOutput => json!({"anyOf": [
            {"type": "string"},
            {"type": "object", "additionalProperties": {"type": "string"}}
        ]}),
    }
}

fn env_schema(root: bool) -> Value {
    let stringish_map = json!({
        "type": "object",
        "additionalProperties": with_erb(json!({"$ref": "#/$defs/stringish"}))
    });
    let mut structured_props = Map::new();
    structured_props.insert(
        "clear".into(),
        json!({"description": "Variables with their values.", "anyOf": [stringish_map.clone(), {"$ref": "#/$defs/erb"}]}),
    );
    structured_props.insert(
        "secret".into(),
        json!({
            "description": "Names of secrets from .kamal/secrets* (NAME or NAME:SECRET).",
            "anyOf": [
                {"type": "array", "items": with_erb(json!({"$ref": "#/$defs/stringish"}))},
                {"$ref": "#/$defs/erb"}
            ]
        }),
    );
    let mut special = vec![
        json!({"required": ["clear"]}),
        json!({"required": ["secret"]}),
    ];
    if root {
        structured_props.insert(
            "tags".into(),
            json!({
                "description": "Extra env per host tag.",
                "type": "object",
                "additionalProperties": {"$ref": "#/$defs/env"}
            }),
        );
        special.push(json!({"required": ["tags"]}));
    } else {
        special.push(json!({"required": ["tags"]}));
    }
    json!({
        "description": "Environment variables: NAME: value pairs, or clear/secret (and tags at the root).",
        "anyOf": [
            {
                "type": "object",
                "properties": structured_props,
                "additionalProperties": false,
                "anyOf": special
            },
            {
                "type": "object",
                "not": {"anyOf": special},
                "additionalProperties": with_erb(json!({"$ref": "#/$defs/stringish"}))
            },
            {"$ref": "#/$defs/erb"}
        ]
    })
}
