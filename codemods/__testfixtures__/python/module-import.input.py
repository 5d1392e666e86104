import sys
import openai as oai


def make():
    # multi-line call keeps its layout
    return oai.OpenAI(
        timeout=30,
        max_retries=2,  # retry twice
    )


def make_no_trailing_comma():
    return oai.AsyncOpenAI(
        timeout=30
    )
