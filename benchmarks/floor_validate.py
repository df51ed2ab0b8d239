"""The floor of validation, for bench_validate.py: parse a data file with orjson and ask
jsonschema-rs whether each entry is valid against the schema's entry definition.

    python benchmarks/floor_validate.py SCHEMA DATA_FILE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema_rs
import orjson


def main() -> int:
    """Exit 1 if any entry is invalid."""
    schema = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    entry = {**schema["definitions"]["entry"], "definitions": schema["definitions"]}
    validator = jsonschema_rs.Draft7Validator(entry, validate_formats=True)
    entries = orjson.loads(Path(sys.argv[2]).read_bytes())
    return 0 if all(validator.is_valid(item) for item in entries) else 1


if __name__ == "__main__":
    sys.exit(main())
