"""``python -m grader.storage users add NAME --role instructor``: the storage commands on their own."""

import sys

from grader.storage.cli import main

sys.exit(main())
