"""liaison.pdf: WeasyPrint's layout runs with the cycle collector held off, and the collector is always back after."""

import gc

import pytest

from liaison.pdf import cycle_collection_paused, render_pdf


def test_collector_off_while_laying_out_and_on_again_after(monkeypatch):
    seen = []
    import weasyprint

    real = weasyprint.HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    assert gc.isenabled()
    pdf = render_pdf("boards/pdf/base.html", {})
    assert pdf.startswith(b"%PDF")
    assert seen == [False]
    assert gc.isenabled()


def test_collector_back_on_when_layout_fails():
    with pytest.raises(RuntimeError), cycle_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("layout failed")
    assert gc.isenabled()


def test_collector_left_off_when_it_was_off_already():
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
