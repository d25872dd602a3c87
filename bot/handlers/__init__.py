"""Telegram update handlers: each parses input, calls one function below it, formats, replies."""
