"""``python -m sitebuilder.cli``: the checklist's commands on the KB's YAML source, and ``lens import``.

The engine's ``python -m checklist`` reads a KB given as JSON only, so it behaves the same from the
repository and from its wheel. This lends it the builder's YAML reader (line numbers, the YAML-only
checks) and the lens importer, and defaults ``--kb`` to this site's KB: every command and output is
otherwise the engine's own.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from checklist import cli
from checklist.knowledge import KB_FILENAME
from sitebuilder import kbfile, lensimport

BUILDER = cli.Builder(
    read_yaml=kbfile.load,
    import_lens=lensimport.import_lens,
    default_kb=Path("docs") / KB_FILENAME,
)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, BUILDER)


if __name__ == "__main__":
    sys.exit(main())
