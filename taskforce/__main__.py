import sys

from taskforce.launcher import main

sys.exit(main())
