from convene.cli import main

raise SystemExit(main())
