import os
import sys
import openai as oai


def make():
    # multi-line call keeps its layout
    return oai.OpenAI(
        timeout=30,
        max_retries=2,  # retry twice
        base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"),
        api_key=os.environ.get("NOVA_PROXY_API_KEY"),
    )


def make_no_trailing_comma():
    return oai.AsyncOpenAI(
        timeout=30,
        base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"),
        api_key=os.environ.get("NOVA_PROXY_API_KEY")
    )
