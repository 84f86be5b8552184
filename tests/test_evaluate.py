"""The corpus comparison rules (corpus/README.md, "How a record is compared with its label"), rule by rule."""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.commands import eval as eval_command
from crawler.evaluate import (
    evaluate,
    format_diff,
    format_report,
    load_truth,
    normalise,
    published_matches,
    score_page,
    token_f1,
)

REPO = Path(__file__).resolve().parents[1]


def label(**fields) -> dict:
    """A label with every field unlabelled except the ones given."""
    keys = ("title", "published", "published_precision", "authors", "lede", "body", "images", "tags", "lang")
    return {"id": "fundus-xx-Test-20240101", **dict.fromkeys(keys), **fields}


def scored(record: dict, **fields):
    return score_page(record, label(**fields))


# --- Text -----------------------------------------------------------------------------------------


def test_normalise_nfc_zero_width_and_whitespace():
    assert normalise(" Vie\u0302\u0323t\u200b  Nam\n\t") == "Việt Nam"
    assert normalise(None) == ""


def test_token_f1_casefolds_and_ignores_punctuation():
    assert token_f1("Hello, WORLD!", "hello world") == 1.0
    assert token_f1("a b", "a b c d") == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert token_f1(None, "a") == 0.0


# --- title ----------------------------------------------------------------------------------------


def test_title_is_exact_after_normalisation():
    assert scored({"title": "Việt  Nam\u200b"}, title="Việt Nam").fields["title"].ok
    assert not scored({"title": "Việt Nam - VnExpress"}, title="Việt Nam").fields["title"].ok
    assert not scored({"title": "việt nam"}, title="Việt Nam").fields["title"].ok
    assert not scored({}, title="Việt Nam").fields["title"].ok


def test_unlabelled_field_is_not_scored():
    assert "title" not in scored({"title": "anything"}).fields


# --- published ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("got", "want", "precision", "ok"),
    [
        ("2024-05-03T17:47:42+02:00", "2024-05-03T15:47:42.389000+00:00", "second", True),  # same instant
        ("2024-05-03T15:49:11Z", "2024-05-03T15:47:42+00:00", "second", True),  # 89 s
        ("2024-05-03T15:49:13+00:00", "2024-05-03T15:47:42+00:00", "second", False),  # 91 s
        ("2024-05-03T17:47:42+00:00", "2024-05-03T17:47:42+02:00", "second", False),  # two hours apart
        ("2024-05-03T17:47:42", "2024-05-03T17:47:42+02:00", "second", True),  # no offset: wall clocks
        ("2024-05-03T17:47:42+07:00", "2024-05-03T17:47:42", "second", True),  # no offset in the label
        ("2024-05-03", "2024-05-03T17:47:42+02:00", "second", False),  # a date alone against a time
        ("2026-07-21", "2026-07-21T00:00:00+07:00", "minute", False),  # Vietnamese midnight is a time
        ("2026-07-21T00:00+07:00", "2026-07-21T00:00:00+07:00", "minute", True),
        ("2024-04-24", "2024-04-24T00:00:00", "day", True),
        ("2024-04-24T23:10:00+08:00", "2024-04-24T00:00:00+08:00", "day", True),
        ("2024-04-23T16:00:00+00:00", "2024-04-24T00:00:00+08:00", "day", False),  # date as written
        ("3 May 2024", "2024-05-03", "day", False),  # not ISO 8601
        (None, "2024-05-03", "day", False),
    ],
)
def test_published(got, want, precision, ok):
    assert published_matches(got, want, precision) is ok


def test_published_field_uses_the_label_precision():
    result = scored({"published": "2024-04-24"}, published="2024-04-24T00:00:00", published_precision="day")
    assert result.fields["published"].ok


# --- authors --------------------------------------------------------------------------------------


def test_authors_same_casefolded_set():
    page = scored({"authors": ["ANNA Fink", "Jan Marchart"]}, authors=["Jan Marchart", "Anna Fink"])
    assert page.fields["authors"].ok
    assert not scored({"authors": ["Anna Fink", "AFP"]}, authors=["Anna Fink"]).fields["authors"].ok
    assert not scored({"authors": []}, authors=["Anna Fink"]).fields["authors"].ok


