"""A small cobra-style command line framework.

Both binaries mirror Go programs built with cobra/pflag, and scripts call them
with cobra's conventions: flags may come before or after positional arguments,
``--`` ends flag parsing, persistent flags of a parent apply to its
sub-commands, ``-h/--help`` everywhere, and help pages in cobra's layout.
:mod:`argparse` differs on all of these, and costs more to import than this.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TextIO

    Runner = Callable[["Invocation"], int]


class UsageError(Exception):
    """Bad command line; printed as ``Error: ...`` followed by the usage."""

    def __init__(self, message: str, command: Command) -> None:
        super().__init__(message)
        self.command = command


class Flag:
    """One flag. ``kind`` is ``bool``, ``string``, ``int`` or ``duration``."""

    def __init__(
        self,
        long: str,
        kind: str,
        help: str,
        default: Any = None,
        short: str | None = None,
        hidden: bool = False,
    ) -> None:
        self.long = long
        self.kind = kind
        self.help = help
        self.default = default
        self.short = short
        self.hidden = hidden

    @property
    def dest(self) -> str:
        return self.long.replace("-", "_")

    def initial(self) -> Any:
        if self.default is not None:
            return self.default
        return {"bool": False, "string": "", "int": 0, "duration": "0s"}[self.kind]

    def default_note(self) -> str:
        value = self.initial()
        if self.kind == "bool" and not value:
            return ""
        if self.kind == "string" and value == "":
            return ""
        if self.kind == "string":
            return f' (default "{value}")'
        if self.kind == "bool":
            return " (default true)"
        return f" (default {value})"


class Command:
    """A command: its help texts, flags, run function and sub-commands."""

    def __init__(
        self,
        name: str,
        short: str = "",
        long: str = "",
        usage_args: str = "",
        flags: list[Flag] | None = None,
        persistent_flags: list[Flag] | None = None,
        run: Runner | None = None,
        interspersed: bool = True,
        hidden: bool = False,
    ) -> None:
        self.name = name
        self.short = short
        self.long = long
        self.usage_args = usage_args
        self.flags = flags or []
        self.persistent_flags = persistent_flags or []
        self.run = run
        self.interspersed = interspersed
        self.hidden = hidden
        self.subcommands: list[Command] = []
        self.parent: Command | None = None

    def add(self, *commands: Command) -> None:
        for command in commands:
            command.parent = self
            self.subcommands.append(command)

    @property
    def path(self) -> str:
        return f"{self.parent.path} {self.name}" if self.parent else self.name

    @property
    def root(self) -> Command:
        return self.parent.root if self.parent else self

    def inherited_flags(self) -> list[Flag]:
        flags: list[Flag] = []
        node = self.parent
        while node is not None:
            flags.extend(node.persistent_flags)
            node = node.parent
        return flags

    def all_flags(self) -> list[Flag]:
        return [*self.flags, *self.persistent_flags, *self.inherited_flags(), _help_flag(self)]

    def find(self, name: str) -> Command | None:
        for sub in self.subcommands:
            if sub.name == name:
                return sub
        return None


def _help_flag(command: Command) -> Flag:
    return Flag("help", "bool", f"help for {command.name}", short="h")


class Invocation:
    """The result of parsing: which command, its flag values and its arguments."""

    def __init__(
        self, command: Command, values: dict[str, Any], args: list[str], changed: set[str]
    ) -> None:
        self.command = command
        self.values = values
        self.args = args
        self.changed = changed

    def __getitem__(self, name: str) -> Any:
        return self.values[name.replace("-", "_")]


def _convert(flag: Flag, raw: str, command: Command) -> Any:
    if flag.kind == "int":
        try:
            return int(raw, 0)
        except ValueError:
            raise UsageError(
                f'invalid argument "{raw}" for "{_flag_names(flag)}" flag: '
                f'strconv.ParseInt: parsing "{raw}": invalid syntax',
                command,
            ) from None
    if flag.kind == "bool":
        lowered = raw.lower()
        if lowered in ("1", "t", "true"):
            return True
        if lowered in ("0", "f", "false"):
            return False
        raise UsageError(
            f'invalid argument "{raw}" for "{_flag_names(flag)}" flag: '
            f'strconv.ParseBool: parsing "{raw}": invalid syntax',
            command,
        )
    return raw


def _flag_names(flag: Flag) -> str:
    return f"-{flag.short}, --{flag.long}" if flag.short else f"--{flag.long}"


def _takes_value(flags: Sequence[Flag], token: str) -> bool:
    """Whether ``token`` (a flag) consumes the next argument, for command lookup."""
    if "=" in token:
        return False
    for flag in flags:
        if token in (f"--{flag.long}", f"-{flag.short}") and flag.kind != "bool":
            return True
    return False


def resolve(root: Command, argv: Sequence[str]) -> tuple[Command, list[str]]:
    """Find the sub-command named in ``argv`` (skipping flags like cobra does)."""
    command = root
    remaining = list(argv)
    i = 0
    while i < len(remaining):
        token = remaining[i]
        if token == "--":
            break
        if token.startswith("-") and token != "-":
            i += 2 if _takes_value(command.all_flags(), token) else 1
            continue
        sub = command.find(token)
        if sub is None:
            break
        del remaining[i]
        command = sub
        if not command.interspersed:
            break
    return command, remaining


def parse(root: Command, argv: Sequence[str]) -> Invocation:
    """Parse ``argv`` (without the program name) against ``root``."""
    command, remaining = resolve(root, argv)
    flags = command.all_flags()
    by_long = {f.long: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    values = {f.dest: f.initial() for f in flags}
    changed: set[str] = set()
    args: list[str] = []
    i = 0
    while i < len(remaining):
        token = remaining[i]
        i += 1
        if token == "--":
            args.extend(remaining[i:])
            break
        if not token.startswith("-") or token == "-":
            args.append(token)
            if not command.interspersed:
                args.extend(remaining[i:])
                break
            continue
        if token.startswith("--"):
            name, eq, raw = token[2:].partition("=")
            flag = by_long.get(name)
            if flag is None:
                raise UsageError(f"unknown flag: --{name}", command)
        else:
            name, raw = token[1:2], token[2:]
            eq = "=" if raw else ""
            if raw.startswith("="):
                raw = raw[1:]
            flag = by_short.get(name)
            if flag is None:
                raise UsageError(f"unknown shorthand flag: '{name}' in {token}", command)
        if flag.kind == "bool":
            value = _convert(flag, raw, command) if eq else True
        else:
            if not eq:
                if i >= len(remaining):
                    raise UsageError(f"flag needs an argument: {_flag_names(flag)}", command)
                raw = remaining[i]
                i += 1
            value = _convert(flag, raw, command)
        values[flag.dest] = value
        changed.add(flag.dest)
    return Invocation(command, values, args, changed)


def _flag_lines(flags: Sequence[Flag]) -> list[str]:
    rows = []
    for flag in sorted(flags, key=lambda f: f.long):
        if flag.hidden:
            continue
        left = f"  -{flag.short}, --{flag.long}" if flag.short else f"      --{flag.long}"
        if flag.kind != "bool":
            left += f" {flag.kind}"
        rows.append((left, flag.help + flag.default_note()))
    width = max((len(left) for left, _ in rows), default=0)
    return [f"{left.ljust(width)}   {text}" for left, text in rows]


def help_text(command: Command) -> str:
    """cobra's help page for ``command``."""
    lines: list[str] = []
    description = command.long or command.short
    if description:
        lines += [description.rstrip(), ""]
    lines.append("Usage:")
    visible = [c for c in command.subcommands if not c.hidden]
    if command.run is not None:
        usage = f"  {command.path} [flags]"
        if command.usage_args:
            usage += f" {command.usage_args}"
        lines.append(usage)
    if visible:
        lines.append(f"  {command.path} [command]")
    if visible:
        lines += ["", "Available Commands:"]
        pad = max(11, *(len(c.name) for c in visible))
        lines += [f"  {c.name.ljust(pad)} {c.short}" for c in sorted(visible, key=lambda c: c.name)]
    local = [*command.flags, *command.persistent_flags, _help_flag(command)]
    lines += ["", "Flags:", *_flag_lines(local)]
    inherited = command.inherited_flags()
    if inherited:
        lines += ["", "Global Flags:", *_flag_lines(inherited)]
    if visible:
        lines += [
            "",
            f'Use "{command.path} [command] --help" for more information about a command.',
        ]
    return "\n".join(lines) + "\n"


