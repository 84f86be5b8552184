"""Health verdicts (crawler/health.py): a sharp drop of a field's share, errors, a run that found nothing."""

from __future__ import annotations

from crawler.health import Limits, judge, shares

LIMITS = Limits(drop=0.5, error_rise=0.2, min_articles=5)


def run(**changes) -> dict:
    counts = {"pages": 30, "failed": 0, "links": 40, "articles": 20, "published": 20, "authors": 18, "lede": 20,
              "images": 20, "captioned": 19}  # fmt: skip
    return {**counts, **changes}


def test_a_usual_run_is_healthy():
    assert judge(run(authors=15), [run(), run(authors=20)], LIMITS) == []


def test_a_field_that_drops_below_half_its_usual_share_is_named_with_the_numbers():
    (problem,) = judge(run(published=2), [run(), run(), run()], LIMITS)
    assert problem.field == "published" and problem.share == 0.1 and problem.usual == 1.0 and problem.runs == 3
    assert problem.message == "published: 10% of 20 articles had a date, usually 100% (the last 3 runs)"


def test_captions_are_a_share_of_images():
    (problem,) = judge(run(captioned=0), [run()], LIMITS)
    assert problem.message == "captioned: 0% of 20 images had a caption (of images), usually 95% (the last run)"


def test_a_field_the_site_never_had_is_not_a_drop():
    assert judge(run(authors=0), [run(authors=0)], LIMITS) == []


def test_nothing_fetched_and_no_links_are_unhealthy_without_history():
    (down,) = judge(run(pages=0, failed=12, articles=0), [], LIMITS)
    assert down.field == "pages" and "nothing fetched" in down.message
    (blind,) = judge(run(links=0, articles=0), [], LIMITS)
    assert blind.field == "links"


def test_errors_rising_by_the_limit():
    (problem,) = judge(run(failed=9), [run(failed=1)], LIMITS)
    assert problem.field == "errors" and problem.message == "errors: 30% of 30 pages failed, usually 3%"
    assert judge(run(failed=3), [run(failed=1)], LIMITS) == []


def test_small_runs_and_first_runs_are_not_judged_on_shares():
    assert judge(run(articles=3, published=0), [run()], LIMITS) == []
    assert judge(run(published=0), [], LIMITS) == []


def test_shares_for_tables():
    assert shares(run(images=0, captioned=0)) == {"published": 1.0, "authors": 0.9, "lede": 1.0, "captioned": None,
                                                  "errors": 0.0}  # fmt: skip
