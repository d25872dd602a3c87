"""Telegram bot, CLI and the composition root that wires settings into everything."""
