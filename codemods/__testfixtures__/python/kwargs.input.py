from openai import OpenAI


def build(**kwargs):
    return OpenAI(**kwargs)
