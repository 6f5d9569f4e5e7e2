"""Which family module defines each sprig function.

The function map imports a family only when a template names one of its functions, so it
must know every name without importing the modules. This table is that knowledge;
``tests/gotemplate/sprig/test_index.py`` keeps it in step with the modules' ``FUNCS`` (and
prints the corrected table when they drift apart).
"""

from __future__ import annotations

FAMILIES: dict[str, tuple[str, ...]] = {
    "crypto": (
        "bcrypt", "buildCustomCert", "decryptAES", "derivePassword", "encryptAES", "genCA",
        "genCAWithKey", "genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
        "genSignedCert", "genSignedCertWithKey", "htpasswd", "randBytes", "uuidv4",
    ),
    "dates": (
        "ago", "date", "dateInZone", "dateModify", "date_in_zone", "date_modify", "duration",
        "durationRound", "htmlDate", "htmlDateInZone", "mustDateModify", "mustToDate",
        "must_date_modify", "now", "toDate", "unixEpoch",
    ),
    "defaults": (
        "all", "any", "coalesce", "default", "empty", "fail", "fromJson", "mustFromJson",
        "mustToJson", "mustToPrettyJson", "mustToRawJson", "ternary", "toJson", "toPrettyJson",
        "toRawJson",
    ),
    "dicts": (
        "deepCopy", "dict", "dig", "get", "hasKey", "keys", "merge", "mergeOverwrite",
        "mustDeepCopy", "mustMerge", "mustMergeOverwrite", "omit", "pick", "pluck", "set", "unset",
        "values",
    ),
    "encoding": (
        "adler32sum", "b32dec", "b32enc", "b64dec", "b64enc", "sha1sum", "sha256sum", "sha512sum",
    ),
    "lists": (
        "append", "chunk", "compact", "concat", "first", "has", "initial", "last", "list",
        "mustAppend", "mustChunk", "mustCompact", "mustFirst", "mustHas", "mustInitial",
        "mustLast", "mustPrepend", "mustPush", "mustRest", "mustReverse", "mustSlice", "mustUniq",
        "mustWithout", "prepend", "push", "rest", "reverse", "slice", "sortAlpha", "tuple", "uniq",
        "without",
    ),
    "math": (
        "add", "add1", "add1f", "addf", "atoi", "biggest", "ceil", "div", "divf", "float64",
        "floor", "int", "int64", "max", "maxf", "min", "minf", "mod", "mul", "mulf", "randInt",
        "round", "seq", "sub", "subf", "toDecimal", "until", "untilStep",
    ),
    "network": (
        "getHostByName",
    ),
    "paths": (
        "base", "clean", "dir", "expandenv", "ext", "isAbs", "osBase", "osClean", "osDir", "osExt",
        "osIsAbs", "urlJoin", "urlParse",
    ),
    "reflection": (
        "deepEqual", "kindIs", "kindOf", "typeIs", "typeIsLike", "typeOf",
    ),
    "regex": (
        "mustRegexFind", "mustRegexFindAll", "mustRegexMatch", "mustRegexReplaceAll",
        "mustRegexReplaceAllLiteral", "mustRegexSplit", "regexFind", "regexFindAll", "regexMatch",
        "regexQuoteMeta", "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit",
    ),
    "semver": (
        "semver", "semverCompare",
    ),
    "strings": (
        "abbrev", "abbrevboth", "camelcase", "cat", "contains", "hasPrefix", "hasSuffix", "hello",
        "indent", "initials", "join", "kebabcase", "lower", "nindent", "nospace", "plural",
        "quote", "randAlpha", "randAlphaNum", "randAscii", "randNumeric", "repeat", "replace",
        "shuffle", "snakecase", "split", "splitList", "splitn", "squote", "substr", "swapcase",
        "title", "toString", "toStrings", "trim", "trimAll", "trimPrefix", "trimSuffix", "trimall",
        "trunc", "untitle", "upper", "wrap", "wrapWith",
    ),
}
