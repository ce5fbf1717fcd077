import sys

from karnama.cli.main import main

sys.exit(main())
