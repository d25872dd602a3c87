"""Daily alert round-ups, /mute and folded /search, through the real bot, feeds and outbox."""

from __future__ import annotations

import random
from datetime import timedelta
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import func, select

from store.models import AlertMode, AlertRule, Chat, MuteRule, RoundupMatch, utcnow
from tests.bot.harness import Harness
from tests.feedserver import Route

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]

_WORDS = [
    "crossing",
    "timetable",
    "union",
    "operator",
    "winter",
    "council",
    "budget",
    "quay",
    "tide",
    "pilot",
    "cargo",
    "dock",
    "crane",
    "berth",
    "ledger",
    "mayor",
    "vote",
    "ticket",
    "season",
    "beacon",
    "gale",
    "rope",
    "anchor",
    "hull",
    "mast",
    "sail",
    "deck",
]


def _prose(seed: int) -> str:
    """Sentences of their own for each seed: stories that share none are not one story."""
    pick = random.Random(seed)
    return " ".join(
        f"The {pick.choice(_WORDS)} met the {pick.choice(_WORDS)} near the "
        f"{pick.choice(_WORDS)} on day {pick.randint(1, 900)}."
        for _ in range(8)
    )


def _publish(harness: Harness, path: str, title: str, items: list[tuple[str, str, str]]) -> str:
    """Serve a feed of (guid, title, description) items at ``path``; returns its URL."""
    entries = "".join(
        f"<item><title>{escape(head)}</title><link>{harness.server.url(f'{path}/{guid}')}</link>"
        f"<guid>{guid}</guid><description>{escape(text)}</description></item>"
        for guid, head, text in items
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title>{entries}</channel></rss>"
    )
    harness.server.route(path, Route(feed.encode()))
    return harness.server.url(path)


async def _fetch_all(harness: Harness) -> None:
    await harness.app.bot_data.runtime.pipeline.ingest_everything_now()


async def _send_outbox(harness: Harness) -> None:
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    await sender.send_due()


async def _count(harness: Harness, model: type[RoundupMatch | MuteRule], chat_id: int) -> int:
    async with harness.services.sessionmaker() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(model).where(model.chat_id == chat_id)
            )
            or 0
        )


async def test_a_daily_rule_gathers_its_matches_into_one_round_up_at_digest_time(
    harness: Harness,
) -> None:
    user = harness.user("Rounder")
    old = ("ru-0", "Harbour council meets", f"The harbour council met. {_prose(1)}")
    url = _publish(harness, "/roundup.xml", "Strait Times", [old])
    assert "Added" in (await harness.ask(user, f"/add {url}")).text
    await _fetch_all(harness)  # a new source's first entries are its backlog: never alerted

    bare = await harness.ask(user, "/alert daily")  # no words: how to ask, not an alert
    assert bare.text.startswith("Usage: /alert [daily] QUERY"), bare.text
    added = await harness.ask(user, '/alert daily "ferry strike"')
    assert "Alert added" in added.text and "one round-up with your digest (next:" in added.text
    listing = await harness.ask(user, "/alerts")
    assert '1. "ferry strike" 🗞' in listing.text
    # The mode button switches the rule, and back; the list says which mode each rule is in.
    await harness.press(user, listing, "⚡ 1. instant")
    await harness.emulator.wait_until(lambda: '1. "ferry strike" ⚡' in listing.text)
    await harness.press(user, listing, "🗞 1. daily")
    await harness.emulator.wait_until(lambda: '1. "ferry strike" 🗞' in listing.text)
    async with harness.services.sessionmaker() as session:
        mode = await session.scalar(select(AlertRule.mode).where(AlertRule.chat_id == user.id))
    assert mode == AlertMode.DAILY

    news = [
        ("ru-1", "Ferry strike halts crossings", f"A ferry strike began at dawn. {_prose(2)}"),
        ("ru-2", "Ferry strike enters its second day", f"Talks failed overnight. {_prose(3)}"),
    ]
    _publish(harness, "/roundup.xml", "Strait Times", [old, *news])
    before = len(harness.emulator.sent_to(user.id))
    await _fetch_all(harness)
    await _send_outbox(harness)
    assert len(harness.emulator.sent_to(user.id)) == before  # no instant alert
    assert await _count(harness, RoundupMatch, user.id) == 2

    async with harness.services.sessionmaker() as session, session.begin():
        chat = await session.get(Chat, user.id)
        assert chat is not None
        chat.next_digest_at = utcnow() - timedelta(minutes=1)
    report = await harness.app.bot_data.runtime.pipeline.digest_tick()
    assert report.roundups >= 1
    await _send_outbox(harness)
    roundup = await harness.emulator.wait_for_message(
        user.id, lambda m: "Alert round-up" in m.text, since=before
    )
    assert "2 stories matched your daily alerts" in roundup.text
    assert roundup.text.index("second day") < roundup.text.index("halts crossings")
    assert "Strait Times" in roundup.text
    await _send_outbox(harness)
    sent = [m.text for m in harness.emulator.sent_to(user.id)]
    assert sum("Alert round-up" in text for text in sent) == 1
    assert await _count(harness, RoundupMatch, user.id) == 0


