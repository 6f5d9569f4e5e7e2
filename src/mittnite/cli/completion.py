"""Shell completion for both programs: ``completion bash|zsh|fish|powershell``.

The scripts are thin and identical in spirit for every shell: they hand the
words typed so far to the program's hidden ``__complete`` command, which
answers from the real command tree (so new flags and commands complete
without regenerating anything) - one candidate per line. What a command's
argument may be is the program's business (``mittnitectl`` asks the API for
job names, ``mittnite`` names shells and help topics); when nothing is known,
the shell's own file-name completion takes over where the program asks for
it (``mittnite -c <TAB>``, ``mittnite renderfiles <TAB>``).

Protocol: ``PROG __complete [--partial=WORD] -- WORDS...``. Without
``--partial=``, the last word is the one being completed (bash, zsh); the
option exists because PowerShell drops empty arguments to native commands.
"""

from __future__ import annotations

from .framework import Command, Flag, UsageError, parse, resolve, usage_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .framework import Invocation

    # the candidates for a command's positional argument; None: the program knows none
    Arguments = Callable[[Command, "Invocation"], "list[str] | None"]

SHELLS = ("bash", "zsh", "fish", "powershell")


def _bash(program: str, files: bool) -> str:
    function = "_" + program
    fallback = "-o default " if files else ""
    return f"""# bash completion for {program}
# Load in the current shell:  source <({program} completion bash)
# Install for every shell:    {program} completion bash > /etc/bash_completion.d/{program}

{function}() {{
    local line="${{COMP_LINE:0:COMP_POINT}}"
    local -a words
    read -ra words <<< "$line"
    if [[ -z "$line" || "$line" == *[[:space:]] ]]; then
        words+=("")
    fi
    local IFS=$'\\n'
    COMPREPLY=($("${{words[0]}}" __complete -- "${{words[@]:1}}" 2>/dev/null))
}}

complete {fallback}-F {function} {program}
"""


def _zsh(program: str, files: bool) -> str:
    function = "_" + program
    fallback = "\n    (( ${#candidates} )) || _files" if files else ""
    return f"""#compdef {program}
# zsh completion for {program}
# Load in the current shell:  source <({program} completion zsh)
# Install: {program} completion zsh > "${{fpath[1]}}/_{program}"

{function}() {{
    local -a candidates
    candidates=("${{(@f)$("${{words[1]}}" __complete -- "${{(@)words[2,CURRENT]}}" 2>/dev/null)}}")
    candidates=(${{candidates:#}})
    (( ${{#candidates}} )) && compadd -- "${{candidates[@]}}"{fallback}
}}

if [ "$funcstack[1]" = "{function}" ]; then
    {function} "$@"
else
    compdef {function} {program}
fi
"""


def _fish(program: str, files: bool) -> str:
    function = f"__{program}_complete"
    fallback = (
        "\n    if test (count $found) -eq 0\n        __fish_complete_path $current\n    end"
        if files
        else ""
    )
    return f"""# fish completion for {program}
# Load in the current shell:  {program} completion fish | source
# Install: {program} completion fish > ~/.config/fish/completions/{program}.fish

function {function}
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    command -q -- $tokens[1]; or return
    set -l found ($tokens[1] __complete "--partial=$current" -- $tokens[2..-1] 2>/dev/null)
    printf '%s\\n' $found{fallback}
end

complete -c {program} -f -a '({function})'
"""


def _powershell(program: str, files: bool) -> str:
    fallback = (
        """
    if (-not $found) {
        Get-ChildItem -Path "$WordToComplete*" -ErrorAction SilentlyContinue |
            ForEach-Object { [System.Management.Automation.CompletionResult]::new($_.Name) }
    }"""
        if files
        else ""
    )
    return f"""# PowerShell completion for {program}
# Load in the current shell:  {program} completion powershell | Out-String | Invoke-Expression
# Install: add that line to your $PROFILE

Register-ArgumentCompleter -Native -CommandName '{program}' -ScriptBlock {{
    param($WordToComplete, $CommandAst, $CursorPosition)
    $typed = @($CommandAst.CommandElements |
        Where-Object {{ $_.Extent.EndOffset -lt $CursorPosition -or
            ($_.Extent.EndOffset -eq $CursorPosition -and $WordToComplete -eq '') }} |
        ForEach-Object {{ $_.Extent.Text }})
    $program = $typed[0]
    $words = @($typed | Select-Object -Skip 1)
    $found = @(& $program __complete "--partial=$WordToComplete" -- @words 2>$null)
    foreach ($candidate in $found) {{
        if ($candidate) {{
            [System.Management.Automation.CompletionResult]::new(
                $candidate, $candidate, 'ParameterValue', $candidate)
        }}
    }}{fallback}
}}
"""


