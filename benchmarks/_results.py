"""The figures a benchmark writes with ``--json PATH``: one file shape for every benchmark.

``{"benchmark": name, "date": "YYYY-MM-DD", "machine": "x86_64, 2 cores", ...settings,
"cases": [...]}``: times in seconds, memory in MiB, ratios under keys that say ``ratio``.
No thread settings here (unlike ``_timing``), so every benchmark module can import it.
"""

import json
import os
import platform
import time

__all__ = ["write_json"]


def write_json(path, benchmark, cases, **settings):
    """Write ``cases`` (a list of dicts) for ``benchmark`` to ``path``, with the date, the
    machine and ``settings`` (plain data such as ``threads=2``)."""
    result = {"benchmark": benchmark, "date": time.strftime("%Y-%m-%d"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores", **settings,
              "cases": cases}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    return result
