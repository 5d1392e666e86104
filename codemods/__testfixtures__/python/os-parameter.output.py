import os as _os
import os
from openai import OpenAI


def make(os):
    return OpenAI(base_url=_os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=_os.environ.get("NOVA_PROXY_API_KEY"))
