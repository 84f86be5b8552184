"""`crawler extract`, run in-process through `main()`: inputs, output lines, errors, the manifest."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone

import pytest

from crawler.cli import main


def page(title: str, body: str = "Nội dung bài viết thử nghiệm, viết riêng cho bộ kiểm thử này.") -> bytes:
    """A small article page; the title is everywhere a title is looked for, so any extractor agrees on it."""
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:title" content="{title}">
</head><body>
<article>
  <h1>{title}</h1>
  <p>{body}</p>
  <p>Đoạn thứ hai của bài, đủ dài để được coi là một phần của thân bài chứ không phải chú thích.</p>
</article>
</body></html>""".encode()


def run_extract(capsys, *argv: str) -> tuple[int, list[dict], str]:
    code = main(["extract", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def write_manifest(path, entries: list[dict | str]) -> None:
    lines = [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("crawler 0.")


def test_file_gives_one_record_with_the_path_as_id(tmp_path, capsys):
    path = tmp_path / "bai.html"
    path.write_bytes(page("Mưa lớn kéo dài ở miền Trung"))

    code, lines, err = run_extract(capsys, str(path))

    assert code == 0
    assert len(lines) == 1
    assert lines[0]["id"] == str(path)
    assert lines[0]["title"] == "Mưa lớn kéo dài ở miền Trung"
    assert lines[0]["url"] is None
    assert "dates" not in lines[0]
    assert "1 pages, 1 records, 0 errors" in err


def test_gzip_is_recognised_by_its_bytes_not_its_name(tmp_path, capsys):
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(page("Trang nén gzip")))
    (tmp_path / "b.saved").write_bytes(gzip.compress(page("Trang nén không đuôi")))

    code, lines, _ = run_extract(capsys, str(tmp_path / "a.html.gz"), str(tmp_path / "b.saved"))

    assert code == 0
    assert [line["title"] for line in lines] == ["Trang nén gzip", "Trang nén không đuôi"]


def test_url_option_gives_the_page_its_url(tmp_path, capsys):
    path = tmp_path / "bai.html"
    path.write_bytes(page("Bài có địa chỉ"))

    code, lines, _ = run_extract(capsys, str(path), "--url", "https://tin.example/thoi-su/bai-123.html")

    assert code == 0
    assert lines[0]["url"] == "https://tin.example/thoi-su/bai-123.html"
    assert lines[0]["site"] == "tin.example"


def test_url_option_wants_a_single_file(tmp_path, capsys):
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_bytes(page(name))

    code = main(["extract", str(tmp_path / "a.html"), str(tmp_path / "b.html"), "--url", "https://tin.example/"])

    assert code == 2
    assert "one FILE" in capsys.readouterr().err


def test_files_and_manifest_do_not_mix(tmp_path, capsys):
    assert main(["extract", "a.html", "--manifest", "m.jsonl"]) == 2
    assert main(["extract"]) == 2
    assert "either FILE" in capsys.readouterr().err


def test_fetched_at_option_is_the_crawl_time(tmp_path, capsys):
    path = tmp_path / "bai.html"
    path.write_bytes(page("Bài có giờ tải"))

    _, lines, _ = run_extract(capsys, str(path), "--fetched-at", "2026-07-20T09:00:00+07:00")

    assert datetime.fromisoformat(lines[0]["crawled_at"]) == datetime(2026, 7, 20, 2, 0, tzinfo=timezone.utc)


def test_manifest_keeps_its_order_and_resolves_paths_against_its_folder(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "pages").mkdir(parents=True)
    for name in ("c", "a", "b"):
        (corpus / "pages" / f"{name}.html.gz").write_bytes(gzip.compress(page(f"Bài {name}")))
    write_manifest(
        corpus / "manifest.jsonl",
        [
            {"id": "c", "path": "pages/c.html.gz", "url": "https://tin.example/c.html"},
            {"id": "a", "path": "pages/a.html.gz", "url": None, "fetched_at": "2024-05-03T18:19:08+00:00"},
            "",
            {"id": "b", "path": "pages/b.html.gz", "url": "https://tin.example/b.html"},
        ],
    )
    monkeypatch.chdir(tmp_path)  # not the manifest's folder: paths must not depend on the cwd

    code, lines, err = run_extract(capsys, "--manifest", "corpus/manifest.jsonl")

    assert code == 0
    assert [line["id"] for line in lines] == ["c", "a", "b"]
    assert [line["title"] for line in lines] == ["Bài c", "Bài a", "Bài b"]
    assert lines[0]["url"] == "https://tin.example/c.html"
    assert lines[1]["url"] is None
    crawled_at = datetime.fromisoformat(lines[1]["crawled_at"])
    assert crawled_at == datetime(2024, 5, 3, 18, 19, 8, tzinfo=timezone.utc)
    assert "3 pages, 3 records, 0 errors" in err


def test_a_page_that_cannot_be_processed_gives_an_error_line_and_the_run_goes_on(tmp_path, capsys):
    (tmp_path / "good.html").write_bytes(page("Bài đọc được"))
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2048))
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(page("Bị cắt"))[:40])
    write_manifest(
        tmp_path / "m.jsonl",
        [
            {"id": "missing", "path": "nowhere.html", "url": None},
            {"id": "empty", "path": "empty.html", "url": None},
            {"id": "good", "path": "good.html", "url": None},
            {"id": "binary", "path": "picture.html", "url": None},
            {"id": "truncated", "path": "broken.html.gz", "url": None},
        ],
    )

    code, lines, err = run_extract(capsys, "--manifest", str(tmp_path / "m.jsonl"))

    assert code == 0
    assert [line["id"] for line in lines] == ["missing", "empty", "good", "binary", "truncated"]
    errors = {line["id"]: line["error"] for line in lines if "error" in line}
    assert set(errors) == {"missing", "empty", "binary", "truncated"}
    assert "No such file" in errors["missing"]
    assert "empty" in errors["empty"]
    assert all(reason.strip() for reason in errors.values())
    assert lines[2]["title"] == "Bài đọc được"
    assert "5 pages, 1 records, 4 errors" in err


