"""The demo paper's articles, invented from a seed: "Báo Mẫu" (baomau.example), a few hundred pieces of news.

Every name, place, figure and sentence is made up here, from word lists written for this project. The same seed,
count and time span give the same site byte for byte, so tests can count exactly which articles a window holds.
Metadata (id, section, date, title) is made for every article up front, because sitemaps, feeds and listings
need it; the text of an article is made only when its page is asked for, so a site of 100,000 articles costs
a few seconds and no memory to speak of.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property

# Vietnamese time: the paper's dates carry +07:00, as real Vietnamese sites' do.
VN = timezone(timedelta(hours=7))
# A fixed span by default: the demo gives the same articles (and URLs) whatever the day it runs, so a second
# `crawler demo` finds everything stored. Tests pass their own end (e.g. now) for relative windows.
DEFAULT_START = datetime(2026, 7, 1, 6, 0, tzinfo=VN)
DEFAULT_END = datetime(2026, 11, 24, 22, 0, tzinfo=VN)
DEFAULT_COUNT = 360
DEFAULT_SEED = 2026
# Article ids start here: six digits, like the ids closing real Vietnamese article URLs.
FIRST_ID = 100001

SECTIONS = (
    ("thoi-su", "Thời sự"),
    ("kinh-te", "Kinh tế"),
    ("the-thao", "Thể thao"),
    ("giao-duc", "Giáo dục"),
    ("suc-khoe", "Sức khỏe"),
    ("van-hoa", "Văn hóa"),
)

# fmt: off
_PLACES = ("xã Suối Mây", "phường Bến Lúa", "huyện Đồi Chè", "thị trấn Nậm Sơn", "xã Cù Lao Xanh", "phường Tràng Mới",
           "huyện Sông Thắm", "xã Pá Lùng", "thành phố Hải Nguyệt", "huyện Gò Sen")
_SUBJECTS = {
    "thoi-su": ("Cầu treo", "Tuyến đường liên xã", "Trạm bơm", "Khu tái định cư", "Bến phà", "Hệ thống đèn đường"),
    "kinh-te": ("Hợp tác xã cà phê", "Chợ đầu mối", "Làng nghề mây tre", "Vựa trái cây", "Xưởng chế biến hạt điều",
                "Cảng cá"),
    "the-thao": ("Đội bóng chuyền nữ", "Giải chạy việt dã", "Câu lạc bộ bơi", "Đội tuyển cờ tướng trẻ",
                 "Giải đua thuyền truyền thống", "Lò võ cổ truyền"),
    "giao-duc": ("Trường tiểu học", "Thư viện lưu động", "Lớp học tình thương", "Điểm trường bản", "Ký túc xá",
                 "Câu lạc bộ robot"),
    "suc-khoe": ("Trạm y tế", "Đội tiêm chủng lưu động", "Phòng khám nhân đạo", "Bếp ăn bệnh viện",
                 "Nhóm hiến máu", "Khoa phục hồi chức năng"),
    "van-hoa": ("Lễ hội đình làng", "Đội múa rối nước", "Nhà văn hóa cộng đồng", "Câu lạc bộ đờn ca",
                "Bảo tàng làng", "Phiên chợ đêm"),
}
_ACTIONS = ("hoàn thành sau", "mở rộng trong", "đón khách trở lại sau", "nhận thêm kinh phí cho", "thử nghiệm mô hình mới trong",
            "vượt kế hoạch sau")
_SPANS = ("ba tháng", "hai mùa mưa", "một năm", "sáu tuần", "nửa năm", "bốn tháng")
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Lò", "Hà", "Đinh")
_MIDDLE = ("Thị", "Văn", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh")
_GIVEN = ("Hiền", "Huy", "Linh", "Nam", "Mai", "Phong", "Trang", "Dũng", "Yến", "Khoa", "Thảo", "Long")
_OPENINGS = (
    "Sáng {day}, người dân {place} cho biết {subject_l} đã thay đổi rõ rệt so với đầu năm.",
    "Theo ban quản lý, {subject_l} ở {place} phục vụ trung bình {n} lượt người mỗi ngày.",
    "Chiều {day}, đoàn công tác của huyện đã đến kiểm tra {subject_l} tại {place}.",
)
_MIDDLES = (
    "Kinh phí {n} triệu đồng do người dân và doanh nghiệp địa phương cùng đóng góp.",
    "Các hộ gần đó nói việc đi lại, buôn bán thuận tiện hơn trước nhiều.",
    "Ban quản lý dự kiến tổ chức thêm các buổi hướng dẫn vào cuối tuần.",
    "Một số ý kiến đề nghị kéo dài giờ mở cửa vào mùa cao điểm.",
    "Cán bộ xã thường xuyên ghi nhận phản ánh để điều chỉnh cách làm.",
    "Năm tới, địa phương muốn nhân rộng mô hình sang {other}.",
)
_CLOSINGS = (
    "Địa phương sẽ tổng kết và báo cáo kết quả vào cuối quý.",
    "Người dân mong cách làm này được duy trì lâu dài.",
    "Các đơn vị liên quan đã đề xuất tỉnh bố trí thêm vốn cho năm sau.",
)
_TAGS = ("nông thôn mới", "đời sống", "cộng đồng", "địa phương", "dịch vụ công", "mùa mưa", "người trẻ")
# fmt: on


@dataclass(frozen=True)
class DemoArticle:
    """One invented article: what sitemaps, feeds and listings show of it. Its text is made on demand."""

    id: int
    section: str
    """The section's slug (``thoi-su``)."""
    section_name: str
    title: str
    published: datetime
    """Publication time, +07:00, whole minutes."""
    seed: int

    @property
    def path(self) -> str:
        return f"/{self.section}/{slugify(self.title)}-{self.id}.html"

    @cached_property
    def text(self) -> ArticleText:
        return _write_text(self)


