import openai

openai.api_type = "azure"
openai.api_base = "https://example.openai.azure.com/"
openai.api_version = "2023-05-15"
