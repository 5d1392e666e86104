import os

from openai import OpenAI

azure = OpenAI(
    base_url=f"{os.environ['AZURE_OPENAI_ENDPOINT']}/openai/deployments/gpt-4o",
    default_query={"api-version": "2024-06-01"},
    default_headers={"api-key": os.environ["AZURE_OPENAI_KEY"]},
)
plain = OpenAI(default_headers={"x-team": "search"}, base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
