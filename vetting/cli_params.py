"""Option values of the command line without a pydantic adapter per option.

typer (0.29) converts each parsed option value through a pydantic `TypeAdapter` that it builds
when the option is first processed, on every run: for `lint`'s 19 parameters that is 19 adapters
and the import of typer's adapter module, about a tenth of a small run. Every parameter of
vetting's commands is a plain `str`, `bool`, `Path` or a list of one of them, whose conversion
is simple: a string stays the string, a path becomes `Path(text)` and then goes through typer's
own path checks, a list converts each item.

`PlainCommand` (`@app.command(cls=PlainCommand)`) and `PlainGroup` (`typer.Typer(cls=PlainGroup)`) give such parameters that conversion
before typer parses the arguments. The options themselves are still declared once, on the
command's signature, and parsed, checked and documented by typer (help, usage errors and their
messages are typer's). Anything else (another type, a value that is not a plain string) is left
to typer's own conversion, so the result is the same in every case; tests/test_cli_params.py
compares both conversions value by value.

The hook uses typer's private conversion contract (`typer._coercion.RuntimeParam`, a
parameter's `type_descriptor` and `_runtime_param`). A typer without it (another version) gets
typer's own conversion for every parameter: `PlainCommand` and `PlainGroup` are then typer's
classes unchanged, and nothing else differs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from typer.core import TyperCommand, TyperGroup

try:  # typer's conversion contract (private: tests/test_cli_params.py compares with typer's own)
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import coerce_cli_path

    HOOKED = hasattr(RuntimeParam, "_coerce_value") and hasattr(RuntimeParam, "coerce")
except ImportError:  # another typer: its own conversion throughout
    HOOKED = False


def _plain_kind(annotation: Any) -> tuple[str, bool] | None:
    """("str" | "bool" | "path", is_list) for the annotations handled here, else None."""
    is_list = get_origin(annotation) is list
    if is_list:
        args = get_args(annotation)
        if len(args) != 1:
            return None
        annotation = args[0]
    if annotation is str:
        return "str", is_list
    if annotation is bool and not is_list:
        return "bool", False
    if annotation is Path:
        return "path", is_list
    return None


if HOOKED:
    _Base: Any = RuntimeParam
else:  # pragma: no cover - only with a typer without the contract

    class _Base:  # type: ignore[no-redef]
        pass


@dataclass(frozen=True)
class _PlainValue(_Base):
    """typer's conversion of a str / bool / Path (or a list of them), for plain strings;
    anything else goes to typer's converter, built only then."""

    descriptor: TypeDescriptor
    kind: str
    is_list: bool

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.kind == "bool":  # typer skips conversion for a flag's bool
            return value if type(value) is bool else self._typer._coerce_value(value, param=param, ctx=ctx)
        if not self.is_list and type(value) is str:
            return self._one(value, param, ctx)
        if self.is_list and isinstance(value, (list, tuple)) and all(type(v) is str for v in value):
            return [self._one(v, param, ctx) for v in value]
        return self._typer._coerce_value(value, param=param, ctx=ctx)

    def _one(self, text: str, param: Any, ctx: Any) -> Any:
        if self.kind == "str":
            return text
        # typer's path checks on the text as given (its messages quote it), then what
        # pydantic makes of a str path: Path(text)
        return Path(str(coerce_cli_path(text, self.parameter_info, path_type=None, param=param, ctx=ctx)))

    @functools.cached_property
    def _typer(self) -> RuntimeParam:
        return build_runtime_param(self.descriptor)


def plain_conversion(param: Any) -> Any | None:
    """The conversion this module gives `param` (a typer parameter), or None (typer's own)."""
    if not HOOKED:
        return None
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or descriptor.file_annotation is not None:
        return None
    info = descriptor.parameter_info
    if getattr(info, "parser", None) is not None or getattr(info, "path_type", None) not in (None, Path):
        return None
    kind = _plain_kind(descriptor.annotation)
    if kind is None:
        return None
    return _PlainValue(
        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor,
        kind=kind[0], is_list=kind[1],
    )


def _convert_plainly(params: list[Any]) -> None:
    for param in params:
        if getattr(param, "_runtime_param", False) is None:  # typer builds it when first used (else: not ours)
            conversion = plain_conversion(param)
            if conversion is not None:
                param._runtime_param = conversion


class PlainCommand(TyperCommand):
    """A typer command whose str / bool / Path parameters are converted without pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)


class PlainGroup(TyperGroup):
    """The same for a group's own options (`vetting --version`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)
