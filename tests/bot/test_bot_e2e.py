"""The bot end to end: the real PTB Application polling the Bot API emulator, every command and button."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from telegram.ext import CallbackContext, CommandHandler

from bot.emulator import parse_html, utf16_len
from bot.handlers.replies import send_html
from bot.settings import Limits
from store.models import AlertRule, Chat, Feed, Subscription, utcnow
from tests.bot.helpers import RunningBot, running_bot, store_article
from tests.feedserver import FeedServer

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningBot]:
    limits = Limits(alerts_per_chat=3, summaries_per_minute=2)
    async with running_bot(tmp_path_factory.mktemp("bot"), limits=limits) as running:
        yield running


@pytest.fixture(scope="module")
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture(autouse=True)
def no_handler_errors(bot: RunningBot) -> Iterator[None]:
    """PTB swallows handler exceptions; every test fails if a handler raised one."""
    yield
    assert bot.errors == []


async def _count(bot: RunningBot, query: object) -> int:
    async with bot.sessionmaker() as session:
        return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


async def test_commands_are_registered_with_telegram_at_start(bot: RunningBot) -> None:
    [commands] = bot.emulator.commands.values()
    names = [command["command"] for command in commands]
    assert {"start", "help", "digest", "sources", "alert", "summary", "search", "stop"} <= set(
        names
    )
    assert "stats" not in names  # admin commands are not advertised


async def test_help_and_unknown_command(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Helen")
    answer = await bot.ask(user, "/help")
    assert "/alert" in answer.text and "/timezone Europe/Berlin" in answer.text
    hint = await bot.ask(user, "/frobnicate now")
    assert hint.text == "I don't know the command /frobnicate. /help lists the ones I do."


async def test_start_offers_topics_and_a_tap_subscribes_and_sends_a_first_digest(
    bot: RunningBot,
) -> None:
    user = bot.emulator.create_user("Stella")
    welcome = await bot.ask(user, "/start")
    assert "calm digest" in welcome.text
    await bot.press(user, welcome, "Tech")
    done = await bot.emulator.wait_for_message(user.id, lambda m: "Subscribed" in m.text)
    assert "Ars Technica" in done.text
    await bot.emulator.wait_for_message(user.id, lambda m: "Nothing from your sources" in m.text)
    subscribed = (
        select(func.count()).select_from(Subscription).where(Subscription.chat_id == user.id)
    )
    assert await _count(bot, subscribed) == 4


async def test_start_deep_link_subscribes_to_a_topic_and_unknown_topics_are_named(
    bot: RunningBot,
) -> None:
    user = bot.emulator.create_user("Deeplink")
    await bot.ask(user, "/start science", expect="Subscribed to science (2 new)")
    catalog = select(func.count()).select_from(Feed).where(Feed.topic == "science")
    assert await _count(bot, catalog) == 2
    answer = await bot.ask(user, "/start cooking")
    assert "There is no topic" in answer.text and "tech" in answer.text


async def test_sources_pages_and_toggles_catalog_feeds(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Paging")
    catalog = await bot.ask(user, "/sources")
    assert catalog.text.startswith("📚 Catalog (page 1 of 2)")
    await bot.press(user, catalog, "More ▶")
    await bot.emulator.wait_until(lambda: "page 2 of 2" in catalog.text)
    await bot.press(user, catalog, "➕ NASA — Breaking news")
    await bot.emulator.wait_until(lambda: "✅ NASA — Breaking news" in str(catalog.buttons))
    mine = await bot.ask(user, "/mysources")
    assert "1. NASA — Breaking news (science)" in mine.text
    await bot.press(user, catalog, "✅ NASA — Breaking news")
    await bot.emulator.wait_until(lambda: "➕ NASA — Breaking news" in str(catalog.buttons))
    empty = await bot.ask(user, "/mysources")
    assert "You have no sources yet" in empty.text


async def test_add_a_feed_list_and_remove_it(bot: RunningBot, feeds: FeedServer) -> None:
    user = bot.emulator.create_user("Adder")
    usage = await bot.ask(user, "/add")
    assert usage.text.startswith("Usage: /add URL")
    added = await bot.ask(user, f"/add {feeds.url('/rss2.xml')}")
    assert added.text.startswith("✅ Added"), added.text
    again = await bot.ask(user, f"/add {feeds.url('/rss2.xml')}")
    assert again.text.startswith("You already read")
    listing = await bot.ask(user, "/mysources")
    assert listing.text.startswith("📚 Your sources") and "1. " in listing.text
    picker = await bot.ask(user, "/remove")
    [button] = picker.buttons
    await bot.press(user, picker, button["text"])
    await bot.emulator.wait_until(lambda: picker.text.startswith("🗑 Removed"))
    gone = await bot.ask(user, "/remove 1")
    assert gone.text == "There is no source 1; see /mysources."
    none = await bot.ask(user, "/mysources")
    assert "You have no sources yet" in none.text


async def test_add_refuses_private_addresses_and_non_feeds_with_the_reason(
    bot: RunningBot, feeds: FeedServer
) -> None:
    user = bot.emulator.create_user("Refused")
    refused = await bot.ask(user, "/add http://10.0.0.5/feed.xml")
    assert "❌ Could not add" in refused.text and "private network" in refused.text
    missing = await bot.ask(user, f"/add {feeds.url('/nothing-here.xml')}")
    assert "❌ Could not add" in missing.text and "404" in missing.text


async def test_settings_keyboard_changes_schedule_and_options(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Settler")
    panel = await bot.ask(user, "/settings")
    assert "Digest: daily at 08:00 (UTC)" in panel.text
    await bot.press(user, panel, "Every 6 h")
    await bot.emulator.wait_until(lambda: "every 6 hours" in panel.text)
    await bot.press(user, panel, "12 items")
    await bot.emulator.wait_until(lambda: "Items per digest: 12" in panel.text)
    await bot.press(user, panel, "Names: on")
    await bot.emulator.wait_until(lambda: "Names: off" in panel.text)
    async with bot.sessionmaker() as session:
        chat = await session.get(Chat, user.id)
    assert chat is not None
    assert (chat.digest_schedule, chat.items_per_digest, chat.show_entities) == (
        "every 6h",
        12,
        False,
    )
    assert chat.next_digest_at is not None and chat.next_digest_at - utcnow() <= timedelta(hours=6)


async def test_schedule_timezone_and_quiet_hours_by_text(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Zoned")
    assert "Usage: /timezone ZONE" in (await bot.ask(user, "/timezone")).text
    await bot.ask(user, "/timezone Europe/Berlin", expect="Time zone: Europe/Berlin")
    await bot.ask(user, "/timezone tokyo", expect="Asia/Tokyo")
    wrong = await bot.ask(user, "/timezone Europe/Berln")
    assert wrong.text.startswith("❌") and "Europe/Berlin" in wrong.text  # did you mean
    await bot.ask(user, "/schedule daily 07:30, 18:00", expect="daily at 07:30 and 18:00")
    bad = await bot.ask(user, "/schedule sometimes")
    assert bad.text.startswith("❌") and "Examples" in bad.text
    await bot.ask(user, "/quiet 22-07", expect="Quiet hours 22:00-07:00 (Asia/Tokyo)")
    async with bot.sessionmaker() as session:
        chat = await session.get(Chat, user.id)
    assert chat is not None
    assert (chat.timezone, chat.digest_schedule, chat.quiet_hours) == (
        "Asia/Tokyo",
        "daily 07:30,18:00",
        "22:00-07:00",
    )
    await bot.ask(user, "/quiet off", expect="Quiet hours off")


async def test_alerts_add_list_limit_and_remove(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Alerter")
    await bot.ask(user, '/alert Climate "Carbon TAX" -opinion', expect="Alert added")
    await bot.ask(user, '/alert -opinion Climate "carbon tax"', expect="You already have")
    unclosed = await bot.ask(user, '/alert "carbon tax')
    assert "not closed" in unclosed.text
    await bot.ask(user, "/alert wildfire OR drought", expect="Alert added")
    await bot.ask(user, "/alert café", expect="Alert added")
    full = await bot.ask(user, "/alert one more")
    assert "3 alerts, the most" in full.text
    listing = await bot.ask(user, "/alerts")
    assert '1. "carbon tax" climate -opinion' in listing.text
    await bot.press(user, listing, listing.buttons[0]["text"])
    await bot.emulator.wait_until(lambda: "carbon tax" not in listing.text)
    async with bot.sessionmaker() as session:
        rules = list(
            await session.scalars(select(AlertRule.query).where(AlertRule.chat_id == user.id))
        )
    assert sorted(rules) == ["cafe", "drought OR wildfire"]


async def test_stop_asks_first_then_deletes_everything(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Leaver")
    await bot.ask(user, "/alert leaving", expect="Alert added")
    question = await bot.ask(user, "/stop")
    await bot.press(user, question, "No, keep it")
    await bot.emulator.wait_until(lambda: question.text == "Nothing was deleted.")
    assert await _count(bot, select(func.count()).select_from(Chat).where(Chat.id == user.id)) == 1
    question = await bot.ask(user, "/stop")
    await bot.press(user, question, "Yes, delete everything")
    await bot.emulator.wait_until(lambda: question.text.startswith("👋 Done"))
    assert await _count(bot, select(func.count()).select_from(Chat).where(Chat.id == user.id)) == 0
    rules = select(func.count()).select_from(AlertRule).where(AlertRule.chat_id == user.id)
    assert await _count(bot, rules) == 0


async def test_digest_escapes_titles_and_splits_long_digests(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Reader")
    assert "no sources yet" in (await bot.ask(user, "/digest")).text
    now = utcnow()
    hostile = 'Q3 <b>profits</b> & "losses" 📈 — שלום'
    for n in range(12):
        await store_article(
            bot.sessionmaker,
            feed_url=f"https://outlet{n % 3}.test/feed",
            feed_title=f"Outlet {n % 3} <&>",
            chat_id=user.id,
            url=f"https://outlet{n % 3}.test/story-{n}",
            title=hostile if n == 0 else f"Story {n} 😀",
            text="",
            sentences=[f"Sentence {k} of story {n} " + "😀 words " * 40 for k in range(3)],
            fetched_at=now - timedelta(minutes=n),
            entities=[{"text": "AT&T", "kind": "ORG", "mentions": 2}],
        )
    panel = await bot.ask(user, "/settings")
    await bot.press(user, panel, "12 items")
    await bot.emulator.wait_until(lambda: "Items per digest: 12" in panel.text)
    user.send_command("/digest")
    sent = bot.emulator.sent_to(user.id)
    first = await bot.emulator.wait_for_message(user.id, lambda m: "Your digest" in m.text)
    await bot.emulator.wait_for_message(user.id, lambda m: "\n12. " in m.text)
    parts = sent[sent.index(first) :]
    assert len(parts) >= 2  # 12 items of two long sentences do not fit in 4096 units
    for part in parts:
        assert utf16_len(part.text) <= 4096
        assert part.link_preview_disabled
        assert part.html is not None
        parse_html(part.html)
    everything = "\n".join(part.text for part in parts)
    assert hostile in everything and "Outlet 0 <&>" in everything


async def test_search_and_trend(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Searcher")
    now = utcnow()
    for n in range(3):
        await store_article(
            bot.sessionmaker,
            feed_url="https://search.test/feed",
            feed_title="Search Test",
            chat_id=None,
            url=f"https://search.test/turbine-{n}",
            title=f"Offshore turbines <{n}>",
            text="The offshore wind turbines were repaired after the storm.",
            sentences=["Turbines were repaired after the storm."],
            fetched_at=now - timedelta(days=n * 3),
        )
    found = await bot.ask(user, "/search offshore turbines")
    assert "offshore turbines: 3 recent articles" in found.text
    assert "Offshore turbines <0>" in found.text and "Turbines were repaired" in found.text
    nothing = await bot.ask(user, "/search zeppelin")
    assert "Nothing stored matches zeppelin" in nothing.text
    assert (await bot.ask(user, "/search")).text.startswith("Usage: /search WORDS")
    chart = await bot.ask(user, "/trend turbines", expect="articles mentioned")
    assert chart.photo is not None and chart.photo.startswith(b"\x89PNG")
    assert chart.text.startswith("3 articles mentioned")


async def test_stats_only_for_admins(bot: RunningBot) -> None:
    admin = bot.admins[0]
    stats = await bot.ask(admin, "/stats")
    assert stats.text.startswith("📈 Stats") and "Deliveries:" in stats.text
    stranger = bot.emulator.create_user("Stranger")
    assert (await bot.ask(stranger, "/stats")).text == "/stats is for the bot's admins."


async def test_in_groups_only_admins_change_settings(bot: RunningBot) -> None:
    owner = bot.emulator.create_user("Owner")
    member = bot.emulator.create_user("Member")
    group = bot.emulator.create_group("Newsroom", members=[member], admins=[owner])
    refused = await bot.ask(member, "/alert storms", chat=group)
    assert refused.text == "Only this group's admins can change its settings."
    await bot.ask(owner, "/alert storms", chat=group, expect="Alert added")
    panel = await bot.ask(member, "/settings", chat=group)
    query_id = await bot.press(member, panel, "Off")
    answer = bot.emulator.callback_answers[query_id]
    assert answer is not None and answer.get("show_alert") and "admins" in answer["text"]
    async with bot.sessionmaker() as session:
        chat = await session.get(Chat, group.id)
    assert chat is not None and chat.digest_schedule == "daily 08:00"


async def test_channel_is_linked_only_by_its_admin(bot: RunningBot) -> None:
    owner = bot.emulator.create_user("Publisher")
    other = bot.emulator.create_user("Other")
    bot.emulator.create_group("Daily Brief", admins=[owner], kind="channel", username="brief")
    await bot.ask(owner, "/start world", expect="Subscribed")
    linked = await bot.ask(owner, "/channel @brief", expect="📣")
    assert "Daily Brief" in linked.text and "4 sources" in linked.text
    refused = await bot.ask(other, "/channel @brief")
    assert refused.text == "Only an admin of @brief can link it."
    unknown = await bot.ask(other, "/channel @nowhere")
    assert "I cannot see @nowhere" in unknown.text
    assert (await bot.ask(other, "/channel")).text.startswith("Usage: /channel")


async def test_an_internal_error_gets_an_apology_with_an_id_and_no_traceback(
    bot: RunningBot,
) -> None:
    async def explode(update: object, context: object) -> None:
        raise RuntimeError("secret internals")

    handler = CommandHandler("explode", explode)
    bot.app.add_handler(handler, group=-1)
    try:
        user = bot.emulator.create_user("Unlucky")
        apology = await bot.ask(user, "/explode", expect="error id")
        assert "secret" not in apology.text and "Traceback" not in apology.text
    finally:
        bot.app.remove_handler(handler, group=-1)
    # Error handlers run as their own tasks: the recorder may finish after the apology is sent.
    await bot.emulator.wait_until(lambda: bot.errors)
    assert [str(error) for error in bot.errors] == ["secret internals"]
    bot.errors.clear()


async def test_html_that_telegram_refuses_is_resent_as_plain_text(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Plain")
    context = CallbackContext(bot.app)  # type: ignore[arg-type]
    sent = await send_html(context, user.id, "<b>unclosed & <i>bad</b>")
    assert sent.text == "unclosed & bad"
    assert bot.emulator.sent_to(user.id)[-1].html is None


async def test_fifty_users_at_once_all_get_their_answers(bot: RunningBot) -> None:
    users = [bot.emulator.create_user(f"Crowd {n}") for n in range(50)]
    for n, user in enumerate(users):
        user.send_command(f"/alert topic{n}")
        user.send_command("/help")
    for n, user in enumerate(users):
        await bot.emulator.wait_for_message(user.id, lambda m, n=n: f"topic{n}" in m.text)
        await bot.emulator.wait_for_message(user.id, lambda m: "/alert" in m.text)
    rules = select(func.count()).select_from(AlertRule).where(AlertRule.query.like("topic%"))
    assert await _count(bot, rules) == 50


LONG_TEXT = (
    "The city council of Springfield approved a budget of 12 million dollars on Monday for new "
    "parks and roads. Mayor Alice Romero said the plan would create 300 jobs over two years. "
    "Opponents argued that the money should go to schools instead, and the vote was close. "
    "The council also agreed to review public transport fares in March, after complaints from "
    "commuters about rising prices. Construction of the first park is due to start in spring, "
    "and the roads programme will begin in the northern districts where traffic is worst."
)


async def test_summary_of_a_link_shows_typing_then_title_entities_figures_and_source(
    bot: RunningBot, feeds: FeedServer
) -> None:
    user = bot.emulator.create_user("Curious")
    url = feeds.url("/articles/wind-farm-a.html")
    answer = await bot.ask(user, f"/summary {url}", expect="📝")
    assert "Storm cuts power cable to offshore wind farm" in answer.text
    assert url in answer.text and "•" in answer.text
    assert "typing" in user.private_chat.actions
    plain = await bot.ask(user, url, expect="📝")
    assert "Storm cuts power cable" in plain.text


async def test_summary_of_a_replied_to_and_of_a_forwarded_text(bot: RunningBot) -> None:
    user = bot.emulator.create_user("Forwarder")
    replied = {
        "message_id": 999,
        "date": 1,
        "chat": user.private_chat.to_api(),
        "from": user.to_api(),
        "text": LONG_TEXT,
    }
    entity = [{"type": "bot_command", "offset": 0, "length": 8}]
    user.send_text("/summary", entities=entity, reply_to_message=replied)
    answer = await bot.emulator.wait_for_message(user.id, lambda m: "📝" in m.text)
    assert "Springfield" in answer.text
    user.forward(LONG_TEXT, origin="Some Channel")
    forwarded = await bot.emulator.wait_for_message(user.id, lambda m: "📝" in m.text)
    assert "Key figures" in forwarded.text or "Key names" in forwarded.text


async def test_summary_errors_and_the_per_user_rate_limit(
    bot: RunningBot, feeds: FeedServer
) -> None:
    user = bot.emulator.create_user("Hasty")
    assert (await bot.ask(user, "/summary")).text.startswith("Usage: /summary URL")
    missing = await bot.ask(user, f"/summary {feeds.url('/gone.html')}", expect="❌")
    assert "Could not summarize" in missing.text and "404" in missing.text
    short = await bot.ask(
        user,
        "a few words",
        forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "X"},
    )
    assert short.text.startswith("❌ Could not summarize that text")
    limited = await bot.ask(user, LONG_TEXT)
    assert limited.text.startswith("⏳") and "try again in" in limited.text
    chatter = await bot.ask(user, "hello there")
    assert "Send me a link" in chatter.text