def test_authors_labelled_empty_wants_none():
    assert scored({"authors": []}, authors=[]).fields["authors"].ok
    assert scored({}, authors=[]).fields["authors"].ok
    assert not scored({"authors": ["Vietnam+"]}, authors=[]).fields["authors"].ok


# --- lede and body --------------------------------------------------------------------------------


def test_lede_token_f1_threshold():
    want = "one two three four five six seven eight nine ten"
    # 8 of 10 tokens, nothing extra: P 1, R 0.8, F1 0.889.
    assert scored({"lede": "one two three four five six seven eight"}, lede=want).fields["lede"].ok
    # 6 of 10 tokens: F1 0.75.
    assert not scored({"lede": "one two three four five six"}, lede=want).fields["lede"].ok
    # A leftover site mark ("TPO - ") costs one extra token: still above the threshold.
    assert scored({"lede": f"TPO - {want}"}, lede=want).fields["lede"].ok


def test_body_f1_joins_labelled_paragraphs():
    result = scored({"body": "First paragraph.\n\nSecond one."}, body=["First paragraph.", "Second one."])
    assert result.fields["body"].score == 1.0 and result.fields["body"].ok
    result = scored({"body": "First paragraph."}, body=["First paragraph.", "Second one here."])
    assert result.fields["body"].score == pytest.approx(2 * 1.0 * 0.4 / 1.4)
    assert not result.fields["body"].ok


def test_body_with_and_without_snippets():
    record = {"body": "Khoảng 13h,  lửa bốc lên.\n\nXem thêm: tin khác"}
    assert scored(record, body_with=["Khoảng 13h, lửa", "lửa bốc lên."]).fields["body_with"].ok
    result = scored(record, body_with=["Khoảng 13h, lửa", "cuối bài"]).fields["body_with"]
    assert not result.ok and result.expected == ["cuối bài"]  # the diff names the missing snippet
    assert not scored(record, body_without=["Xem thêm"]).fields["body_without"].ok
    assert scored(record, body_without=["Tin liên quan"]).fields["body_without"].ok


# --- images ---------------------------------------------------------------------------------------


def image(caption, credit=None) -> dict:
    return {"url": "https://example.com/a.jpg", "caption": caption, "credit": credit}


def test_captions_pooled_over_pages():
    truth = {
        "p1": label(id="p1", images=[image("A dog runs in the park", "Anna"), image("A cat sleeps", "Ben")]),
        "p2": label(id="p2", images=[image("Rain over the city", None), image(None, "Cy")]),
        "p3": label(id="p3", images=[]),  # labelled: no images, so any extracted caption is imprecise
        "p4": label(id="p4", images=None),  # not labelled: ignored entirely
    }
    records = {
        "p1": {"images": [image("A dog runs in the park.", "anna"), image("Unrelated words here", "Ben")]},
        "p2": {"images": [image("Rain over the city", "Someone")]},
        "p3": {"images": [image("Logo of the site")]},
        "p4": {"images": [image("Whatever")]},
    }
    report = evaluate(records, truth)
    recall, precision, credit = (report.metric(m) for m in ("caption_recall", "caption_precision", "credit"))
    assert (recall.value, recall.n) == (2 / 3, 3)
    assert (precision.value, precision.n) == (2 / 4, 4)
    # "anna" matches "Anna"; the rain photo has no labelled credit; the missed cat does not count.
    assert (credit.value, credit.n) == (1.0, 1)


def test_caption_matching_is_one_to_one():
    page = scored({"images": [image("Same caption"), image("Same caption")]}, images=[image("Same caption")])
    tally = page.captions
    assert (tally.recalled, tally.precise, tally.extracted) == (1, 1, 2)
    assert tally.extra == ["Same caption"]


def test_caption_matching_prefers_the_best_pair():
    # Greedy by F1: the exact pair is taken first, so both labelled captions find a partner.
    want = [image("red car on the bridge at night"), image("red car on the bridge")]
    got = [image("red car on the bridge"), image("red car on the bridge at night")]
    assert scored({"images": got}, images=want).captions.recalled == 2