def test_exit_code_is_1_when_every_input_failed(tmp_path, capsys):
    (tmp_path / "empty.html").write_bytes(b"")

    code, lines, _ = run_extract(capsys, str(tmp_path / "empty.html"), str(tmp_path / "missing.html"))

    assert code == 1
    assert len(lines) == 2
    assert all("error" in line for line in lines)


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a", "b"]', "not a JSON object"),
        ('{"id": "x", "url": null}', '"path"'),
        ('{"path": "a.html"}', '"id"'),
        ('{"id": "x", "path": "a.html", "fetched_at": "hôm qua"}', "ISO 8601"),
        ('{"id": "a", "path": "a.html"}', "duplicate id"),
    ],
)
def test_malformed_manifest_line_is_reported_with_its_number(tmp_path, capsys, bad_line, reason):
    (tmp_path / "a.html").write_bytes(page("Bài a"))
    write_manifest(tmp_path / "m.jsonl", [{"id": "a", "path": "a.html", "url": None}, "", bad_line])

    code = main(["extract", "--manifest", str(tmp_path / "m.jsonl")])

    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""  # nothing runs on a manifest that is wrong
    assert "line 3" in err
    assert reason in err


def test_unreadable_manifest_is_named(tmp_path, capsys):
    code = main(["extract", "--manifest", str(tmp_path / "nope.jsonl")])

    assert code == 2
    assert "nope.jsonl" in capsys.readouterr().err


def test_output_file_is_utf8_json_lines(tmp_path, capsys):
    (tmp_path / "bai.html").write_bytes(page("Đà Nẵng đón khách quốc tế"))
    out = tmp_path / "out.jsonl"

    code = main(["extract", str(tmp_path / "bai.html"), "-o", str(out)])

    assert code == 0
    assert capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    assert "Đà Nẵng đón khách quốc tế" in text  # not \u-escaped
    assert json.loads(text)["title"] == "Đà Nẵng đón khách quốc tế"
