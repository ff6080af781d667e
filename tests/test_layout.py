"""The package layout: embeddings/ knows nothing of bot/, and bot/ uses only the public face of
embeddings (what embeddings/__init__.py exports)."""

import ast
from pathlib import Path

import embeddings

ROOT = Path(__file__).resolve().parent.parent


def imports(folder: str) -> list[tuple[str, str, list[str]]]:
    """(file, module, names) of every import in a package's files, function-level ones too."""
    found = []
    for path in sorted((ROOT / folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((path.name, node.module, [alias.name for alias in node.names]))
            elif isinstance(node, ast.Import):
                found += [(path.name, alias.name, []) for alias in node.names]
    return found


def test_embeddings_never_imports_bot():
    assert not [(f, m) for f, m, _ in imports("embeddings") if m == "bot" or m.startswith("bot.")]


def test_bot_uses_only_the_public_face_of_embeddings():
    reaching = [(f, m) for f, m, _ in imports("bot") if m.startswith("embeddings.")]
    assert not reaching, reaching
    public = set(embeddings.__all__)
    private = [(f, n) for f, m, names in imports("bot") if m == "embeddings" for n in names if n not in public]
    assert not private, private
