#!/usr/bin/env python3
"""Validates JSON documents against a JSON Schema (the draft its `$schema`
names, draft 2020-12 when it names none).

Usage: validate_json.py SCHEMA DOC.json...   (exit 0: all valid; 1: a
document is invalid or the schema is not a valid schema; 3: the
`jsonschema` package is missing)
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (python3 -m pip install jsonschema)", file=sys.stderr)
    sys.exit(3)

with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
try:
    cls.check_schema(schema)
except jsonschema.SchemaError as e:
    print(f"{sys.argv[1]}: not a valid schema: {e.message}", file=sys.stderr)
    sys.exit(1)
validator = cls(schema)
bad = 0
for name in sys.argv[2:]:
    with open(name, encoding="utf-8") as f:
        doc = json.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print(f"{name}: /{'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
    bad += bool(errors)
print(f"{len(sys.argv) - 2 - bad} valid, {bad} invalid")
sys.exit(1 if bad else 0)
