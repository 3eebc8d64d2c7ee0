"""Messages for a name that is not there: the nearest one it may have meant, and a short list of
what there is, so a typo ('sqaure') is one glance from its fix."""

from __future__ import annotations

from typing import Iterable

MAX_LISTED = 12  # a list longer than this would bury the message: "… and 40 more"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """': did you mean square?' for the nearest choice, or '' when none is close."""
    import difflib  # only a message needs it: not paid by every command that might give one

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f": did you mean {close[0]}?" if close else ""


def listing(names: Iterable[str], limit: int = MAX_LISTED) -> str:
    """'a, b, c' or, past `limit` names, 'a, b, … and 40 more'."""
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} … and {len(names) - limit} more"
