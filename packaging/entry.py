"""Entry point of the standalone executable: ``mittnite``, or ``mittnitectl`` by name.

One file serves both commands (like busybox): a symlink or copy named
``mittnitectl`` runs the control client.
"""

import os
import sys

if os.path.basename(sys.argv[0]).startswith("mittnitectl"):
    from mittnite.cli.ctl.main import main
else:
    from mittnite.cli.main import main

main()
