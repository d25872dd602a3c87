"""The reader's language through the real bot (issue #13): where it comes from, /language, the
command menu per language, the story's language in items, and feeds we cannot summarize."""

from __future__ import annotations

import pytest

from bot.command_menu import command_menu
from bot.handlers.language import render_language
from bot.render import COMMANDS
from jobs.i18n import translation
from jobs.reader_language import SHIPPED_LANGUAGES, format_day, own_name
from store.models import LanguageSource, utcnow
from tests.bot.harness import Harness
from tests.feedserver import Route
from tests.summarizer.foreign_articles import STORIES

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]


async def _language(harness: Harness, chat_id: int) -> tuple[str | None, LanguageSource]:
    chat = await harness.chat_row(chat_id)
    return chat.language, chat.language_source


async def test_a_private_chat_takes_the_users_telegram_language(harness: Harness) -> None:
    user = harness.user("Gerda", language_code="de")
    await harness.ask(user, "/settings")
    assert await _language(harness, user.id) == ("de", LanguageSource.TELEGRAM)
    # Not chosen: it follows the user's app when they switch it.
    user.language_code = "es"
    await harness.ask(user, "/settings")
    assert await _language(harness, user.id) == ("es", LanguageSource.TELEGRAM)


async def test_the_command_menu_is_registered_per_language(harness: Harness) -> None:
    bot = harness.app.bot
    for code in SHIPPED_LANGUAGES:
        menu = await bot.get_my_commands(language_code=code)
        assert [(c.command, c.description) for c in menu] == [
            (command.name, translation(code).gettext(command.summary)) for command in COMMANDS
        ]
    default = await bot.get_my_commands()
    assert [c.command for c in default] == [c.command for c in command_menu(None)]
    assert "language" in {c.command for c in default}
    thai = harness.user("Somchai", language_code="th")
    assert harness.emulator.command_menu(thai) == [c.to_dict() for c in command_menu(None)]


async def test_language_shows_a_keyboard_and_a_tap_changes_it(harness: Harness) -> None:
    user = harness.user("Lena")
    panel = await harness.ask(user, "/language")
    assert panel.text.startswith("Language: English.")
    labels = [button["text"] for button in panel.buttons]
    assert labels == ["✅ English", *(own_name(c) for c in SHIPPED_LANGUAGES[1:])]
    assert {"Deutsch", "Français", "中文", "Українська"} <= set(labels)
    tap = user.press_button(panel, panel.button_data("Deutsch"))
    await harness.handled(tap)
    assert await _language(harness, user.id) == ("de", LanguageSource.CHOSEN)
    answer = harness.emulator.callback_answers[tap]
    assert answer is not None and answer["text"] == translation("de").gettext("Saved")
    assert panel.html == render_language("de")
    assert "✅ Deutsch" in [button["text"] for button in panel.buttons]
    # The command menu of this chat follows the choice, whatever the app's language.
    assert harness.emulator.command_menu(user) == [c.to_dict() for c in command_menu("de")]
    settings = await harness.ask(user, "/settings")
    shown = translation("de").gettext("Language: {language} (/language)")
    assert shown.format(language="Deutsch") in settings.text
    helped = (await harness.ask(user, "/help")).text
    assert "/language — " in helped and helped.endswith(shown.format(language="Deutsch"))


async def test_a_language_the_bot_does_not_speak_is_said_so(harness: Harness) -> None:
    user = harness.user("Malee", language_code="th")
    panel = await harness.ask(user, "/language")
    assert panel.text.startswith("Your Telegram is set to ไทย, which I don't speak yet")
    assert not any(button["text"].startswith("✅") for button in panel.buttons)
    await harness.press(user, panel, "English")
    assert await _language(harness, user.id) == ("en", LanguageSource.CHOSEN)


async def test_an_explicit_choice_is_not_overwritten_by_telegrams_language(
    harness: Harness,
) -> None:
    user = harness.user("Jean", language_code="de")
    reply = await harness.ask(user, "/language fr")
    assert "Français" in reply.text
    assert await _language(harness, user.id) == ("fr", LanguageSource.CHOSEN)
    await harness.ask(user, "/settings")
    assert await _language(harness, user.id) == ("fr", LanguageSource.CHOSEN)
    unknown = await harness.ask(user, "/language klingon")
    refusal = translation("fr").gettext("I don't speak “{language}”. I speak: {languages}.")
    assert unknown.text.startswith(refusal.split("{language}")[0]), unknown.text
    assert "Deutsch (de)" in unknown.text
    assert await _language(harness, user.id) == ("fr", LanguageSource.CHOSEN)


