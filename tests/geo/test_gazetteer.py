from __future__ import annotations

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