async def test_mutes_hide_stories_from_the_digest_and_from_alerts(harness: Harness) -> None:
    user = harness.user("Muter")
    url = _publish(
        harness,
        "/mute.xml",
        "Bay Herald",
        [
            ("mu-0", "Cup final tickets sold out", f"Football fans queued all night. {_prose(4)}"),
            ("mu-1", "Port expansion approved", f"The port will grow by a third. {_prose(5)}"),
        ],
    )
    await harness.ask(user, f"/add {url}")
    await _fetch_all(harness)

    refused = await harness.ask(user, "/mute the and")
    assert "would hide nearly every story" in refused.text
    muted = await harness.ask(user, "/mute “cup final”")
    assert "Muted" in muted.text and "each digest says how many" in muted.text
    again = await harness.ask(user, '/mute "Cup FINAL"')
    assert "already mute" in again.text
    await harness.ask(user, "/alert port OR cup")

    digest = await harness.ask(user, "/digest")
    assert "Port expansion approved" in digest.text and "Cup final" not in digest.text
    assert "🔇 1 story hidden by your /mute words." in digest.text

    _publish(
        harness,
        "/mute.xml",
        "Bay Herald",
        [
            ("mu-2", "Cup final moved to Sunday", f"The cup final moves. {_prose(6)}"),
            ("mu-3", "Port strike ends", f"Dockers return to work at the port. {_prose(7)}"),
        ],
    )
    await _fetch_all(harness)
    await _send_outbox(harness)
    alert = await harness.emulator.wait_for_message(user.id, lambda m: "🔔" in m.text)
    assert "Port strike ends" in alert.text
    assert not any("Cup final moved" in m.text for m in harness.emulator.sent_to(user.id))

    listing = await harness.ask(user, "/mute")
    assert "Your mutes" in listing.text and "1. “cup final”" in listing.text
    await harness.press(user, listing, "Unmute 1.")
    await harness.emulator.wait_until(lambda: "no mutes" in listing.text)
    assert await _count(harness, MuteRule, user.id) == 0
    missing = await harness.ask(user, "/unmute cup final")
    assert "do not mute" in missing.text
    await harness.ask(user, "/mute cup final")
    gone = await harness.ask(user, "/unmute  Cup   Final")
    assert "Unmuted" in gone.text and await _count(harness, MuteRule, user.id) == 0


