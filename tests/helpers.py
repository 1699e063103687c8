"""Small helpers the test folders share."""


def body(response) -> bytes:
    """The whole body of a response, streamed or not, so that every query it makes has run."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
