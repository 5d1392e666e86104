try:
    from openai import OpenAI
except ImportError:  # optional dependency
    OpenAI = None

client = OpenAI() if OpenAI else None
if OpenAI is not None:
    other = OpenAI(
        # defaults
    )