async def test_forged_language_buttons_are_answered_stale(harness: Harness) -> None:
    user = harness.user("Forger")
    panel = await harness.ask(user, "/language")
    for data in ("lang:xx", "lang:", "lang:de:1", "lang:th", "lang:DE"):
        answer = await harness.press_made_up(user, panel, data)
        assert str(answer["text"]).startswith("That button is out of date"), data
    assert await _language(harness, user.id) == ("en", LanguageSource.TELEGRAM)


async def test_a_group_follows_the_admin_who_configures_it(harness: Harness) -> None:
    owner = harness.user("Owner", language_code="fr")
    helper = harness.user("Helper", language_code="es")
    member = harness.user("Member", language_code="de")
    group = harness.emulator.create_group(
        "Readers", members=[member], admins=[owner, helper], kind="supergroup"
    )
    member.send_command("/settings", chat=group)
    await harness.emulator.wait_for_message(group.id)
    assert await _language(harness, group.id) == ("de", LanguageSource.TELEGRAM)
    # A member's later message does not move it; the first admin to configure it does.
    owner.send_command("/settings daily 07:00", chat=group)
    await harness.emulator.wait_for_message(group.id)
    assert await _language(harness, group.id) == ("fr", LanguageSource.ADMIN)
    helper.send_command("/quiet 22-07", chat=group)
    await harness.emulator.wait_for_message(group.id)
    assert await _language(harness, group.id) == ("fr", LanguageSource.ADMIN)
    # Only admins may pick one; the pick then stays whoever configures the group.
    member.send_command("/language", chat=group)
    panel = await harness.emulator.wait_for_message(group.id)
    member_tap = member.press_button(panel, "lang:de")
    await harness.handled(member_tap)
    refused = await harness.emulator.wait_for_message(
        group.id,
        lambda m: (
            m.text == translation("fr").gettext("Only this group's admins can change its settings.")
        ),
    )
    assert refused is not None
    assert await _language(harness, group.id) == ("fr", LanguageSource.ADMIN)
    await harness.handled(helper.press_button(panel, "lang:es"))
    assert await _language(harness, group.id) == ("es", LanguageSource.CHOSEN)
    owner.send_command("/settings daily 09:00", chat=group)
    await harness.emulator.wait_for_message(group.id)
    assert await _language(harness, group.id) == ("es", LanguageSource.CHOSEN)


async def test_a_group_takes_the_language_of_who_added_the_bot(harness: Harness) -> None:
    adder, member = (
        harness.user("Adder", language_code="pt-br"),
        harness.user("Late", language_code="ru"),
    )
    group = harness.emulator.create_group("Leitores", members=[member], admins=[adder])
    await harness.handled_update(harness.emulator.add_bot(group, by=adder))
    assert await _language(harness, group.id) == ("pt-br", LanguageSource.ADMIN)
    member.send_command("/settings", chat=group)
    reply = await harness.emulator.wait_for_message(group.id)
    shown = translation("pt").gettext("Language: {language} (/language)")
    assert shown.format(language="Português") in reply.text
    assert await _language(harness, group.id) == ("pt-br", LanguageSource.ADMIN)


async def test_a_linked_channel_follows_its_admin(harness: Harness) -> None:
    owner = harness.user("Editor", language_code="de")
    channel = harness.emulator.create_group(
        "Hafen Post", admins=[owner], kind="channel", username="hafenpost"
    )
    await harness.ask(owner, "/channel @hafenpost")
    assert await _language(harness, channel.id) == ("de", LanguageSource.ADMIN)
    await harness.ask(owner, "/language uk")
    assert await _language(harness, channel.id) == ("uk", LanguageSource.ADMIN)


def _rss(title: str, items: list[tuple[str, str, str]], *, language: str = "en") -> bytes:
    entries = "".join(
        f"<item><title>{headline}</title><link>https://news.example/{slug}</link>"
        f"<guid>https://news.example/{slug}</guid>"
        f"<pubDate>Thu, 03 Dec 2026 07:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[{''.join(f'<p>{p}</p>' for p in text.split(chr(10) * 2))}]]>"
        "</content:encoded></item>"
        for slug, headline, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://news.example/</link>"
        f"<language>{language}</language>{entries}</channel></rss>"
    ).encode()