_SCRIPTS = {"bash": _bash, "zsh": _zsh, "fish": _fish, "powershell": _powershell}


def script(program: str, shell: str, *, files: bool = False) -> str:
    """The completion script of ``program`` for ``shell`` (:class:`UsageError` if unknown).

    ``files``: fall back to the shell's file-name completion when the program
    suggests nothing.
    """
    make = _SCRIPTS.get(shell)
    if make is None:
        raise ValueError(f'unsupported shell "{shell}" (supported: {", ".join(SHELLS)})')
    return make(program, files)


def _value_flag(flags: list[Flag], token: str) -> bool:
    """Whether ``token`` is a flag whose value is the next word."""
    if "=" in token or not token.startswith("-"):
        return False
    for flag in flags:
        if token in (f"--{flag.long}", f"-{flag.short}") and flag.kind != "bool":
            return True
    return False


def candidates(root: Command, words: list[str], partial: str, arguments: Arguments) -> list[str]:
    """What may follow ``words`` (typed in full) when the current word begins ``partial``."""
    command, _ = resolve(root, words)
    flags = command.all_flags()
    if words and _value_flag(flags, words[-1]):
        return []  # the current word is a flag's value: the shell's business
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
    if command.name == "completion":
        options: list[str] | None = [] if invocation.args else list(SHELLS)
    elif command.name == "help":
        target = root
        for name in invocation.args:
            found = target.find(name)
            if found is None:
                return []
            target = found
        options = [c.name for c in target.subcommands if not c.hidden]
    else:
        try:
            options = arguments(command, invocation)
        except Exception:  # no API, bad address: complete nothing rather than fail
            return []
    return [option for option in options or () if option.startswith(partial)]


def no_arguments(command: Command, invocation: Invocation) -> list[str] | None:
    """For a program whose arguments are files or commands: the shell completes those."""
    return None


def complete(root: Command, invocation: Invocation, arguments: Arguments) -> int:
    """``__complete [--partial=WORD] -- WORDS...``: print one candidate per line."""
    import sys

    args = list(invocation.args)
    if "partial" in invocation.changed:
        words, partial = args, str(invocation["partial"])
    else:
        words, partial = (args[:-1], args[-1]) if args else ([], "")
    for candidate in candidates(root, words, partial, arguments):
        sys.stdout.write(candidate + "\n")
    return 0


def completion_commands(
    root: Command, arguments: Arguments, *, files: bool = False
) -> tuple[Command, Command]:
    """``completion SHELL`` and the hidden ``__complete`` for ``root``'s program."""

    def run_completion(invocation: Invocation) -> int:
        import sys

        if len(invocation.args) != 1:
            sys.stderr.write(
                f"Error: accepts 1 arg(s), received {len(invocation.args)}\n"
                + usage_text(completion)
            )
            return 1
        try:
            sys.stdout.write(script(root.name, invocation.args[0], files=files))
        except ValueError as error:
            sys.stderr.write(f"Error: {error}\n")
            return 1
        return 0

    completion = Command(
        "completion",
        short="Generate the autocompletion script for the specified shell",
        long=f"Prints a completion script for bash, zsh, fish or PowerShell.\n\n"
        f"  source <({root.name} completion bash)\n"
        f'  {root.name} completion zsh > "${{fpath[1]}}/_{root.name}"\n'
        f"  {root.name} completion fish > ~/.config/fish/completions/{root.name}.fish\n"
        f"  {root.name} completion powershell | Out-String | Invoke-Expression",
        usage_args="bash|zsh|fish|powershell",
        run=run_completion,
    )
    hidden = Command(
        "__complete",
        short="Complete a command line (used by the completion scripts)",
        flags=[Flag("partial", "string", "the word being completed", hidden=True)],
        run=lambda invocation: complete(root, invocation, arguments),
        interspersed=False,
        hidden=True,
    )
    return completion, hidden
