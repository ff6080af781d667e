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


def module_graph() -> dict[str, set[str]]:
    """Which of the project's modules each module imports (a package's __init__ left out: it
    only gathers the public face)."""
    graph: dict[str, set[str]] = {}
    for package in ("bot", "embeddings"):
        modules = {p.stem for p in (ROOT / package).glob("*.py")} - {"__init__"}
        for module in modules:
            graph.setdefault(f"{package}.{module}", set())
        for file, target, names in imports(package):
            source = f"{package}.{Path(file).stem}"
            if source.endswith("__init__"):
                continue
            named = [f"{target}.{n}" for n in names] if target in ("bot", "embeddings") else [target]
            graph[source] |= {m for m in named if m.split(".")[0] in ("bot", "embeddings") and m.count(".") == 1}
    return graph


def test_no_module_imports_itself_around_a_circle():
    graph = module_graph()
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for target in graph.get(module, ()):
            if target in path:
                circles.append(path[path.index(target) :] + [target])
            elif target not in done:
                visit(target, [*path, target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert not circles, circles
