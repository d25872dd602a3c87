"""Storage: SQLAlchemy models, migrations and data-access functions. Knows nothing of Telegram or NLP."""
