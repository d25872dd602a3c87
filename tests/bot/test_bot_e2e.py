"""The bot end to end: the real Application polling the emulator over HTTP, every command and button."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from jobs.messages import utf16_length
from store.models import AlertRule, Chat, Subscription
from tests.bot.harness import Harness, bot_harness, texts

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


async def test_commands_are_registered_at_start(harness: Harness) -> None:
    [call] = [
        c for c in harness.emulator.calls_to("setMyCommands") if "language_code" not in c.params
    ]
    names = {command["command"] for command in call.params["commands"]}
    assert {"start", "help", "digest", "alert", "summary", "settings", "stop"} <= names


async def test_start_topic_then_first_digest(harness: Harness) -> None:
    user = harness.user("Reader")
    welcome = await harness.ask(user, "/start")
    assert "newsdigest" in welcome.text
    await harness.press(user, welcome, "World")
    confirmation = await harness.emulator.wait_for_message(
        user.id, lambda m: "subscribed" in m.text
    )
    assert "2 sources" in confirmation.text
    await harness.ingest()
    await harness.press(user, welcome, "First digest")
    digest = await harness.emulator.wait_for_message(user.id, lambda m: "Your digest" in m.text)
    assert "Storm cuts power cable" in digest.text
    assert digest.link_preview_disabled
    assert harness.errors == []


async def test_deep_link_subscribes_to_a_topic(harness: Harness) -> None:
    user = harness.user("Deep")
    reply = await harness.ask(user, "/start energy")
    assert "Subscribed to Energy" in reply.text
    nope = await harness.ask(user, "/start nosuchtopic")
    assert "no topic" in nope.text


async def test_sources_page_and_toggle(harness: Harness) -> None:
    user = harness.user("Browser")
    message = await harness.ask(user, "/sources")
    assert any("Next" in b["text"] for b in message.buttons)
    first = message.buttons[0]["text"]
    assert first.startswith("➕")
    await harness.press(user, message, first)
    await harness.emulator.wait_until(lambda: message.buttons[0]["text"].startswith("✅"))
    await harness.press(user, message, "Next")
    await harness.emulator.wait_until(
        lambda: any("Bench feed 5" in b["text"] for b in message.buttons)
    )
    sources = await harness.ask(user, "/mysources")
    assert "Coastal Courier" in sources.text


async def test_add_refuse_list_remove(harness: Harness) -> None:
    user = harness.user("Adder")
    refused = await harness.ask(user, "/add http://10.0.0.5/feed.xml")
    # The reader learns the address is refused, not which server setting would allow it.
    assert refused.text == "I could not add that source: this address is not allowed"
    added = await harness.ask(user, f"/add {harness.server.url('/page.html')}")
    assert added.text.startswith("✅ Added")
    again = await harness.ask(user, f"/add {harness.server.url('/page.html')}")
    assert "already follow" in again.text
    usage = await harness.ask(user, "/add")
    assert usage.text.startswith("Usage: /add URL")
    listing = await harness.ask(user, "/remove")
    await harness.press(user, listing, "✖")
    await harness.emulator.wait_until(lambda: listing.buttons == [])
    empty = await harness.ask(user, "/mysources")
    assert "no sources" in empty.text


async def test_settings_timezone_quiet(harness: Harness) -> None:
    user = harness.user("Settler")
    panel = await harness.ask(user, "/settings")
    assert "Stories per digest: 8" in panel.text
    await harness.press(user, panel, "12 stories")
    await harness.emulator.wait_until(lambda: "Stories per digest: 12" in panel.text)
    await harness.press(user, panel, "Entities")
    await harness.emulator.wait_until(lambda: "Entities: off" in panel.text)
    direct = await harness.ask(user, "/settings daily 07:30")
    assert "daily at 07:30" in direct.text
    bad = await harness.ask(user, "/settings at teatime")
    assert "Examples" in bad.text
    tz = await harness.ask(user, "/timezone Berlin")
    assert "Europe/Berlin" in tz.text
    wrong = await harness.ask(user, "/timezone Berlinn")
    assert "Europe/Berlin" in wrong.text and "/timezone" in wrong.text
    quiet = await harness.ask(user, "/quiet 22-07")
    assert "22:00-07:00" in quiet.text
    async with harness.services.sessionmaker() as session:
        chat = await session.get(Chat, user.id)
    assert chat is not None
    assert (chat.items_per_digest, chat.show_entities, chat.timezone) == (
        12,
        False,
        "Europe/Berlin",
    )
    assert chat.next_digest_at is not None and chat.quiet_hours == "22:00-07:00"


async def test_alerts_add_list_remove_and_limits(harness: Harness) -> None:
    user = harness.user("Alerter")
    added = await harness.ask(user, '/alert "wind farm" OR turbines -opinion')
    assert "Alert added" in added.text
    duplicate = await harness.ask(user, '/alert turbines OR "wind farm" -opinion')
    assert "already have" in duplicate.text
    broken = await harness.ask(user, '/alert "unclosed')
    assert "quote" in broken.text.lower()
    listing = await harness.ask(user, "/alerts")
    assert "wind farm" in listing.text
    await harness.press(user, listing, "✖ 1.")
    await harness.emulator.wait_until(lambda: "no alerts" in listing.text)
    async with harness.services.sessionmaker() as session:
        assert (
            await session.scalars(select(AlertRule).where(AlertRule.chat_id == user.id))
        ).all() == []


async def test_summaries_of_links_texts_and_replies(harness: Harness) -> None:
    user = harness.user("Curious")
    link = await harness.ask(user, harness.server.url("/articles/wind-farm-a.html"), timeout=30)
    assert "North Bank" in link.text and "min read" in link.text
    assert harness.emulator.chats[user.id].actions  # "typing…" was shown  # type: ignore[attr-defined]
    text = " ".join(
        [
            "The city council of Port Ellis approved a new budget of 12 million dollars on Tuesday.",
            "Mayor Ines Calloway said the money would repair roads and build two parks by 2028.",
            "Opposition members said the plan ignored the harbour, which needs 4 million dollars.",
            "The vote passed by 23 votes to 8 after a debate that lasted more than five hours.",
            "Residents will be able to comment on the plan online until the end of the month.",
        ]
    )
    pasted = await harness.ask(user, text, timeout=30)
    assert "Port Ellis" in pasted.text or "council" in pasted.text
    short = await harness.ask(user, "hello there")
    assert "Send me a link" in short.text
    bad = await harness.ask(user, "/summary http://169.254.169.254/latest/meta-data")
    # Refused without naming the server setting that would allow it (that is for the admin).
    assert bad.text == "I could not read that link: this address is not allowed"


async def test_summary_rate_limit(tmp_path: Path) -> None:
    from bot.settings import Limits

    async with bot_harness(tmp_path, limits=Limits(summaries_per_minute=1)) as harness:
        user = harness.user("Hasty")
        page = harness.server.url("/articles/wind-farm-a.html")
        await harness.ask(user, f"/summary {page}", timeout=30)
        limited = await harness.ask(user, f"/summary {page}")
        assert "try again in" in limited.text
        assert harness.errors == []


async def test_search_trend_and_stats(harness: Harness) -> None:
    user = harness.user("Searcher")
    await harness.ask(user, "/start world")
    await harness.ingest()
    found = await harness.ask(user, "/search wind farm")
    # Two outlets' copies of the story: one result, the other outlet named.
    assert "1 recent story" in found.text and "North Bank wind farm cut off" in found.text
    assert "Energy Wire · also reported by Coastal Courier" in found.text
    none = await harness.ask(user, "/search zzzzqqq")
    assert "Nothing" in none.text
    chart = await harness.ask(user, "/trend wind")
    assert chart.photo is not None and chart.photo.startswith(b"\x89PNG")
    refused = await harness.ask(user, "/stats")
    assert "admins" in refused.text
    stats = await harness.ask(harness.admin, "/stats")
    assert "Feeds:" in stats.text and "Chats:" in stats.text


async def test_unknown_and_malformed_commands(harness: Harness) -> None:
    user = harness.user("Typo")
    unknown = await harness.ask(user, "/frobnicate now")
    assert "don't know /frobnicate" in unknown.text
    usage = await harness.ask(user, "/trend")
    assert usage.text.startswith("Usage: /trend WORDS")


async def test_stop_after_confirmation_deletes_the_chat(harness: Harness) -> None:
    user = harness.user("Leaver")
    await harness.ask(user, "/start world")
    await harness.ask(user, "/alert storm")
    confirm = await harness.ask(user, "/stop")
    await harness.press(user, confirm, "Cancel")
    await harness.emulator.wait_until(lambda: "Nothing was deleted" in confirm.text)
    confirm = await harness.ask(user, "/stop")
    await harness.press(user, confirm, "Yes")
    await harness.emulator.wait_until(lambda: "deleted" in confirm.text)
    async with harness.services.sessionmaker() as session:
        assert await session.get(Chat, user.id) is None
        assert (
            await session.scalars(select(Subscription).where(Subscription.chat_id == user.id))
        ).all() == []


async def test_group_settings_need_a_group_admin(harness: Harness) -> None:
    owner, member = harness.user("Owner"), harness.user("Member")
    group = harness.emulator.create_group(
        "Harbour readers", members=[owner, member], admins=[owner]
    )
    member.send_command("/settings daily 09:00", chat=group)
    refused = await harness.emulator.wait_for_message(group.id)
    assert "Only this group's admins" in refused.text
    owner.send_command("/settings daily 09:00", chat=group)
    accepted = await harness.emulator.wait_for_message(group.id, lambda m: "Settings" in m.text)
    assert "daily at 09:00" in accepted.text


async def test_a_group_upgraded_to_a_supergroup_keeps_its_alerts_and_sources(
    harness: Harness,
) -> None:
    owner = harness.user("Upgrader")
    group = harness.emulator.create_group("Ferry news", admins=[owner])
    owner.send_command("/alert ferry", chat=group)
    await harness.emulator.wait_for_message(group.id, lambda m: "Alert added" in m.text)

    supergroup = harness.emulator.migrate_group(group)

    said = await harness.emulator.wait_for_message(supergroup.id)
    assert said.text == "✅ This group is now a supergroup: its 1 alert came along."
    async with harness.services.sessionmaker() as session:
        moved = await session.get(Chat, supergroup.id)
        old = await session.get(Chat, group.id)
        rules = (await session.execute(select(AlertRule.chat_id, AlertRule.query))).all()
    assert moved is not None and moved.type == "supergroup"
    assert old is None
    assert (supergroup.id, "ferry") in [tuple(rule) for rule in rules]


async def test_channel_posting_needs_channel_admins(harness: Harness) -> None:
    owner, stranger = harness.user("Editor"), harness.user("Stranger")
    harness.emulator.create_group(
        "Harbour News", admins=[owner], kind="channel", username="harbournews"
    )
    await harness.ask(owner, "/start energy")
    refused = await harness.ask(stranger, "/channel @harbournews")
    assert "Only admins" in refused.text
    linked = await harness.ask(owner, "/channel @harbournews")
    assert "Digests will be posted" in linked.text


async def test_escaping_and_long_digests(harness: Harness) -> None:
    import random

    from tests.feedserver import Route

    subjects = [
        "The harbour master",
        "The city council",
        "A ferry operator",
        "The mayor",
        "Local fishermen",
        "The port authority",
        "A shipping firm",
        "The museum director",
    ]
    verbs = [
        "announced",
        "criticised",
        "approved",
        "delayed",
        "welcomed",
        "rejected",
        "funded",
        "reviewed",
    ]
    objects = [
        "a new crane",
        "the bridge repairs",
        "the school budget",
        "a wind farm plan",
        "higher fish prices",
        "the river cleanup",
        "a longer ferry timetable",
        "the lighthouse restoration",
    ]
    days = [
        "on Monday",
        "on Tuesday",
        "last week",
        "this morning",
        "after a long debate",
        "in a short statement",
    ]

    def story(n: int) -> str:
        pick = random.Random(n)
        return " ".join(
            f"{pick.choice(subjects)} {pick.choice(verbs)} {pick.choice(objects)} {pick.choice(days)}, costing {pick.randint(2, 900)} thousand dollars."
            for _ in range(7)
        )

    items = "".join(
        f"<item><title>{n} &lt;b&gt;Tom &amp; Jerry&lt;/b&gt; 🚀 שלום {'x' * 120}</title>"
        f"<link>{harness.server.url(f'/odd/{n}.html')}</link><guid>odd-{n}</guid>"
        f"<description>{story(n)} {story(n + 1000)}</description></item>"
        for n in range(40)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Odd &amp; Co</title>{items}</channel></rss>'
    harness.server.route("/odd.xml", Route(feed.encode()))
    user = harness.user("Reader of odd things")
    await harness.ask(user, f"/add {harness.server.url('/odd.xml')}")
    async with harness.services.sessionmaker() as session, session.begin():
        chat = await session.get(Chat, user.id)
        assert chat is not None
        chat.items_per_digest = 30
        chat.summary_sentences = 3
    await harness.ingest()
    user.send_command("/digest")
    await harness.emulator.wait_until(
        lambda: any("\n30. " in m.text for m in harness.emulator.sent_to(user.id)), timeout=20
    )
    parts = [m for m in harness.emulator.sent_to(user.id) if "Tom & Jerry" in m.text]
    assert len(parts) >= 2
    assert all(utf16_length(m.text) <= 4096 for m in parts)
    assert "<b>Tom & Jerry</b> 🚀 שלום" in parts[0].text
    assert sum(m.text.count("Tom & Jerry") for m in parts) == 30


async def test_fifty_users_at_once(harness: Harness) -> None:
    users = [harness.user(f"Crowd {n}") for n in range(50)]
    for user in users:
        user.send_command("/help")
    replies = await asyncio.gather(*(harness.emulator.wait_for_message(u.id) for u in users))
    assert all("What I can do" in reply.text for reply in replies)
    assert texts([r for r in replies])[0].count("/alert") >= 1


async def test_internal_errors_apologise_with_an_id(harness: Harness) -> None:
    from telegram.ext import CommandHandler

    async def boom(update: object, context: object) -> None:
        raise RuntimeError("database on fire")

    harness.app.add_handler(CommandHandler("boom", boom), group=-1)
    user = harness.user("Unlucky")
    reply = await harness.ask(user, "/boom")
    assert "Sorry, something went wrong" in reply.text and "error " in reply.text
    assert "database on fire" not in reply.text
    # The recording error handler runs after the one that apologised.
    await harness.emulator.wait_until(lambda: bool(harness.errors))
    assert [str(e) for e in harness.errors] == ["database on fire"]
    harness.errors.clear()
