from __future__ import annotations

from pathlib import Path

import pytest

from docket.geo.gazetteer import GazPlace, read_packaged
from docket.geo.normalize import skeletons_of_keys


def test_prebuilt_variant_index_matches_the_computed_one() -> None:
    gaz = read_packaged()
    keys = list(gaz._keys)
    gaz._skeleton_index()
    for key, skel in zip(keys[::97], skeletons_of_keys(keys[::97]), strict=True):
        assert key in gaz._skeleton_keys(skel), key


def test_spelling_variant_found_through_the_prebuilt_index() -> None:
    found = read_packaged().candidates("Kafr Nabal")
    assert [(m.place.name, m.place.admin1) for m in found] == [("Kafranbel", "Idlib")]


def test_place_added_after_loading_is_found_by_its_spelling_variant() -> None:
    gaz = read_packaged()
    gaz.add(GazPlace(7, "Tell Qarqoor", "city", 35.9, 36.2, "SY", "12", "Idlib", "", 400))
    found = gaz.candidates("Tal Qarqur")
    assert [(m.place.id, m.place.name) for m in found] == [(7, "Tell Qarqoor")]


def test_overlay_keeps_the_prebuilt_variant_index_usable() -> None:
    from docket.geo.ops import _overlay

    base = read_packaged()
    assert [m.place.name for m in base.candidates("Kafr Nabal")] == ["Kafranbel"]
    gaz = _overlay(base)
    gaz.add(GazPlace(7, "Tell Qarqoor", "city", 35.9, 36.2, "SY", "12", "Idlib", "", 400))
    assert [m.place.name for m in gaz.candidates("Kafr Nabal")] == ["Kafranbel"]
    assert [m.place.id for m in gaz.candidates("Tal Qarqur")] == [7]
    assert base.candidates("Tal Qarqur") == []


def test_packaged_tables_are_cached_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKET_CACHE_DIR", str(tmp_path))
    parsed = read_packaged()
    (entry,) = tmp_path.iterdir()
    assert sorted(f.name for f in entry.iterdir()) == ["first_words", "main", "skeletons"]
    cached = read_packaged()
    assert cached._skeleton_file == entry / "skeletons"
    assert len(cached) == len(parsed) == 289_785
    assert [(p.id, p.lat, p.lon) for p in cached.lookup("Kafr Nabl")] == [
        (p.id, p.lat, p.lon) for p in parsed.lookup("Kafr Nabl")
    ]
    assert [m.place.name for m in cached.candidates("Kafr Nabal")] == ["Kafranbel"]
    assert cached.starts_a_key("kafr") is True
    assert cached.starts_a_key("qqqzx") is False
    cached.add(GazPlace(7, "Tell Qarqoor", "city", 35.9, 36.2, "SY", "12", "Idlib", "", 400))
    assert [m.place.id for m in cached.candidates("Tal Qarqur")] == [7]


def test_unreadable_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKET_CACHE_DIR", str(tmp_path))
    read_packaged()
    (entry,) = tmp_path.iterdir()
    (entry / "main").write_bytes(b"not marshal data")
    (entry / "skeletons").unlink()
    gaz = read_packaged()
    assert gaz._skeleton_file is None  # parsed from the packaged file again
    assert [m.place.name for m in gaz.candidates("Kafr Nabal")] == ["Kafranbel"]
    assert (entry / "skeletons").is_file()
    assert [m.place.name for m in read_packaged().candidates("Kafr Nabal")] == ["Kafranbel"]


def test_overlay_of_a_cached_gazetteer_finds_base_and_added_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.geo.ops import _overlay

    monkeypatch.setenv("DOCKET_CACHE_DIR", str(tmp_path))
    read_packaged()
    base = read_packaged()
    gaz = _overlay(base)
    gaz.add(GazPlace(7, "Zyqxab Tell", "city", 35.9, 36.2, "SY", "12", "Idlib", "", 400))
    assert gaz.starts_a_key("zyqxab") is True
    assert base.starts_a_key("zyqxab") is False
    assert [m.place.name for m in gaz.candidates("Kafr Nabal")] == ["Kafranbel"]
