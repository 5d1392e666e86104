from __future__ import annotations

from openai import OpenAI as Client

client = Client(organization="org-1")
