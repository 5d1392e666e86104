# -*- coding: utf-8 -*-
from openai import OpenAI

GREETING = "héllo → wörld"
client = OpenAI(default_headers={"x-note": "café"})
