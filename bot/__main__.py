"""Allow ``python -m bot``."""

from bot.cli.main import console_main

console_main()
