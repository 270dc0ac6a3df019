import sys

from kiosk.core.cli.main import main

sys.exit(main())
