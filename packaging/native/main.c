/* main() of mittnite's static executable.
 *
 * The file is this program followed by a zip archive holding the standard library,
 * mittnite and its dependencies as compiled bytecode. The interpreter runs isolated
 * (no PYTHON* variables, no site, no user directories), imports only from that zip,
 * and neither coerces the C locale nor touches the environment: jobs must inherit the
 * container's environment exactly. UTF-8 mode makes file names, arguments and
 * standard streams UTF-8 whatever the locale.
 */
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

PyMODINIT_FUNC PyInit__mittnite_native(void);

static int absolute(const char *path, char *out)
{
    if (realpath(path, out))
        return 0;
    if (path[0] == '/') {
        snprintf(out, PATH_MAX, "%s", path);
        return 0;
    }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    return snprintf(out, PATH_MAX, "%s/%s", cwd, path) < PATH_MAX ? 0 : -1;
}

/* The path of this executable: /proc/self/exe, else the name the kernel executed
 * (AT_EXECFN, present without /proc, e.g. in an empty root), else argv[0] looked up
 * like a shell does. */
static int find_self(const char *argv0, char *out)
{
    ssize_t length = readlink("/proc/self/exe", out, PATH_MAX - 1);
    if (length > 0) {
        out[length] = '\0';
        return 0;
    }
    const char *executed = (const char *)getauxval(AT_EXECFN);
    if (executed && access(executed, R_OK) == 0)
        return absolute(executed, out);
    if (!argv0 || !*argv0)
        return -1;
    if (strchr(argv0, '/'))
        return absolute(argv0, out);
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t span = strcspn(path, ":");
        char candidate[PATH_MAX];
        if (snprintf(candidate, sizeof candidate, "%.*s/%s", (int)span, span ? path : ".",
                     argv0) < PATH_MAX &&
            access(candidate, X_OK) == 0)
            return absolute(candidate, out);
        path += span + (path[span] == ':');
    }
    return -1;
}

static void fail(const char *what, PyStatus status)
{
    fprintf(stderr, "mittnite: %s: %s\n", what, status.err_msg ? status.err_msg : "failed");
    exit(status.exitcode ? status.exitcode : 1);
}

int main(int argc, char **argv)
{
    char self[PATH_MAX];
    if (find_self(argc > 0 ? argv[0] : NULL, self) != 0) {
        fprintf(stderr, "mittnite: cannot find my own executable (no /proc, no path)\n");
        return 1;
    }

    PyPreConfig preconfig;
    PyPreConfig_InitIsolatedConfig(&preconfig);
    preconfig.utf8_mode = 1;
    preconfig.coerce_c_locale = 0;
    preconfig.coerce_c_locale_warn = 0;
    preconfig.configure_locale = 0;
    PyStatus status = Py_PreInitialize(&preconfig);
    if (PyStatus_Exception(status))
        fail("pre-initialisation", status);

    if (PyImport_AppendInittab("_mittnite_native", PyInit__mittnite_native) != 0) {
        fprintf(stderr, "mittnite: cannot register the native module\n");
        return 1;
    }

    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.site_import = 0;
    config.write_bytecode = 0;
    config.pathconfig_warnings = 0;
    config.use_frozen_modules = 1;
    config.parse_argv = 0;
    config.module_search_paths_set = 1;
    /* An isolated config leaves signals alone; the pip install's interpreter ignores
     * SIGPIPE and SIGXFSZ (a write to a closed socket or pipe then fails with EPIPE
     * instead of killing mittnite) and turns SIGINT into KeyboardInterrupt until
     * mittnite installs its own handlers. The same here. */
    config.install_signal_handlers = 1;
    wchar_t *wide_self = Py_DecodeLocale(self, NULL);
    if (!wide_self) {
        fprintf(stderr, "mittnite: cannot decode %s\n", self);
        return 1;
    }
    status = PyWideStringList_Append(&config.module_search_paths, wide_self);
    if (!PyStatus_Exception(status))
        status = PyConfig_SetString(&config, &config.executable, wide_self);
    if (!PyStatus_Exception(status))
        status = PyConfig_SetString(&config, &config.home, L"/");
    if (!PyStatus_Exception(status))
        status = PyConfig_SetBytesArgv(&config, argc, argv);
    if (!PyStatus_Exception(status))
        status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    PyMem_RawFree(wide_self);
    if (PyStatus_Exception(status))
        fail("initialisation", status);

    /* The entry module picks mittnite or mittnitectl by the name we were called by and
     * exits through SystemExit, which PyRun_SimpleString turns into exit(). */
    int failed = PyRun_SimpleString("import _mittnite_entry\n") != 0;
    if (Py_FinalizeEx() < 0)
        return 120;
    return failed ? 1 : 0;
}
