"""The catalogs: every message of the template translated in every shipped language, with the
English placeholders and tags, and the template itself what the code says today."""

from __future__ import annotations

import ast
import re
import shlex
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from jobs.fetch import reader_reason
from jobs.i18n import (
    ENGLISH,
    EXTRACT_KEYWORDS,
    LOCALE_DIR,
    SHIPPED_LANGUAGES,
    lazy_gettext,
    lazy_ngettext,
    shipped_language,
    translation,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = LOCALE_DIR / "messages.pot"
TRANSLATED = [language for language in SHIPPED_LANGUAGES if language != ENGLISH]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?[a-z]+(?:\s[^>]*)?>")
# The texts' own examples of markup, named in messages rather than used ("no <body>").
QUOTED_TAGS = {"<body>"}
MARKERS = {"gettext", "ngettext", "N_", *EXTRACT_KEYWORDS}


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def _forms(message: Message) -> list[str]:
    string = message.string
    return list(string) if isinstance(string, tuple | list) else [string]


def _english(message: Message) -> str:
    """The English a translation must match: the plural form, which names every placeholder."""
    return message.id[-1] if isinstance(message.id, tuple) else message.id


def test_shipped_languages_are_english_and_the_catalog_folders() -> None:
    assert SHIPPED_LANGUAGES[0] == ENGLISH
    assert "de" in SHIPPED_LANGUAGES
    for language in TRANSLATED:
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").is_file()


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("de", "de"),
        ("DE", "de"),
        ("de-AT", "de"),
        ("de_CH", "de"),
        ("en-GB", "en"),
        ("xx", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_telegram_codes_map_to_a_shipped_catalog_or_english(
    code: str | None, language: str
) -> None:
    assert shipped_language(code) == language


def test_an_unknown_language_reads_english_and_a_shipped_one_its_catalog() -> None:
    assert translation("xx").gettext("Your digest") == "Your digest"
    assert translation("de").gettext("Your digest") == "Dein Digest"
    assert translation("de-at") is translation("de")  # loaded once per process
    assert translation("de").ngettext("story", "stories", 1) == "Meldung"
    assert translation("de").ngettext("story", "stories", 2) == "Meldungen"


def test_lazy_texts_are_english_until_shown_in_a_language() -> None:
    text = lazy_ngettext(
        "The alert is {count} character long; the limit is {limit}.",
        "The alert is {count} characters long; the limit is {limit}.",
        3,
        limit=2,
    )
    assert str(text) == "The alert is 3 characters long; the limit is 2."
    assert text.translated(translation("de")) == "Der Alarm ist 3 Zeichen lang; erlaubt sind 2."
    # A message from outside (a library's error) with braces is shown as it is, never formatted.
    assert (
        lazy_gettext("bad {token} in feed").translated(translation("de")) == "bad {token} in feed"
    )


def test_the_template_is_what_the_code_says(tmp_path: Path) -> None:
    """The README's extraction command, run now, finds exactly the template's messages: a text
    added to the code without running it (and so without translations) fails here."""
    command = _readme_extract_command()
    output = tmp_path / "messages.pot"
    argv = [*command[:-3], "-o", str(output), "."]
    assert command[-3:-1] == ["-o", "jobs/locale/messages.pot"]
    CommandLineInterface().run(["pybabel", "--quiet", *argv[1:]])
    missing = _ids(_read(output)) - _ids(_read(TEMPLATE))
    stale = _ids(_read(TEMPLATE)) - _ids(_read(output))
    assert not missing, f"texts not in messages.pot (run the extract command): {missing}"
    assert not stale, f"messages.pot has texts the code no longer uses: {stale}"


def _readme_extract_command() -> list[str]:
    readme = (LOCALE_DIR / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^\s*(pybabel extract (?:.*\\\n)*.*)$", readme, re.MULTILINE)
    assert found is not None, "jobs/locale/README.md shows the extract command"
    return shlex.split(found[1].replace("\\\n", " "))


def test_the_readme_command_extracts_the_keywords_the_code_uses() -> None:
    command = _readme_extract_command()
    keywords = {command[i + 1] for i, word in enumerate(command) if word == "-k"}
    expected = {
        name if spec is None else f"{name}:{','.join(map(str, spec))}"
        for name, spec in EXTRACT_KEYWORDS.items()
    }
    assert keywords == expected


def _marked_calls_in_fstrings(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call):
                    func = inner.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if name in MARKERS and any(
                        isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                        for arg in inner.args
                    ):
                        lines.append(inner.lineno)
    return lines


def test_no_text_is_marked_inside_an_f_string() -> None:
    """pybabel does not look inside f-strings: a text marked there would never be extracted."""
    # The operator's side (babel.cfg), the settings the CLI describes, and the fetcher's
    # English details (readers get jobs.fetch.reader_reason's wording of them).
    ignored = ("bot/cli.py", "bot/commands/", "bot/demo/", "bot/emulator/")
    english_only = {"bot/settings.py", "jobs/fetch/fetcher.py"}
    found = {}
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "jobs").rglob("*.py")]):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(ignored) or relative in english_only:
            continue
        lines = _marked_calls_in_fstrings(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[relative] = lines
    assert found == {}


def test_english_singular_and_plural_name_the_same_placeholders() -> None:
    """A language with more forms uses the singular's form for other counts (Russian 21), so it
    must be able to show the same values."""
    for message in _read(TEMPLATE):
        if isinstance(message.id, tuple):
            singular, plural = message.id
            assert set(PLACEHOLDER.findall(singular)) == set(PLACEHOLDER.findall(plural)), (
                message.id
            )


@pytest.fixture(params=TRANSLATED)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    language = request.param
    return _read(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", locale=language)


def test_every_message_is_translated(catalog: Catalog) -> None:
    untranslated = []
    for template in _read(TEMPLATE):
        if not template.id:
            continue
        message = catalog.get(template.id)
        if (
            message is None
            or message.fuzzy
            or len(_forms(message)) != (catalog.num_plurals if message.pluralizable else 1)
            or not all(form.strip() for form in _forms(message))
        ):
            untranslated.append(template.id)
    assert untranslated == [], f"{catalog.locale}: not (or not fully) translated"
    assert not catalog.fuzzy, "the catalog header is still marked fuzzy"


def _pairs(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Each translated form with the English it stands for."""
    for message in catalog:
        if message.id:
            for form in _forms(message):
                yield _english(message), form


def test_translations_keep_the_english_placeholders(catalog: Catalog) -> None:
    for english, form in _pairs(catalog):
        expected = Counter(PLACEHOLDER.findall(english))
        assert Counter(PLACEHOLDER.findall(form)) == expected, (english, form)
        form.format(**{name: "x" for name in expected})  # and str.format reads it: no stray brace


def test_translations_keep_the_english_tags_balanced(catalog: Catalog) -> None:
    for english, form in _pairs(catalog):
        tags = TAG.findall(form)
        assert sorted(tags) == sorted(TAG.findall(english)), (english, form)
        _assert_balanced([tag for tag in tags if tag not in QUOTED_TAGS], form)


def _assert_balanced(tags: list[str], text: str) -> None:
    stack: list[str] = []
    for tag in tags:
        name = tag.strip("</>").split()[0]
        if tag.startswith("</"):
            assert stack and stack.pop() == name, text
        else:
            stack.append(name)
    assert not stack, text


@pytest.mark.parametrize(
    ("error", "german"),
    [
        (
            "refused: 10.0.0.1 is a private address (NEWSDIGEST_FETCH_ALLOW)",
            "diese Adresse ist nicht erlaubt",
        ),
        (
            "the server answered 404 Not Found for https://a.example/",
            "die Website hat mit Fehler 404 geantwortet",
        ),
        (
            "too large: https://a.example/ sent more than 5,000,000 bytes",
            "sie ist größer, als ich lese",
        ),
        (
            "this is an HTML page, not a feed — add the site's feed URL instead",
            "das ist eine Webseite, kein Feed: Füge die Feed-Adresse der Website hinzu",
        ),
        (
            "the feed answered with an empty document; it may be down for now",
            "der Feed hat ein leeres Dokument geliefert; vielleicht ist er gerade nicht erreichbar",
        ),
        ("something nobody worded", "something nobody worded"),
        ("", ""),
    ],
)
def test_stored_fetch_errors_are_worded_for_the_reader(error: str, german: str) -> None:
    assert reader_reason(error, translation("de")) == german
    english = "this address is not allowed" if error.startswith("refused:") else error
    assert reader_reason(error, translation("en")) == english
