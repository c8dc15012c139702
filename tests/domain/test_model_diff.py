"""The model diff on plain states: merges, splits and moves named once, a snapshot round trip, an old snapshot."""

from gtcode.domain.model_diff import CodeState, ModelState, RelationshipState, model_diff, state_from_snapshot


def codes(*rows) -> dict[int, CodeState]:
    return {row[0]: CodeState(*row) for row in rows}


RELEASED = ModelState(
    codes(
        (1, "a1", "phenomenon", "Video", 10, "", frozenset({100, 101})),
        (2, "a2", "phenomenon", "Phone", 10, "", frozenset({102})),
        (3, "a3", "phenomenon", "Fibre", 11, "", frozenset({103})),
        (10, "aa1", "concept", "Remote", 20, "Services at a distance"),
        (11, "aa2", "concept", "Networks", 21, ""),
        (20, "A1", "category", "Sharing", 30, ""),
        (21, "A2", "category", "Infrastructure", 30, ""),
        (30, "M1", "main", "Supply", None, ""),
    ),
    {5: RelationshipState(5, "R1", 21, "causal", 20, None), 6: RelationshipState(6, "R2", 30, "safeguard", None, 5)},
    {(30, "causal"): ((21,), "")}, core_id=None, storyline="One story.",
)


def test_a_snapshot_survives_its_json_form():
    assert state_from_snapshot(RELEASED.as_dict("2026-01-01T00:00:00")) == RELEASED


def test_merge_split_and_move_are_each_named_once():
    now = dict(RELEASED.codes)
    del now[11]  # aa2 merged into aa1: its phenomenon a3 moved along
    now[3] = CodeState(3, "a3", "phenomenon", "Fibre", 10, "", frozenset({103}))
    now[12] = CodeState(12, "aa3", "concept", "Calls", 20, "")  # split from aa1: a2 went to it
    now[2] = CodeState(2, "a2", "phenomenon", "Phone", 12, "", frozenset({102}))
    now[40] = CodeState(40, "a4", "phenomenon", "Video calls", 10, "", frozenset({101}))  # split from a1
    now[1] = CodeState(1, "a1", "phenomenon", "Video", 10, "", frozenset({100}))
    changes = model_diff(RELEASED, ModelState(now, RELEASED.relationships, RELEASED.paradigm, None, None, "One story."),
                         {100: 1, 101: 40, 102: 2, 103: 3})
    assert [c.text for c in changes] == [
        "a1 Video split: a4 took 1 of its 2 codings", "aa1 Remote split: aa3 took 1 of its 2 codes", "aa2 Networks merged into aa1",
        "aa3 Calls is new", "a4 Video calls is new"]


def test_relationships_on_relationships_paradigm_and_story_are_compared():
    now = ModelState(RELEASED.codes, {5: RelationshipState(5, "R1", 21, "supports", 20, None)}, {}, 30, None, "Two.")
    assert [(c.kind, c.level, c.text) for c in model_diff(RELEASED, now, {})] == [
        ("relationship", "main", "relationship R2 (M1 safeguard R1) removed"),
        ("relationship", "main", "relationship R1 retyped from causal to supports"),
        ("paradigm", "main", "paradigm of M1, causal conditions: A2 removed"),
        ("core", "core", "core category changed from (none) to M1"),
        ("story line", "core", "the story line was rewritten"),
    ]


def test_an_old_snapshot_compares_codes_only():
    old = state_from_snapshot({"codes": [{"id": 20, "ref": "A1", "level": "category", "label": "Sharing",
                                          "parent_id": None, "parent_ref": None}]})
    now = ModelState(codes((20, "A1", "category", "Sharing", 30, "A definition"), (30, "M1", "main", "Supply", None, "")),
                     {}, {}, 30, None, "Story.")
    assert old.complete is False  # the definition, core and story line were not recorded: not compared
    assert [c.text for c in model_diff(old, now, {})] == ["M1 Supply is new", "A1 Sharing moved from (none) to M1"]
