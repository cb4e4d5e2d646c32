"""The documents a user writes in YAML (policies, waivers, claims, policy tests): one way to
read them, keep the line and column of every key and item, validate them and report what is
wrong.

- `source`: `read_yaml` (a safe parse keeping positions), `LoadedYaml`, `Pos`, `position`;
- `yamlsafe`: the limits every YAML or JSON reader applies (alias bombs, nesting, file size);
- `explain`: pydantic's errors in words an author can act on (Chinese, then English);
- `models`: `validate(Model, loaded)`, every error at once as `errors.Problem`
  (file, line, column, message, hint), which tests compare as data.

This layer knows no policy, roster or report: the models it validates bring their own words
(`KEY_SYNONYMS`, `KEY_NOTE`, bilingual validator messages).
"""

from __future__ import annotations

from .explain import Explained, explain_errors, number_hint, type_words, value_text
from .models import as_problems, at, problems_of, raise_problems, validate
from .source import LoadedYaml, Pos, plain_data, position, read_yaml
from .yamlsafe import check_document_file

__all__ = [
    "Explained", "LoadedYaml", "Pos", "as_problems", "at", "check_document_file", "explain_errors", "number_hint", "plain_data",
    "position", "problems_of", "raise_problems", "read_yaml", "type_words", "validate", "value_text",
]
