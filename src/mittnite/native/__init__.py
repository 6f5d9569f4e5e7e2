"""C functions reached through ctypes: libc (prctl, inotify, statfs), crypt(3), OpenSSL.

One code path serves both installs. In the pip install the functions come from the
shared libraries already in the process (libc, the libcrypto Python's own ``ssl``
and ``hashlib`` use, libcrypt); in the static executable, which has no dynamic
loader, ``ctypes.CDLL(None)`` answers from a table of the functions linked into it
(packaging/native/native.c, generated from :mod:`mittnite.native.symbols`). Keeping
OpenSSL access here lets sprig's crypto functions run on the same code in both,
without the ``cryptography`` and ``bcrypt`` packages.

Nothing here is imported by an idle init: ctypes and libcrypto load on first use.
"""
