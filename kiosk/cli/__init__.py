"""The `kiosk` command line: one command, a subcommand each job."""
