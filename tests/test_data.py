"""Tests of the data package (data/datapackage.json) and its loader (maskbook.book.data).

Every bad-input test works on a temporary copy of data/ selected with MASKBOOK_DATA, and checks
that the error names the file, the CSV line, the field and the value in plain words, and keeps
the rule broken in its structured ``errors``.
"""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import maskbook
from maskbook.book import data

DATA = Path(maskbook.DATA_DIR)
PKG = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
NAMES = [r["name"] for r in PKG["resources"]]
EXPECTED = ["pew_unfavorable", "pew_covid_handling", "pew_xi_confidence", "pew_italy_trend", "swg_friends_enemies",
            "piepoli_barometer", "ecfr_worldview", "other_surveys", "shipments", "medical_teams",
            "purchases_vs_donations", "trade_masks", "twitter_bots", "other_donors", "timeline"]
PROVENANCE = ["source_title", "source_publisher", "source_date", "source_url", "source_locator", "secondhand", "notes"]
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def rows(name: str, root: Path = DATA) -> list[dict]:
    with (root / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def edit_cell(root: Path, name: str, row_index: int, field: str, value: str) -> int:
    """Set one cell; return the CSV line number of that row (header is line 1)."""
    path = root / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, body = reader.fieldnames, list(reader)
    body[row_index][field] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(body)
    return row_index + 2


def assert_error(name: str, line: int, field: str, value: str, rule: str):
    with pytest.raises(data.DataValidationError) as info:
        data.load_table(name)
    err = info.value
    assert isinstance(err, ValueError)
    msg = str(err)
    assert f"{name}.csv" in msg
    assert f"line {line}" in msg
    assert field in msg
    assert repr(value) in msg or value.startswith("(")  # "(empty)", "(column absent ...)"
    assert "-error" not in msg and "/default" not in msg  # plain words, not frictionless's
    assert any(p["line"] == line and p["field"] == field and p["value"] == value and rule in p["rule"]
               for p in err.errors), err.errors
    return msg


# ---------------------------------------------------------------- the package itself

def test_frictionless_validate_cli_passes():
    # README's `frictionless validate`, run by this Python (no lookup on PATH)
    proc = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"], cwd=DATA,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_frictionless_validate_api_passes():
    from frictionless import Package

    report = Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_resources_are_the_expected_tables():
    assert NAMES == EXPECTED
    assert data.list_tables() == NAMES
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in NAMES)


def test_every_csv_under_data_is_a_resource():
    csvs = sorted(p.name for p in DATA.glob("*.csv"))
    assert csvs == sorted(r["path"] for r in PKG["resources"])
    assert not any(r["path"].startswith("source/") for r in PKG["resources"])


def test_package_licence_and_resource_metadata():
    assert PKG["licenses"][0]["name"] == "CC-BY-4.0"
    assert "publishers" in PKG["licence_note"]
    for r in PKG["resources"]:
        for key in ("title", "description", "source_line", "sources", "schema"):
            assert r.get(key), (r["name"], key)
        assert r["schema"]["primaryKey"] == ["row_id"]
        assert r["encoding"] == "utf-8"
    info = data.table_info("shipments")
    assert info["licence"] == "CC-BY-4.0" and info["path"] == data.csv_path("shipments")
    assert info["source_line"] and info["sources"] and info["title"] and info["description"]


def test_every_row_has_a_source_and_provenance_columns():
    for name in NAMES:
        body = rows(name)
        assert body, name
        src_cols = [c for c in body[0] if "source" in c]
        assert any(all(r[c].strip() for r in body) for c in src_cols), name
        if name != "timeline":
            for col in PROVENANCE:
                assert col in body[0], (name, col)
            assert all(r["source_title"].strip() and r["source_publisher"].strip() for r in body), name
            assert {r["secondhand"] for r in body} <= {"yes", "no"}


def test_every_row_source_is_listed_in_its_resource_sources():
    for r in PKG["resources"]:
        listed_paths = {s.get("path") for s in r["sources"]}
        listed_titles = {s["title"] for s in r["sources"]}
        keys = {s["bibkey"] for s in r["sources"]}
        for row in rows(r["name"]):
            if r["name"] == "timeline":
                assert row["source_key"] in keys, row["row_id"]
            else:
                assert row["source_url"] in listed_paths or row["source_title"] in listed_titles, (r["name"], row["row_id"])


