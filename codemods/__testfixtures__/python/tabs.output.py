import os
from openai import OpenAI


def make(key):
	return OpenAI(  # tab-indented
		api_key=key,
		timeout=5,
		base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1")
	)
