"""Weekly and weekday schedules, /pause and /resume, and OPML in the chat, through the real bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobs.opml import parse_opml
from store import chats as chat_store
from store import deliveries
from store.models import Chat, DeliveryKind, utcnow
from tests.bot.harness import Harness

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


async def _chat(harness: Harness, chat_id: int) -> Chat:
    async with harness.services.sessionmaker() as session:
        chat = await session.get(Chat, chat_id)
    assert chat is not None
    return chat


async def test_weekly_schedule_is_stored_and_due_on_its_local_day(harness: Harness) -> None:
    user = harness.user("Weekly")
    await harness.ask(user, "/timezone Europe/Berlin")
    reply = await harness.ask(user, "/settings weekly mon 08:00")
    assert "every Monday at 08:00" in reply.text
    chat = await _chat(harness, user.id)
    assert chat.digest_schedule == "weekly mon 08:00"
    assert chat.next_digest_at is not None
    local = chat.next_digest_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)
    assert (chat.next_digest_at - datetime.now(UTC)).days < 7


async def test_weekdays_several_times_and_the_buttons(harness: Harness) -> None:
    user = harness.user("Weekdays")
    reply = await harness.ask(user, "/settings weekdays 07:30 12:00 18:00")
    assert "on weekdays at 07:30, 12:00 and 18:00" in reply.text
    assert (await _chat(harness, user.id)).digest_schedule == "weekdays 07:30,12:00,18:00"
    await harness.press(user, reply, "Mondays 08:00")
    await harness.emulator.wait_until(lambda: "every Monday at 08:00" in reply.text)
    assert (await _chat(harness, user.id)).digest_schedule == "weekly mon 08:00"
    await harness.press(user, reply, "Weekdays 08:00")
    await harness.emulator.wait_until(lambda: "on weekdays at 08:00" in reply.text)
    bad = await harness.ask(user, "/settings weekly 08:00")
    assert "Which day" in bad.text and "/settings weekly mon 08:00" in bad.text
    assert (await _chat(harness, user.id)).digest_schedule == "weekdays 08:00"


async def test_help_shows_the_new_schedules(harness: Harness) -> None:
    user = harness.user("Helped")
    reply = await harness.ask(user, "/help")
    assert "/settings weekly mon 08:00" in reply.text


async def _held_alert(harness: Harness, chat_id: int, n: int) -> None:
    """An alert as alert matching queues it (tests/jobs/test_pause.py runs the matcher itself)."""
    async with harness.services.sessionmaker() as session, session.begin():
        await deliveries.enqueue(
            session,
            chat_id=chat_id,
            kind=DeliveryKind.ALERT,
            item_key=f"story:e2e-{n}",
            payload={
                "text": f"🔔 <b>ferry</b>\nFerry story {n}",
                "title": f"Ferry story {n}",
                "url": f"https://news.example/{n}",
                "source": "Harbour Gazette",
            },
            now=utcnow(),
        )


async def test_pause_holds_alerts_and_resume_sends_one_list(harness: Harness) -> None:
    user = harness.user("Traveller")
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    reply = await harness.ask(user, "/pause 3d")
    assert "Paused until" in reply.text and "/resume" in reply.text
    chat = await _chat(harness, user.id)
    assert chat.paused_at is not None and chat.paused_until is not None
    assert timedelta(days=3) - (chat.paused_until - chat.paused_at) < timedelta(seconds=1)
    for n in range(3):
        await _held_alert(harness, user.id, n)
    before = len(harness.emulator.sent_to(user.id))
    await sender.send_due()
    assert len(harness.emulator.sent_to(user.id)) == before  # held, not sent

    resumed = await harness.ask(user, "/resume")
    assert "Resumed" in resumed.text and "3 alerts arrived meanwhile" in resumed.text
    await sender.send_due()
    away = await harness.emulator.wait_for_message(
        user.id, lambda m: "While you were away" in m.text
    )
    assert "3 stories matched" in away.text and "Ferry story 2" in away.text
    await sender.send_due()
    assert [m.text for m in harness.emulator.sent_to(user.id)].count(away.text) == 1
    again = await harness.ask(user, "/resume")
    assert "Nothing to resume" in again.text


async def test_pause_until_resumed_and_bad_durations(harness: Harness) -> None:
    user = harness.user("Resting")
    reply = await harness.ask(user, "/pause")
    assert "until you send /resume" in reply.text
    assert (await _chat(harness, user.id)).paused_until is None
    bad = await harness.ask(user, "/pause soon")
    assert "not a duration" in bad.text and "<code>/pause 3d</code>" not in bad.text
    assert "/pause 3d" in bad.text
    nothing = await harness.ask(user, "/resume")
    assert "No alerts matched meanwhile" in nothing.text
    assert (await _chat(harness, user.id)).paused_at is None


async def test_in_a_group_only_admins_pause(harness: Harness) -> None:
    owner, member = harness.user("PauseOwner"), harness.user("PauseMember")
    group = harness.emulator.create_group("Pausers", members=[owner, member], admins=[owner])
    member.send_command("/pause 1d", chat=group)
    refused = await harness.emulator.wait_for_message(group.id)
    assert "Only this group's admins" in refused.text
    assert (await _chat(harness, group.id)).paused_at is None


def _opml(*urls: str) -> bytes:
    outlines = "".join(
        f'<outline type="rss" text="Feed {n}" xmlUrl="{url}"/>' for n, url in enumerate(urls)
    )
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head>'
        f'<body><outline text="News">{outlines}</outline></body></opml>'
    ).encode()


async def _sources(harness: Harness, chat_id: int) -> set[str]:
    async with harness.services.sessionmaker() as session:
        return {source.url for source in await chat_store.chat_sources(session, chat_id)}


async def test_an_opml_file_subscribes_and_reports_each_feed(harness: Harness) -> None:
    server = harness.server
    user = harness.user("Importer")
    await harness.ask(user, "/start world")
    before = await _sources(harness, user.id)
    assert server.url("/teaser.xml") in before
    user.send_document(
        _opml(
            server.url("/teaser.xml"),  # already followed
            server.url("/outlet-b.xml"),
            server.url("/bench/feed/0.xml"),
            server.url("/no-such-feed.xml"),
            "ftp://files.example/feed.xml",
            "http://10.0.0.5/feed.xml",
        ),
        file_name="subscriptions.opml",
    )
    await harness.emulator.wait_for_message(user.id, lambda m: "Reading 6 feeds" in m.text)
    report = await harness.emulator.wait_for_message(
        user.id, lambda m: "OPML import" in m.text, timeout=30
    )
    assert "2 added, 1 already there, 3 refused" in report.text
    assert "Feed 4: I can only add http and https addresses" in report.text
    assert "Feed 3:" in report.text and "404" in report.text
    assert "this address is not allowed" in report.text and "NEWSDIGEST" not in report.text
    after = await _sources(harness, user.id)
    assert after - before == {server.url("/outlet-b.xml"), server.url("/bench/feed/0.xml")}
    # The same file again adds nothing and fetches nothing already followed.
    requested = len(server.paths_requested())
    user.send_document(_opml(server.url("/outlet-b.xml")), file_name="again.xml")
    again = await harness.emulator.wait_for_message(user.id, lambda m: "OPML import" in m.text)
    assert "0 added, 1 already there, 0 refused" in again.text
    assert len(server.paths_requested()) == requested


async def test_opml_files_too_large_too_long_or_unreadable_are_refused_clearly(
    harness: Harness,
) -> None:
    user = harness.user("Bulk")
    limits = harness.services.settings.limits
    downloads = len(harness.emulator.calls_to("getFile"))
    user.send_document(b"<opml>" + b" " * limits.opml_max_bytes, file_name="huge.opml")
    large = await harness.emulator.wait_for_message(user.id)
    assert "larger than 1,000 kB" in large.text
    assert len(harness.emulator.calls_to("getFile")) == downloads  # never downloaded
    many = _opml(*(f"https://feeds.example/{n}.xml" for n in range(limits.opml_max_feeds + 1)))
    user.send_document(many, file_name="many.opml")
    long = await harness.emulator.wait_for_message(user.id)
    assert (
        f"lists {limits.opml_max_feeds + 1} feeds; I take at most {limits.opml_max_feeds}"
        in long.text
    )
    user.send_document(b"not xml at all", file_name="broken.opml")
    broken = await harness.emulator.wait_for_message(user.id)
    assert "not valid XML" in broken.text
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>'
    user.send_document(bomb, file_name="bomb.opml")
    refused = await harness.emulator.wait_for_message(user.id)
    assert "forbidden XML" in refused.text
    assert await _sources(harness, user.id) == set()


async def test_export_sends_the_sources_as_an_opml_file_that_reads_back(harness: Harness) -> None:
    user = harness.user("Exporter")
    empty = await harness.ask(user, "/export")
    assert "no sources to export" in empty.text
    await harness.ask(user, "/start world")
    user.send_command("/export")
    sent = await harness.emulator.wait_for_message(user.id, lambda m: m.document is not None)
    assert sent.document is not None and "2 sources as OPML" in sent.text
    [_sent] = [
        c for c in harness.emulator.calls_to("sendDocument") if c.params["chat_id"] == str(user.id)
    ]
    assert {outline.xml_url for outline in parse_opml(sent.document)} == await _sources(
        harness, user.id
    )
    # Sent back, the file adds nothing new.
    user.send_document(sent.document, file_name="newsdigest-sources.opml")
    back = await harness.emulator.wait_for_message(user.id, lambda m: "OPML import" in m.text)
    assert "0 added, 2 already there" in back.text


async def test_in_a_group_only_admins_import(harness: Harness) -> None:
    owner, member = harness.user("OpmlOwner"), harness.user("OpmlMember")
    group = harness.emulator.create_group("Importers", members=[owner, member], admins=[owner])
    member.send_document(_opml(harness.server.url("/atom.xml")), file_name="x.opml", chat=group)
    refused = await harness.emulator.wait_for_message(group.id)
    assert "Only this group's admins" in refused.text
