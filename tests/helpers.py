"""Small helpers the test folders share."""


def body(response) -> bytes:
    """The whole body of a response, streamed or not, so that every query it makes has run."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def race(*actions):
    """Run each action in its own thread and database connection, all released at the same moment.

    Returns what each action returned, or the exception it raised, in order.
    """
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = action()
        except Exception as error:  # the outcome of each racer is what the test inspects
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def count(client, url) -> int:
    """The queries one GET of `url` makes, its whole body read; the page must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body(response)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def sent_mail():
    """Deliver what the outbox holds, as the commit hooks and the sweep do outside a test's transaction, and return
    Django's test mailbox."""
    import datetime

    from django.core import mail
    from django.utils import timezone

    from liaison.notifications import deliver_due

    deliver_due(now=timezone.now() + datetime.timedelta(days=1))
    return mail.outbox
