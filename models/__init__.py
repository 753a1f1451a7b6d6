"""Trained models, installed as extractor.models (see the model cards beside them)."""
