"""One identity check for every form kind: each step's slug, and messages that name the kind's document."""

from __future__ import annotations

import pytest

from parcli.collect.form import Identity, check_identity
from parcli.config.campaign import Campaign
from parcli.problems import Problem, ProblemCollector
from parcli.rounds.appraisal.read import IDENTITY as APPRAISAL
from parcli.rounds.lists.read import IDENTITY as LISTS
from parcli.rounds.remedy.read import IDENTITY as REMEDY
from parcli.rounds.scoring.read import IDENTITY as SCORING

KINDS = [SCORING, LISTS, APPRAISAL, REMEDY]


def _meta(identity: Identity, campaign: Campaign) -> dict[str, str]:
    """Metadata that passes every check of ``identity`` in ``campaign``."""
    dept = campaign.departments[0]
    meta = {"kind": identity.kind, "layout_version": identity.layout_version, "campaign_id": campaign.id}
    for key, value in (
        (identity.owner_key, dept.id),
        (identity.round_key, campaign.round_id or ""),
        (identity.catalogue_key, dept.catalogue.content_hash),
    ):
        if key is not None:
            meta[key] = value
    return meta


def _check(meta: dict[str, str] | None, identity: Identity, campaign: Campaign) -> list[Problem]:
    problems: list[Problem] = []
    assert check_identity(meta, identity, campaign, ProblemCollector(problems, "a.xlsx")) == (problems == [])
    return problems


@pytest.mark.parametrize("identity", KINDS, ids=lambda i: i.kind)
def test_issued_metadata_passes(identity: Identity, campaign: Campaign) -> None:
    assert _check(_meta(identity, campaign), identity, campaign) == []


@pytest.mark.parametrize("identity", KINDS, ids=lambda i: i.kind)
@pytest.mark.parametrize(
    ("change", "slug"),
    [
        ("gone", "metadata-missing"),
        ("kind", "metadata-missing"),
        ("layout_version", "unsupported-layout"),
        ("campaign_id", "wrong-campaign"),
        ("round", "wrong-round"),
        ("catalogue", "wrong-catalogue-version"),
    ],
)
def test_each_step_has_its_slug_and_says_what_to_do(
    identity: Identity, change: str, slug: str, campaign: Campaign
) -> None:
    meta: dict[str, str] | None = _meta(identity, campaign)
    assert meta is not None
    if change == "gone":
        meta = None
    elif change in ("round", "catalogue"):
        key = identity.round_key if change == "round" else identity.catalogue_key
        if key is None:  # a kind that does not check it accepts any value there
            other = SCORING.round_key if change == "round" else SCORING.catalogue_key
            assert other is not None
            meta[other] = "khac"
            assert _check(meta, identity, campaign) == []
            return
        meta[key] = "khac"
    else:
        meta[change] = "khac"
    [problem] = _check(meta, identity, campaign)
    assert problem.slug == slug
    assert identity.document in problem.message.casefold()
    assert "Đề nghị" in problem.message


def test_a_scoring_return_among_the_lists_is_named(campaign: Campaign) -> None:
    [problem] = _check(_meta(SCORING, campaign), LISTS, campaign)
    assert problem.message.startswith("Tệp này là phiếu chấm điểm Chỉ số CCHC, không phải danh sách")


def test_a_return_issued_before_rounds_were_declared_is_accepted(campaign: Campaign) -> None:
    meta = _meta(SCORING, campaign)
    del meta["round_id"]
    assert _check(meta, SCORING, campaign) == []
    remedy = _meta(REMEDY, campaign)
    del remedy["round_id"]
    assert [p.slug for p in _check(remedy, REMEDY, campaign)] == ["wrong-round"]
