"""Captions and photo credits: each markup shape news CMSs use, in small pages written for the test."""

from __future__ import annotations

import pytest

from crawler.extract import extract_article
from crawler.extract.document import load_page
from crawler.extract.images import clean_credit, find_images, split_credit

URL = "https://news.example/a/story.html"


def _images(body: str, scope_id: str | None = None):
    page = load_page(f"<html><body>{body}</body></html>", URL)
    scope = page.root.xpath(f"//*[@id='{scope_id}']")[0] if scope_id else page.root.find("body")
    return [(i.url, i.caption, i.credit) for i in find_images(page, scope)]


def _captions(body: str, scope_id: str | None = None):
    return [(caption, credit) for _, caption, credit in _images(body, scope_id)]


# --- split_credit / clean_credit on strings -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("Lực lượng chức năng dập lửa. Ảnh: Phương Huế", "Lực lượng chức năng dập lửa.", "Phương Huế"),
        ("Cảnh sát giao thông làm nhiệm vụ (Ảnh: Minh Anh)", "Cảnh sát giao thông làm nhiệm vụ", "Minh Anh"),
        ("Bãi rác nhìn từ trên cao. Nguồn ảnh: Sở TN-MT", "Bãi rác nhìn từ trên cao.", "Sở TN-MT"),
        ("Một góc phố cổ Hà Nội. Ảnh minh họa", "Một góc phố cổ Hà Nội.", None),
        ("Erst fiel der linke Kühlturm. Foto: Peter Kneffel/dpa", "Erst fiel der linke Kühlturm.", "Peter Kneffel/dpa"),
        ("Der Kanzler in Berlin. Bild: Imago", "Der Kanzler in Berlin.", "Imago"),
        ("Riot police at the hotel (Image: Getty Images)", "Riot police at the hotel", "Getty Images"),
        ("The minister speaks. Photo: John Smith / AFP", "The minister speaks.", "John Smith / AFP"),
        (
            "Sinwar speaks at a rally in 2011. (Adel Hana/Associated Press)",
            "Sinwar speaks at a rally in 2011.",
            "Adel Hana/Associated Press",
        ),
        ("The minister at KWSP. — Picture by Yusof Mat Isa", "The minister at KWSP.", "Yusof Mat Isa"),
        ("Die Bundestagswahl © Jane Doe", "Die Bundestagswahl", "Jane Doe"),
        ("Kallas und Jaishankar | Bildquelle: EU-Kommission", "Kallas und Jaishankar", "EU-Kommission"),
        ("警視庁を出る容疑者＝13日（潟沼義樹撮影）", "警視庁を出る容疑者＝13日", "潟沼義樹"),
        ("대표가 15일 유세에서 연설하고 있다. 연합뉴스", "대표가 15일 유세에서 연설하고 있다.", "연합뉴스"),
        ("Kryžius / J. Petraičio / BNS nuotr.", "Kryžius", "J. Petraičio / BNS nuotr"),
        ("Kryžius, asociatyvi nuotr. / BNS nuotr.", "Kryžius, asociatyvi nuotr.", "BNS nuotr"),
        ("Путин в Кремле Фото: Иван Петров, Коммерсантъ", "Путин в Кремле", "Иван Петров; Коммерсантъ"),
        ("A caption without any credit", "A caption without any credit", None),
        ("Demonstrators in Washington (Kundus, 6.12.2010)", "Demonstrators in Washington (Kundus, 6.12.2010)", None),
    ],  # fmt: skip
)
def test_split_credit(text, caption, credit):
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("Foto: dpa", "dpa"),
        ("(Image: Liverpool Echo)", "Liverpool Echo"),
        ("Photo by Handout/AFP via Getty Images", "Handout/AFP via Getty Images"),
        ("Image Credits: Strava", "Strava"),
        ("© VS Tristach", "VS Tristach"),
        ("AP/dpa | Richard Drew", "AP/dpa; Richard Drew"),
        ("Foto: Renata Matějková, Seznam Zprávy", "Renata Matějková; Seznam Zprávy"),
        ("Alketa Misja (dpa/picture alliance via Getty)", "Alketa Misja (dpa/picture alliance via Getty)"),
        ("", None),
    ],
)
def test_clean_credit(text, credit):
    assert clean_credit(text) == credit


