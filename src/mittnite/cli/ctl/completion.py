"""Shell completion for bash and zsh: ``mittnitectl completion bash|zsh``.

The scripts are thin: they hand the words typed so far to the hidden
``mittnitectl __complete`` command, which answers from the real command tree
(so new flags and commands complete without regenerating anything) and asks
the API for job names, using the ``--api-address`` typed on the line. Errors
(no API running) simply complete nothing.
"""

from __future__ import annotations

from ..framework import Command, UsageError, parse, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..framework import Flag

JOB_COMMANDS = ("status", "start", "stop", "restart", "logs")
SHELLS = ("bash", "zsh")

BASH_SCRIPT = r"""# bash completion for mittnitectl
# Load in the current shell:  source <(mittnitectl completion bash)
# Install for every shell:    mittnitectl completion bash > /etc/bash_completion.d/mittnitectl

_mittnitectl() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -ra words <<< "$line"
    if [[ -z "$line" || "$line" == *[[:space:]] ]]; then
        words+=("")
    fi
    local IFS=$'\n'
    COMPREPLY=($("${words[0]}" __complete -- "${words[@]:1}" 2>/dev/null))
}

complete -F _mittnitectl mittnitectl
"""

ZSH_SCRIPT = r"""#compdef mittnitectl
# zsh completion for mittnitectl
# Load in the current shell:  source <(mittnitectl completion zsh)
# Install: mittnitectl completion zsh > "${fpath[1]}/_mittnitectl"

_mittnitectl() {
    local -a candidates
    candidates=("${(@f)$("${words[1]}" __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    candidates=(${candidates:#})
    (( ${#candidates} )) && compadd -- "${candidates[@]}"
}

if [ "$funcstack[1]" = "_mittnitectl" ]; then
    _mittnitectl "$@"
else
    compdef _mittnitectl mittnitectl
fi
"""


def script(shell: str) -> str:
    """The completion script for ``shell``; unknown shells are a clear error."""
    from .errors import UsageProblem

    if shell == "bash":
        return BASH_SCRIPT
    if shell == "zsh":
        return ZSH_SCRIPT
    raise UsageProblem(f'unsupported shell "{shell}" (supported: {", ".join(SHELLS)})')


def _value_flag(flags: list[Flag], token: str) -> bool:
    """Whether ``token`` is a flag whose value is the next word."""
    if "=" in token or not token.startswith("-"):
        return False
    for flag in flags:
        if token in (f"--{flag.long}", f"-{flag.short}") and flag.kind != "bool":
            return True
    return False


def candidates(
    root: Command, words: list[str], partial: str, list_jobs: Callable[[str], list[str]]
) -> list[str]:
    """What may follow ``words`` (typed in full) when the current word begins ``partial``.

    ``list_jobs`` gets the ``--api-address`` value and returns job names.
    """
    command, _ = resolve(root, words)
    flags = command.all_flags()
    if words and _value_flag(flags, words[-1]):
        return []  # the current word is a flag's value
    if partial.startswith("-"):
        names = []
        for flag in sorted(flags, key=lambda f: f.long):
            if flag.hidden:
                continue
            names.append(f"--{flag.long}")
            if flag.short:
                names.append(f"-{flag.short}")
        return [name for name in names if name.startswith(partial)]
    visible = [c.name for c in command.subcommands if not c.hidden]
    if visible:
        return sorted(name for name in visible if name.startswith(partial))
    try:
        invocation = parse(root, words)
    except UsageError:
        return []
    if invocation.args:
        return []  # every command takes at most one argument
    if command.name == "completion":
        options: list[str] = list(SHELLS)
    elif (
        command.parent is not None and command.parent.name == "job" and command.name in JOB_COMMANDS
    ):
        try:
            options = list_jobs(invocation["api-address"])
        except Exception:  # no API, bad address: complete nothing rather than fail
            return []
    else:
        return []
    return [option for option in options if option.startswith(partial)]


def api_job_names(api_address: str) -> list[str]:
    """Job names from the API at ``api_address`` (used for completion)."""
    from .address import parse_endpoint
    from .client import ApiClient

    return ApiClient(parse_endpoint(api_address)).list_jobs()


def complete(root: Command, args: list[str]) -> int:
    """``__complete WORDS... PARTIAL``: print one candidate per line."""
    import sys

    words, partial = (args[:-1], args[-1]) if args else ([], "")
    for candidate in candidates(root, words, partial, api_job_names):
        sys.stdout.write(candidate + "\n")
    return 0
