"""Fixtures shared by the test folders."""

import signal

import pytest


@pytest.fixture
def interactive_sigint():
    """SIGINT handled as in an interactive session (Python's KeyboardInterrupt) for the
    test, whatever the test runner inherited: a background job starts with it ignored."""
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, inherited)
