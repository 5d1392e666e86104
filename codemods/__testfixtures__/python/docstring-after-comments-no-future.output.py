#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Doc."""

import os
from openai import OpenAI
client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
