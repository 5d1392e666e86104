#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Doc."""
from __future__ import annotations
from openai import OpenAI
client = OpenAI()
