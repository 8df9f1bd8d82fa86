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

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_PROBLEMS", "Problem", "SchemeError", "load_scheme", "scheme_fingerprint"]

MAX_DEPTH = 32  # nesting levels of the YAML; a real scheme uses six
MAX_NODES = 50_000  # values in the file; the Fengsheng rules have about 600
MAX_PROBLEMS = 100  # problems listed; the others are only counted


class ShownProblems(list):  # type: ignore[type-arg]
    """The first MAX_PROBLEMS problems; `more` says how many others were found but are not listed."""

    more: int = 0


class SchemeError(Refusal):
    """A scheme file that cannot be used; .problems lists (the first 100 of) everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(N_("The rule scheme has %(count)s problem(s)"), count=len(problems))
        self.problems = ShownProblems(problems[:MAX_PROBLEMS])
        self.problems.more = max(0, len(problems) - MAX_PROBLEMS)

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


class _Refused(yaml.YAMLError):
    """A YAML file this loader will not read: a msgid, its params and the line."""

    def __init__(self, msgid: str, mark: Any, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid, self.params, self.line = msgid, params, mark.line + 1 if mark is not None else None


class _BoundedLoader(yaml.SafeLoader):
    """Safe YAML without aliases, nested at most MAX_DEPTH deep, with at most MAX_NODES values:
    a file of a few hundred bytes must not expand to gigabytes (billion laughs) or overflow the stack."""

    depth = 0
    nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            raise _Refused(N_("The file uses an alias (*name); write the values out in full."), mark)
        self.depth += 1
        self.nodes += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(N_("The file is nested more than %(max)s levels deep."), mark, max=MAX_DEPTH)
        if self.nodes > MAX_NODES:
            raise _Refused(N_("The file has more than %(max)s values; a rule scheme is much smaller."),
                           mark, max=MAX_NODES)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _parse(text: str) -> tuple[Any, yaml.Node | None]:
    # Keep the node tree as well as the data: it knows the line of every value.
    try:
        loader = _BoundedLoader(text)
    except yaml.YAMLError as error:  # a character YAML does not allow (NUL, …)
        raise SchemeError([Problem(N_("The file is not valid YAML: %(reason)s"), {"reason": str(error)})]) from None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except _Refused as error:
        raise SchemeError([Problem(error.msgid, error.params, "", error.line)]) from None
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
    except (ValueError, TypeError, AttributeError, OverflowError) as error:  # a date like 2024-13-45, a huge number
        raise SchemeError([Problem(N_("The file is not valid YAML: %(reason)s"), {"reason": str(error)[:200]})]) from None
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
