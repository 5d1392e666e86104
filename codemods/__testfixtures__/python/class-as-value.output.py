import os
from dataclasses import dataclass, field
from functools import partial
from unittest import mock
from unittest.mock import MagicMock, patch
from typing import Optional

from openai import AsyncOpenAI, OpenAI


class Traced(OpenAI):
    def __init__(self, key: str):
        super().__init__(api_key=key)


@dataclass
class Deps:
    client: OpenAI = field(default_factory=OpenAI)
    other: Optional[OpenAI] = field(default_factory=lambda: OpenAI(timeout=5, base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY")))


make_async = partial(AsyncOpenAI, timeout=5)
registry = {"openai": OpenAI}


def is_client(x) -> bool:
    return isinstance(x, (OpenAI, AsyncOpenAI))


def test_client():
    # Tests mock the class: nothing is built from it.
    with patch.object(OpenAI, "__init__", return_value=None):
        pass
    return MagicMock(spec=OpenAI), mock.create_autospec(AsyncOpenAI)
