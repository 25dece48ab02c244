"""Write the Vietnamese catalogue of typer's words (src/parcli/locale/vi/LC_MESSAGES/messages.mo).

The words live in :data:`parcli.cli.vietnamese.TYPER_WORDS`; run this after changing them
(``python scripts/build_locale.py``). A test checks the shipped file equals what this writes.
"""

from __future__ import annotations

from parcli.cli.vietnamese import DOMAIN, LOCALE_DIR, TYPER_WORDS, mo_bytes


def main() -> None:
    """Write the .mo file."""
    target = LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(mo_bytes(TYPER_WORDS))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