async def test_search_shows_one_result_per_story_with_paging_buttons(harness: Harness) -> None:
    user = harness.user("Seeker")
    words = "lighthouse keepers restored the historic harbour lamp on the northern pier"
    story = f"Volunteer {words} after a long campaign. {_prose(8)}"
    first = _publish(
        harness,
        "/search-a.xml",
        "Pier Post",
        [("sa-0", "Old lamp shines again", story)]
        + [
            (f"sa-{n}", f"Lamp note {n}", f"Note {n}: the {words}, part {n}. {_prose(10 + n)}")
            for n in range(1, 7)
        ],
    )
    second = _publish(
        harness, "/search-b.xml", "Quay Courier", [("sb-0", "Old lamp shines again", story)]
    )
    for url in (first, second):
        await harness.ask(user, f"/add {url}")
    await _fetch_all(harness)

    query = f"/search {words}"
    assert len(query.encode()) > 64  # longer than a button can carry
    found = await harness.ask(user, query)
    # Seven stories (the shared one once), newest first, five to a page.
    # The feed has no dates, so the stories are as new as they were stored: the last first.
    assert "7 recent stories · page 1 of 2" in found.text
    assert found.text.split("\n\n")[1].startswith("1. Lamp note 6")
    assert "Old lamp shines again" not in found.text and "\n5. Lamp note 2" in found.text
    assert [b["text"] for b in found.buttons] == ["1/2", "▶"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in found.buttons)
    await harness.press(user, found, "▶")
    await harness.emulator.wait_until(lambda: "page 2 of 2" in found.text)
    assert "\n6. Lamp note 1" in found.text and [b["text"] for b in found.buttons] == ["◀", "2/2"]
    # Two outlets' copies of one story: one result, naming the other outlet.
    assert found.text.count("Old lamp shines again") == 1
    assert (
        "Pier Post · also reported by Quay Courier" in found.text
        or "Quay Courier · also reported by Pier Post" in found.text
    )
    await harness.press(user, found, "◀")
    await harness.emulator.wait_until(lambda: "page 1 of 2" in found.text)

    # Another chat's search and a page past the end are out of date (garbage: the edges test).
    search_id = found.buttons[0]["callback_data"].split(":")[1]
    stranger = harness.user("Stranger")
    elsewhere = await harness.ask(stranger, "/help")
    for who, message, data in (
        (stranger, elsewhere, f"sr:{search_id}:0"),
        (user, found, f"sr:{search_id}:2"),
        (user, found, f"sr:{search_id}:-1"),
    ):
        answer = await harness.press_made_up(who, message, data)
        assert answer["text"].startswith("That button is out of date"), data
    assert "page 1 of 2" in found.text
    one = await harness.ask(user, "/search historic harbour lamp northern pier volunteer")
    assert "1 recent story" in one.text and one.buttons == []


async def test_help_lists_the_new_commands(harness: Harness) -> None:
    user = harness.user("Reader of help")
    text = (await harness.ask(user, "/help")).text
    assert "/mute" in text and "/unmute" in text and "/alert [daily]" not in text
    assert "round-up" in text and "one result per story" in text


async def test_the_admin_who_linked_a_channel_pauses_and_resumes_it(harness: Harness) -> None:
    owner, co_admin = harness.user("Channel owner"), harness.user("Co-admin")
    channel = harness.emulator.create_group(
        "Quay News", admins=[owner, co_admin], kind="channel", username="quaynews"
    )
    assert "no channel yet" in (await harness.ask(owner, "/channel pause 3d")).text
    assert "Digests will be posted" in (await harness.ask(owner, "/channel @quaynews")).text
    # Only the chat that linked the channel manages it.
    refused = await harness.ask(co_admin, "/channel pause @quaynews 3d")
    assert "You have not linked @quaynews" in refused.text
    bad = await harness.ask(owner, "/channel pause @QuayNews soon")
    assert "not a duration" in bad.text

    paused = await harness.ask(owner, "/channel pause 3d")
    assert "@quaynews is paused until" in paused.text and "/channel resume" in paused.text
    async with harness.services.sessionmaker() as session, session.begin():
        linked = await session.get(Chat, channel.id)
        own = await session.get(Chat, owner.id)
        assert linked is not None and own is not None
        assert linked.paused_until is not None and own.paused_at is None
        assert timedelta(days=3) - (linked.paused_until - utcnow()) < timedelta(minutes=1)
        linked.next_digest_at = utcnow() - timedelta(minutes=1)
    report = await harness.app.bot_data.runtime.pipeline.digest_tick()
    assert report.paused >= 1
    await _send_outbox(harness)
    assert channel.messages == []

    resumed = await harness.ask(owner, "/channel resume")
    assert "Digests are posted to @quaynews again" in resumed.text
    async with harness.services.sessionmaker() as session:
        linked = await session.get(Chat, channel.id)
    assert linked is not None and linked.paused_at is None
    again = await harness.ask(owner, "/channel resume @quaynews")
    assert "Nothing to resume" in again.text
