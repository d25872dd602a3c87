"""Cleaning strips furniture and markup and keeps the story's paragraphs."""

from __future__ import annotations

from summarizer.cleaning import MAX_STORY_CHARS, clean_paragraphs, clean_text, split_title
from tests.summarizer.articles import HTML_STORY, WIRE_STORY


def test_wire_furniture_is_removed_and_story_kept() -> None:
    cleaned = clean_text(WIRE_STORY)
    for furniture in (
        "Source:",
        "Editor:",
        "Video Player",
        "Newswire writers",
        "LISBON, March 2",
        "(Newswire) --",
        "KEY WORDS",
        "EXPLORE NEWSWIRE",
        "0100200707",
        "REGIONAL IMPACT",
    ):
        assert furniture not in cleaned, furniture
    assert cleaned.startswith("Harbour city opens floating solar farm\n\nPortugal's largest")
    assert cleaned.endswith("would be twice as large.")


def test_paragraphs_survive_and_soft_wraps_join() -> None:
    paragraphs = clean_paragraphs("First line of one\nparagraph here.\n\nSecond   paragraph.\n")
    assert paragraphs == ["First line of one paragraph here.", "Second paragraph."]


def test_html_becomes_paragraphs_without_scripts_styles_or_ads() -> None:
    paragraphs = clean_paragraphs(HTML_STORY)
    text = "\n".join(paragraphs)
    assert "var tracking" not in text and "color: red" not in text
    assert "Advertisement" not in text
    assert (
        '"Children\nshould' not in text and '"Children should be able' in text
    )  # entities decoded
    assert paragraphs[0] == "Council approves new cycle lanes"  # <title> in <head> is not story
    assert sum(p.startswith("Council member Joan Park") for p in paragraphs) == 1


def test_split_title_takes_a_headline_but_not_a_sentence() -> None:
    title, body = split_title(["Markets rally on rate cut", "Shares rose on Monday."])
    assert title == "Markets rally on rate cut"
    assert body == ["Shares rose on Monday."]
    title, body = split_title(["Shares rose on Monday.", "Bonds fell."])
    assert title is None and len(body) == 2


def test_datelines_of_several_agencies_are_removed() -> None:
    for dateline in (
        "LONDON (Reuters) - ",
        "(CNN)",
        "WASHINGTON — ",
        "BEIJING, May 9 (Xinhua) -- ",
    ):
        [paragraph] = clean_paragraphs(dateline + "The minister resigned on Friday after a vote.")
        assert paragraph == "The minister resigned on Friday after a vote.", dateline


def test_a_huge_paste_is_cut_to_the_story_cap() -> None:
    paragraph = "Officials said the bridge would reopen next week after repairs. " * 20
    paragraphs = clean_paragraphs("\n\n".join([paragraph] * 2_000))  # about 2.6 MB
    assert sum(len(p) + 2 for p in paragraphs) <= MAX_STORY_CHARS + 2
    assert paragraphs


def test_video_teasers_and_players_inside_paragraphs_are_removed() -> None:
    text = (
        "The striker scored twice in the second half. Scroll down for video\n\n"
        "Media playback is not supported on this device The manager praised his young side.\n\n"
        "Scroll down for more. The club confirmed the signing on Friday."
    )
    assert clean_paragraphs(text) == [
        "The striker scored twice in the second half.",
        "The manager praised his young side.",
        "The club confirmed the signing on Friday.",
    ]


def test_picture_credits_are_cut_from_the_sentence_they_run_into() -> None:
    text = (
        "Photograph: Jane Doe/Getty Images The man accused of the attack appeared in court.\n\n"
        "Photo: Reuters Police closed the road for six hours.\n\n"
        "Photograph: Matt Dunham/AP The council voted to close the road.\n\n"
        "The photo: a field of sunflowers that became famous online."
    )
    assert clean_paragraphs(text) == [
        "The man accused of the attack appeared in court.",
        "Police closed the road for six hours.",
        "The council voted to close the road.",
        "The photo: a field of sunflowers that became famous online.",
    ]


def test_a_daily_mail_page_header_run_into_the_story_is_removed() -> None:
    story = "A council has closed the old bridge after engineers found a crack in its main arch."
    headers = [
        "By . Daily Mail Reporter . PUBLISHED: . 07:41 EST, 10 January 2014 . | . UPDATED: . "
        "09:06 EST, 10 January 2014 . ",
        "By . Sam Webb . and Alex Gore . Last updated at 5:33 PM on 11th November 2011 . ",
        "By Jane Doe PUBLISHED: 07:41 EST, 10 January 2014 | UPDATED: 09:06 EST, 10 January 2014 ",
    ]
    for header in headers:
        assert clean_paragraphs(header + story) == [story]
    # A byline without a time stamp is no page header: the sentence it opens stays whole.
    kept = "By Monday the council had closed the old bridge after engineers found a crack."
    assert clean_paragraphs(kept) == [kept]
