"""The Bot API wire format: parameters in (query, JSON, form, multipart), the envelope out."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

# Parameters that carry JSON objects; in a form they arrive JSON-encoded, as PTB sends them.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "commands",
        "scope",
        "allowed_updates",
    }
)


class ApiError(Exception):
    """A refusal in Telegram's envelope: HTTP status, description and optional parameters."""

    def __init__(self, code: int, description: str, **parameters: int) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            data["parameters"] = self.parameters
        return data


def bad_request(reason: str) -> ApiError:
    return ApiError(400, "Bad Request: " + reason)


class Params:
    """Method parameters from a query string, JSON body, form or multipart form, typed leniently."""

    def __init__(self, values: dict[str, Any], files: dict[str, bytes]) -> None:
        self.values = values
        self.files = files

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else str(value)

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        try:
            return (
                int(float(value)) if isinstance(value, float) or "." in str(value) else int(value)
            )
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        return self.values.get(name) in (True, "true", "True", "1", 1)

    def upload(self, name: str) -> bytes | str | None:
        """An uploaded file's bytes, or the string (file id or URL) given instead."""
        value = self.text(name)
        if value is not None and value.startswith("attach://"):
            return self.files.get(value.removeprefix("attach://"))
        return self.files.get(name, value)


async def read_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if isinstance(body, dict):
            values.update(body)
    elif request.can_read_body:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                values[key] = value
    for key in _JSON_FIELDS & values.keys():
        if isinstance(values[key], str):
            try:
                values[key] = json.loads(values[key])
            except ValueError:
                raise bad_request(f"can't parse {key} JSON object") from None
    return Params(values, files)
