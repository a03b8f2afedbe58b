"""Well-Architected for AI/ML: the knowledge base model and the assessment engine.

The modules imported here use the standard library only, so the package also runs in Pyodide;
reading the YAML source (``checklist.kbfile``) needs the ``kb`` extra and stays out of that path.
"""

from __future__ import annotations

__version__ = "0.1.0"