def test_credit_compared_casefolded_on_matched_captions():
    page = scored({"images": [image("Flood in Hanoi", "Ảnh: AP")]}, images=[image("Flood in Hanoi", "AP")])
    assert (page.captions.credits, page.captions.credits_ok) == (1, 0)
    assert page.captions.bad_credits == [("Flood in Hanoi", "AP", "Ảnh: AP")]


# --- is_article, error lines, groups --------------------------------------------------------------


def test_is_article_and_nothing_else_on_non_articles():
    stub = label(id="vi-baomoi-1", is_article=False, images=[image("x")])
    page = score_page({"page_type": "redirect", "title": "Báo Mới"}, stub)
    assert list(page.fields) == ["is_article"] and page.fields["is_article"].ok
    assert page.captions is None
    assert not score_page({"page_type": "article"}, stub).fields["is_article"].ok
    assert score_page({"page_type": "article"}, label(is_article=True)).fields["is_article"].ok


def test_error_line_scores_as_an_empty_record():
    want = label(title="T", authors=[], images=[image("c")])
    page = score_page({"id": "x", "error": "ValueError: boom", "title": "T"}, want)
    assert page.error == "ValueError: boom"
    assert not page.fields["title"].ok
    assert page.fields["authors"].ok  # an empty record has no authors, which is right here
    assert page.captions.recalled == 0


def test_missing_record_scores_as_empty_and_is_reported():
    report = evaluate({}, {"a": label(id="a", title="T")})
    assert report.errors == {"a": "no record"}
    assert report.metric("title").value == 0.0


def test_language_primary_subtag():
    assert scored({"language": "en"}, lang="en-US").fields["language"].ok
    assert not scored({"language": "de"}, lang="en").fields["language"].ok


def test_groups_put_vnexpress_with_the_vietnamese_sites():
    truth = {
        "fundus-vn-VnExpress-1": label(id="fundus-vn-VnExpress-1", lang="vi", title="A"),
        "fundus-de-FAZ-1": label(id="fundus-de-FAZ-1", lang="de", title="B"),
        "vi-dantri-1": label(id="vi-dantri-1", lang="vi", title="C"),
        "readability-x": label(id="readability-x", title="D"),
    }
    records = {k: {"title": v["title"]} for k, v in truth.items()}
    report = evaluate(records, truth)
    assert report.group_sizes == {"all": 4, "fundus": 2, "readability": 1, "vi": 2}
    assert report.metric("title", "vi") == report.metric("title", "fundus")


# --- Output ---------------------------------------------------------------------------------------


def test_format_report_is_an_aligned_table():
    truth = {"a": label(id="a", title="T"), "vi-b": label(id="vi-b", title="U")}
    text = format_report(evaluate({"a": {"title": "T"}}, truth))
    lines = text.splitlines()
    assert lines[0].split() == ["all", "fundus", "readability", "vi"]
    title_row = next(line for line in lines if line.startswith("title"))
    assert title_row.split()[1:3] == ["0.500", "(2)"]
    assert len({len(line) for line in lines[:3]}) == 1  # header, pages and title rows align
    assert "scored as empty" in text


def test_format_diff_shows_only_wrong_fields():
    truth = {
        "a": label(id="a", title="Right", lede="one two three", images=[image("Flood", "AP")]),
        "b": label(id="b", title="Right"),
    }
    records = {
        "a": {"title": "Right", "lede": "other words", "images": [image("Flood", "Reuters")]},
        "b": {"title": "Right"},
    }
    text = format_diff(evaluate(records, truth).pages)
    assert text.startswith("a\n") and "\nb" not in text
    assert "lede" in text and "title" not in text
    assert "“AP”" in text and "“Reuters”" in text


def test_format_diff_names_missing_and_extra_body_paragraphs():
    want = ["The mayor opened the bridge on Monday.", "Traffic is expected to ease next month."]
    got = "The mayor opened the bridge on Monday.\n\nSubscribe to our newsletter for daily updates"
    text = format_diff([score_page({"body": got}, label(id="p", body=want))])
    assert "missing “Traffic is expected" in text
    assert "extra   “Subscribe to our newsletter" in text
    assert "opened the bridge" not in text