def test_sources_have_the_agreed_shape_and_shared_unique_bibkeys():
    by_key = {}
    for r in PKG["resources"]:
        for s in r["sources"]:
            assert set(s) >= {"title", "kind", "secondhand", "bibkey"}, s
            assert s["kind"] in {"news", "report", "web", "dataset", "blog"}
            assert isinstance(s["secondhand"], bool)
            assert re.fullmatch(r"[a-z0-9]+", s["bibkey"]), s["bibkey"]
            if "date" in s:
                assert DATE_RE.match(s["date"])
            ident = s.get("path") or s["title"]
            assert by_key.setdefault(s["bibkey"], ident) == ident, f"bibkey {s['bibkey']} names two documents"
    idents = list(by_key.values())
    assert len(idents) == len(set(idents)), "one document carries two bibkeys"


def article_keys() -> set[str]:
    """Keys of the works cited in the article's notes (the parse that writes references.bib)."""
    from maskbook.notes.parse import full_works, parse_file

    return {w.key for w in full_works(parse_file(DATA / "source" / "notes.txt"))}


def bib_keys() -> set[str]:
    """Every key of the generated references.bib."""
    bib = (DATA.parent / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bib))


def test_timeline_source_keys_exist_in_bibliography_or_data_sources():
    known = article_keys()
    data_keys = {s["bibkey"] for r in PKG["resources"] if r["name"] != "timeline" for s in r["sources"]}
    for row in rows("timeline"):
        assert row["source_key"] in known | data_keys, (row["row_id"], row["source_key"])
        assert row["source_key"] in bib_keys(), (row["row_id"], row["source_key"])
        if row["source_key"] not in known:
            assert row["source_key"] in data_keys


def test_data_bibkeys_do_not_shadow_article_keys():
    known = article_keys()
    for r in PKG["resources"]:
        if r["name"] == "timeline":
            continue
        for s in r["sources"]:
            assert s["bibkey"] not in known, s["bibkey"]


def test_timeline_is_january_to_october_2020_plus_flagged_context():
    for row in rows("timeline"):
        if row["phase"] == "context":
            assert row["date"] < "2020"
        else:
            assert "2020-01" <= row["date"][:7] <= "2020-10", row
        assert {"day": 10, "month": 7, "year": 4}[row["date_precision"]] == len(row["date"])


def test_partial_dates_are_kept_as_strings():
    df = data.load_table("shipments")
    assert df["date"].dropna().map(lambda s: bool(DATE_RE.match(s))).all()
    assert (df["date"].dropna().str.len() == 7).any()  # month-only dates not padded to a day


# ---------------------------------------------------------------- loader dtypes

def test_load_table_dtypes():
    s = data.load_table("pew_unfavorable")
    assert s["percent"].dtype == "float64"
    assert s["change_pp"].dtype == "float64"
    assert str(s["sample_size"].dtype) == "Int64"
    assert str(s["secondhand"].dtype) == "boolean"
    assert pd.api.types.is_string_dtype(s["country"]) and pd.api.types.is_string_dtype(s["published"])
    sh = data.load_table("shipments")
    for col in ("masks", "ventilators", "protective_suits", "test_kits", "medical_staff"):
        assert str(sh[col].dtype) == "Int64", col
    assert sh["weight_tonnes"].dtype == "float64"
    assert str(sh["count_in_totals"].dtype) == "boolean"
    assert sh["masks"].isna().any()  # empty stays missing, not 0


def test_load_table_keeps_every_row_and_value():
    for name in NAMES:
        df = data.load_table(name)
        raw = rows(name)
        assert len(df) == len(raw), name
        assert list(df.columns) == list(raw[0]), name
    df = data.load_table("pew_unfavorable")
    italy = df[(df.country == "Italy") & (df.answer == "unfavorable (very + somewhat)")]
    assert italy["percent"].tolist() == [62.0]


def test_load_is_cached_and_returns_copies():
    a = data.load_table("timeline")
    a.loc[0, "event"] = "changed"
    b = data.load_table("timeline")
    assert b.loc[0, "event"] != "changed"


def test_an_edited_descriptor_is_read_again(bad_data):
    """The descriptor is parsed once per version (a chapter asks for it with every figure), and an
    edit to it is seen at the next call, even within the same second and at the same size."""
    path = bad_data / "datapackage.json"
    title = data.table_info("timeline")["title"]
    data.table_info("timeline")["fields"].append("changed")  # what callers get is theirs to change
    assert "changed" not in data.table_info("timeline")["fields"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'"title": "{title}"', f'"title": "{title[::-1]}"', 1), encoding="utf-8")
    assert data.table_info("timeline")["title"] == title[::-1]


