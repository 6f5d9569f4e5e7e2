"""Entry point of the static executable: ``mittnite``, or ``mittnitectl`` by name.

One file serves both commands (like busybox): a symlink, hard link or copy whose
name starts with ``mittnitectl`` runs the control client. Both go through the same
``main`` functions as the pip install's console scripts.
"""

import gc
import os
import sys

# Importing creates many objects and no garbage: the collector's passes over them
# cost about a millisecond of start-up; it runs again once mittnite is loaded.
gc.disable()
if os.path.basename(sys.argv[0] if sys.argv else "").startswith("mittnitectl"):
    from mittnite.cli.ctl.main import main
else:
    from mittnite.cli.main import main
gc.enable()

sys.exit(main())
