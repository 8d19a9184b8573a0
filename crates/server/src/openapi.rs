//! The OpenAPI 3 document of kiro-org's own admin API, served at `/openapi.json`.

use axum::Json;
use serde_json::{Value, json};

/// The document.
pub fn spec() -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let err_response = |what: &str| json!({"description": what, "content": {"application/json": {"schema": error}}});
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "kiro-org admin API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "What AWS exposes no API for: Kiro profiles and their settings, Identity Center settings, inviting and moving accounts — any operation of a kiro-org operations file, with the same rules and AWS-style errors as `kiro-org apply`. The AWS APIs themselves (Organizations, SSO Admin, Identity Store, the Kiro subscription APIs) are served at `POST /` with `X-Amz-Target`."
        },
        "paths": {
            "/": {"get": {
                "summary": "The live report",
                "description": "The estate as it is now, as the self-contained HTML report `kiro-org report` writes (its tree with each profile's pattern, quota gauges, the bill, the governance matrix, the audit findings). Rendered for each request and not cached: a reload shows every operation applied so far, and an open page follows the server by itself (it long-polls `/live` and swaps in the new report). A request with a query `Action` is the STS query protocol instead.",
                "responses": {"200": {"description": "the report", "content": {"text/html": {"schema": {"type": "string"}}}}}
            }},
            "/live": {"get": {
                "summary": "Wait for the next change",
                "description": "A long poll: answers once the sequence number of the last durable event is no longer `after` (at once if it already differs), or with `after` itself after 25 seconds without a change. The live report at `/` calls it and then fetches `/` again.",
                "parameters": [{"name": "after", "in": "query", "required": true, "description": "the sequence number the caller has seen (the report's `kiro-org-seq` meta tag)", "schema": {"type": "integer", "minimum": 0}}],
                "responses": {
                    "200": {"description": "the sequence number now", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["seq"], "properties": {"seq": {"type": "integer", "minimum": 0}}
                    }}}},
                    "400": {"description": "`after` is missing or not a whole number"}
                }
            }},
            "/admin/ops": {"post": {
                "summary": "Apply operations",
                "description": "Applies one operations-file item, or a list of them in order. Each applied item is durable before the response. A failing item stops the list: earlier items stay applied, and the error names the failing `index`.",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "oneOf": [{"$ref": "#/components/schemas/Operation"}, {"type": "array", "items": {"$ref": "#/components/schemas/Operation"}}]
                }, "examples": {
                    "create-profile": {"value": {"op": "create-profile", "account": "111111111111", "region": "us-east-1"}},
                    "update-profile-settings": {"value": {"op": "update-profile-settings", "account": "111111111111", "region": "us-east-1", "overage": true}},
                    "set-kiro-session-duration": {"value": {"op": "set-kiro-session-duration", "instance": "111111111111", "days": 90}},
                    "invite-account": {"value": {"op": "invite-account", "organization": "111111111111", "account": "222222222222", "parent": "engineering"}}
                }}}},
                "responses": {
                    "200": {"description": "every operation applied", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["ok", "results"],
                        "properties": {"ok": {"type": "boolean"}, "results": {"type": "array", "items": {"type": "object"}}}
                    }}}},
                    "400": err_response("an operation was refused (`__type` is the AWS exception: ResourceNotFoundException, ConflictException, ServiceQuotaExceededException, AccessDeniedException, ValidationException, ConstraintViolationException, MalformedPolicyDocumentException) or malformed (SerializationException)"),
                    "413": err_response("the body is larger than 1 MiB")
                }
            }},
            "/admin/estate": {"get": {
                "summary": "The live estate",
                "description": "The estate as a kiro-org estate file (JSON), including its event log; `kiro-org check` accepts it.",
                "responses": {"200": {"description": "the estate", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }},
            "/admin/events": {"get": {
                "summary": "The event log",
                "description": "Every applied operation, oldest first, with its time.",
                "responses": {"200": {"description": "the events", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}}}
            }},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 document"}}}}
        },
        "components": {"schemas": {
            "Operation": {
                "type": "object",
                "required": ["op"],
                "description": "One item of an operations file: `op` names the operation, the other keys are its kebab-case parameters, `at` optionally dates it (RFC 3339 or a date).",
                "properties": {
                    "op": {"type": "string", "enum": &kiro_engine::Op::NAMES[..]},
                    "at": {"type": "string", "description": "RFC 3339 timestamp or date; default now"}
                },
                "additionalProperties": true
            },
            "Event": {
                "type": "object",
                "required": ["at", "op", "outcome"],
                "properties": {"at": {"type": "string", "format": "date-time"}, "op": {"type": "object"}, "outcome": {"type": "string"}}
            },
            "Error": {
                "type": "object",
                "required": ["__type", "message"],
                "properties": {
                    "__type": {"type": "string", "description": "the AWS exception name"},
                    "message": {"type": "string"},
                    "index": {"type": "integer", "description": "the failing item of a list"}
                }
            }
        }}
    })
}

/// `GET /openapi.json`.
pub async fn document() -> Json<Value> {
    Json(spec())
}
