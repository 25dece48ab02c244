"""Items read or scored in bulk are built without the frozen dataclass's __init__: the same objects."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal
from pathlib import Path

from parcli.config.campaign import Campaign
from parcli.results import consolidated, scoring
from parcli.results.consolidated import ConsolidatedItem


def _same(built: object, reference: object) -> None:
    assert type(built) is type(reference)
    assert built == reference
    try:
        expected: int | None = hash(reference)
    except TypeError:  # an ItemScore's leaf holds its rule's options, a list
        expected = None
    if expected is not None:
        assert hash(built) == expected
    assert repr(built) == repr(reference)
    assert vars(built) == vars(reference)
    assert list(vars(built)) == [f.name for f in dataclasses.fields(reference)]  # type: ignore[arg-type]


def test_no_post_init() -> None:
    """The bulk builders skip __init__: they would skip a __post_init__ too."""
    assert not hasattr(ConsolidatedItem, "__post_init__")
    assert not hasattr(scoring.ItemScore, "__post_init__")


def test_a_row_item_is_a_consolidated_item() -> None:
    values = ("1.1.1", Decimal("1"), "self", Decimal("0.5"), False, None, "", "giải trình", "", "Đã nhận", "a.xlsx")
    extra = ("G12", "", "")
    reference = ConsolidatedItem(*values, *extra)
    _same(consolidated._row_item(*values, *extra), reference)
    assert [f.name for f in dataclasses.fields(ConsolidatedItem)] == list(
        consolidated._row_item.__code__.co_varnames[: consolidated._row_item.__code__.co_argcount]
    )
    frozen = consolidated._row_item(*values, *extra)
    try:
        frozen.code = "x"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("not frozen")
    assert dataclasses.replace(frozen, score=None).score is None


def test_scored_items_are_item_scores(campaign: Campaign) -> None:
    (scope,) = campaign.scopes
    rng = random.Random(3)
    rows = {
        leaf.code: ConsolidatedItem(
            leaf.code, None, "self", Decimal(rng.choice(["0", "0.5"])), rng.random() < 0.2, None, "", "x", "", "", ""
        )
        for leaf in scope.catalogue.leaves
    }
    for item in scoring._item_scores(scope, rows, {"8.1.1": Decimal(1)}).values():
        _same(item, scoring.ItemScore(**{f.name: getattr(item, f.name) for f in dataclasses.fields(item)}))


def test_a_consolidated_workbook_reads_the_same(campaign: Campaign, tmp_path: Path) -> None:
    """Every field of every row, as the dataclass builds it."""
    from parcli.results.consolidated_write import write_consolidated
    from parcli.rounds.scoring.merge import merge_returns

    returns = tmp_path / "returns"
    returns.mkdir()
    out = tmp_path / "tong-hop.xlsx"
    write_consolidated(merge_returns(campaign, returns), out)
    data = consolidated.load_consolidated(out)
    for items in data.rows.values():
        for item in items.values():
            _same(item, ConsolidatedItem(*dataclasses.astuple(item)))