def test_unknown_table_is_a_clear_keyerror():
    with pytest.raises(KeyError, match="no_such_table"):
        data.load_table("no_such_table")


def test_env_var_points_the_loader_elsewhere(bad_data):
    assert data.data_dir() == bad_data.resolve()
    assert data.csv_path("timeline") == bad_data.resolve() / "timeline.csv"


# ---------------------------------------------------------------- bad inputs

def test_missing_column(bad_data):
    path = bad_data / "timeline.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["actors"])
    df.to_csv(path, index=False)
    assert_error("timeline", 1, "actors", "(column absent from the header)", "missing-label")


def test_malformed_date(bad_data):
    line = edit_cell(bad_data, "pew_unfavorable", 2, "published", "2020-13-45")
    assert_error("pew_unfavorable", line, "published", "2020-13-45", "pattern")


def test_invented_day_format_is_rejected(bad_data):
    line = edit_cell(bad_data, "shipments", 0, "date", "1 March 2020")
    assert_error("shipments", line, "date", "1 March 2020", "pattern")


def test_percent_over_100(bad_data):
    line = edit_cell(bad_data, "pew_unfavorable", 3, "percent", "130")
    msg = assert_error("pew_unfavorable", line, "percent", "130", "maximum")
    assert "100" in msg


def test_non_numeric_percent_is_not_coerced(bad_data):
    line = edit_cell(bad_data, "swg_friends_enemies", 0, "percent", "about 50")
    assert_error("swg_friends_enemies", line, "percent", "about 50", "type-error")


def test_unknown_category(bad_data):
    line = edit_cell(bad_data, "shipments", 4, "donor_type", "martian_embassy")
    assert_error("shipments", line, "donor_type", "martian_embassy", "enum")


def test_unknown_transfer_type(bad_data):
    line = edit_cell(bad_data, "other_donors", 1, "transfer_type", "gift?")
    assert_error("other_donors", line, "transfer_type", "gift?", "enum")


def test_empty_source(bad_data):
    line = edit_cell(bad_data, "trade_masks", 5, "source_title", "")
    assert_error("trade_masks", line, "source_title", "(empty)", "required")


def test_duplicate_key(bad_data):
    first = rows("medical_teams", bad_data)[0]["row_id"]
    line = edit_cell(bad_data, "medical_teams", 3, "row_id", first)
    assert_error("medical_teams", line, "row_id", first, "primary-key")


def test_several_errors_are_all_listed(bad_data):
    l1 = edit_cell(bad_data, "ecfr_worldview", 0, "percent", "130")
    l2 = edit_cell(bad_data, "ecfr_worldview", 1, "confidence", "very high")
    with pytest.raises(data.DataValidationError) as info:
        data.load_table("ecfr_worldview")
    msg = str(info.value)
    assert f"line {l1}" in msg and f"line {l2}" in msg and "'very high'" in msg and "'130'" in msg
    assert len(info.value.errors) == 2


def test_fixing_the_file_clears_the_error(bad_data):
    path = bad_data / "twitter_bots.csv"
    good = path.read_bytes()
    edit_cell(bad_data, "twitter_bots", 0, "value", "-5")
    with pytest.raises(data.DataValidationError):
        data.load_table("twitter_bots")
    path.write_bytes(good)
    assert len(data.load_table("twitter_bots")) == 7


# ---------------------------------------------------------------- messages in plain words

@pytest.mark.parametrize("name, row, field, value, expected", [
    ("shipments", 1, "masks", "abc", "line 3 of data/shipments.csv: masks must be a whole number, got 'abc'"),
    ("shipments", 1, "date", "1 March 2020",
     "line 3 of data/shipments.csv: date must be a date written YYYY, YYYY-MM or YYYY-MM-DD, got '1 March 2020'"),
    ("trade_masks", 5, "source_title", "", "line 7 of data/trade_masks.csv: source_title must not be empty"),
    ("pew_unfavorable", 3, "percent", "130", "line 5 of data/pew_unfavorable.csv: percent must be at most 100, got '130'"),
    ("shipments", 4, "secondhand", "maybe", "line 6 of data/shipments.csv: secondhand must be 'yes' or 'no', got 'maybe'"),
])
def test_one_bad_cell_is_one_plain_line(bad_data, name, row, field, value, expected):
    edit_cell(bad_data, name, row, field, value)
    with pytest.raises(data.DataValidationError) as info:
        data.load_table(name)
    assert str(info.value) == expected
