/* The C side of mittnite's static executable: what a static musl binary lacks.
 *
 * - A symbol table behind dlopen(NULL)/dlsym: see symtab.c.
 * - glibc's wording for strerror/gai_strerror (libc_texts.h), as Go and the pip install
 *   print them; musl's texts differ ("Address in use").
 * - crypt(3) for bcrypt ($2a$/$2b$/$2y$): Debian's musl ships without crypt.
 * - _mittnite_native, a built-in module whose presence tells Python it runs in this
 *   executable.
 */
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libc_texts.h"
#include "blowfish_pi.h"

/* ---- glibc's error texts ------------------------------------------------------------ */

char *strerror(int number)
{
    static __thread char unknown[32];
    if (number >= 0 && (size_t)number < sizeof errno_texts / sizeof errno_texts[0] &&
        errno_texts[number] != NULL)
        return (char *)errno_texts[number];
    snprintf(unknown, sizeof unknown, "Unknown error %d", number);
    return unknown;
}

const char *gai_strerror(int code)
{
    for (size_t i = 0; i < sizeof gai_texts / sizeof gai_texts[0]; i++)
        if (gai_texts[i].code == code)
            return gai_texts[i].text;
    return "Unknown error";
}

/* ---- bcrypt --------------------------------------------------------------------------- */

struct blowfish {
    uint32_t p[18];
    uint32_t s[4][256];
};

static inline uint32_t feistel(const struct blowfish *b, uint32_t x)
{
    return ((b->s[0][x >> 24] + b->s[1][(x >> 16) & 0xff]) ^ b->s[2][(x >> 8) & 0xff]) +
           b->s[3][x & 0xff];
}

static void encipher(const struct blowfish *b, uint32_t *left, uint32_t *right)
{
    uint32_t l = *left, r = *right;
    for (int i = 0; i < 16; i += 2) {
        l ^= b->p[i];
        r ^= feistel(b, l);
        r ^= b->p[i + 1];
        l ^= feistel(b, r);
    }
    *left = r ^ b->p[17];
    *right = l ^ b->p[16];
}

/* The next big-endian word of `data`, read cyclically. */
static uint32_t next_word(const uint8_t *data, size_t length, size_t *position)
{
    uint32_t word = 0;
    for (int i = 0; i < 4; i++) {
        word = word << 8 | data[*position];
        *position = (*position + 1) % length;
    }
    return word;
}

/* Blowfish's key schedule, with `salt` mixed into every block when given. */
static void expand(struct blowfish *b, const uint8_t *key, size_t key_length, const uint8_t *salt)
{
    size_t k = 0, j = 0;
    uint32_t l = 0, r = 0;
    for (int i = 0; i < 18; i++)
        b->p[i] ^= next_word(key, key_length, &k);
    for (int i = 0; i < 18 + 4 * 256; i += 2) {
        if (salt) {
            l ^= next_word(salt, 16, &j);
            r ^= next_word(salt, 16, &j);
        }
        encipher(b, &l, &r);
        uint32_t *target = i < 18 ? &b->p[i] : &(&b->s[0][0])[i - 18];
        target[0] = l;
        target[1] = r;
    }
}

static const char bcrypt_alphabet[] =
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static int bcrypt_decode(const char *text, uint8_t *out, size_t count)
{
    uint32_t bits = 0;
    int held = 0;
    size_t written = 0;
    for (; written < count; text++) {
        const char *found = *text ? strchr(bcrypt_alphabet, *text) : NULL;
        if (!found)
            return -1;
        bits = bits << 6 | (uint32_t)(found - bcrypt_alphabet);
        held += 6;
        if (held >= 8) {
            held -= 8;
            out[written++] = (uint8_t)(bits >> held);
        }
    }
    return 0;
}

static void bcrypt_encode(const uint8_t *data, size_t count, char *out)
{
    uint32_t bits = 0;
    int held = 0;
    for (size_t i = 0; i < count; i++) {
        bits = bits << 8 | data[i];
        held += 8;
        while (held >= 6) {
            held -= 6;
            *out++ = bcrypt_alphabet[(bits >> held) & 63];
        }
    }
    if (held > 0)
        *out++ = bcrypt_alphabet[(bits << (6 - held)) & 63];
    *out = '\0';
}

/* crypt(3) for "$2a$NN$<22 salt characters>" (also $2b$, $2y$); NULL for anything else.
 * The key is the password with its terminating NUL, at most 72 bytes, as in OpenBSD's
 * bcrypt and Go's golang.org/x/crypto/bcrypt. */
char *crypt(const char *password, const char *setting)
{
    static __thread char result[64];
    static const char magic[] = "OrpheanBeholderScryDoubt";
    uint8_t salt[16];
    if (strncmp(setting, "$2", 2) != 0 || !strchr("aby", setting[2]) || setting[3] != '$' ||
        setting[4] < '0' || setting[4] > '3' || setting[5] < '0' || setting[5] > '9' ||
        setting[6] != '$' || strlen(setting) < 29)
        return NULL;
    int cost = (setting[4] - '0') * 10 + (setting[5] - '0');
    if (cost < 4 || cost > 31 || bcrypt_decode(setting + 7, salt, sizeof salt) != 0)
        return NULL;

    size_t key_length = strlen(password) + 1;
    if (key_length > 72)
        key_length = 72;
    const uint8_t *key = (const uint8_t *)password;

    struct blowfish *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    memcpy(b->p, blowfish_pi, sizeof b->p);
    memcpy(b->s, blowfish_pi + 18, sizeof b->s);
    expand(b, key, key_length, salt);
    for (uint64_t round = 0; round < (UINT64_C(1) << cost); round++) {
        expand(b, key, key_length, NULL);
        expand(b, salt, sizeof salt, NULL);
    }
    uint32_t text[6];
    size_t position = 0;
    for (int i = 0; i < 6; i++)
        text[i] = next_word((const uint8_t *)magic, 24, &position);
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 6; j += 2)
            encipher(b, &text[j], &text[j + 1]);
    free(b);

    uint8_t digest[24];
    for (int i = 0; i < 6; i++) {
        digest[4 * i] = (uint8_t)(text[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(text[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(text[i] >> 8);
        digest[4 * i + 3] = (uint8_t)text[i];
    }
    memcpy(result, setting, 7);
    bcrypt_encode(salt, sizeof salt, result + 7);
    bcrypt_encode(digest, 23, result + 29);
    return result;
}

/* ---- the built-in module ------------------------------------------------------------------ */

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_mittnite_native",
    .m_doc = "Marks mittnite's static executable; libc and OpenSSL are reached through "
             "ctypes.CDLL(None).",
    .m_size = -1,
};

extern const size_t mittnite_symbol_count; /* symtab.c */

PyMODINIT_FUNC PyInit__mittnite_native(void)
{
    PyObject *module = PyModule_Create(&native_module);
    if (module && PyModule_AddIntConstant(module, "symbol_count", (long)mittnite_symbol_count) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