def test_format_diff_windows_long_values_at_the_difference():
    want = "x" * 300 + " tail A"
    text = format_diff([score_page({"title": "x" * 300 + " tail B"}, label(id="p", title=want))])
    assert "tail A" in text and "tail B" in text and len(max(text.splitlines(), key=len)) < 150


def test_evaluate_imports_no_scrapy():
    code = "import sys, crawler.evaluate; sys.exit('scrapy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False).returncode == 0


# --- The `crawler eval` command (with --records: no extractor needed) -----------------------------


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    labels = [
        label(id="fundus-xx-A-1", site="example.com", title="Alpha"),
        label(id="vi-vnexpress-1", site="e.vnexpress.net", title="Beta", lang="vi"),
    ]
    write_jsonl(tmp_path / "truth.jsonl", labels)
    records = [{"id": "fundus-xx-A-1", "title": "Alpha"}, {"id": "vi-vnexpress-1", "error": "boom"}]
    write_jsonl(tmp_path / "records.jsonl", records)
    return tmp_path


def run_eval(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    eval_command.add_arguments(parser)
    return eval_command.run(parser.parse_args(argv))


def test_eval_command_scores_records(corpus, capsys):
    assert run_eval(str(corpus), "--records", str(corpus / "records.jsonl"), "--diff") == 0
    out, err = capsys.readouterr()
    assert "0.500 (2)" in out  # title: one right, one error line
    assert "vi-vnexpress-1\n  error       boom" in out
    assert "2 pages read" in err and "vi-vnexpress-1: scored as empty (boom)" in err


def test_eval_command_site_filter(corpus, capsys):
    records = str(corpus / "records.jsonl")
    assert run_eval(str(corpus), "--records", records, "--site", "example.com") == 0
    assert "1.000 (1)" in capsys.readouterr().out
    # e.vnexpress.net ends with vnexpress.net; its only page is an error line, so nothing was scored: exit 1.
    assert run_eval(str(corpus), "--records", records, "--site", "vnexpress.net") == 1
    assert "0.000 (1)" in capsys.readouterr().out
    assert run_eval(str(corpus), "--records", records, "--site", "nowhere.org") == 2


def test_eval_command_rejects_bad_input(corpus, tmp_path, capsys):
    assert run_eval(str(tmp_path / "missing")) == 2
    (corpus / "bad.jsonl").write_text('{"title": "no id"}\n', encoding="utf-8")
    assert run_eval(str(corpus), "--records", str(corpus / "bad.jsonl")) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_load_truth_by_id(corpus):
    assert list(load_truth(corpus)) == ["fundus-xx-A-1", "vi-vnexpress-1"]


def test_extract_corpus_scores_a_raising_page_as_an_error(tmp_path, monkeypatch):
    import crawler.extract

    class Record:
        def __init__(self, html, url, fetched_at):
            if b"boom" in html:
                raise ValueError("unprocessable")
            self.seen = {"title": html.decode(), "url": url, "crawled_at": fetched_at.isoformat()}

        def to_dict(self):
            return self.seen

    monkeypatch.setattr(crawler.extract, "build_record", Record, raising=False)
    (tmp_path / "pages").mkdir()
    manifest = []
    for page_id, html in (("ok", b"Fine"), ("bad", b"boom"), ("other", b"not asked for")):
        (tmp_path / "pages" / f"{page_id}.html.gz").write_bytes(gzip.compress(html))
        path, when = f"pages/{page_id}.html.gz", "2024-05-03T18:19:08+00:00"
        manifest.append({"id": page_id, "path": path, "url": f"https://x/{page_id}", "fetched_at": when})
    write_jsonl(tmp_path / "manifest.jsonl", manifest)

    records = eval_command.extract_corpus(tmp_path, ["ok", "bad"])
    assert records == {
        "ok": {"title": "Fine", "url": "https://x/ok", "crawled_at": "2024-05-03T18:19:08+00:00"},
        "bad": {"id": "bad", "error": "ValueError: unprocessable"},
    }
