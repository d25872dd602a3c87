"""Ingestion, digests, alerts and delivery: async functions over store and summarizer."""
