"""Person keys in outputs: a keyed pseudonym (HMAC-SHA256) that reveals no ID number.

Inside a run, people are matched by an internal digest of their ID number (roster.load). That
digest never leaves the process: before findings are reported, each person key is replaced by
HMAC-SHA256(secret, key), where the secret is

- the user's own key, from the environment variable `VETTING_PSEUDONYM_KEY` (the secret itself)
  or `VETTING_PSEUDONYM_KEY_FILE` (a file holding it; at least 16 characters, kept outside the
  repository, e.g. a CI secret variable). The keys then stay the same from run to run, so
  baselines and GitLab fingerprints can be compared; or, without one,
- a secret derived from the whole roster (every person in it), so the same roster gives the same
  output but a key cannot be tested against a guessed ID number without the roster itself.
  Such keys change when people are added or removed: baselines need the user's key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UserError
from .findings import Finding, with_person

if TYPE_CHECKING:
    import polars as pl

__all__ = ["KEY_ENV", "KEY_FILE_ENV", "Pseudonyms", "configured_key", "pseudonymise", "roster_key"]

KEY_ENV = "VETTING_PSEUDONYM_KEY"
KEY_FILE_ENV = "VETTING_PSEUDONYM_KEY_FILE"
MIN_KEY_CHARS = 16
MAX_KEY_FILE_BYTES = 4096
IN_THREAD_FROM = 20_000  # person keys from which `Pseudonyms.of_roster` works out its secret in a thread
HINT = (
    f"在环境变量 {KEY_ENV} 中设置一个只有本单位知道的密钥（至少 {MIN_KEY_CHARS} 个字符），或把它写在文件里并用"
    f" {KEY_FILE_ENV} 指向该文件（不要提交到仓库；CI 中用受保护的密钥变量）。 / Set a secret of at least"
    f" {MIN_KEY_CHARS} characters in {KEY_ENV}, or in a file named by {KEY_FILE_ENV} (never committed;"
    " a protected CI variable)."
)


def configured_key() -> bytes | None:
    """The user's secret, or None when neither variable is set."""
    text = os.environ.get(KEY_ENV)
    where = f"环境变量 {KEY_ENV}"
    if not text and os.environ.get(KEY_FILE_ENV):
        path = Path(os.environ[KEY_FILE_ENV])
        where = f"密钥文件 {path}"
        if not path.is_file():
            raise UserError(f"{KEY_FILE_ENV} 指向的不是文件 / the key file does not exist", path=str(path), hint=HINT)
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise UserError(f"密钥文件超过 {MAX_KEY_FILE_BYTES} 字节 / the key file is too large", path=str(path))
        text = path.read_text(encoding="utf-8", errors="strict").strip()
    if not text:
        return None
    if len(text) < MIN_KEY_CHARS:
        raise UserError(f"{where} 中的密钥太短（{len(text)} 个字符）/ the pseudonym key is too short", hint=HINT)
    return text.encode("utf-8")


def roster_key(person_keys: Iterable[str | None]) -> bytes:
    """A secret derived from every person of the roster (order does not matter)."""
    import polars as pl

    keys = pl.Series("k", person_keys, dtype=pl.String) if not isinstance(person_keys, pl.Series) else person_keys
    keys = keys.cast(pl.String).drop_nulls().rechunk()  # (a gather from one chunk is many times faster)
    if keys.str.contains(r"^[0-9a-f]{16}$").all():
        # the roster's own keys (roster.load.person_key: 16 hex digits): sorted, and repeats
        # dropped, as the numbers they spell, the same order as the text's and a fraction of
        # the time of hashing and sorting text
        numbers = keys.str.to_integer(base=16, dtype=pl.UInt64)
        order = numbers.arg_sort()
        numbers = numbers.gather(order)
        distinct = keys.gather(order).filter(numbers.ne_missing(numbers.shift(1)))
    else:
        distinct = keys.unique().sort()
    joined = distinct.str.join("\n").item()  # (in polars: a million Python strings are slow)
    h = hashlib.sha256(b"vetting-roster-key\n")
    h.update(joined.encode())
    return h.digest()


class Pseudonyms:
    """Person keys to their pseudonyms, HMAC-SHA256(key, person), each worked out once. The
    engine may make subjects with them directly (`engine.lint(pseudonym=...)`); `pseudonymise`
    then leaves the findings that already have one as they are."""

    def __init__(self, key: bytes | Callable[[], bytes]):
        self._key = key  # or what gives it when first needed (`of_roster`)
        self.memo: dict[str, str] = {}
        self.made: set[str] = set()
        self._keyed: Any = None  # the keyed HMAC, copied for each person: half the time of hmac.new

    @classmethod
    def of_roster(cls, person_keys: Sequence[str | None] | pl.Series) -> Pseudonyms:
        """Pseudonyms under the roster's own secret (`roster_key`). A large roster's is worked
        out in a thread (polars lets Python go on) while the run prepares its checks, and
        waited for at the first pseudonym."""
        if len(person_keys) < IN_THREAD_FROM:
            return cls(roster_key(person_keys))
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=1)
        secret = pool.submit(roster_key, person_keys)
        pool.shutdown(wait=False)  # (the thread ends with its one task)
        return cls(secret.result)

    @property
    def key(self) -> bytes:
        if not isinstance(self._key, bytes):
            self._key = self._key()
        return self._key

    def __call__(self, person: str) -> str:
        out = self.memo.get(person)
        if out is None:
            if self._keyed is None:
                self._keyed = hmac.new(self.key, digestmod=hashlib.sha256)
            mac = self._keyed.copy()
            mac.update(person.encode())
            out = self.memo[person] = mac.hexdigest()[:20]
            self.made.add(out)
        return out


def pseudonymise(findings: list[Finding], key: bytes | Pseudonyms) -> list[Finding]:
    """The findings with each subject's person key replaced by HMAC-SHA256(key, person); with
    `Pseudonyms`, a subject that has one of its pseudonyms already is kept (no copy)."""
    mac = key if isinstance(key, Pseudonyms) else Pseudonyms(key)
    made = mac.made if isinstance(key, Pseudonyms) else set()
    out = []
    for f in findings:
        person = f.subject.person
        out.append(with_person(f, mac(person)) if person and person not in made else f)
    return out
