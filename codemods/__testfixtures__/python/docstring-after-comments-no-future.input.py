#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Doc."""

from openai import OpenAI
client = OpenAI()
