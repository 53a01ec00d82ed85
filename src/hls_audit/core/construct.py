"""Models built from plain data without compiling pydantic's validators first.

Compiling the validators of the models in `core/model.py` is the largest single cost of a
`check`'s start-up, yet nearly every input is plain: mappings of strings, whole numbers, booleans
and lists that the model accepts. For those, `validate` applies the model's own rules in
pydantic's order (the before-validators of a field, its type with its constraints and Annotated
validators, its after-validators, then the model's validators) and builds the model with
`model_construct`. The moment it meets anything it is not certain of (a type it does not read, a
value a rule refuses, a missing or unknown key, a float, text with characters whose handling
differs) it stops and pydantic validates the same data, so every error message, and every
unusual input, is pydantic's own. A model this module cannot read at all (a validator mode or a
setting it does not know) always goes to pydantic, and once pydantic has compiled a model in this
process its compiled validator is used.

Pydantic stays the one definition of the schema: what is read here is its own field list,
constraints and decorators. `tests/test_construct.py` checks on generated inputs that whatever
this accepts, pydantic accepts into an equal model, with the same fields set.
"""

from __future__ import annotations

import enum
import inspect
import operator
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import annotated_types
from pydantic import BaseModel, BeforeValidator, StringConstraints, WithJsonSchema
from pydantic.fields import FieldInfo
from pydantic.types import AllowInfNan

M = TypeVar("M", bound=BaseModel)
Check = Callable[[Any], Any]


class _Unsure(Exception):
    """This input goes to pydantic."""


class _Unreadable(Exception):
    """This model goes to pydantic, always."""


# Stripping differs for these: Python's str.strip removes them, pydantic's (Rust's) does not.
_STRIP_DIFFERS = re.compile("[\x1c-\x1f]")
_ALLOWED_CONFIG = {"extra", "defer_build", "json_schema_extra", "title"}


def compile_models(*models: type[BaseModel]) -> None:
    """Compile pydantic's validators now, for a process about to validate many files: compiled,
    pydantic validates a bundled-size case study about ten times faster than `validate` builds
    one directly, which only pays where one case study is read."""
    for model in models:
        model.model_rebuild()


def validate(model: type[M], data: Any) -> M:
    """``model.model_validate(data)``, without compiling the model when the data is plain."""
    if not model.__pydantic_complete__:
        build = _plan(model)
        if build is not None:
            try:
                built = build(data)
            except Exception:  # anything unexpected: pydantic decides
                pass
            else:
                return typing.cast(M, built)
    return model.model_validate(data)


_PLANS: dict[type[BaseModel], Check | None] = {}


def _plan(model: type[BaseModel]) -> Check | None:
    if model not in _PLANS:
        _PLANS[model] = None  # a model that contains itself is not read here
        try:
            _PLANS[model] = _model_check(model)
        except _Unreadable:
            _PLANS[model] = None
    return _PLANS[model]


class _Info:
    """What a validator taking ``info`` reads: the fields validated so far, as pydantic gives."""

    __slots__ = ("data", "field_name")
    context = None
    config = None
    mode = "python"

    def __init__(self, data: dict[str, Any], field_name: str | None) -> None:
        self.data = data
        self.field_name = field_name


def _takes_info(function: Callable[..., Any]) -> bool:
    parameters = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(parameters) not in (1, 2):
        raise _Unreadable
    return len(parameters) == 2


