"""Pure summarization: article text in, a digest (sentences, entities, figures) out. No I/O."""
