"""Translation cost: reading a catalogue with Babel (once per process) and the per-call cost of t() and of the
locale formatting helpers, as figures: ``python bench/i18n.py``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.i18n import P_, _messages, format_date, format_number, translate


def per_call_us(fn, n: int = 20_000) -> float:
    start = time.perf_counter()
    for _run in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    for lang in ("ru", "kk"):
        _messages.cache_clear()
        start = time.perf_counter()
        size = len(_messages(lang))
        print(f"catalogue_load_ms_{lang}={(time.perf_counter() - start) * 1000:.1f} messages={size}")
    print(f"translate_us={per_call_us(lambda: translate('Regional map', 'kk')):.2f}")
    with_values = per_call_us(lambda: translate("{n} of {total} on track", "ru", n=3, total=12))
    print(f"translate_placeholders_us={with_values:.2f}")
    print(f"translate_plural_us={per_call_us(lambda: translate(P_('{n} row', '{n} rows'), 'ru', n=22)):.2f}")
    print(f"format_number_us={per_call_us(lambda: format_number(12345.678, 'kk', 1), 5000):.2f}")
    print(f"format_date_us={per_call_us(lambda: format_date('2026-11-26', 'ru'), 5000):.2f}")


if __name__ == "__main__":
    main()