def _model_check(model: type[BaseModel]) -> Check:
    config = model.model_config
    if set(config) - _ALLOWED_CONFIG or config.get("extra") != "forbid":
        raise _Unreadable
    decorators = model.__pydantic_decorators__
    if (
        decorators.validators
        or decorators.root_validators
        or decorators.field_serializers
        or decorators.model_serializers
        or decorators.computed_fields
    ):
        raise _Unreadable
    befores: dict[str, list[tuple[Callable[..., Any], bool]]] = {}
    afters: dict[str, list[tuple[Callable[..., Any], bool]]] = {}
    for decorator in decorators.field_validators.values():
        mode = decorator.info.mode
        if mode not in ("before", "after"):
            raise _Unreadable
        function = getattr(model, decorator.cls_var_name)
        for name in decorator.info.fields:
            if name not in model.model_fields:
                raise _Unreadable
            (befores if mode == "before" else afters).setdefault(name, []).append(
                (function, _takes_info(function))
            )
    model_befores: list[tuple[Callable[..., Any], bool]] = []
    model_afters: list[tuple[Callable[..., Any], bool]] = []
    for validator in decorators.model_validators.values():
        function = getattr(model, validator.cls_var_name)
        if validator.info.mode == "before":
            model_befores.append((function, _takes_info(function)))
        elif validator.info.mode == "after":
            model_afters.append((function, _takes_info(function)))
        else:
            raise _Unreadable
    model_befores.reverse()  # pydantic runs before-validators last defined first

    fields: list[tuple[str, FieldInfo, Check, list[Any], list[Any], Any, Any]] = []
    for name, info in model.model_fields.items():
        if (
            info.alias is not None
            or info.validation_alias is not None
            or info.validate_default
            or getattr(info, "frozen", None)
        ):
            raise _Unreadable
        check = _type_check(info.annotation, info.metadata)
        default = info.default if _constant(info) else _NO_CONSTANT
        # A plain container's factory takes no data; asking pydantic would inspect its signature.
        factory = info.default_factory if info.default_factory in _PLAIN_FACTORIES else None
        field_befores = list(reversed(befores.get(name, [])))
        fields.append((name, info, check, field_befores, afters.get(name, []), default, factory))
    known = {name for name, *_ in fields}

    def build(data: Any) -> BaseModel:
        for function, with_info in model_befores:
            data = function(data, _Info({}, None)) if with_info else function(data)
        if type(data) is not dict or not known.issuperset(data):
            raise _Unsure
        values: dict[str, Any] = {}
        for name, info, check, field_befores, field_afters, default, factory in fields:
            if name in data:
                value = data[name]
                for function, with_info in field_befores:
                    value = function(value, _Info(values, name)) if with_info else function(value)
                value = check(value)
                for function, with_info in field_afters:
                    value = function(value, _Info(values, name)) if with_info else function(value)
                values[name] = value
            elif default is not _NO_CONSTANT:
                values[name] = default
            elif factory is not None:
                values[name] = factory()
            elif info.is_required():
                raise _Unsure
            else:
                values[name] = info.get_default(call_default_factory=True, validated_data=values)
        built = model.model_construct(_fields_set=set(data), **values)
        for function, with_info in model_afters:
            built = function(built, _Info(values, None)) if with_info else function(built)
        if type(built) is not model:
            raise _Unsure
        return built

    return build


_NO_CONSTANT = object()
_PLAIN_FACTORIES = (list, dict, set)


def _constant(info: FieldInfo) -> bool:
    """A default that is the same value every time: shared, as pydantic shares it."""
    default = info.default
    return info.default_factory is None and (
        default is None or type(default) in (str, int, bool) or isinstance(default, enum.Enum)
    )


