"""Entry point of the static executable: ``mittnite``, or ``mittnitectl`` by name.

One file serves both commands (like busybox): a symlink, hard link or copy whose
name starts with ``mittnitectl`` runs the control client. Both go through the same
``main`` functions as the pip install's console scripts.
"""

import os
import sys

if os.path.basename(sys.argv[0] if sys.argv else "").startswith("mittnitectl"):
    from mittnite.cli.ctl.main import main
else:
    from mittnite.cli.main import main

sys.exit(main())
