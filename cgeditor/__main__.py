"""`python -m cgeditor` does what the `cgeditor` command does."""

from cgeditor.cli import main

raise SystemExit(main())
