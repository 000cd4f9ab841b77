#!/usr/bin/env python3
"""Validates SARIF logs against the SARIF 2.1.0 JSON schema beside this file.

Usage: validate.py LOG.sarif...   (exit 0: all valid; 1: a log is invalid;
3: the `jsonschema` package is missing)
"""
import json
import pathlib
import re
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (python3 -m pip install jsonschema)", file=sys.stderr)
    sys.exit(3)

schema = json.loads((pathlib.Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
# jsonschema checks "uri" only with an optional package; check RFC 3986's
# character set (and, for "uri", a scheme) here instead.
checker = jsonschema.FormatChecker()
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@checker.checks("uri-reference")
def is_uri_reference(value):
    if not isinstance(value, str):
        return True
    first = value.split("/", 1)[0]
    # A relative reference's first segment may not hold a colon.
    return bool(URI_CHARS.match(value)) and (bool(SCHEME.match(value)) or ":" not in first)


@checker.checks("uri")
def is_uri(value):
    return not isinstance(value, str) or (bool(URI_CHARS.match(value)) and bool(SCHEME.match(value)))


validator = jsonschema.Draft4Validator(schema, format_checker=checker)
bad = 0
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as f:
        log = json.load(f)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print(f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
    bad += bool(errors)
print(f"{len(sys.argv) - 1 - bad} valid, {bad} invalid")
sys.exit(1 if bad else 0)