# --- Caption blocks -------------------------------------------------------------------------------------


def test_figure_with_figcaption_and_credit_span():
    html = """<article><h1>T</h1><figure><img src="/a.jpg" width="800">
      <figcaption><span class="caption">Firefighters at the scene.</span>
      <span class="credit">Photo by Jane Roe</span></figcaption></figure><p>Body.</p></article>"""
    assert _images(html) == [("https://news.example/a.jpg", "Firefighters at the scene.", "Jane Roe")]


def test_vnexpress_figure_with_tail_credit():
    html = """<article class="fck_detail"><figure class="tplCaption"><picture><source srcset="/s.jpg">
      <img src="data:image/gif;base64,R0lGOD" data-src="https://i.vnecdn.net/p.jpg"></picture>
      <figcaption><p class="Image">Đám cháy nhìn từ trên cao. Ảnh: Đức Hùng</p></figcaption></figure></article>"""
    assert _images(html) == [("https://i.vnecdn.net/p.jpg", "Đám cháy nhìn từ trên cao.", "Đức Hùng")]


def test_image_table_with_image_desc_cell():
    html = """<div><table class="image center"><tr><td><img src="/t.jpg"></td></tr>
      <tr><td class="image_desc"><p>Người dân sơ tán khỏi vùng lũ (Ảnh: TTXVN)</p></td></tr></table></div>"""
    assert _captions(html) == [("Người dân sơ tán khỏi vùng lũ", "TTXVN")]


def test_vccorp_photocms_caption_with_author_element():
    html = """<div class="VCSortableInPreviewMode" type="Photo"><div><img src="/v.jpg"></div>
      <div class="PhotoCMS_Caption"><p>Cầu Rồng về đêm.</p></div>
      <div class="PhotoCMS_Author"><p>Ảnh: Nguyễn Khánh</p></div></div>"""
    assert _captions(html) == [("Cầu Rồng về đêm.", "Nguyễn Khánh")]


def test_picture_sources_nested_by_the_parser():
    html = """<figure><picture><source media="(min-width: 900px)" srcset="https://cdn.example/big.jpg 2x">
      <img alt=""></picture><figcaption>A harbour at dawn.</figcaption></figure>"""
    assert _images(html) == [("https://cdn.example/big.jpg", "A harbour at dawn.", None)]


def test_noscript_img_is_the_only_real_picture():
    html = """<div class="artSplitter"><div class="image-wrap"><noscript><img src="https://cdn.example/n.jpg"></noscript>
      </div><p class="imageCaption">Only nine pairs have been matched</p></div>"""
    assert _images(html) == [("https://cdn.example/n.jpg", "Only nine pairs have been matched", None)]


def test_lazy_image_with_its_noscript_copy_is_one_picture():
    html = """<div class="mol-img"><img src="data:image/gif;base64,R0" data-src="https://cdn.example/l.jpg">
      <noscript><img src="https://cdn.example/l.jpg"></noscript><p class="imageCaption">A rare bill</p></div>"""
    assert _captions(html) == [("A rare bill", None)]


def test_figcaption_beside_the_figure():
    html = """<div class="image-container"><figure><amp-img src="https://cdn.example/m.jpg"></amp-img></figure>
      <figcaption><span class="caption">Locals clean up a street</span>
      <span class="credit"> (<div class="camera">Image:</div>Liverpool Echo)</span></figcaption></div>"""
    assert _captions(html) == [("Locals clean up a street", "Liverpool Echo")]


def test_caption_and_credit_in_data_attributes():
    html = """<div class="relative"><img src="/d.jpg" data-caption="Imam beim Gebet in Berlin"
      data-source="Rolf Zoellner/imago"></div>"""
    assert _captions(html) == [("Imam beim Gebet in Berlin", "Rolf Zoellner/imago")]


