"""Entity merging, kind voting and ranking on spans we write (the model: see test_digest)."""

from __future__ import annotations

from summarizer.entities import Mention, normalise, rank_entities


def mentions_in(text: str, tagged: list[tuple[str, str]]) -> list[Mention]:
    """Place each (surface, label) at its next occurrence in ``text``, as the model would."""
    found: list[Mention] = []
    cursor: dict[str, int] = {}
    for surface, label in tagged:
        start = text.index(surface, cursor.get(surface, 0))
        cursor[surface] = start + len(surface)
        found.append(Mention(surface, label, start, start + len(surface)))
    return found


def rank(text: str, tagged: list[tuple[str, str]], title: str | None = None):  # type: ignore[no-untyped-def]
    return rank_entities(mentions_in(text, tagged), text=text, title=title, summary=[], limit=10)


def test_normalise_drops_possessive_article_and_edge_punctuation() -> None:
    assert normalise("Xiaomi's") == "Xiaomi"
    assert normalise("the  Belt and Road Initiative,") == "Belt and Road Initiative"
    assert normalise("U.S.") == "U.S."


def test_possessives_merge_and_kind_is_voted_across_mentions() -> None:
    text = "Xiaomi sells phones. Xiaomi's chips are new. Xiaomi grew. Xiaomi hired."
    ranked = rank(
        text, [("Xiaomi", "PERSON"), ("Xiaomi's", "ORG"), ("Xiaomi", "ORG"), ("Xiaomi", "ORG")]
    )
    assert [(e.text, e.kind, e.mentions) for e in ranked] == [("Xiaomi", "organisation", 4)]


def test_surnames_join_the_full_name_and_abbreviations_their_expansion() -> None:
    text = (
        "Marta Reis runs Lumen. International Data Corporation (IDC) tracks sales. "
        "Reis said IDC was right. Reis smiled."
    )
    tagged = [
        ("Marta Reis", "PERSON"),
        ("International Data Corporation", "ORG"),
        ("IDC", "ORG"),
        ("Reis", "PERSON"),
        ("IDC", "ORG"),
        ("Reis", "PERSON"),
    ]
    by_text = {e.text: e for e in rank(text, tagged)}
    assert by_text["Marta Reis"].mentions == 3
    assert by_text["International Data Corporation"].mentions == 3
    assert "Reis" not in by_text and "IDC" not in by_text


def test_a_name_tagged_once_counts_everywhere_but_not_inside_a_longer_name() -> None:
    text = "Africa grew. South Africa voted. Africa traded. In Africa, rain fell."
    ranked = rank(text, [("Africa", "LOC"), ("South Africa", "GPE")])
    by_text = {e.text: e.mentions for e in ranked}
    assert by_text == {"Africa": 3, "South Africa": 1}


def test_recurring_title_case_programme_the_model_missed_is_found() -> None:
    text = (
        "The Belt and Road Initiative funds ports. Firms joined the Belt and Road Initiative. "
        "China leads it."
    )
    ranked = rank(text, [("China", "GPE")])
    assert ("Belt and Road Initiative", "event", 2) in [
        (e.text, e.kind, e.mentions) for e in ranked
    ]


def test_wire_agencies_and_unmapped_labels_are_not_entities() -> None:
    text = "Lei told Xinhua on Monday that 7,000 patents were filed. Lei smiled."
    ranked = rank(
        text, [("Lei", "PERSON"), ("Xinhua", "ORG"), ("Monday", "DATE"), ("7,000", "CARDINAL")]
    )
    assert [e.text for e in ranked] == ["Lei"]


def test_title_presence_and_earliness_lift_salience() -> None:
    text = "Oslo hosted talks. Bergen sent ships. Later Oslo and Bergen met, Bergen and Oslo too."
    tagged = [("Oslo", "GPE"), ("Bergen", "GPE")]
    assert rank(text, tagged)[0].text == "Oslo"
    assert rank(text, tagged, title="Bergen signs")[0].text == "Bergen"
