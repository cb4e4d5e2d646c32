"""Person keys in outputs are keyed pseudonyms (HMAC with the user's secret), never a bare hash of
an ID number; baselines and fingerprints do not depend on the roster's file name."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from vetting.cli import app
from vetting.roster.load import person_key, person_keys

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx"
KEY = {"VETTING_PSEUDONYM_KEY": "county-secret-0123456789"}
ID = "410103199005262416"  # 林军 in the example


def lint(path: Path, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["lint", str(path), "--as-of", "2021-01-10", *args], env=env or {})


def persons(r) -> dict[str, str]:
    return {f["subject"]["name"]: f["subject"]["person"] for f in json.loads(r.stdout)["findings"] if f["subject"].get("person")}


def test_no_output_key_can_be_computed_from_an_id_number(tmp_path: Path) -> None:
    for env in (KEY, {}):
        p = persons(lint(EXAMPLE, "-f", "json", "--select", "TN02", env=env))["林军"]
        for guess in (person_key(ID), hashlib.sha256(ID.encode()).hexdigest(), hashlib.blake2b(ID.encode()).hexdigest()):
            assert p not in guess and guess[:16] not in p


def test_person_keys_of_a_column_are_those_of_each_number() -> None:
    # The vectorised keys (digests of the UTF-8 bytes, hex in polars) are the same text as
    # person_key's, across slices, for any text (a full-width digit, a lower-case x).
    ids = [ID, "11010519491231002x", "1101051949123100２X", "12345", *(f"{i:017d}X" for i in range(50_010))]
    got = person_keys(pl.Series(ids, dtype=pl.String)).to_list()
    assert got == [person_key(v) for v in ids]
    assert person_keys(pl.Series([], dtype=pl.String)).dtype == pl.String


def test_a_pseudonym_is_the_keyed_hmac_of_the_person_key() -> None:
    import hmac

    from vetting.pseudonym import Pseudonyms

    key = KEY["VETTING_PSEUDONYM_KEY"].encode()
    mac = Pseudonyms(key)
    for person in (person_key(ID), "0123456789abcdef", "名字|单位", person_key(ID)):
        assert mac(person) == hmac.new(key, person.encode(), hashlib.sha256).hexdigest()[:20]
    assert len(mac.memo) == 3 and mac.made == set(mac.memo.values())


def test_the_key_decides_the_pseudonym(tmp_path: Path) -> None:
    a = persons(lint(EXAMPLE, "-f", "json", "--select", "TN02", env=KEY))["林军"]
    b = persons(lint(EXAMPLE, "-f", "json", "--select", "TN02", env={"VETTING_PSEUDONYM_KEY": "another-secret-987654321"}))["林军"]
    again = persons(lint(EXAMPLE, "-f", "json", "--select", "TN02", env=KEY))["林军"]
    assert a == again and a != b
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(KEY["VETTING_PSEUDONYM_KEY"] + "\n", encoding="utf-8")
    assert persons(lint(EXAMPLE, "-f", "json", "--select", "TN02", env={"VETTING_PSEUDONYM_KEY_FILE": str(keyfile)}))["林军"] == a


def test_a_baseline_needs_the_key_and_says_how(tmp_path: Path) -> None:
    r = lint(EXAMPLE, "--write-baseline", str(tmp_path / "b.json"))
    assert r.exit_code == 2 and "VETTING_PSEUDONYM_KEY" in r.output
    r = lint(EXAMPLE, "--write-baseline", str(tmp_path / "b.json"), env={"VETTING_PSEUDONYM_KEY": "short"})
    assert r.exit_code == 2 and "太短" in r.output


def test_renaming_the_roster_changes_no_baseline_entry_or_fingerprint(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    lint(EXAMPLE, "--write-baseline", str(base), "-f", "json", env=KEY)
    renamed = tmp_path / "改名后的名单.xlsx"
    shutil.copy(EXAMPLE, renamed)
    r = lint(renamed, "--baseline", str(base), "-f", "json", env=KEY)
    doc = json.loads(r.stdout)
    assert doc["findings"] == [] and doc.get("fixed", []) == [] and r.exit_code == 0
    g1 = json.loads(lint(EXAMPLE, "-f", "gitlab", env=KEY).stdout)
    g2 = json.loads(lint(renamed, "-f", "gitlab", env=KEY).stdout)
    col = [i["fingerprint"] for i in g1 if i["check_name"] == "DQ008"]
    assert col and col == [i["fingerprint"] for i in g2 if i["check_name"] == "DQ008"]
    assert [i["fingerprint"] for i in g1] == [i["fingerprint"] for i in g2]
    assert ID not in base.read_text(encoding="utf-8")


def test_with_person_changes_the_person_key_and_nothing_else() -> None:
    from dataclasses import replace

    from vetting.findings import Finding, Location, Measure, Severity, Subject, Waiver, with_person

    f = Finding(
        "PQ001", Severity.ERROR, "资格", "person", "标题", "消息",
        Subject("金水区", "经三路街道", "某社区", "林军", ID, "k1"),
        Location("a.xlsx", "名单", 5, "身份证号", "E5"),
        Measure(1, 2, 0.5, 0.6, 1), Waiver("理由", "审批人", "2021-12-31"), "十不能 第2项", 3, ("张三",),
    )
    new = with_person(f, "k2")
    assert new == replace(f, subject=replace(f.subject, person="k2"))
    assert new.subject.person == "k2" and f.subject.person == "k1"


def test_roster_key_is_the_hash_of_the_sorted_distinct_keys() -> None:
    """The roster's secret: SHA-256 of its distinct person keys, sorted, one a line (worked out
    in polars); the same whatever the order, the repeats and the blanks."""
    import polars as pl

    from vetting.pseudonym import roster_key

    keys = [person_key(f"11010119900307{i:04d}") for i in range(50)] + ["甲", "Zz", "a\u00e9"]
    expected = hashlib.sha256(b"vetting-roster-key\n" + "\n".join(sorted(set(keys))).encode()).digest()
    shuffled = keys[::-1] + keys[:7] + [None]
    assert roster_key(keys) == expected
    assert roster_key(pl.Series("person", shuffled, dtype=pl.String)) == expected
    assert roster_key([]) == roster_key([None]) == hashlib.sha256(b"vetting-roster-key\n").digest()
    assert roster_key(keys[1:]) != expected
    # the roster's own keys alone (16 hex digits: sorted as numbers), with ones that differ
    # only in their first or last digit
    own = [k for k in keys if len(k) == 16] + ["0" * 16, "f" * 16, "0" * 15 + "1", "1" + "0" * 15, "9" * 16, "a" * 16]
    expected = hashlib.sha256(b"vetting-roster-key\n" + "\n".join(sorted(set(own))).encode()).digest()
    assert roster_key(own[::-1] + [None]) == expected
    assert roster_key(own + ["0" * 16 + "0"]) != expected  # (one longer key: sorted as text)


def test_subjects_pseudonymised_by_the_engine_are_those_pseudonymised_after() -> None:
    """The engine may give the checks' subjects their pseudonyms as it makes them
    (`pseudonym=`); the findings are then those of pseudonymising its plain findings, and
    `pseudonymise` copies only the findings still holding a roster key (the roster's own)."""
    import datetime as dt

    from vetting import api
    from vetting.engine import lint as run_lint
    from vetting.pseudonym import Pseudonyms, pseudonymise

    csv = EXAMPLE.with_suffix(".csv")
    policy = api.load_policy(None)
    roster = api._read([csv], policy, sheet=None, lang="zh", notify=lambda n: None)
    key = b"county-secret-0123456789"
    as_of = dt.date(2021, 1, 10)
    plain = run_lint(roster, policy, as_of=as_of).findings
    pseudonyms = Pseudonyms(key)
    early = run_lint(roster, policy, as_of=as_of, pseudonym=pseudonyms).findings
    assert len(plain) == len(early) > 20
    roster_keys = set(roster.frame["person"].drop_nulls().to_list())
    # the checks' subjects have pseudonyms; the roster's own findings (DQ) still its keys
    assert any(f.subject.person in pseudonyms.made for f in early)
    assert any(f.subject.person in roster_keys for f in early)
    done = pseudonymise(early, pseudonyms)
    assert done == pseudonymise(plain, key)
    assert all(f.subject.person is None or f.subject.person in pseudonyms.made for f in done)
    assert not roster_keys & {f.subject.person for f in done}
    kept = [a is b for a, b in zip(early, done, strict=True) if a.subject.person in pseudonyms.made]
    assert kept and all(kept)