def test_credit_in_cite_and_itemprop():
    html = """<figure itemscope itemtype="https://schema.org/ImageObject"><img src="/c.jpg">
      <figcaption><span>Donna Kelce and Taylor Swift celebrate.</span><cite>Perry Knotts/Getty Images</cite>
      </figcaption></figure>
      <figure><img src="/e.jpg"><figcaption>The stage in Denver.
      <span itemprop="copyrightHolder">Reuters</span></figcaption></figure>"""
    assert _captions(html) == [
        ("Donna Kelce and Taylor Swift celebrate.", "Perry Knotts/Getty Images"),
        ("The stage in Denver.", "Reuters"),
    ]


def test_photographer_and_agency_elements_are_two_authors():
    html = """<figure><img src="/p.jpg"><figcaption><span class="caption">A damaged building.</span>
      <span class="credit">Photo by Ghulam Rasool</span> /<span class="distributor">AFP via Getty Images</span>
      </figcaption></figure>"""
    assert _captions(html) == [("A damaged building.", "Ghulam Rasool; AFP via Getty Images")]


def test_credit_only_second_figcaption():
    html = """<figure class="wp-block-image"><img src="/s.gif" width="763" height="488">
      <figcaption>Strava's new dark mode.</figcaption>
      <figcaption><strong>Image Credits:</strong> Strava</figcaption></figure>"""
    assert _captions(html) == [("Strava's new dark mode.", "Strava")]


def test_unnamed_caption_in_a_picture_box():
    html = """<div class="image-widget"><span><picture><img src="/w.jpg"></picture></span>
      <p><span>Pictured from left, the authors of the panel.</span></p><p>Image: Fouzia Van Der Fort</p></div>"""
    assert _captions(html) == [("Pictured from left, the authors of the panel.", "Fouzia Van Der Fort")]


def test_lead_figure_above_the_text_container():
    html = """<article><h1>Headline</h1><figure><img src="/lead.jpg"><figcaption>The lead picture.</figcaption>
      </figure><div id="text"><p>First paragraph of the story.</p><p>Second paragraph.</p></div></article>"""
    assert _captions(html, "text") == [("The lead picture.", None)]


# --- What is not an article picture ---------------------------------------------------------------------


def test_related_teasers_and_embedded_cards_are_skipped():
    html = """<div id="story"><p>Text.</p>
      <figure><a href="/other-story.html"><img src="/t1.jpg"><figcaption>Another headline</figcaption></a></figure>
      <article class="embed"><a href="/x.html"><img src="/t2.jpg"></a><p class="desc">Other story</p></article>
      <div class="related-articles"><figure><img src="/t3.jpg"><figcaption>Read this too</figcaption></figure></div>
      <aside><figure><img src="/t4.jpg"><figcaption>Sidebar picture</figcaption></figure></aside></div>"""
    # Only the teaser's picture is left, without the other story's headline as its caption.
    assert _captions(html, "story") == [(None, None)]


def test_author_avatar_and_icons_are_skipped():
    html = """<div><figure><a rel="author" href="/autoren/jane"><img src="/jane.jpg"></a>
      <figcaption><address>Von Jane Doe</address></figcaption></figure>
      <img src="/static/icon_share.svg"><img src="/p.gif" width="1" height="1"></div>"""
    assert _images(html) == []


def test_video_box_text_is_not_a_picture_caption():
    html = """<figure class="video-player"><img src="/poster.jpg"><figcaption>Watch: the press conference</figcaption>
      <video src="/v.mp4"></video></figure>"""
    assert _captions(html) == []  # and its poster frame is not a photo either


def test_lightbox_link_around_figure_keeps_caption():
    html = """<figure><a href="/articles/image/367061/1"><picture><img src="/n.jpg"></picture>
      <figcaption>Das Team in Tokio（Ｃ）共同通信社</figcaption></a></figure>"""
    assert _captions(html) == [("Das Team in Tokio", "共同通信社")]


