from os import environ as os
from openai import OpenAI

client = OpenAI()