def _type_check(annotation: Any, metadata: list[Any]) -> Check:
    """A check for one annotation with its constraints and validators, pydantic's order."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *more = typing.get_args(annotation)
        metadata = [*more, *metadata]
    befores: list[Callable[..., Any]] = []
    constraints: list[Any] = []
    for item in metadata:
        if isinstance(item, BeforeValidator):
            if _takes_info(item.func):
                raise _Unreadable
            befores.append(item.func)
        elif isinstance(item, WithJsonSchema):
            continue  # the schema only
        elif isinstance(item, FieldInfo):
            if item.alias is not None or item.validation_alias is not None:
                raise _Unreadable
            constraints.extend(item.metadata)
        else:
            constraints.append(item)
    if len(befores) > 1:
        raise _Unreadable
    inner = _bare_check(annotation, constraints)
    if not befores:
        return inner
    before = befores[0]

    def check(value: Any) -> Any:
        return inner(before(value))

    return check


def _bare_check(annotation: Any, constraints: list[Any]) -> Check:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(annotation)
        others = [option for option in options if option is not type(None)]
        if len(options) != 2 or len(others) != 1 or constraints:
            raise _Unreadable
        inner = _type_check(others[0], [])

        def optional(value: Any) -> Any:
            return None if value is None else inner(value)

        return optional
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        if constraints:
            raise _Unreadable
        item = _type_check(item_type, [])

        def items(value: Any) -> Any:
            if type(value) is not list:
                raise _Unsure
            return [item(one) for one in value]

        return items
    if origin is typing.Literal:
        if constraints:
            raise _Unreadable
        allowed = typing.get_args(annotation)

        def literal(value: Any) -> Any:
            for option in allowed:
                if type(value) is type(option) and value == option:
                    return option
            raise _Unsure

        return literal
    if origin is not None:
        raise _Unreadable
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if constraints:
            raise _Unreadable
        return _nested(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _enum_check(annotation, constraints)
    if annotation is str:
        return _str_check(constraints)
    if annotation is bool:
        if constraints:
            raise _Unreadable

        def boolean(value: Any) -> Any:
            if type(value) is not bool:
                raise _Unsure
            return value

        return boolean
    if annotation is int:
        bounds = _bounds(constraints)

        def integer(value: Any) -> Any:
            if type(value) is not int:
                raise _Unsure
            return bounds(value)

        return integer
    if annotation is Decimal:
        return _decimal_check(constraints)
    raise _Unreadable


def _nested(model: type[BaseModel]) -> Check:
    def nested(value: Any) -> Any:
        build = _plan(model)
        if build is None:
            raise _Unsure
        return build(value)

    return nested


def _enum_check(kind: type[enum.Enum], constraints: list[Any]) -> Check:
    if constraints:
        raise _Unreadable
    by_value = {member.value: member for member in kind}
    if not all(type(value) is str for value in by_value):
        raise _Unreadable

    def member(value: Any) -> Any:
        if type(value) is kind:
            return value
        if type(value) is not str or value not in by_value:
            raise _Unsure
        return by_value[value]

    return member


def _str_check(constraints: list[Any]) -> Check:
    strip = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    for item in constraints:
        if not isinstance(item, StringConstraints):
            raise _Unreadable
        if item.to_upper or item.to_lower or item.strict or getattr(item, "ascii_only", None):
            raise _Unreadable
        strip = strip or bool(item.strip_whitespace)
        if item.min_length is not None:
            min_length = item.min_length
        if item.max_length is not None:
            max_length = item.max_length
        if item.pattern is not None:
            if not isinstance(item.pattern, str) or pattern is not None:
                raise _Unreadable
            pattern = re.compile(item.pattern)

    def text(value: Any) -> Any:
        if type(value) is not str:
            raise _Unsure
        if not value.isascii():
            value.encode("utf-8")  # a lone surrogate raises: pydantic decides
        if strip:
            if _STRIP_DIFFERS.search(value):
                raise _Unsure
            value = value.strip()
        if min_length is not None and len(value) < min_length:
            raise _Unsure
        if max_length is not None and len(value) > max_length:
            raise _Unsure
        if pattern is not None and ("\n" in value or not pattern.search(value)):
            raise _Unsure  # `$` before a final newline is Python's alone
        return value

    return text


def _bounds(constraints: list[Any]) -> Callable[[Any], Any]:
    tests: list[tuple[Callable[[Any, Any], bool], Any]] = []
    for item in constraints:
        if isinstance(item, annotated_types.Ge):
            tests.append((operator.ge, item.ge))
        elif isinstance(item, annotated_types.Le):
            tests.append((operator.le, item.le))
        elif isinstance(item, annotated_types.Gt):
            tests.append((operator.gt, item.gt))
        elif isinstance(item, annotated_types.Lt):
            tests.append((operator.lt, item.lt))
        elif isinstance(item, AllowInfNan) and not item.allow_inf_nan:
            continue  # only finite numbers are taken here anyway
        else:
            raise _Unreadable

    def bounded(value: Any) -> Any:
        if not all(test(value, limit) for test, limit in tests):
            raise _Unsure
        return value

    return bounded


def _decimal_check(constraints: list[Any]) -> Check:
    bounds = _bounds(constraints)

    def decimal(value: Any) -> Any:
        if type(value) is int:
            value = Decimal(value)
        elif type(value) is not Decimal or not value.is_finite():
            raise _Unsure
        return bounds(value)

    return decimal
