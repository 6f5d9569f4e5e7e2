"""The C functions mittnite calls through ctypes, by library.

The static executable has no dynamic loader: its ``dlsym`` answers from a table of
exactly these names (generated from this file by packaging/build_standalone.py), so
every function used through :mod:`mittnite.native` must be listed here.
"""

LIBC = (
    "prctl",
    "inotify_init1",
    "inotify_add_watch",
    "inotify_rm_watch",
    "statfs",
    "tee",
    "execve",
)

LIBCRYPT = ("crypt",)

LIBCRYPTO = (
    "ERR_get_error",
    "ERR_error_string_n",
    "ERR_clear_error",
    "EVP_PKEY_CTX_new_id",
    "EVP_PKEY_CTX_new",
    "EVP_PKEY_CTX_free",
    "EVP_PKEY_CTX_ctrl",
    "EVP_PKEY_keygen_init",
    "EVP_PKEY_keygen",
    "EVP_PKEY_paramgen_init",
    "EVP_PKEY_paramgen",
    "EVP_PKEY_free",
    "EVP_PKEY_get_base_id",
    "EVP_PKEY_get_bits",
    "i2d_PrivateKey",
    "i2d_PUBKEY",
    "d2i_AutoPrivateKey",
    "EVP_MD_CTX_new",
    "EVP_MD_CTX_free",
    "EVP_DigestSignInit",
    "EVP_DigestSign",
    "EVP_sha256",
    "EVP_sha384",
    "EVP_sha512",
    "d2i_X509",
    "X509_free",
    "X509_get_subject_name",
    "i2d_X509_NAME",
    "X509_get0_subject_key_id",
    "ASN1_STRING_length",
    "ASN1_STRING_get0_data",
    "EVP_CIPHER_CTX_new",
    "EVP_CIPHER_CTX_free",
    "EVP_CIPHER_CTX_set_padding",
    "EVP_CipherInit_ex",
    "EVP_CipherUpdate",
    "EVP_CipherFinal_ex",
    "EVP_aes_256_cbc",
)

ALL = LIBC + LIBCRYPT + LIBCRYPTO
