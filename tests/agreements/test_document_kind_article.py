"""A clash names the document with the right article: "an End of Year Sign-off", "a Statement of Intent"."""

from agreements.models import DocumentKind
from agreements.services import _with_article


def test_each_kind_of_document_takes_its_article():
    assert _with_article(DocumentKind.END_OF_YEAR.label) == "an End of Year Sign-off"
    assert _with_article(DocumentKind.STATEMENT_OF_INTENT.label) == "a Statement of Intent"
