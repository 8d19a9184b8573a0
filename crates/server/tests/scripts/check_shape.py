"""Checks answers strictly against botocore's service models, the contract of AWS's shapes.

Reads one JSON object per line on standard input, {"service": …, "operation": …, "output": …},
and checks `output` against the operation's output shape: no member the model lacks, every
required member, JSON types, enum values, string lengths and patterns, list lengths. Prints one
line per problem, `operation: path: problem`, and exits 1 when there is any.
"""

import json
import re
import sys

import botocore.session


def check(shape, value, path, problems):
    kind = shape.type_name
    if getattr(shape, "is_document_type", False):
        # A document (an IAM policy, say) is free-form JSON: any value is one.
        return
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object for {shape.name}, got {value!r}")
            return
        for key in value:
            if key not in shape.members:
                problems.append(f"{path}: `{key}` is no member of {shape.name}")
        for key in shape.required_members:
            if key not in value:
                problems.append(f"{path}: required member `{key}` of {shape.name} is missing")
        for key, member in shape.members.items():
            if key in value:
                check(member, value[key], f"{path}.{key}", problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {value!r}")
            return
        bounds(shape, len(value), path, problems)
        for i, item in enumerate(value):
            check(shape.member, item, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map, got {value!r}")
            return
        for k, v in value.items():
            check(shape.key, k, f"{path}.<key>", problems)
            check(shape.value, v, f"{path}.{k}", problems)
    elif kind in ("string", "blob"):
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string, got {value!r}")
            return
        enum = shape.enum
        if enum and value not in enum:
            problems.append(f"{path}: `{value}` is not one of {enum}")
        bounds(shape, len(value), path, problems)
        pattern = shape.metadata.get("pattern")
        if pattern:
            try:
                compiled = re.compile(pattern, re.DOTALL)
            except re.error:
                compiled = None
            if compiled and not compiled.search(value):
                problems.append(f"{path}: `{value}` does not match {pattern}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer, got {value!r}")
        else:
            bounds(shape, value, path, problems)
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected epoch seconds, got {value!r}")
    else:
        problems.append(f"{path}: the model's type `{kind}` is not checked")


def bounds(shape, n, path, problems):
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and n < low:
        problems.append(f"{path}: {n} is below the minimum {low}")
    if high is not None and n > high:
        problems.append(f"{path}: {n} is above the maximum {high}")


def main():
    session = botocore.session.get_session()
    models = {}
    problems = []
    for line in sys.stdin:
        if not line.strip():
            continue
        call = json.loads(line)
        service = call["service"]
        if service not in models:
            models[service] = session.get_service_model(service)
        op = models[service].operation_model(call["operation"])
        output = call["output"]
        found = []
        if op.output_shape is None:
            if output not in ({}, None):
                found.append(f"$: the operation has no output, got {output!r}")
        else:
            check(op.output_shape, output, "$", found)
        problems.extend(f"{call['operation']}: {p}" for p in found)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
