from openai import OpenAI


def make(key):
	return OpenAI(  # tab-indented
		api_key=key,
		timeout=5
	)
