"""The site builder: turns the knowledge base into the guide site (pages, diagrams, quizzes, the checklist\npage and its Pyodide bundle, the CSP). It depends on the engine (``checklist``); the engine never on it."""

# The build's own caches (the checked KB, what it derives, the engine's wheel, the memory snapshots), in a
# folder of the repository: not .cache/, which Zensical uses for its own and empties on `zensical build
# --clean`. Everything in it is made again when missing.
CACHE_DIR = ".build-cache"