def usage_text(command: Command) -> str:
    """The short usage cobra prints after an ``Error:`` line."""
    text = help_text(command)
    start = text.find("Usage:")
    return text[start:]


def execute(root: Command, argv: Sequence[str], out: TextIO | None = None) -> int:
    """Parse and run; returns the exit status."""
    stdout = out or sys.stdout
    try:
        invocation = parse(root, argv)
    except UsageError as exc:
        sys.stderr.write(f"Error: {exc}\n{usage_text(exc.command)}")
        return 1
    command = invocation.command
    if invocation.values.get("help"):
        stdout.write(help_text(command))
        return 0
    if command.run is None:
        if invocation.args:
            sys.stderr.write(
                f'Error: unknown command "{invocation.args[0]}" for "{command.path}"\n'
                f"Run '{command.path} --help' for usage.\n"
            )
            return 1
        stdout.write(help_text(command))
        return 0
    return command.run(invocation)


def help_command(root: Command) -> Command:
    """Cobra's ``help [command]`` for ``root``'s program, as both binaries have it."""
    return Command(
        "help",
        short="Help about any command",
        long="Help provides help for any command in the application.\n"
        f"Simply type {root.name} help [path to command] for full details.",
        usage_args="[command]",
        run=lambda invocation: _run_help(root, invocation),
    )


def _run_help(root: Command, invocation: Invocation) -> int:
    """Cobra answers an unknown topic with the root's help, on stdout, and exit status 0."""
    target = root
    for name in invocation.args:
        found = target.find(name)
        if found is None:
            sys.stderr.write(f'Unknown help topic "{name}"\n')
            sys.stdout.write(help_text(root))
            return 0
        target = found
    sys.stdout.write(help_text(target))
    return 0


def run_main(root: Command, argv: Sequence[str] | None) -> int:
    """A console script's entry point: without ``argv``, ``sys.argv`` in and ``sys.exit`` out.

    Tests pass ``argv`` and get the exit status back instead of ``SystemExit``.
    """
    status = execute(root, list(sys.argv[1:] if argv is None else argv))
    if argv is None:
        sys.exit(status)
    return status