# --- Captions shown next to the picture without a caption element ---------------------------------------


def test_visible_text_repeating_the_alt_is_the_caption():
    html = """<div id="text"><p>First paragraph of the story.</p><p>Second.</p><p>Third.</p>
      <div class="x1"><picture><source srcset="/a.webp"><img src="/a.jpg" alt="Police officers at the scene"></picture></div>
      <div class="x2"><span>Police officers at the scene</span></div>
      <div class="x1"><img src="/b.jpg" alt="The mayor speaking - Daily Example"></div>
      <div class="x2"><span>The mayor speaking</span></div>
      <div class="x1"><img src="/c.jpg" alt="The school building in the north"></div>
      <div class="x3"><small>The school building in the north</small><small>© Town council</small></div></div>"""
    assert _captions(html, "text") == [
        ("Police officers at the scene", None),
        ("The mayor speaking", None),
        ("The school building in the north", "Town council"),
    ]


def test_alt_echo_is_not_taken_from_teasers_headings_or_thumbnails():
    html = """<div id="text"><p>Text.</p>
      <a href="/other.html"><img src="/t.jpg" alt="Another story headline"></a><div>Another story headline</div>
      <div><img src="/h.jpg" alt="The article headline here"></div><h2>The article headline here</h2>
      <div><img src="/s.jpg" alt="A small author portrait" width="40" height="40"></div><div>A small author portrait</div>
      </div>"""
    assert [caption for caption, _ in _captions(html, "text")] == [None, None]


def test_box_named_for_its_picture_is_not_furniture():
    html = """<div id="story"><p>Text of the story.</p>
      <div class="article-widget article-widget-image"><div class="widget__wrapper"><figure>
        <img src="/w.jpg"><figcaption>The minister at the summit.</figcaption></figure></div></div>
      <div class="ui-modal" id="doc_media_7"><figure><img src="/m.jpg">
        <figcaption><p>Delegates waiting.</p><p class="doc_media__src">Фото: Иван Петров</p></figcaption></figure></div>
      <div class="related-stories"><figure><img src="/r1.jpg"><figcaption>Read this</figcaption></figure>
        <figure><img src="/r2.jpg"><figcaption>And this</figcaption></figure></div></div>"""
    assert _captions(html, "story") == [("The minister at the summit.", None), ("Delegates waiting.", "Иван Петров")]


def test_closed_dialog_copy_of_a_picture_is_skipped():
    html = """<div id="story"><figure><img src="/p-640.jpg"><figcaption>The boarding school.</figcaption></figure>
      <p>Text.</p><dialog class="full-size-gallery"><figure><img src="/p-1920.jpg">
      <figcaption>The boarding school.</figcaption></figure></dialog></div>"""
    assert _images(html, "story") == [("https://news.example/p-640.jpg", "The boarding school.", None)]


def test_caption_icon_is_not_the_caption():
    html = """<figure class="bo-image"><div class="bo-image__media"><img src="/r.jpg">
      <button><svg class="bo-icon__item--caption"><title>Caption Icon</title></svg></button></div>
      <figcaption><span class="bo-image__caption__desc">A statue of the national hero.</span></figcaption></figure>"""
    assert _captions(html) == [("A statue of the national hero.", None)]


def test_credit_line_above_the_picture_marks_an_unnamed_box():
    html = """<div id="text"><p>Text.</p><div class="mx-auto"><span class="text-right">Foto: Jane Roe</span>
      <img src="/k.jpg" alt=""><div class="text-base">Protesters gather in the capital</div></div></div>"""
    assert _captions(html, "text") == [("Protesters gather in the capital", "Jane Roe")]


def test_agency_in_capitals_ends_the_caption():
    html = """<figure><img src="/e.jpg"><figcaption><span>A navy officer at the camp. </span>
      <span class="a_m_m">Jane Roe (REUTERS)</span></figcaption></figure>"""
    assert _captions(html) == [("A navy officer at the camp.", "Jane Roe (REUTERS)")]