@dataclass(frozen=True)
class ArticleText:
    lede: str
    paragraphs: tuple[str, ...]
    author: str
    photo_caption: str
    photo_credit: str
    tags: tuple[str, ...]


def make_articles(
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    start: datetime = DEFAULT_START,
    end: datetime = DEFAULT_END,
) -> list[DemoArticle]:
    """``count`` articles between ``start`` and ``end`` (the last one at ``end``), oldest first, ids rising."""
    if count < 1 or end <= start:
        raise ValueError("a demo site needs at least one article and an end after its start")
    rng = random.Random(seed)
    step = (end - start) / count
    articles = []
    for i in range(count):
        # Evenly spread with a jitter inside each step, so every month and day has articles but not on a grid.
        moment = end if i == count - 1 else start + step * i + step * rng.random() * 0.9
        moment = moment.astimezone(VN).replace(second=0, microsecond=0)
        section, section_name = SECTIONS[rng.randrange(len(SECTIONS))]
        title = f"{rng.choice(_SUBJECTS[section])} ở {rng.choice(_PLACES)} {rng.choice(_ACTIONS)} {rng.choice(_SPANS)}"
        articles.append(DemoArticle(FIRST_ID + i, section, section_name, title, moment, seed))
    return articles


def _write_text(article: DemoArticle) -> ArticleText:
    rng = random.Random(f"{article.seed}:{article.id}")
    place = next(p for p in _PLACES if f" ở {p} " in article.title)
    values = {
        "day": f"{article.published.day}/{article.published.month}",
        "place": place,
        "subject_l": article.title.split(" ở ", 1)[0].lower(),
        "n": rng.randrange(12, 900),
        "other": rng.choice(_PLACES),
    }
    middles = rng.sample(_MIDDLES, 3)
    paragraphs = (rng.choice(_OPENINGS), *middles, rng.choice(_CLOSINGS))
    paragraphs = tuple(p.format(**values) for p in paragraphs)
    author = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    photographer = f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}"
    lede = f"{article.title} là kết quả được người dân {values['place']} chờ đợi, theo ghi nhận ngày {values['day']}."
    return ArticleText(
        lede=lede,
        paragraphs=paragraphs,
        author=author,
        photo_caption=f"{article.title.split(' ở ', 1)[0]} ở {values['place']}.",
        photo_credit=photographer,
        tags=tuple(rng.sample(_TAGS, 2)),
    )


def slugify(text: str) -> str:
    """'Cầu treo ở xã Suối Mây' -> 'cau-treo-o-xa-suoi-may': the ASCII URL words Vietnamese sites use."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words)