ENGLISH_STORY = (
    "A storm with gusts of up to 140 kilometres an hour damaged the export cable of the North "
    "Bank offshore wind farm on Wednesday night, leaving its 64 turbines unable to send "
    "electricity to the mainland for at least two weeks.\n\n"
    "The grid operator said the cable failed shortly after midnight about eleven kilometres "
    "from the coast, where it crosses a sandbank that has shifted in recent winters. Repair "
    "ships cannot reach the site until the waves drop below two metres.\n\n"
    "North Bank supplies roughly 480 megawatts at full output, enough for about half a million "
    "homes. The operator said there was no risk to supply."
)
THAI_STORY = (
    "รัฐบาลประกาศแผนลงทุนโครงสร้างพื้นฐานครั้งใหญ่ในวันอังคาร เพื่อสร้างทางรถไฟสายใหม่เชื่อมกรุงเทพมหานคร"
    "กับภาคตะวันออกเฉียงเหนือ โดยคาดว่าจะใช้งบประมาณหลายหมื่นล้านบาทและแล้วเสร็จภายในห้าปี\n\n"
    "นายกรัฐมนตรีกล่าวว่าโครงการนี้จะช่วยลดเวลาการเดินทางของประชาชนและกระตุ้นเศรษฐกิจในต่างจังหวัด "
    "ขณะที่นักวิชาการบางส่วนเตือนว่าควรศึกษาผลกระทบต่อสิ่งแวดล้อมอย่างรอบคอบก่อนเริ่มก่อสร้าง"
)


async def test_a_mixed_language_digest_names_the_language_of_the_foreign_item_only(
    harness: Harness,
) -> None:
    german = next(story for story in STORIES if story.code == "de")
    harness.server.route(
        "/mixed.xml",
        Route(
            _rss(
                "Mixed Wire",
                [
                    ("cable", "Storm cuts wind farm cable", ENGLISH_STORY),
                    ("bahn", german.title, german.text),
                ],
            )
        ),
    )
    user = harness.user("Polyglot")
    added = await harness.ask(user, f"/add {harness.server.url('/mixed.xml')}", timeout=30)
    assert "Added" in added.text and "not summarized" not in added.text
    await harness.ingest()
    digest = await harness.ask(user, "/digest", timeout=30)
    items = digest.text.split("\n\n")[1:]
    [english] = [item for item in items if "Storm cuts wind farm cable" in item]
    [foreign] = [item for item in items if german.title in item]
    assert "Mixed Wire · in German" in foreign
    assert "in German" not in english and "in English" not in english
    # Read in German, the German story is at home and the English one is foreign.
    await harness.ask(user, "/language de")
    again = await harness.ask(user, "/digest", timeout=30)
    note = translation("de").gettext("in {language}").format(language="Englisch")
    assert f"Mixed Wire · {note}" in again.text
    assert format_day(utcnow(), reader="de") in again.text  # "Donnerstag, 3. Dezember"


async def test_adding_a_thai_feed_says_what_the_reader_will_get(harness: Harness) -> None:
    harness.server.route(
        "/thai.xml",
        Route(
            _rss("Thai Daily", [("rail", "รถไฟสายใหม่", THAI_STORY)], language="th"),
        ),
    )
    user = harness.user("Reader")
    added = await harness.ask(user, f"/add {harness.server.url('/thai.xml')}", timeout=30)
    assert "Added" in added.text
    assert (
        "Articles from this feed are in Thai. Thai is not summarized yet: you'll get each "
        "story's title and its feed's description." in added.text
    )


async def test_an_on_demand_summary_names_a_foreign_language_only(harness: Harness) -> None:
    german = next(story for story in STORIES if story.code == "de")
    reader = harness.user("Curious")
    foreign = await harness.ask(reader, f"/summary {german.title}\n\n{german.text}", timeout=60)
    assert "min read · in German" in foreign.text
    native = harness.user("Heimisch", language_code="de")
    at_home = await harness.ask(native, f"/summary {german.title}\n\n{german.text}", timeout=60)
    read = translation("de").ngettext("{count} min read", "{count} min read", 1).format(count=1)
    assert at_home.text.rstrip().endswith(read), at_home.text


async def test_a_pasted_text_in_an_unsupported_language_is_answered_as_a_paste(
    harness: Harness,
) -> None:
    user = harness.user("Paster")
    answer = await harness.ask(user, f"/summary {THAI_STORY}", timeout=30)
    assert answer.text == "That text is in Thai, which I cannot summarize yet."
    assert "stored" not in answer.text
