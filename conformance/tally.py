"""The fuzz family's figure: draws tried, exception classes matched, messages matched.

Every comparison of a fuzz case (live or recorded) is counted as it is made by
checks.check_example (through `checks.listeners`), from the same observations that
compare.py judges; nothing is compared a second time. The counts travel on each test's
report (user_properties, so they survive pytest-xdist) and conftest sums them at the end.

An outcome's class is the exception's class name, or "value" when TensorFlow returned.
Messages are counted where both raised the same class: where the case compares them (not
`class_only`), and over all such draws (how far the class-only cases' texts are from TF's).
"""

from __future__ import annotations

KEYS = (
    "draws",
    "tf_raised",
    "classes",
    "messages_compared",
    "messages",
    "messages_all_compared",
    "messages_all",
    "values_compared",
    "values",
)
PROPERTY = "fuzz_tally"


def new() -> dict[str, int]:
    return dict.fromkeys(KEYS, 0)


def _class(result) -> str:
    return result["type"] if isinstance(result, dict) and result.get("$") == "raised" else "value"


def count(tally: dict[str, int], case, got: dict, want: dict, found: list[str]) -> None:
    """Adds one comparison (`found`: compare.differences' lines) to `tally`."""
    got_class, want_class = _class(got["result"]), _class(want["result"])
    tally["draws"] += 1
    tally["classes"] += got_class == want_class
    if want_class == "value":
        tally["values_compared"] += 1
        tally["values"] += got_class == "value" and not found
        return
    tally["tf_raised"] += 1
    if got_class != want_class:
        return
    same = got["result"]["message"] == want["result"]["message"]
    tally["messages_all_compared"] += 1  # class_only cases too: how far their messages are from TF's
    tally["messages_all"] += same
    if not getattr(case, "class_only", False):
        tally["messages_compared"] += 1
        tally["messages"] += same


def total(tallies) -> dict[str, int]:
    summed = new()
    for tally in tallies:
        for key in KEYS:
            summed[key] += tally.get(key, 0)
    return summed


def figure(t: dict[str, int]) -> str:
    def share(n: int, of: int) -> str:
        return f"{n}/{of} ({100.0 * n / of:.2f}%)" if of else "0/0"

    return (
        f"fuzz: {t['draws']} draws tried ({t['tf_raised']} raised in TensorFlow); "
        f"classes matched {share(t['classes'], t['draws'])}; "
        f"messages matched {share(t['messages'], t['messages_compared'])} where compared "
        f"({share(t['messages_all'], t['messages_all_compared'])} of all, class-only cases included); "
        f"values matched {share(t['values'], t['values_compared'])}"
    )
