"""Layers made of other layers: Pipeline, RandomApply, RandomChoice, and the rules of which of them share one resample."""