def test_lead_figure_beside_the_text_without_an_article_element():
    html = """<div id="post"><div class="header"><h1>Headline</h1></div>
      <div class="teaser-image"><figure><img src="/lead.jpg"><figcaption></figcaption></figure>
        <div class="image-meta"><div class="image-description">The chairman at the meeting.</div>
        <div class="image-copyright">Bloomberg</div></div></div>
      <div id="text"><p>First paragraph of the story.</p><p>Second paragraph.</p></div></div>"""
    assert _captions(html, "text") == [("The chairman at the meeting.", "Bloomberg")]


# --- The region searched: the whole article element around the text ------------------------------------


def test_pictures_between_the_text_boxes_of_one_article():
    html = """<html><body><article>
      <div class="box"><h1>Firefighters to retire later</h1><p>The plan has angered firefighters across the
        state, who say the job is too hard for older people and that the change ignores their health.</p></div>
      <div class="box"><p>The state government wants to raise the retirement age of firefighters from sixty to
        sixty-two, starting with those born after 1966, the ministry said on Monday in the capital.</p>
        <div class="mediaCon"><div class="media"><img src="/demo.jpg" alt="Firefighters protest">
          <div class="mediaInfo"><p class="infotext">"60 stays 60": firefighters protest in the city</p></div></div></div>
        <p>The unions announced further protests for the coming weeks and called on members to join them.</p></div>
      <div class="box"><ul><li><a href="/other.html"><img src="/teaser.jpg"><span>Another story</span></a></li>
        <li><a href="/third.html"><img src="/teaser2.jpg"><span>A third story</span></a></li></ul></div>
      </article></body></html>"""
    article = extract_article(html, URL, profile=False)
    assert [(i.caption, i.url) for i in article.images if i.caption] == [
        ('"60 stays 60": firefighters protest in the city', "https://news.example/demo.jpg")
    ]


def test_byline_box_with_avatar_never_lends_its_text_as_credit():
    body = (
        '<div class="detail"><div class="detail-author"><a class="avatar" href="/author/a.htm">'
        '<img src="https://img.example/zoom/80_80/a/avatar-hp.jpeg" alt="Hữu Phước"></a>'
        '<a class="name" href="/author/a.htm">Hữu Phước</a><span class="email">- hp@example.com</span></div>'
        '<div class="content"><p>One.</p><figure type="Photo"><img src="https://img.example/photo.jpg">'
        '<figcaption class="PhotoCMS_Caption"><p>Boats at the market</p></figcaption>'
        '<div class="PhotoCMS_Author"><p>ẢNH: HỮU PHƯỚC</p></div></figure></div></div>'
    )
    assert _images(body) == [("https://img.example/photo.jpg", "Boats at the market", "HỮU PHƯỚC")]


def test_author_portraits_and_small_thumbnails_are_not_pictures():
    body = (
        '<div class="author-item"><img class="isauthor" src="https://img.example/a/chi-kien.jpg" alt="CHÍ KIÊN"></div>'
        '<p><img src="https://img.example/zoom/80_80/b/face.jpg"></p>'
        '<figure><img src="https://img.example/photo.jpg"><figcaption>Pupils read in the library</figcaption></figure>'
    )
    assert _captions(body) == [("Pupils read in the library", None)]


def test_lead_picture_named_avatar_is_kept():
    body = '<figure class="article__avatar"><img src="https://img.example/lead.jpg"><figcaption>A lead photo</figcaption></figure>'
    assert _captions(body) == [("A lead photo", None)]


def test_video_poster_and_related_box_pictures_are_not_pictures():
    body = (
        '<div class="box_embed_video_parent" data-vid="1"><div class="box_img_video">'
        '<img class="thumb-above-video" src="https://img.example/poster.jpg" alt="Video title"></div></div>'
        '<div type="RelatedOneNews"><a href="/other.htm"><img src="https://img.example/rel.jpg"></a></div>'
        '<p><img src="https://img.example/photo.jpg" width="800"></p>'
    )
    assert [url for url, _, _ in _images(body)] == ["https://img.example/photo.jpg"]
