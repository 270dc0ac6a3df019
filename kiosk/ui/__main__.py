import sys

from kiosk.ui.app import main

sys.exit(main())
