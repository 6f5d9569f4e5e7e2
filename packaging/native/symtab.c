/* dlopen(NULL)/dlsym for a static executable, answered from a table.
 *
 * A static binary cannot load shared libraries, so musl's dlopen fails and
 * ctypes.CDLL(None) would find nothing. mittnite's Python code calls libc and OpenSSL
 * through ctypes in the pip install and here alike (mittnite.native); these functions
 * replace musl's so that the names listed in symbols.h (generated from
 * src/mittnite/native/symbols.py) resolve to the functions linked into this file.
 *
 * No system header declares those functions in this file: each is declared as
 * `void name(void)` only to take its address.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define SYMBOL(name) extern void name(void);
#include "symbols.h"
#undef SYMBOL

struct symbol {
    const char *name;
    void (*address)(void);
};

static const struct symbol symbol_table[] = {
#define SYMBOL(name) {#name, name},
#include "symbols.h"
#undef SYMBOL
};

const size_t mittnite_symbol_count = sizeof symbol_table / sizeof symbol_table[0];

static __thread char dl_message[160];
static __thread int dl_failed;

static void dl_fail(const char *what, const char *name)
{
    snprintf(dl_message, sizeof dl_message, "%s: %s", name ? name : "(null)", what);
    dl_failed = 1;
}

void *dlopen(const char *file, int mode)
{
    (void)mode;
    if (file == NULL)
        return (void *)symbol_table;
    dl_fail("cannot load libraries into a static executable", file);
    return NULL;
}

int dlclose(void *handle)
{
    (void)handle;
    return 0;
}

char *dlerror(void)
{
    if (!dl_failed)
        return NULL;
    dl_failed = 0;
    return dl_message;
}

void *dlsym(void *restrict handle, const char *restrict name)
{
    (void)handle;
    for (size_t i = 0; i < sizeof symbol_table / sizeof symbol_table[0]; i++)
        if (strcmp(symbol_table[i].name, name) == 0)
            return (void *)symbol_table[i].address;
    dl_fail("symbol not found in the static executable", name);
    return NULL;
}

