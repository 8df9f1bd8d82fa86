"""Load a scheme version from YAML text into SchemeRules, reporting every problem at once."""

from __future__ import annotations

import hashlib
from typing import Any

import yaml

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.points.domain.scheme import SchemeRules
from webapp.points.domain.scheme_builder import SchemeBuilder
from webapp.points.domain.scheme_schemas import PathPart, Problem, path_text

__all__ = ["Problem", "SchemeError", "load_scheme", "scheme_fingerprint"]


class SchemeError(Refusal):
    """A scheme file that cannot be used; .problems lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(N_("The rule scheme has %(count)s problem(s)"), count=len(problems))
        self.problems = problems

    def __str__(self) -> str:
        return super().__str__() + ":\n" + "\n".join(f"- {problem}" for problem in self.problems)


def scheme_fingerprint(text: str) -> str:
    """The sha256 hex digest of the scheme's raw text, to tell versions apart."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_scheme(text: str) -> SchemeRules:
    """Parse and validate a scheme; raise SchemeError listing all problems."""
    data, root = _parse(text)
    builder = SchemeBuilder(data)
    rules = builder.build()
    if builder.problems:
        raise SchemeError([
            Problem(msgid, params, path_text(parts), _line_of(root, parts))
            for msgid, params, parts in builder.problems
        ])
    assert rules is not None
    return rules


def _parse(text: str) -> tuple[Any, yaml.Node | None]:
    # Keep the node tree as well as the data: it knows the line of every value.
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = error.problem or error.context or "?"
        raise SchemeError([Problem(
            N_("The file is not valid YAML: %(reason)s (line %(line)s, column %(column)s)"),
            {"reason": reason, "line": line, "column": column}, "", line,
        )]) from error
    except yaml.YAMLError as error:
        raise SchemeError([Problem(N_("The file is not valid YAML: %(reason)s"), {"reason": str(error)})]) from error
    finally:
        loader.dispose()
    return data, root


def _line_of(root: yaml.Node | None, parts: list[PathPart]) -> int | None:
    """The YAML line of the deepest node the path reaches."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
