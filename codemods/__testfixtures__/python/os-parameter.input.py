import os
from openai import OpenAI


def make(os):
    return OpenAI()
